"""Supervised fine-tuning of the grader: TRL SFTTrainer on prompt–completion chat records, the loss on
the completion (the grade) only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from training.config import RunConfig
from training.dataset import BuiltDataset
from training.dataset.targets import chat_record
from training.modeling import Loaded, trainer_args


def train_sft(cfg: RunConfig, built: BuiltDataset, loaded: Loaded, checkpoints: Path, callbacks: list[Any],
              resume_from: str | None = None) -> Any:
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    from training.trl_compat import use_torch_loss_on_cpu

    if use_torch_loss_on_cpu(loaded.device):
        print("[hirelab] trl's fused loss needs a GPU here: computing it with torch on CPU", flush=True)
    fmt = built.target_format
    train = Dataset.from_list([chat_record(ex, fmt) for ex in built.train])
    evaluate = cfg.train.evaluate and bool(built.val)
    val = Dataset.from_list([chat_record(ex, fmt) for ex in built.val]) if evaluate else None
    args = SFTConfig(
        **trainer_args(cfg, loaded, checkpoints),
        max_length=cfg.model.max_seq_length,
        completion_only_loss=True,
        packing=False,
        eval_strategy="no",
        per_device_eval_batch_size=cfg.train.per_device_train_batch_size,
    )
    trainer = SFTTrainer(model=loaded.model, args=args, train_dataset=train, eval_dataset=val,
                         processing_class=loaded.tokenizer, callbacks=callbacks)
    trainer.train(resume_from_checkpoint=resume_from)
    if val is not None:
        trainer.evaluate()  # the validation loss is logged (and written to the metrics file)
    return trainer

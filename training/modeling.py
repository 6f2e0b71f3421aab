"""The model a run trains: a base model with a LoRA adapter, on CUDA through unsloth (4-bit, "unsloth"
gradient checkpointing, vLLM generation for GRPO) or elsewhere through PEFT. The rest of the training
code is the same for both. unsloth and bitsandbytes are imported only inside the CUDA branch."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.messages import LocalizedError
from core.models import get_profile
from training.base_model import base_weights
from training.config import RunConfig


class TrainingError(LocalizedError):
    """A run cannot go on; the message (``train_err_*``) says why and what to change."""


@dataclass
class Loaded:
    model: Any  # a PeftModel whose "default" adapter is trained
    tokenizer: Any
    device: str  # cpu | cuda
    backend: str  # peft | unsloth
    base: str  # the weights trained on (hub id or folder)
    lora_r: int


def resolve_device(cfg: RunConfig) -> str:
    import torch

    cuda = torch.cuda.is_available()
    if cfg.hardware.device == "cuda" and not cuda:
        raise TrainingError(key="train_err_no_cuda")
    return "cuda" if cfg.hardware.device == "cuda" or (cfg.hardware.device == "auto" and cuda) else "cpu"


def adapter_settings(path: str) -> dict[str, Any]:
    cfg_file = Path(path) / "adapter_config.json"
    if not cfg_file.is_file():
        raise TrainingError(key="train_err_not_adapter", path=path)
    return json.loads(cfg_file.read_text(encoding="utf-8"))


def load_for_training(cfg: RunConfig, device: str, init_adapter: str | None = None, for_grpo: bool = False) -> Loaded:
    """Base weights plus a trainable LoRA adapter (fresh, or the weights of ``init_adapter``)."""
    profile = get_profile(cfg.model.profile)
    if profile.adapter:
        raise TrainingError(key="train_err_adapter_profile", profile=profile.name)
    try:
        source = base_weights(profile)
    except OSError as exc:
        raise TrainingError(key="train_err_weights", profile=profile.name, error=exc) from exc
    r, alpha, dropout, targets = cfg.lora.r, cfg.lora.alpha, cfg.lora.dropout, list(cfg.lora.target_modules)
    if init_adapter:  # continue the given adapter with its own shape
        spec = adapter_settings(init_adapter)
        r, alpha = int(spec.get("r", r)), int(spec.get("lora_alpha", alpha))
        targets = sorted(spec.get("target_modules") or targets)
    if device == "cuda":
        try:
            import unsloth  # noqa: F401  (must be imported before transformers/trl are patched)
        except ImportError:
            print("[hirelab] unsloth is not installed: training on CUDA with PEFT + bitsandbytes instead "
                  "(pip install -r requirements-gpu.txt for the faster path)", flush=True)
        else:
            return _load_unsloth(cfg, source, r, alpha, dropout, targets, init_adapter, for_grpo)
    return _load_peft(cfg, device, source, r, alpha, dropout, targets, init_adapter)


def _load_peft(cfg: RunConfig, device: str, source: str, r: int, alpha: int, dropout: float, targets: list[str],
               init_adapter: str | None) -> Loaded:
    import torch
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    kwargs: dict[str, Any] = {}
    if device == "cuda":
        kwargs["dtype"] = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        kwargs["device_map"] = {"": 0}
        if cfg.model.quantization != "none":
            from transformers import BitsAndBytesConfig

            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=cfg.model.quantization == "4bit", load_in_8bit=cfg.model.quantization == "8bit",
                bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=kwargs["dtype"], bnb_4bit_use_double_quant=True)
    else:
        kwargs["dtype"] = torch.float32
    try:
        tokenizer = AutoTokenizer.from_pretrained(source)
        model = AutoModelForCausalLM.from_pretrained(source, **kwargs)
    except OSError as exc:
        raise TrainingError(key="train_err_base_model", source=source, error=exc) from exc
    if cfg.model.quantization != "none" and device == "cuda":
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=cfg.model.gradient_checkpointing)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    trained: PeftModel
    if init_adapter:
        trained = PeftModel.from_pretrained(model, init_adapter, is_trainable=True)
    else:
        trained = get_peft_model(model, LoraConfig(r=r, lora_alpha=alpha, lora_dropout=dropout, target_modules=targets,
                                                   bias="none", task_type="CAUSAL_LM"))
    return Loaded(trained, tokenizer, device, "peft", source, r)


def _load_unsloth(cfg: RunConfig, source: str, r: int, alpha: int, dropout: float, targets: list[str],
                  init_adapter: str | None, for_grpo: bool) -> Loaded:
    from unsloth import FastLanguageModel

    kwargs: dict[str, Any] = dict(
        model_name=source, max_seq_length=cfg.model.max_seq_length, dtype=None,
        load_in_4bit=cfg.model.quantization == "4bit", load_in_8bit=cfg.model.quantization == "8bit",
    )
    if for_grpo and cfg.grpo.fast_inference:
        kwargs.update(fast_inference=True, max_lora_rank=r, gpu_memory_utilization=cfg.grpo.vllm_gpu_memory_utilization)
    model, tokenizer = FastLanguageModel.from_pretrained(**kwargs)
    model = FastLanguageModel.get_peft_model(
        model, r=r, target_modules=targets, lora_alpha=alpha, lora_dropout=dropout, bias="none",
        use_gradient_checkpointing="unsloth" if cfg.model.gradient_checkpointing else False,
        random_state=cfg.train.seed,
    )
    if init_adapter:
        from peft import set_peft_model_state_dict
        from safetensors.torch import load_file

        weights = Path(init_adapter) / "adapter_model.safetensors"
        result = set_peft_model_state_dict(model, load_file(str(weights)))
        unexpected = list(getattr(result, "unexpected_keys", []))
        if unexpected:
            raise TrainingError(key="train_err_adapter_mismatch", path=init_adapter, count=len(unexpected))
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return Loaded(model, tokenizer, "cuda", "unsloth", source, r)


def trainer_args(cfg: RunConfig, loaded: Loaded, output_dir: Path) -> dict[str, Any]:
    """The TrainingArguments shared by SFT and GRPO."""
    t = cfg.train
    args: dict[str, Any] = dict(
        output_dir=str(output_dir), learning_rate=t.learning_rate, max_steps=t.max_steps,
        num_train_epochs=t.num_train_epochs, per_device_train_batch_size=t.per_device_train_batch_size,
        gradient_accumulation_steps=t.gradient_accumulation_steps, warmup_steps=t.warmup_ratio,
        lr_scheduler_type=t.lr_scheduler_type, weight_decay=t.weight_decay, optim=t.optim,
        logging_steps=t.logging_steps, save_strategy="steps", save_steps=t.save_steps,
        save_total_limit=t.save_total_limit, seed=t.seed, data_seed=t.seed, report_to="none", disable_tqdm=True,
        dataloader_num_workers=0, use_cpu=loaded.device == "cpu",
        # unsloth applies its own checkpointing; PEFT uses the trainer's
        gradient_checkpointing=cfg.model.gradient_checkpointing and loaded.backend == "peft",
    )
    if loaded.device == "cuda":
        import torch

        bf16 = torch.cuda.is_bf16_supported()
        args.update(bf16=bf16, fp16=not bf16)
    else:
        args.update(bf16=False, fp16=False)
    return args

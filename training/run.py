"""The training process: ``python -m training.run --run-dir DIR [--resume]``.

Started by :mod:`training.launcher` (never through a shell). Reads ``config.yaml`` from the run folder,
builds the dataset, checks the memory plan, trains, saves the adapter and registers it as a model profile
(unless the run shows it learned nothing: then it ends as ``needs_attention`` with the reasons, see
:mod:`training.health`; nor when it was stopped before its last step: a part-trained adapter is registered only
on request), and keeps the run's row in the store up to date. SIGTERM or SIGINT stops it after the current step with a saved
checkpoint and adapter.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from core.store.run_records import MemoryUse, TrainingSummary, restart_summary
from training.config import RunConfig


def _say(text: str) -> None:
    print(f"[hirelab] {text}", flush=True)


def last_checkpoint(run_dir: Path) -> str | None:
    ckpts = sorted((run_dir / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]))
    return str(ckpts[-1]) if ckpts else None


def _init_adapter(cfg: RunConfig) -> str | None:
    """The adapter GRPO starts from (None for a fresh LoRA)."""
    from training.artifacts import resolve_adapter

    if cfg.kind != "grpo" or not cfg.grpo.init_adapter.strip():
        return None
    return str(resolve_adapter(cfg.grpo.init_adapter))


def _plan(cfg: RunConfig, run_dir: Path, device: str) -> dict[str, Any] | None:
    if device != "cuda":
        return None
    import torch

    from training.modeling import TrainingError
    from training.vram import Plan, WontFit, gate_plan

    total_gb = torch.cuda.get_device_properties(0).total_memory / 1024**3
    refused: WontFit | None = None
    try:
        gate = gate_plan(cfg, cfg.hardware.gpu_memory_gb or total_gb)
        p: Plan | None = gate.plan
    except WontFit as exc:  # kept next to the run and said in the log like any plan, then refused
        p, refused = exc.plan, exc
    if p is None:
        _say(f"memory plan skipped: {gate.skipped}")
        return None
    record = {"predicted": p.to_dict(), "gpu": torch.cuda.get_device_name(0), "gpu_total_gb": round(total_gb, 2)}
    (run_dir / "plan.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    _say(f"memory plan: {p.message}")
    if refused is not None:
        raise TrainingError.from_error(refused) from refused
    return record


def execute(cfg: RunConfig, run_dir: Path, resume: bool, flag: Any) -> TrainingSummary:
    """Train; return the run summary. Raises on failure (the caller records it)."""
    from training.artifacts import register_adapter, save_adapter
    from training.callbacks import MetricsToJsonl, StopOnSignal
    from training.dataset import build_dataset, check_report, load_built
    from training.dataset.build import MANIFEST
    from training.health import attention_reasons
    from training.metrics import read_metrics
    from training.modeling import TrainingError, load_for_training, resolve_device

    started = time.time()
    device = resolve_device(cfg)
    _say(f"{cfg.kind.upper()} run {run_dir.name} on {device}, model profile {cfg.model.profile!r}")
    data_dir = run_dir / "dataset"
    if resume and (data_dir / MANIFEST).is_file():  # resume on exactly the data the run started with
        built = load_built(data_dir, cfg.data.target_format)
    else:
        built = build_dataset(cfg.data)
        built.write(data_dir)
    report = check_report(built, max_seq_length=cfg.model.max_seq_length)
    _say(f"dataset: {report.train} train / {report.val} validation examples from {built.source} "
         f"(sha256 {built.content_hash()[:12]}); {len(report.problems)} bad row(s), {len(report.refused)} refused")
    for warning in report.warnings:
        _say(f"dataset warning: {warning}")
    plan_record = _plan(cfg, run_dir, device)
    init = _init_adapter(cfg)
    if init:
        _say(f"starting from adapter {init}")
    loaded = load_for_training(cfg, device, init_adapter=init, for_grpo=cfg.kind == "grpo")
    _say(f"model loaded from {loaded.base} ({loaded.backend}, LoRA r={loaded.lora_r})")
    resume_from = last_checkpoint(run_dir) if resume else None
    if resume:
        _say(f"resuming from {resume_from}" if resume_from else "no checkpoint to resume from: starting over")
    if flag.requested:
        return TrainingSummary(stopped_before_training=True, device=device)
    callbacks = [MetricsToJsonl(run_dir), StopOnSignal(flag)]
    if cfg.kind == "sft":
        from training.sft import train_sft

        trainer = train_sft(cfg, built, loaded, run_dir / "checkpoints", callbacks, resume_from)
    else:
        from training.grpo import train_grpo

        trainer = train_grpo(cfg, built, loaded, run_dir / "checkpoints", callbacks, resume_from)
    steps = int(trainer.state.global_step)
    generation = None
    if cfg.kind == "grpo":
        from training.grpo import generation_backend

        generation = generation_backend(loaded, cfg.grpo.fast_inference)
    if steps == 0:
        raise TrainingError(key="train_err_no_steps")
    meta = {"dataset_sha256": built.content_hash(), "dataset_source": built.source,
            "target_format": built.target_format, "prompt_version": _prompt_version(cfg), "steps": steps,
            "base_weights": loaded.base, "backend": loaded.backend, "device": device, "generation": generation,
            "stopped_early": bool(flag.requested), "init_adapter": init}
    adapter = save_adapter(loaded.model, loaded.tokenizer, run_dir, cfg, meta)
    attention = attention_reasons(read_metrics(run_dir), cfg)
    profile_name = None
    if attention:  # saved to look at, not offered to the other tabs until someone registers it on purpose
        for reason in attention:
            _say(f"needs attention: {reason}")
        _say(f"adapter saved to {adapter} but NOT registered as a model profile; register it on purpose with "
             f"`hirelab train register {run_dir.name}` or the Train tab")
    elif flag.requested:  # stopped before its last step: a part-trained adapter is offered only when asked for
        _say(f"adapter saved to {adapter} but NOT registered (the run was stopped after {steps} step(s)); resume it "
             f"with `hirelab train resume {run_dir.name}`, or register it on purpose with "
             f"`hirelab train register {run_dir.name}` or the Train tab")
    else:
        profile_name = register_adapter(run_dir.name, cfg, adapter).name
        _say(f"adapter saved to {adapter} and registered as model profile {profile_name!r}")
    last: dict[str, float | None] = {}
    for key in ("loss", "reward", "eval_loss"):
        value = next((h[key] for h in reversed(trainer.state.log_history) if key in h), None)
        last[key] = None if value is None else round(float(value), 4)
    memory = None
    if plan_record is not None:
        import torch

        plan_record["measured_peak_gb"] = round(torch.cuda.max_memory_allocated() / 1024**3, 2)
        plan_record["measured_reserved_gb"] = round(torch.cuda.max_memory_reserved() / 1024**3, 2)
        (run_dir / "plan.json").write_text(json.dumps(plan_record, indent=2), encoding="utf-8")
        memory = MemoryUse(plan_record["predicted"]["total_gb"], plan_record["measured_peak_gb"])
    return TrainingSummary(adapter=str(adapter), profile=profile_name, attention=tuple(attention), steps=steps,
                           device=device, generation=generation, dataset_sha256=built.content_hash(),
                           seconds=round(time.time() - started, 1),
                           stopped_early=bool(flag.requested), last_loss=last["loss"], last_reward=last["reward"],
                           last_eval_loss=last["eval_loss"], memory=memory)


def _prompt_version(cfg: RunConfig) -> str:
    """The version of the prompt the run trained on (a GRPO run may name another than the grading prompt)."""
    from core.prompts import load_prompt

    return load_prompt(cfg.grpo.prompt if cfg.kind == "grpo" else "grade").version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.run", description=__doc__)
    parser.add_argument("--run-dir", required=True, type=Path)
    parser.add_argument("--resume", action="store_true", help="continue from the run's last checkpoint")
    args = parser.parse_args(argv)
    run_dir: Path = args.run_dir.resolve()

    from core.store import get_store
    from training.callbacks import StopFlag
    from training.metrics import RESULT, write_result

    flag = StopFlag().install()
    store = get_store()
    run_id = run_dir.name
    (run_dir / RESULT).unlink(missing_ok=True)

    def finish(status: str, outcome: TrainingSummary) -> None:
        summary = outcome.to_json()
        write_result(run_dir, status, summary)
        if store.get_run(run_id) is None:
            store.save_run(run_id, "sft", run_id, status, {}, summary, str(run_dir))
        # the whole outcome: no key of an earlier one stays (even when the config could not be read), no pid
        store.set_run_status(run_id, status, restart_summary() | summary)
        _say(f"{status}: {json.dumps(summary, ensure_ascii=False)}")

    try:
        cfg = RunConfig.load(run_dir / "config.yaml")
    except Exception as exc:  # an unreadable config is recorded like any failure
        finish("failed", TrainingSummary(error=str(exc)))
        return 2
    if store.get_run(run_id) is None:  # started by hand, not through the launcher
        store.save_run(run_id, cfg.kind, cfg.name or run_id, "running", cfg.to_dict(), path=str(run_dir))
    # a resumed run starts from a clean summary: no stale error, attention or stopped_early from before
    store.set_run_status(run_id, "running", restart_summary(os.getpid()))
    try:
        summary = execute(cfg, run_dir, args.resume, flag)
    except BaseException as exc:  # noqa: BLE001 - every failure ends in the store, with the log kept
        traceback.print_exc()
        status = "stopped" if isinstance(exc, KeyboardInterrupt) else "failed"
        finish(status, TrainingSummary(error=f"{type(exc).__name__}: {str(exc) or type(exc).__name__}"))
        return 1
    from training.health import NEEDS_ATTENTION

    finish(NEEDS_ATTENTION if summary.attention else "stopped" if flag.requested else "completed", summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())

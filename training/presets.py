"""Named starting points for a run. The GPU presets are the reference study's settings on one T4."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from training.config import (
    ConfigError,
    DataSettings,
    GRPOSettings,
    HardwareSettings,
    LoraSettings,
    ModelSettings,
    RewardWeights,
    RunConfig,
    TrainSettings,
)


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    make: Callable[[], RunConfig]


def _t4_sft() -> RunConfig:
    return RunConfig(
        kind="sft",
        model=ModelSettings(profile="base", max_seq_length=2048, quantization="4bit", gradient_checkpointing=True),
        lora=LoraSettings(r=64, alpha=64, dropout=0.0),
        data=DataSettings(target_format="json"),
        train=TrainSettings(learning_rate=2e-4, num_train_epochs=2, per_device_train_batch_size=2,
                            gradient_accumulation_steps=4, optim="adamw_8bit", save_steps=50),
        hardware=HardwareSettings(device="cuda", gpu_memory_gb=16.0),
    )


def _t4_grpo() -> RunConfig:
    return RunConfig(
        kind="grpo",
        model=ModelSettings(profile="base", max_seq_length=1536, quantization="4bit", gradient_checkpointing=True),
        lora=LoraSettings(r=64, alpha=64, dropout=0.0),
        data=DataSettings(target_format="json"),
        train=TrainSettings(learning_rate=5e-6, max_steps=250, per_device_train_batch_size=1,
                            gradient_accumulation_steps=4, warmup_ratio=0.1, lr_scheduler_type="cosine",
                            optim="adamw_8bit", save_steps=25),
        grpo=GRPOSettings(num_generations=4, max_completion_length=512, beta=0.04, temperature=1.0,
                          rewards=RewardWeights(correctness=1.0, format=0.5), fast_inference=True,
                          vllm_gpu_memory_utilization=0.5),
        hardware=HardwareSettings(device="cuda", gpu_memory_gb=16.0),
    )


def _cpu_sft() -> RunConfig:
    return RunConfig(
        kind="sft",
        model=ModelSettings(profile="offline", max_seq_length=1280, quantization="none"),
        lora=LoraSettings(r=8, alpha=16, dropout=0.0),
        train=TrainSettings(learning_rate=5e-4, max_steps=6, per_device_train_batch_size=1,
                            gradient_accumulation_steps=1, warmup_ratio=0.0, optim="adamw_torch", save_steps=3,
                            save_total_limit=2, evaluate=False),
        hardware=HardwareSettings(device="cpu"),
    )


def _cpu_grpo() -> RunConfig:
    cfg = _cpu_sft()
    cfg.kind = "grpo"
    cfg.train = TrainSettings(learning_rate=1e-5, max_steps=2, per_device_train_batch_size=2,
                              gradient_accumulation_steps=1, warmup_ratio=0.0, optim="adamw_torch", save_steps=1,
                              save_total_limit=2)
    # the smoke task is short by design: a tag-format grade shown by worked examples (16 to 19 tokens with its
    # end token), which the bundled 135M model finishes; it never finishes the product's JSON grade (hundreds)
    cfg.grpo = GRPOSettings(prompt="grade_smoke", num_generations=2, max_completion_length=32, beta=0.04,
                            temperature=1.0, fast_inference=False)
    return cfg


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("t4-7b-sft", "T4 16 GB — 7B QLoRA SFT", _t4_sft),
        Preset("t4-7b-grpo", "T4 16 GB — 7B GRPO", _t4_grpo),
        Preset("cpu-smoke-sft", "CPU smoke test — SFT on the bundled model", _cpu_sft),
        Preset("cpu-smoke-grpo", "CPU smoke test — GRPO on the bundled model", _cpu_grpo),
    )
}


def preset(name: str) -> RunConfig:
    """A fresh config from a preset; ConfigError lists the known names."""
    if name not in PRESETS:
        raise ConfigError(key="cfg_err_no_preset", name=name, known=", ".join(PRESETS))
    return PRESETS[name].make().validate()

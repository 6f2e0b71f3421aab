"""A training run's summary (the ``summary`` JSON of a ``runs`` row of kind sft/grpo) as one typed record.

The training process, the launcher, the CLI, the Train tab and the analytics pages all read it through
:meth:`TrainingSummary.parse`, which accepts rows written by any earlier version (missing keys, wrong
types) without failing. The store merges what a writer gives into the stored summary; a key given as
``None`` is removed (see ``Store.set_run_status``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

TRAINING_KINDS = ("sft", "grpo")


@dataclass(frozen=True)
class MemoryUse:
    """GPU memory a CUDA run was predicted to need and what it measured at its peak (GB)."""

    predicted_gb: float
    measured_peak_gb: float


@dataclass(frozen=True)
class TrainingSummary:
    """What a training run reported: where it is, what it produced, and why it ended as it did."""

    pid: int | None = None  # the training process while it runs
    adapter: str | None = None  # the saved adapter folder
    profile: str | None = None  # the model profile it was registered as (none while it needs attention)
    error: str | None = None  # why it failed
    attention: tuple[str, ...] = ()  # why it needs attention (saved, not registered)
    stopped_early: bool = False  # asked to stop before its last step
    stopped_before_training: bool = False
    registered_on_request: bool = False
    steps: int | None = None
    device: str | None = None
    generation: str | None = None  # how a GRPO run generated its completions: vllm | transformers
    dataset_sha256: str | None = None
    seconds: float | None = None
    last_loss: float | None = None
    last_reward: float | None = None
    last_eval_loss: float | None = None
    memory: MemoryUse | None = None

    @classmethod
    def parse(cls, data: Any) -> TrainingSummary:
        """The record from stored JSON; unknown keys are ignored, unreadable values read as absent."""
        d = data if isinstance(data, dict) else {}
        mem = d.get("memory")
        memory = None
        if isinstance(mem, dict) and _float(mem.get("predicted_gb")) is not None \
                and _float(mem.get("measured_peak_gb")) is not None:
            memory = MemoryUse(float(mem["predicted_gb"]), float(mem["measured_peak_gb"]))
        attention = d.get("attention")
        return cls(pid=_int(d.get("pid")), adapter=_str(d.get("adapter")), profile=_str(d.get("profile")),
                   error=_str(d.get("error")),
                   attention=tuple(str(a) for a in attention) if isinstance(attention, (list, tuple)) else (),
                   stopped_early=d.get("stopped_early") is True,
                   stopped_before_training=d.get("stopped_before_training") is True,
                   registered_on_request=d.get("registered_on_request") is True, steps=_int(d.get("steps")),
                   device=_str(d.get("device")), generation=_str(d.get("generation")),
                   dataset_sha256=_str(d.get("dataset_sha256")),
                   seconds=_float(d.get("seconds")), last_loss=_float(d.get("last_loss")),
                   last_reward=_float(d.get("last_reward")), last_eval_loss=_float(d.get("last_eval_loss")),
                   memory=memory)

    def to_json(self) -> dict[str, Any]:
        """The stored form: only what is known (no ``None``, no empty reasons, no false flags)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == () or value is False:
                continue
            if isinstance(value, MemoryUse):
                value = {"predicted_gb": value.predicted_gb, "measured_peak_gb": value.measured_peak_gb}
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


def restart_summary(pid: int | None = None) -> dict[str, Any]:
    """What a (re)started training process writes: its pid, and every key of an earlier outcome removed
    (error, attention, stopped_early, the old adapter, profile and figures), so a resumed run never shows a
    stale reason."""
    return {f.name: None for f in fields(TrainingSummary)} | {"pid": pid}


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value) if isinstance(value, (int, float, str)) else None
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value) if isinstance(value, (int, float, str)) else None
    except ValueError:
        return None

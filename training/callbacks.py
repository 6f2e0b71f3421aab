"""Trainer callbacks of the training process: metrics to JSONL, and a clean stop on SIGTERM/SIGINT."""

from __future__ import annotations

import resource
import signal
import sys
import time
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from training.metrics import append_metrics


class StopFlag:
    """Set by SIGTERM or SIGINT; the trainer stops at the end of the current step and saves."""

    def __init__(self) -> None:
        self.requested = False
        self.signal_name = ""

    def install(self) -> "StopFlag":
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, _frame: Any) -> None:
        if self.requested:  # a second signal: give up on saving
            raise KeyboardInterrupt
        self.requested = True
        self.signal_name = signal.Signals(signum).name
        print(f"[hirelab] {self.signal_name} received: stopping after this step and saving the adapter", flush=True)


class StopOnSignal(TrainerCallback):
    def __init__(self, flag: StopFlag) -> None:
        self.flag = flag

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        if self.flag.requested:
            control.should_save = True
            control.should_log = True
            control.should_training_stop = True
        return control


def _rss_peak_gb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(peak / (1024**3 if sys.platform == "darwin" else 1024**2), 3)


class MetricsToJsonl(TrainerCallback):
    """One JSON line per log event: loss, rewards per function, learning rate, memory, step time."""

    def __init__(self, run_dir: Path, warn_clipped: float = 0.0) -> None:
        self.run_dir = run_dir
        self.warn_clipped = warn_clipped
        self._last_step = 0
        self._last_time = time.perf_counter()
        self._started = time.time()
        self._warned = False

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        self._last_step = state.global_step
        self._last_time = time.perf_counter()
        print(f"[hirelab] training: step {state.global_step} of {state.max_steps}", flush=True)
        return control

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        logs = logs or {}
        now = time.perf_counter()
        steps = max(1, state.global_step - self._last_step)
        row: dict[str, Any] = {"step": state.global_step, "epoch": round(float(state.epoch or 0), 4),
                               "time": round(time.time(), 3), "elapsed_s": round(time.time() - self._started, 2)}
        if state.global_step > self._last_step:
            row["step_seconds"] = round((now - self._last_time) / steps, 3)
            self._last_step, self._last_time = state.global_step, now
        for key, value in logs.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                row[key] = float(value)
        row.update(_memory())
        append_metrics(self.run_dir, row)
        clipped = row.get("completions/clipped_ratio")
        if clipped is not None and clipped > self.warn_clipped and not self._warned:
            self._warned = True
            print(f"[hirelab] warning: {clipped:.0%} of completions hit grpo.max_completion_length and were cut off; "
                  "cut-off completions earn zero reward. Raise grpo.max_completion_length.", flush=True)
        return control


def _memory() -> dict[str, float]:
    out = {"rss_peak_gb": _rss_peak_gb()}
    try:
        import torch

        if torch.cuda.is_available() and torch.cuda.is_initialized():
            out["gpu_peak_gb"] = round(torch.cuda.max_memory_allocated() / 1024**3, 3)
            out["gpu_reserved_gb"] = round(torch.cuda.max_memory_reserved() / 1024**3, 3)
    except Exception:  # memory figures are best effort
        pass
    return out

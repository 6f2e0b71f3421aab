"""A run's metrics file (JSON Lines, one object per logged step) and its log: written by the training
process, read by the CLI and the Train tab while the run goes on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The file's name and its reading live in core (the run charts read it too); read_metrics is named here as well.
from core.analytics.run_metrics import METRICS
from core.analytics.run_metrics import read_metrics as read_metrics

LOG = "train.log"
RESULT = "result.json"

def append_metrics(run_dir: Path, row: dict[str, Any]) -> None:
    with open(run_dir / METRICS, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        fh.flush()


STATUS_KEYS = ("loss", "reward", "learning_rate", "step_seconds", "completions/clipped_ratio", "eval_loss")


def latest(rows: list[dict[str, Any]], keys: tuple[str, ...] = STATUS_KEYS) -> dict[str, float]:
    """The last logged value of each metric (a metric such as eval_loss is not on every row)."""
    out: dict[str, float] = {}
    for key in keys:
        value = next((r[key] for r in reversed(rows) if isinstance(r.get(key), (int, float))), None)
        if value is not None:
            out[key] = float(value)
    return out


def last_step(rows: list[dict[str, Any]]) -> int:
    return max((int(r.get("step", 0)) for r in rows), default=0)


def files_signature(run_dir: Path | str) -> str:
    """Changes whenever the metrics file or the log grows: a cheap test for "anything new to show"."""
    return "|".join(str((Path(run_dir) / name).stat().st_size) if (Path(run_dir) / name).exists() else "0"
                    for name in (METRICS, LOG))


def log_tail(run_dir: Path | str, lines: int = 40, width: int = 0) -> str:
    """The last ``lines`` lines of the run's log, oldest first; with ``width``, longer lines are shortened."""
    path = Path(run_dir) / LOG
    if not path.exists():
        return ""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 64_000))
        text = fh.read().decode("utf-8", errors="replace")
    # progress bars rewrite one line with carriage returns; keep the last state of each line
    cleaned = [ln.rsplit("\r", 1)[-1] for ln in text.splitlines()]
    tail = cleaned[-lines:]
    if width:
        tail = [ln if len(ln) <= width else ln[: width - 1] + "…" for ln in tail]
    return "\n".join(tail)


def write_result(run_dir: Path, status: str, summary: dict[str, Any]) -> None:
    """The process's last word (final status and summary), kept next to the store's copy."""
    (run_dir / RESULT).write_text(json.dumps({"status": status, "summary": summary}, ensure_ascii=False, indent=2),
                                  encoding="utf-8")


def read_result(run_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((run_dir / RESULT).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and "status" in data else None

"""A training run's metrics file (JSON Lines, one object per logged step): its name and how it is read.
The training process writes it (training/metrics.py); the run charts and the Train tab read it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

METRICS = "metrics.jsonl"


def read_metrics(run_dir: Path | str) -> list[dict[str, Any]]:
    """Every complete line of the metrics file (a line being written is skipped)."""
    path = Path(run_dir) / METRICS
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict):
            rows.append(row)
    return rows


def reward_keys(rows: list[dict[str, Any]]) -> list[str]:
    """Per-function reward keys present in the rows (``rewards/<name>/mean``)."""
    keys = {k for r in rows for k in r if k.startswith("rewards/") and k.endswith("/mean")}
    return sorted(keys)


def series(rows: list[dict[str, Any]], key: str) -> tuple[list[int], list[float]]:
    """(steps, values) of one metric; rows without it are skipped."""
    steps, values = [], []
    for r in rows:
        v = r.get(key)
        if isinstance(v, (int, float)) and "step" in r:
            steps.append(int(r["step"]))
            values.append(float(v))
    return steps, values

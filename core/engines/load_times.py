"""How long loading each model took last time, so a progress message can say what to expect.

Kept as a small JSON file in HIRELAB_HOME (one number per loaded-engine key); nothing depends on it
being there.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.config import settings

FILE_NAME = "engine_load_seconds.json"


def _path() -> Path:
    return settings().home / FILE_NAME


def _read() -> dict[str, float]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in data.items() if isinstance(v, (int, float))} if isinstance(data, dict) else {}


def remember(key: tuple[str, ...], seconds: float) -> None:
    data = _read()
    data["|".join(key)] = round(seconds, 1)
    try:
        _path().parent.mkdir(parents=True, exist_ok=True)
        _path().write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:
        pass  # an estimate for next time is not worth failing a run for


def expected(key: tuple[str, ...]) -> float | None:
    """Seconds the last load of this engine took, or None when it was never loaded here."""
    return _read().get("|".join(key))

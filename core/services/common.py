"""Small pieces every service shares: cache keys, progress reporting, profile resolution."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

Progress = Callable[[float, str], None]


def cache_key(kind: str, *parts: object) -> str:
    """Stable key for a stored result: kind + profile + adapter + prompt version + input."""
    blob = json.dumps([kind, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), message)

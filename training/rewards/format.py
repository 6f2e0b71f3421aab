"""Format: is the completion a usable grade? (TRL reward style)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from training.rewards.common import completion_text, parse_grade

VALID = 1.0
JSON_BUT_INVALID = 0.25  # an object was written but does not match the grade schema
NOTHING = 0.0


def format_score(text: str) -> float:
    parsed = parse_grade(text)
    if parsed.kind in ("json", "tags"):
        return VALID
    return JSON_BUT_INVALID if parsed.wrong_object else NOTHING


def format_reward(completions: Sequence[Any], **kwargs: Any) -> list[float]:
    """1 for a valid grade (JSON object or <reasoning>…</reasoning><score>N</score>), 0.25 for an object that
    does not match the schema, 0 otherwise (a completion cut off at the length limit never parses)."""
    return [format_score(completion_text(c)) for c in completions]

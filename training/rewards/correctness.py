"""Correctness: how close the grade the completion states is to the reference score (TRL reward style)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from training.rewards.common import completion_text, parse_grade


def score_agreement(predicted: float | None, reference: float) -> float:
    """1.0 for the same score, falling linearly to 0.0 at the full 4-point distance; 0.0 with no score."""
    if predicted is None:
        return 0.0
    return max(0.0, 1.0 - abs(predicted - reference) / 4.0)


def correctness_reward(completions: Sequence[Any], reference_score: Sequence[float], **kwargs: Any) -> list[float]:
    """Agreement of each completion's overall score with the row's reference score (1–5)."""
    return [score_agreement(parse_grade(completion_text(c)).score, float(ref))
            for c, ref in zip(completions, reference_score)]

"""Verdicts come from scores: one banding function per scale, used by every engine and schema.

A model may write its own recommendation or verdict; it is kept beside the banded one (as
``model_recommendation`` / ``model_verdict``) and shown only when it disagrees, never used instead.
"""

from __future__ import annotations

from typing import Literal

Recommendation = Literal["advance", "consider", "decline"]
Verdict = Literal["strong", "acceptable", "weak", "unacceptable"]

# fit score 0–100: at least ADVANCE → advance, at least CONSIDER → consider, else decline
ADVANCE_FROM, CONSIDER_FROM = 70, 45
# answer grade 1–5 (mean of the criteria): the rubric's bands (assets/prompts/grade.yaml)
STRONG_FROM, ACCEPTABLE_FROM, WEAK_FROM = 4.5, 3.5, 2.0


def recommendation_for(match_score: float) -> Recommendation:
    """The recommendation band of a 0–100 fit score."""
    if match_score >= ADVANCE_FROM:
        return "advance"
    if match_score >= CONSIDER_FROM:
        return "consider"
    return "decline"


def verdict_for(overall: float) -> Verdict:
    """The verdict band of a 1–5 grade (the mean of the criterion scores)."""
    if overall >= STRONG_FROM:
        return "strong"
    if overall >= ACCEPTABLE_FROM:
        return "acceptable"
    if overall >= WEAK_FROM:
        return "weak"
    return "unacceptable"

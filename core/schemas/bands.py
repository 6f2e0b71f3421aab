"""Verdicts come from scores: one banding function per scale, used by every engine and schema.

A model may write its own recommendation or verdict; it is kept beside the banded one (as
``model_recommendation`` / ``model_verdict``) and shown only when it disagrees, never used instead.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

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


def band_follows_score(report: BaseModel, field: str, own: str, band: str, score: str) -> None:
    """Make ``report.<field>`` the ``band`` of its score (``score`` names it, e.g. "overall 3.5"). A different value
    given is the model's own (or an older stored report's): it is kept in ``report.<own>`` and the band takes its
    place; an explicit ``own`` beside a contradicting ``field`` is an error. The one validator of both scales."""
    given = getattr(report, field)
    if given != band:
        if own in report.model_fields_set:
            raise ValueError(f"{field} {given!r} contradicts {score} (band: {band!r})")
        setattr(report, own, given)
        setattr(report, field, band)
    elif own not in report.model_fields_set:
        setattr(report, own, given)


def verdict_for(overall: float) -> Verdict:
    """The verdict band of a 1–5 grade (the mean of the criterion scores)."""
    if overall >= STRONG_FROM:
        return "strong"
    if overall >= ACCEPTABLE_FROM:
        return "acceptable"
    if overall >= WEAK_FROM:
        return "weak"
    return "unacceptable"

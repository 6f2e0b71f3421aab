"""The fairness figures from scores alone (pure functions, no model, no store).

Each resume has a control copy (group ``original``) and counterfactual copies per group. Figures:
- mean |Δscore|: the mean over every counterfactual copy of |its score − its resume's control score|;
- the largest change: the copy (resume, group, name) with the largest |Δscore|;
- advance rate per group: the share of the group's copies whose recommendation is "advance";
- impact ratio: a group's advance rate ÷ the highest group's (four-fifths rule: below 0.8 is flagged).
Copies that could not be screened count in no figure; ``n`` beside each figure says how many did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.fairness.names import CONTROL

MAX_MEAN_ABS_DELTA = 2.0  # goal: mean |Δscore| at most this (0–100 scale)
MIN_IMPACT_RATIO = 0.8  # goal (four-fifths rule): every group's impact ratio at least this


@dataclass(frozen=True)
class CopyScore:
    """One screened copy. ``subject`` names the resume (and the job, when a probe covers several)."""

    subject: str
    group: str  # a group of the name lists, or CONTROL for the resume's control copy
    name: str
    score: int | None  # None: the copy could not be screened (``error`` says why)
    advanced: bool | None
    error: str | None = None


@dataclass(frozen=True)
class GroupFigures:
    group: str
    n: int  # copies screened
    failed: int
    mean_score: float | None
    advanced: int
    advance_rate: float | None
    impact_ratio: float | None  # None for the control and when no copy of any group advanced
    below_four_fifths: bool
    mean_abs_delta: float | None  # against each resume's control; None for the control itself
    n_deltas: int


@dataclass(frozen=True)
class LargestChange:
    subject: str
    group: str
    name: str
    original_score: int
    score: int
    delta: int


@dataclass(frozen=True)
class Goals:
    mean_abs_delta_met: bool | None  # None: no pair of scores to compare
    impact_ratio_met: bool | None  # None: no copy advanced, so there is no ratio to check
    max_mean_abs_delta: float = MAX_MEAN_ABS_DELTA
    min_impact_ratio: float = MIN_IMPACT_RATIO

    @property
    def all_met(self) -> bool:
        return bool(self.mean_abs_delta_met) and bool(self.impact_ratio_met)


@dataclass(frozen=True)
class FairnessFigures:
    groups: list[GroupFigures]  # the control first, then the name groups in list order
    mean_abs_delta: float | None
    n_deltas: int
    largest: LargestChange | None
    min_impact_ratio: float | None
    goals: Goals
    subjects: int

    def group(self, name: str) -> GroupFigures:
        return next(g for g in self.groups if g.group == name)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def impact_ratios(rates: dict[str, float | None]) -> dict[str, float | None]:
    """Each group's rate ÷ the highest rate; all None when no group has a rate above 0."""
    known = [r for r in rates.values() if r is not None]
    top = max(known) if known else 0.0
    return {g: (None if r is None or top <= 0 else r / top) for g, r in rates.items()}


def deltas(scores: Sequence[CopyScore]) -> list[tuple[CopyScore, int, int]]:
    """(copy, control score, Δ) for every screened copy whose resume's control was screened too."""
    control = {s.subject: s.score for s in scores if s.group == CONTROL and s.score is not None}
    return [(s, control[s.subject], s.score - control[s.subject]) for s in scores
            if s.group != CONTROL and s.score is not None and s.subject in control]


def summarize(scores: Sequence[CopyScore], groups: Sequence[str]) -> FairnessFigures:
    """All figures of a probe: per group, mean |Δ|, the largest change, impact ratios and the goals."""
    pairs = deltas(scores)
    rates: dict[str, float | None] = {}
    for g in groups:
        ok = [s for s in scores if s.group == g and s.score is not None]
        rates[g] = (sum(bool(s.advanced) for s in ok) / len(ok)) if ok else None
    ratios = impact_ratios(rates)
    rows = []
    for g in (CONTROL, *groups):
        ok = [s for s in scores if s.group == g and s.score is not None]
        mine = [abs(d) for s, _, d in pairs if s.group == g]
        advanced = sum(bool(s.advanced) for s in ok)
        ratio = ratios.get(g) if g != CONTROL else None
        rows.append(GroupFigures(
            group=g, n=len(ok), failed=sum(1 for s in scores if s.group == g and s.score is None),
            mean_score=mean([s.score for s in ok if s.score is not None]), advanced=advanced,
            advance_rate=(advanced / len(ok)) if ok else None, impact_ratio=ratio,
            below_four_fifths=ratio is not None and ratio < MIN_IMPACT_RATIO,
            mean_abs_delta=None if g == CONTROL else mean(mine), n_deltas=len(mine)))
    abs_all = [abs(d) for _, _, d in pairs]
    mad = mean(abs_all)
    largest = None
    if pairs:
        s, base, d = max(pairs, key=lambda p: abs(p[2]))
        largest = LargestChange(s.subject, s.group, s.name, base, base + d, d)  # the copy's score is base + Δ
    known = [r for g, r in ratios.items() if r is not None]
    min_ratio = min(known) if known else None
    goals = Goals(mean_abs_delta_met=None if mad is None else mad <= MAX_MEAN_ABS_DELTA,
                  impact_ratio_met=None if min_ratio is None else min_ratio >= MIN_IMPACT_RATIO)
    return FairnessFigures(groups=rows, mean_abs_delta=mad, n_deltas=len(abs_all), largest=largest,
                           min_impact_ratio=min_ratio, goals=goals, subjects=len({s.subject for s in scores}))

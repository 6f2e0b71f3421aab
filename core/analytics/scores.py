"""Fit-score distributions per job and per model profile, and the flags overview per job."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.analytics.data import AnalyticsData, FitFact
from core.analytics.funnel import latest_reports


@dataclass(frozen=True)
class ScoreStats:
    group: str  # a job title or a model profile
    n: int
    mean: float
    median: float
    sd: float | None  # None for a single score
    low: int
    high: int
    scores: tuple[int, ...]


@dataclass(frozen=True)
class FlagsRow:
    job_id: int
    job: str
    resumes: int
    with_red_flags: int  # resumes whose report names at least one red flag
    red_flags: int  # red flags named in all
    hidden_text: int  # resumes with hidden text (any flag kind but instruction-like text)
    instruction_text: int  # resumes with instruction-like text aimed at a model
    unverified: int  # resumes whose report has a quote not found in the resume


def score_stats(group: str, scores: Iterable[int]) -> ScoreStats:
    values = tuple(scores)
    if not values:
        raise ValueError(f"no scores for {group!r}")
    sd = statistics.stdev(values) if len(values) > 1 else None
    return ScoreStats(group, len(values), statistics.fmean(values), float(statistics.median(values)), sd,
                      min(values), max(values), values)


def _grouped(reports: list[FitFact], key: Callable[[FitFact], str]) -> list[ScoreStats]:
    groups: dict[str, list[int]] = {}
    for f in reports:
        groups.setdefault(key(f), []).append(f.score)
    return [score_stats(g, v) for g, v in groups.items()]


def scores_by_job(data: AnalyticsData, profile: str | None = None) -> list[ScoreStats]:
    """Each job's scores: the latest report per resume (of ``profile``, or of any profile)."""
    return _grouped(latest_reports(data.fits, profile), lambda f: data.job_title(f.job_id))


def scores_by_profile(data: AnalyticsData, job_id: int | None = None) -> list[ScoreStats]:
    """Each model profile's scores: its latest report per job and resume (of one job, or of all)."""
    by_profile = []
    for profile in data.profiles:
        reports = [f for f in latest_reports(data.fits, profile) if job_id is None or f.job_id == job_id]
        if reports:
            by_profile.append(score_stats(profile, [f.score for f in reports]))
    return by_profile


def flags_by_job(data: AnalyticsData) -> list[FlagsRow]:
    """Per job, how many resumes raised each kind of flag (latest report per resume, any profile)."""
    reports = latest_reports(data.fits)
    rows = []
    for job_id in sorted({f.job_id for f in reports}):
        mine = [f for f in reports if f.job_id == job_id]
        rows.append(FlagsRow(job_id, data.job_title(job_id), len(mine), sum(f.red_flags > 0 for f in mine),
                             sum(f.red_flags for f in mine), sum(f.hidden_text for f in mine),
                             sum(f.instruction_text for f in mine), sum(f.unverified_quotes > 0 for f in mine)))
    return rows


def flag_kinds(data: AnalyticsData) -> dict[str, int]:
    """How many resumes (latest report per job and resume) carry each kind of document flag, most common first."""
    seen: dict[str, set[str]] = {}
    for f in latest_reports(data.fits):
        for kind in f.doc_flags:
            seen.setdefault(kind, set()).add(f.resume)
    return dict(Counter({k: len(v) for k, v in seen.items()}).most_common())

"""The hiring funnel per job: resumes screened → advanced by the tool → decided by a person (advance/hold/reject)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.analytics.agreement import latest_decisions
from core.analytics.data import AnalyticsData, FitFact


@dataclass(frozen=True)
class FunnelRow:
    job_id: int
    job: str
    screened: int  # distinct resumes with a fit report for the job
    tool_advance: int  # of those, how many the tool recommends advancing (its latest report)
    tool_consider: int
    tool_decline: int
    decided: int  # distinct candidates a person decided on for the job (their latest decision)
    advance: int
    hold: int
    reject: int


def latest_reports(fits: Iterable[FitFact], profile: str | None = None) -> list[FitFact]:
    """The latest report per job and resume (of one model profile, or of any)."""
    latest: dict[tuple[int, str], FitFact] = {}
    for f in sorted(fits, key=lambda f: f.result_id):
        if profile is None or f.profile == profile:
            latest[(f.job_id, f.resume)] = f
    return sorted(latest.values(), key=lambda f: f.result_id)


def funnel(data: AnalyticsData, profile: str | None = None) -> list[FunnelRow]:
    """One row per job that has reports or decisions, in job order."""
    reports = latest_reports(data.fits, profile)
    decisions = latest_decisions(data.decisions)
    job_ids = sorted({f.job_id for f in reports} | {d.job_id for d in decisions if d.job_id is not None})
    rows = []
    for job_id in job_ids:
        recs = [f.recommendation for f in reports if f.job_id == job_id]
        made = [d.decision for d in decisions if d.job_id == job_id]
        rows.append(FunnelRow(job_id, data.job_title(job_id), len(recs), recs.count("advance"), recs.count("consider"),
                              recs.count("decline"), len(made), made.count("advance"), made.count("hold"),
                              made.count("reject")))
    return rows

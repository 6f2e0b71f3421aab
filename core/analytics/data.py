"""What the analytics pages count, read once from the store as plain frozen records.

Fit reports are ``results`` rows of kind ``fit`` (payload = FitReport JSON) keyed by job, document and model
profile; people's decisions are ``decisions`` rows; training runs are ``runs`` rows of kind ``sft``/``grpo``.
Everything after :func:`load` is a pure function of these records (core.analytics.funnel, .scores, .agreement).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.store import Store, get_store
from core.store.run_records import TRAINING_KINDS, TrainingSummary
from core.store.tables import CandidateLinkRow, DecisionRow, DocumentRow, JobRow, ResultRow

FIT_KIND = "fit"
INJECTION = "injection"  # the document flag for instruction-like text; every other flag kind is hidden text


@dataclass(frozen=True)
class Job:
    id: int
    title: str


@dataclass(frozen=True)
class FitFact:
    """One stored fit report: which resume, for which job, by which model profile, and what it said."""

    result_id: int
    job_id: int
    document_id: int | None
    subject: str  # the file name
    profile: str
    score: int
    recommendation: str  # advance | consider | decline (the band of the score)
    red_flags: int
    unverified_quotes: int
    doc_flags: tuple[str, ...] = ()  # kinds of hidden or instruction-like text found in the file

    @property
    def resume(self) -> str:
        """What makes two reports the same resume: the stored document, else the file name."""
        return f"doc:{self.document_id}" if self.document_id is not None else f"file:{self.subject}"

    @property
    def hidden_text(self) -> bool:
        return any(kind != INJECTION for kind in self.doc_flags)

    @property
    def instruction_text(self) -> bool:
        return INJECTION in self.doc_flags


@dataclass(frozen=True)
class DecisionFact:
    """A person's decision, with the tool's recommendation they were shown (None when none was shown)."""

    id: int
    candidate_id: int
    job_id: int | None
    decision: str  # advance | hold | reject
    tool_recommendation: str | None  # advance | consider | decline
    profile: str
    decided_by: str
    created_at: datetime | None = None


@dataclass(frozen=True)
class TrainingRun:
    id: str
    name: str
    kind: str  # sft | grpo
    status: str
    profile: str
    created_at: datetime | None
    steps: int | None
    last_loss: float | None
    last_reward: float | None
    adapter: str
    error: str
    path: str


@dataclass(frozen=True)
class AnalyticsData:
    jobs: tuple[Job, ...]
    fits: tuple[FitFact, ...]
    decisions: tuple[DecisionFact, ...]

    @property
    def empty(self) -> bool:
        return not self.fits and not self.decisions

    def job_title(self, job_id: int | None) -> str:
        return next((j.title for j in self.jobs if j.id == job_id), f"#{job_id}")

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(sorted({f.profile for f in self.fits}))


def load(store: Store | None = None) -> AnalyticsData:
    """Every successful fit report of a candidate (hiring records) for a job, every decision, and the jobs they name."""
    store = store or get_store()
    with store.session() as s:
        of_candidates = select(CandidateLinkRow.result_id).where(CandidateLinkRow.kind == FIT_KIND,
                                                                   CandidateLinkRow.result_id.is_not(None))
        q = (select(ResultRow).where(ResultRow.kind == FIT_KIND, ResultRow.ok.is_(True), ResultRow.job_id.is_not(None),
                                     ResultRow.id.in_(of_candidates))  # not a probe's or a benchmark's copies
             .order_by(ResultRow.id))
        screened = select(ResultRow.document_id).where(ResultRow.kind == FIT_KIND, ResultRow.document_id.is_not(None))
        docs = {d_id: _flag_kinds(data) for d_id, data in
                s.execute(select(DocumentRow.id, DocumentRow.data).where(DocumentRow.id.in_(screened)))}
        fits = []
        for row in s.scalars(q):
            fact = _fit_fact(row, docs.get(row.document_id, ()))
            if fact is not None:
                fits.append(fact)
        by_result = {f.result_id: f for f in fits}
        decisions = [_decision_fact(d, by_result) for d in s.scalars(select(DecisionRow).order_by(DecisionRow.id))]
        job_ids = {f.job_id for f in fits} | {d.job_id for d in decisions if d.job_id is not None}
        jobs = [Job(j.id, j.title) for j in s.scalars(select(JobRow).where(JobRow.id.in_(job_ids)).order_by(JobRow.id))]
    return AnalyticsData(tuple(jobs), tuple(fits), tuple(decisions))


def load_training_runs(store: Store | None = None, limit: int = 200) -> list[TrainingRun]:
    """Fine-tuning runs (SFT, GRPO), newest first, with what their summary says about them."""
    store = store or get_store()
    out = []
    for row in store.list_runs(TRAINING_KINDS, limit=limit):
        s, config = TrainingSummary.parse(row.summary), row.config or {}
        out.append(TrainingRun(
            id=row.id, name=row.name, kind=row.kind, status=row.status,
            profile=str(s.profile or config.get("profile") or ""), created_at=row.created_at,
            steps=s.steps, last_loss=s.last_loss, last_reward=s.last_reward, adapter=s.adapter or "",
            error=s.error or "", path=row.path or ""))
    return out


def _fit_fact(row: ResultRow, doc_flags: tuple[str, ...]) -> FitFact | None:
    payload = row.payload or {}
    score, rec = payload.get("match_score"), payload.get("recommendation")
    if not isinstance(score, (int, float)) or rec not in ("advance", "consider", "decline") or row.job_id is None:
        return None  # never count a report whose score cannot be read
    return FitFact(result_id=row.id, job_id=row.job_id, document_id=row.document_id, subject=row.subject,
                   profile=row.model_profile, score=int(score), recommendation=str(rec),
                   red_flags=len(payload.get("red_flags") or []), unverified_quotes=int(payload.get("unverified_quotes") or 0),
                   doc_flags=doc_flags)


def _decision_fact(row: DecisionRow, by_result: dict[int, FitFact]) -> DecisionFact:
    """The tool's recommendation is what the person was shown; failing that, the report the decision names."""
    shown = row.shown if isinstance(row.shown, dict) else {}
    rec = shown.get("recommendation")
    fit = by_result.get(row.result_id) if row.result_id is not None else None
    if rec not in ("advance", "consider", "decline"):
        rec = fit.recommendation if fit is not None else None
    profile = str(shown.get("model_profile") or shown.get("profile") or (fit.profile if fit else ""))
    return DecisionFact(id=row.id, candidate_id=row.candidate_id, job_id=row.job_id, decision=row.decision,
                        tool_recommendation=rec, profile=profile, decided_by=row.decided_by, created_at=row.created_at)


def _flag_kinds(data: Any) -> tuple[str, ...]:
    flags = data.get("flags") if isinstance(data, dict) else None
    return tuple(dict.fromkeys(str(f.get("kind")) for f in flags or [] if isinstance(f, dict) and f.get("kind")))

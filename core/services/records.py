"""Hiring records: candidates across jobs, their documents, fit reports, graded answers, questions and decisions.

Read side for the Candidates tab, the Streamlit pages and the CLI. Screening, grading and questions fill
the records as they run (core.store.records); a person's decisions are in core.services.decisions and
deletion in core.services.deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from core.bounds import check_text
from core.messages import LocalizedError
from core.schemas import FitReport
from core.schemas.grade import AnswerGrade
from core.services.owners import can_see, seen_by
from core.store import Store, get_store
from core.store.records import candidate_by_ref, links_of
from core.store.tables import (CandidateLinkRow, CandidateRow, DecisionRow, DocumentRow, InterviewAnswerRow,
                               InterviewRow, JobRow, ResultRow)

DECISION_FILTERS = ("advance", "hold", "reject", "none")


class RecordsError(LocalizedError):
    """A candidate or record asked for is not in the store; the message says how to find the right one."""


@dataclass(frozen=True)
class CandidateFilter:
    job_id: int | None = None
    min_score: int | None = None
    max_score: int | None = None
    decision: str | None = None  # "advance" | "hold" | "reject" | "none" (no decision yet)
    flagged: bool | None = None  # True: red flags or hidden/instruction-like text; False: none of them
    text: str = ""  # part of the name, email or ref (case-insensitive)


@dataclass(frozen=True)
class CandidateSummary:
    ref: str
    name: str
    jobs: tuple[str, ...]  # titles of the jobs they were screened for
    best_score: int | None  # the best fit score (for the filter's job when one is given)
    recommendation: str | None  # the tool's recommendation of that best report
    decision: str | None  # the latest person's decision (for the filter's job when one is given)
    red_flags: int  # red flags of that best report
    hidden_text: bool  # any of their documents has hidden or instruction-like text
    updated_at: datetime


@dataclass(frozen=True)
class JobSummary:
    id: int
    title: str
    screened: int  # candidates with a fit report for this job
    advanced: int  # candidates whose latest decision for this job is "advance"
    decided: int  # candidates with any decision for this job
    created_at: datetime


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    filename: str
    pages: int
    flags: int  # hidden or instruction-like text found in the file
    reason: str = ""  # why it is this candidate's (core.services.identity.REASONS)


@dataclass(frozen=True)
class FitEntry:
    result_id: int
    job_id: int | None
    job_title: str
    profile: str
    created_at: datetime
    report: FitReport


@dataclass(frozen=True)
class GradeEntry:
    result_id: int
    question: str
    profile: str
    created_at: datetime
    grade: AnswerGrade
    reason: str = ""  # why it is this candidate's (core.services.identity.REASONS)


@dataclass(frozen=True)
class DecisionInfo:
    id: int
    candidate_ref: str
    job_id: int | None
    job_title: str
    result_id: int | None
    decision: str  # advance | hold | reject
    reason: str
    decided_by: str
    shown: dict[str, Any]  # the tool's output the person saw: score, recommendation, profile, prompt version
    created_at: datetime


@dataclass(frozen=True)
class InterviewInfo:
    id: int
    token: str
    job_id: int | None
    status: str
    created_by: str
    expires_at: datetime
    submitted_at: datetime | None
    answers: int
    created_at: datetime


@dataclass(frozen=True)
class CandidateRecord:
    ref: str
    name: str
    email: str
    phone: str
    documents: tuple[DocumentInfo, ...]
    fits: tuple[FitEntry, ...]  # newest first
    grades: tuple[GradeEntry, ...]
    questions: tuple[dict[str, Any], ...]  # stored QuestionSet payloads
    decisions: tuple[DecisionInfo, ...]  # newest first
    interviews: tuple[InterviewInfo, ...]
    created_at: datetime
    updated_at: datetime


# ---------------------------------------------------------------------------------------------------------------
def _aware(at: datetime | None) -> datetime:
    """SQLite gives naive datetimes back; every time here is UTC."""
    if at is None:
        return datetime.min.replace(tzinfo=timezone.utc)
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _fit(payload: dict[str, Any] | None) -> FitReport | None:
    try:
        return FitReport.model_validate(payload) if payload else None
    except ValidationError:
        return None  # written by an older version: not shown, never guessed


def _grade(payload: dict[str, Any] | None) -> AnswerGrade | None:
    try:
        return AnswerGrade.model_validate(payload) if payload else None
    except ValidationError:
        return None


def _doc_flags(doc: DocumentRow) -> list[dict[str, Any]]:
    return list((doc.data or {}).get("flags") or [])


def _hidden(flags: list[dict[str, Any]]) -> bool:
    return bool(flags)  # every document flag is hidden, clipped, invisible or instruction-like text


def decision_info(row: DecisionRow, ref: str, job_title: str = "") -> DecisionInfo:
    return DecisionInfo(row.id, ref, row.job_id, job_title, row.result_id, row.decision, row.reason, row.decided_by,
                        dict(row.shown or {}), _aware(row.created_at))


def list_candidates(f: CandidateFilter = CandidateFilter(), store: Store | None = None,
                    owner: str = "") -> list[CandidateSummary]:
    """Candidates ``owner`` may see (core.services.owners) matching the filter, best score first (those without a
    report last), then newest."""
    store = store or get_store()
    if f.decision is not None and f.decision not in DECISION_FILTERS:
        raise RecordsError(key="rec_bad_decision_filter", value=f.decision, allowed=", ".join(DECISION_FILTERS))
    with store.session() as s:
        candidates = list(s.scalars(select(CandidateRow).where(seen_by(CandidateRow.owner, owner))))
        jobs = {j.id: j.title for j in s.scalars(select(JobRow))}
        links: dict[int, list[CandidateLinkRow]] = {}
        for link in s.scalars(select(CandidateLinkRow).order_by(CandidateLinkRow.id)):
            links.setdefault(link.candidate_id, []).append(link)
        fit_ids = {lk.result_id for ls in links.values() for lk in ls if lk.kind == "fit" and lk.result_id}
        results = {r.id: r for r in s.scalars(select(ResultRow).where(ResultRow.id.in_(fit_ids)))} if fit_ids else {}
        doc_ids = {lk.document_id for ls in links.values() for lk in ls if lk.kind == "document" and lk.document_id}
        flagged_docs = {d.id for d in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(doc_ids)))
                        if _hidden(_doc_flags(d))} if doc_ids else set()
        decisions: dict[int, list[DecisionRow]] = {}
        for d in s.scalars(select(DecisionRow).order_by(DecisionRow.created_at, DecisionRow.id)):
            decisions.setdefault(d.candidate_id, []).append(d)
    text = check_text("search", f.text).strip().lower()  # core.bounds
    out: list[CandidateSummary] = []
    for c in candidates:
        mine = links.get(c.id, [])
        if f.job_id is not None and not any(lk.job_id == f.job_id for lk in mine):
            continue
        if text and not any(text in v.lower() for v in (c.name, c.email, c.ref)):
            continue
        best: FitReport | None = None
        for lk in mine:
            if lk.kind != "fit" or lk.result_id not in results or (f.job_id is not None and lk.job_id != f.job_id):
                continue
            rep = _fit(results[lk.result_id].payload) if results[lk.result_id].ok else None
            if rep is not None and (best is None or rep.match_score > best.match_score):
                best = rep
        ds = [d for d in decisions.get(c.id, []) if f.job_id is None or d.job_id == f.job_id]
        decision = ds[-1].decision if ds else None
        hidden = any(lk.document_id in flagged_docs for lk in mine if lk.kind == "document")
        red = len(best.red_flags) if best else 0
        score = best.match_score if best else None
        if f.min_score is not None and (score is None or score < f.min_score):
            continue
        if f.max_score is not None and (score is None or score > f.max_score):
            continue
        if f.decision is not None and (decision or "none") != f.decision:
            continue
        if f.flagged is not None and (red > 0 or hidden) != f.flagged:
            continue
        titles = tuple(dict.fromkeys(jobs[lk.job_id] for lk in mine if lk.job_id in jobs))
        out.append(CandidateSummary(c.ref, c.name, titles, score, best.recommendation if best else None, decision,
                                    red, hidden, _aware(c.updated_at)))
    out.sort(key=lambda x: (x.best_score is None, -(x.best_score or 0), -x.updated_at.timestamp()))
    return out


def list_jobs(store: Store | None = None, owner: str = "") -> list[JobSummary]:
    """Every job with how many candidates were screened for it, advanced and decided on; newest first. A demo
    visitor (``owner``) sees only the jobs their own or the sample candidates were screened for, and counts them."""
    store = store or get_store()
    with store.session() as s:
        jobs = list(s.scalars(select(JobRow).order_by(JobRow.created_at.desc(), JobRow.id.desc())))
        seen = select(CandidateRow.id).where(seen_by(CandidateRow.owner, owner))
        screened: dict[int, set[int]] = {}
        for cid, jid in s.execute(select(CandidateLinkRow.candidate_id, CandidateLinkRow.job_id)
                                  .where(CandidateLinkRow.kind == "fit", CandidateLinkRow.job_id.is_not(None),
                                         CandidateLinkRow.candidate_id.in_(seen))):
            if jid is not None:
                screened.setdefault(jid, set()).add(cid)
        if owner:
            jobs = [j for j in jobs if j.id in screened]
        latest: dict[tuple[int, int], str] = {}
        for d in s.scalars(select(DecisionRow).where(DecisionRow.job_id.is_not(None), DecisionRow.candidate_id.in_(seen))
                           .order_by(DecisionRow.created_at, DecisionRow.id)):
            if d.job_id is not None:
                latest[(d.job_id, d.candidate_id)] = d.decision
    return [JobSummary(j.id, j.title, len(screened.get(j.id, ())),
                       sum(1 for (jid, _), v in latest.items() if jid == j.id and v == "advance"),
                       sum(1 for (jid, _) in latest if jid == j.id), _aware(j.created_at)) for j in jobs]


def candidate_record(ref: str, store: Store | None = None, owner: str = "") -> CandidateRecord:
    """One candidate's whole record. Raises RecordsError when no candidate ``owner`` may see has this ref."""
    store = store or get_store()
    with store.session() as s:
        c = candidate_by_ref(s, ref)
        if c is None or not can_see(c.owner, owner):
            raise RecordsError(key="rec_not_found", ref=(ref or "").strip())
        links = links_of(s, c.id)
        jobs = {j.id: j.title for j in s.scalars(select(JobRow))}
        doc_ids = list(dict.fromkeys(lk.document_id for lk in links if lk.kind == "document" and lk.document_id))
        docs = {d.id: d for d in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(doc_ids)))} if doc_ids else {}
        result_ids = list(dict.fromkeys(lk.result_id for lk in links if lk.result_id))
        results = {r.id: r for r in s.scalars(select(ResultRow).where(ResultRow.id.in_(result_ids)))} if result_ids else {}
        decision_rows = list(s.scalars(select(DecisionRow).where(DecisionRow.candidate_id == c.id)
                                       .order_by(DecisionRow.created_at.desc(), DecisionRow.id.desc())))
        interviews = []
        for iv in s.scalars(select(InterviewRow).where(InterviewRow.candidate_id == c.id, seen_by(InterviewRow.owner, owner))
                            .order_by(InterviewRow.id.desc())):
            n = len(list(s.scalars(select(InterviewAnswerRow.id).where(InterviewAnswerRow.interview_id == iv.id))))
            interviews.append(InterviewInfo(iv.id, iv.token, iv.job_id, iv.status, iv.created_by, _aware(iv.expires_at),
                                            _aware(iv.submitted_at) if iv.submitted_at else None, n, _aware(iv.created_at)))
        why = {lk.document_id: lk.reason for lk in links if lk.kind == "document" and lk.document_id}
        documents = tuple(DocumentInfo(d.id, d.filename, d.pages, len(_doc_flags(d)), why.get(d.id) or "")
                          for d in (docs[i] for i in doc_ids if i in docs))
        fits, grades, questions, seen = [], [], [], set()
        for lk in links:
            r = results.get(lk.result_id) if lk.result_id else None
            if r is None or not r.ok or r.id in seen:  # a result linked twice (for a job and without) shows once
                continue
            seen.add(r.id)
            if lk.kind == "fit" and (rep := _fit(r.payload)) is not None:
                fits.append(FitEntry(r.id, r.job_id, jobs.get(r.job_id, "") if r.job_id else "", r.model_profile,
                                     _aware(r.created_at), rep))
            elif lk.kind == "grade" and (g := _grade(r.payload)) is not None:
                grades.append(GradeEntry(r.id, g.question, r.model_profile, _aware(r.created_at), g, lk.reason or ""))
            elif lk.kind == "questions" and r.payload:
                questions.append(dict(r.payload))
        fits.sort(key=lambda e: e.created_at, reverse=True)
        return CandidateRecord(
            c.ref, c.name, c.email, c.phone, documents, tuple(fits), tuple(grades), tuple(questions),
            tuple(decision_info(d, c.ref, jobs.get(d.job_id, "") if d.job_id else "") for d in decision_rows),
            tuple(interviews), _aware(c.created_at), _aware(c.updated_at))

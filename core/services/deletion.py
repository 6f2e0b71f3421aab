"""Deleting a candidate on request (or by the retention setting): every row and stored file about them goes.

What goes: the candidate, their links, decisions, interviews and answers, their documents, every stored
result made from those documents or linked to them (and graded answers stored under their name), and exported
files under HIRELAB_HOME that name them. The batch-run items that pointed at those keep their place as blank
placeholders that only say "removed: its candidate was deleted" (core.services.runs), so a run, finished or
still going, tells how many of its items went and why; a finished run left with nothing else goes. What stays:
the jobs, other candidates, and an audit tombstone that holds only the random ref and counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import CursorResult, Executable, delete, false, func, or_, select, update
from sqlalchemy.orm import Session

from core.config import settings
from core.services.audit import audit
from core.services.candidate_access import owned_candidate
from core.services.runs import RUNNING, is_removed, removed_item
from core.store import Store, get_store
from core.store.tables import (CandidateLinkRow, CandidateRow, DecisionRow, DocumentRow, InterviewAnswerRow,
                               InterviewRow, ResultRow, RunItemRow, RunRow)

NAMED_KINDS = ("grade", "questions")  # results stored under the candidate's name (or file name) as subject


@dataclass(frozen=True)
class DeletionReport:
    ref: str
    documents: int
    results: int
    links: int
    decisions: int
    interviews: int
    run_items: int
    runs: int
    files: int

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if k != "ref"}


def _affected(s: Session, statement: Executable) -> int:
    """How many rows an UPDATE or DELETE changed."""
    result = s.execute(statement)
    return result.rowcount if isinstance(result, CursorResult) else 0


def _ids(s: Session, q: Any) -> set[int]:
    return {i for i in s.scalars(q) if i is not None}


def _delete_rows(s: Session, c: CandidateRow) -> tuple[DeletionReport, set[str]]:
    """Remove every row about candidate ``c``; returns the counts and the texts a stored file may hold of them."""
    links = list(s.scalars(select(CandidateLinkRow).where(CandidateLinkRow.candidate_id == c.id)))
    doc_ids = {lk.document_id for lk in links if lk.document_id is not None}
    docs = list(s.scalars(select(DocumentRow).where(DocumentRow.id.in_(doc_ids)))) if doc_ids else []
    result_ids = {lk.result_id for lk in links if lk.result_id is not None}
    if doc_ids:
        result_ids |= _ids(s, select(ResultRow.id).where(ResultRow.document_id.in_(doc_ids)))
    named_as = {t.strip().lower() for t in (c.name, *(d.filename for d in docs)) if t.strip()}
    if named_as:
        named = select(ResultRow.id).where(ResultRow.kind.in_(NAMED_KINDS), func.lower(ResultRow.subject).in_(named_as))
        others = select(CandidateLinkRow.result_id).where(CandidateLinkRow.candidate_id != c.id,
                                                          CandidateLinkRow.result_id.is_not(None))  # NOT IN meets no NULL
        result_ids |= _ids(s, named.where(ResultRow.id.not_in(others)))
    interview_ids = _ids(s, select(InterviewRow.id).where(InterviewRow.candidate_id == c.id))
    if interview_ids:
        result_ids |= _ids(s, select(InterviewAnswerRow.result_id).where(InterviewAnswerRow.interview_id.in_(interview_ids)))
    decision_ids = _ids(s, select(DecisionRow.id).where(DecisionRow.candidate_id == c.id))

    item_filter = []
    if doc_ids:
        item_filter.append(RunItemRow.document_id.in_(doc_ids))
    if result_ids:
        item_filter.append(RunItemRow.result_id.in_(result_ids))
    mine = [RunItemRow.run_id.in_(select(RunRow.id).where(RunRow.owner == c.owner))] if c.owner else []
    items = list(s.scalars(select(RunItemRow).where(or_(*item_filter), *mine))) if item_filter else []
    if c.owner:  # a demo visitor's deletion leaves what another visitor or the samples also hold to them
        doc_ids, result_ids = _unshared(s, c, doc_ids, result_ids)
    subjects = {i.subject for i in items}
    run_ids = {i.run_id for i in items}
    names = {c.name, c.email, c.phone, *(d.filename for d in docs), *(d.sha256 for d in docs), *subjects} - {""}

    # the items stay as placeholders saying why they went (a run going on now writes its next items beside them)
    n_items = _affected(s, update(RunItemRow).where(RunItemRow.id.in_([i.id for i in items]))
                        .values(**removed_item())) if items else 0
    n_links = _affected(s, delete(CandidateLinkRow).where(or_(
        CandidateLinkRow.candidate_id == c.id,
        CandidateLinkRow.result_id.in_(result_ids) if result_ids else false(),
        CandidateLinkRow.document_id.in_(doc_ids) if doc_ids else false())))
    n_dec = _affected(s, delete(DecisionRow).where(DecisionRow.id.in_(decision_ids))) if decision_ids else 0
    if result_ids:  # another candidate's decision never points at these, but keep the foreign keys whole
        s.execute(update(DecisionRow).where(DecisionRow.result_id.in_(result_ids)).values(result_id=None))
        s.execute(update(InterviewAnswerRow).where(InterviewAnswerRow.result_id.in_(result_ids))
                  .values(result_id=None))
    if interview_ids:
        s.execute(delete(InterviewAnswerRow).where(InterviewAnswerRow.interview_id.in_(interview_ids)))
        s.execute(delete(InterviewRow).where(InterviewRow.id.in_(interview_ids)))
    n_res = _affected(s, delete(ResultRow).where(ResultRow.id.in_(result_ids))) if result_ids else 0
    n_docs = _affected(s, delete(DocumentRow).where(DocumentRow.id.in_(doc_ids))) if doc_ids else 0
    n_runs = _tidy_runs(s, run_ids, names)
    s.delete(c)
    s.flush()
    return DeletionReport(c.ref, n_docs, n_res, n_links, n_dec, len(interview_ids), n_items, n_runs, 0), names


def _unshared(s: Session, c: CandidateRow, doc_ids: set[int], result_ids: set[int]) -> tuple[set[int], set[int]]:
    """Of a demo visitor's candidate's documents and results, those no candidate or run of another owner holds
    (visitors screen the same sample files, so a document and its cached report may be several owners')."""
    others = select(CandidateRow.id).where(CandidateRow.owner != c.owner)
    their_runs = select(RunRow.id).where(RunRow.owner != c.owner)
    held_docs = _ids(s, select(CandidateLinkRow.document_id).where(CandidateLinkRow.candidate_id.in_(others))) | _ids(
        s, select(RunItemRow.document_id).where(RunItemRow.run_id.in_(their_runs)))
    held_results = _ids(s, select(CandidateLinkRow.result_id).where(CandidateLinkRow.candidate_id.in_(others))) | _ids(
        s, select(RunItemRow.result_id).where(RunItemRow.run_id.in_(their_runs)))
    if held_docs:
        held_results |= _ids(s, select(ResultRow.id).where(ResultRow.document_id.in_(held_docs)))
    return doc_ids - held_docs, result_ids - held_results


def _tidy_runs(s: Session, run_ids: set[str], names: set[str]) -> int:
    """Finished runs left with no items but placeholders go; the others forget the candidate (best subject, a
    name in the run's title). A run still going is never removed under the process writing it."""
    gone = 0
    for run in s.scalars(select(RunRow).where(RunRow.id.in_(run_ids))) if run_ids else []:
        left = [i for i in s.scalars(select(RunItemRow).where(RunItemRow.run_id == run.id)) if not is_removed(i)]
        if not left and run.status != RUNNING:
            s.execute(delete(RunItemRow).where(RunItemRow.run_id == run.id))
            s.delete(run)
            gone += 1
            continue
        summary = dict(run.summary or {})
        if summary.get("best_subject") in names:
            summary["best_subject"], summary["best_score"] = "", None
            run.summary = summary
        for text in names:
            if text and text in run.name:
                run.name = run.name.replace(text, "…")
    return gone


def _delete_files(ref: str, texts: set[str]) -> int:
    """Exported files under HIRELAB_HOME that name the candidate (by ref, name or email) are removed."""
    home = settings().home
    folder = home / "exports"
    if not folder.is_dir():
        return 0
    needles = [t for t in {ref, *texts} if t and len(t) >= 4]
    removed = 0
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix.lower() not in (".csv", ".json", ".jsonl", ".txt"):
            continue
        try:
            body = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if any(n in body for n in needles):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def delete_candidate(ref: str, actor: str, store: Store | None = None, *, action: str = "delete",
                     owner: str = "") -> DeletionReport:
    """Remove the candidate ``ref`` and everything about them; the audit log keeps a tombstone (ref and counts).
    A demo visitor (``owner``) deletes only their own candidates (core.services.candidate_access)."""
    store = store or get_store()
    with store.session() as s:
        c = owned_candidate(s, ref, owner)
        report, texts = _delete_rows(s, c)
    files = _delete_files(report.ref, {t for t in texts if len(t) >= 4})
    report = DeletionReport(**{**report.__dict__, "files": files})
    audit(action, actor=(actor or "").strip() or "unknown", candidate_ref=report.ref, detail=report.counts(), store=store)
    return report


def apply_retention(days: int | None = None, actor: str = "retention", store: Store | None = None) -> int:
    """Delete every candidate not updated for ``days`` (default: HIRELAB_RETENTION_DAYS; off when unset).
    Returns how many were deleted."""
    days = settings().retention_days if days is None else days
    if days is None or days < 0:
        return 0
    store = store or get_store()
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    with store.session() as s:
        refs = [ref for ref, at in s.execute(select(CandidateRow.ref, CandidateRow.updated_at))
                if (at if at.tzinfo else at.replace(tzinfo=timezone.utc)) < cutoff]
    for ref in refs:
        delete_candidate(ref, actor, store, action="retention_delete")
    return len(refs)


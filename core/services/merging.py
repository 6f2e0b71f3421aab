"""A person corrects who is who: merge two candidates into one, or split a document off into a new candidate.

Both are audit-logged (``merge``, ``split``: who, the refs, counts) and leave their reason on every link they
move, so the record says the link is a person's doing. Matching never undoes them: the same file screened
again goes where its document now is (core.services.identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from core.messages import LocalizedError
from core.services.audit import audit
from core.services.candidate_access import owned_candidate
from core.services.identity import refresh, remember, resume_evidence
from core.store import Store, get_store
from core.store.records import new_ref
from core.store.tables import CandidateLinkRow, CandidateRow, DecisionRow, DocumentRow, InterviewRow


class MergeError(LocalizedError):
    """A merge or split that cannot be done; the message says what to do instead."""


@dataclass(frozen=True)
class MergeReport:
    ref: str  # the candidate kept (merge) or made (split)
    other: str  # the candidate merged away (merge) or split from (split)
    links: int
    decisions: int
    interviews: int


def _same_link(s, row: CandidateLinkRow, candidate_id: int) -> bool:  # noqa: ANN001 (a Session)
    q = select(CandidateLinkRow.id).where(
        CandidateLinkRow.candidate_id == candidate_id, CandidateLinkRow.kind == row.kind,
        CandidateLinkRow.document_id.is_(None) if row.document_id is None else CandidateLinkRow.document_id == row.document_id,
        CandidateLinkRow.result_id.is_(None) if row.result_id is None else CandidateLinkRow.result_id == row.result_id,
        CandidateLinkRow.job_id.is_(None) if row.job_id is None else CandidateLinkRow.job_id == row.job_id)
    return s.scalar(q.limit(1)) is not None


def merge_candidates(keep: str, other: str, by: str, owner: str = "", store: Store | None = None) -> MergeReport:
    """Move everything of candidate ``other`` (documents, reports, grades, questions, decisions, interviews) to
    ``keep`` and remove ``other``. ``by`` is the person's name (required: the audit log records it)."""
    store = store or get_store()
    by = " ".join((by or "").split())
    if not by:
        raise MergeError(key="id_err_by")
    if (keep or "").strip() == (other or "").strip():
        raise MergeError(key="id_err_same", ref=(keep or "").strip())
    with store.session() as s:
        a, b = owned_candidate(s, keep, owner), owned_candidate(s, other, owner)
        moved = 0
        for row in list(s.scalars(select(CandidateLinkRow).where(CandidateLinkRow.candidate_id == b.id))):
            if _same_link(s, row, a.id):
                s.delete(row)
            else:
                row.candidate_id, row.reason = a.id, "merge"
                moved += 1
        decisions = list(s.scalars(select(DecisionRow).where(DecisionRow.candidate_id == b.id)))
        interviews = list(s.scalars(select(InterviewRow).where(InterviewRow.candidate_id == b.id)))
        for decision in decisions:
            decision.candidate_id = a.id
        for interview in interviews:
            interview.candidate_id = a.id
        data, theirs = dict(a.data or {}), dict(b.data or {})
        for key, limit in (("emails", 20), ("phones", 20), ("names", 10)):
            mine = list(data.get(key) or [])
            data[key] = [*mine, *(v for v in theirs.get(key) or [] if v not in mine)][:limit]
        for key in ("email", "phone"):
            if not getattr(a, key) and getattr(b, key):
                setattr(a, key, getattr(b, key))
        if data.get("name_source") in (None, "", "file") and theirs.get("name_source") not in (None, "", "file") and b.name:
            a.name, data["name_source"] = b.name, theirs.get("name_source")
        data["merged"] = [*(data.get("merged") or []), b.ref][-20:]
        a.data, a.updated_at = data, datetime.now(timezone.utc)
        s.flush()
        s.delete(b)
        report = MergeReport(a.ref, b.ref, moved, len(decisions), len(interviews))
    audit("merge", actor=by[:120], candidate_ref=report.ref, store=store,
          detail={"merged": report.other, "links": report.links, "decisions": report.decisions,
                  "interviews": report.interviews})
    return report


def split_document(ref: str, document: str | int, by: str, owner: str = "", store: Store | None = None) -> MergeReport:
    """Move one document of candidate ``ref`` (its id, or its file name), with the reports and questions made
    from it, to a new candidate named from that document. Refused for a candidate's only document."""
    store = store or get_store()
    by = " ".join((by or "").split())
    if not by:
        raise MergeError(key="id_err_by")
    with store.session() as s:
        c = owned_candidate(s, ref, owner)
        links = list(s.scalars(select(CandidateLinkRow).where(CandidateLinkRow.candidate_id == c.id)))
        doc_ids = list(dict.fromkeys(lk.document_id for lk in links if lk.kind == "document" and lk.document_id))
        docs = {d.id: d for d in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(doc_ids)))} if doc_ids else {}
        wanted = str(document).strip()
        doc = next((d for d in docs.values() if str(d.id) == wanted or d.filename == wanted), None)
        if doc is None:
            raise MergeError(key="id_err_no_document", ref=c.ref, document=wanted[:80],
                             documents=", ".join(d.filename for d in docs.values())[:300] or "-")
        if len(docs) < 2:
            raise MergeError(key="id_err_only_document", ref=c.ref)
        ev = resume_evidence(doc.id, doc.filename, doc.text, (doc.data or {}).get("facts"))
        new = CandidateRow(ref=new_ref(), name="", email="", phone="", data={}, owner=c.owner)
        s.add(new)
        s.flush()
        remember(new, ev)
        moved_results: set[int] = set()
        moved = 0
        for lk in links:
            if lk.document_id == doc.id:
                lk.candidate_id, lk.reason = new.id, "split"
                moved += 1
                if lk.result_id:
                    moved_results.add(lk.result_id)
        decisions = list(s.scalars(select(DecisionRow).where(DecisionRow.candidate_id == c.id,
                                                             DecisionRow.result_id.in_(moved_results)))) if moved_results else []
        for d in decisions:
            d.candidate_id = new.id
        s.flush()
        refresh(s, c)  # the candidate split from is known only by the documents they keep
        report = MergeReport(new.ref, c.ref, moved, len(decisions), 0)
    audit("split", actor=by[:120], candidate_ref=report.other, store=store,
          detail={"new": report.ref, "links": report.links, "decisions": report.decisions})
    return report


__all__ = ["MergeError", "MergeReport", "merge_candidates", "split_document"]

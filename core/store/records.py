"""Hiring-record queries: finding or creating a candidate, and linking their documents and results.

A candidate is the same person when the resume names the same email or phone; else when it is the same
file (document hash); else a new candidate. Graded answers find their candidate by name (case-insensitive).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.store.db import Store
from core.store.tables import CandidateLinkRow, CandidateRow, DocumentRow

LINK_KINDS = ("document", "fit", "grade", "questions")


@dataclass(frozen=True)
class CandidateKey:
    id: int
    ref: str


def new_ref() -> str:
    """A random public reference (never derived from personal data)."""
    return "c" + secrets.token_hex(6)


def phone_key(phone: str) -> str:
    """The last ten digits: +7 916 …, 8 (916) … and 916-… are one number."""
    return re.sub(r"\D", "", phone or "")[-10:]


def _touch(row: CandidateRow) -> None:
    row.updated_at = datetime.now(timezone.utc)


def _find_by_contacts(s: Session, emails: list[str], phones: list[str], owner: str = "") -> CandidateRow | None:
    wanted = [e.strip().lower() for e in emails if e.strip()]
    if wanted:
        row = s.scalar(select(CandidateRow).where(func.lower(CandidateRow.email).in_(wanted), CandidateRow.owner == owner)
                       .order_by(CandidateRow.id))
        if row is not None:
            return row
    keys = {phone_key(p) for p in phones if len(phone_key(p)) >= 7}
    if keys:
        for row in s.scalars(select(CandidateRow).where(CandidateRow.phone != "", CandidateRow.owner == owner)
                             .order_by(CandidateRow.id)):
            if phone_key(row.phone) in keys:
                return row
    return None


def _find_by_document(s: Session, document_id: int, owner: str = "") -> CandidateRow | None:
    q = (select(CandidateRow).join(CandidateLinkRow, CandidateLinkRow.candidate_id == CandidateRow.id)
         .where(CandidateLinkRow.document_id == document_id, CandidateRow.owner == owner).order_by(CandidateRow.id).limit(1))
    return s.scalar(q)


def candidate_for_document(store: Store, document_id: int, name: str, emails: list[str], phones: list[str],
                           job_id: int | None = None, owner: str = "") -> CandidateKey:
    """The candidate a stored resume belongs to (found or created), with the document linked to them. Only
    candidates of ``owner`` are matched (a demo visitor's, or the team's: core.services.owners)."""
    with store.session() as s:
        row = _find_by_contacts(s, emails, phones, owner) or _find_by_document(s, document_id, owner)
        if row is None:
            row = CandidateRow(ref=new_ref(), name=name[:200], email=(emails[0] if emails else "")[:200],
                               phone=(phones[0] if phones else "")[:64], data={}, owner=owner)
            s.add(row)
            s.flush()
        else:
            if not row.name and name:
                row.name = name[:200]
            if not row.email and emails:
                row.email = emails[0][:200]
            if not row.phone and phones:
                row.phone = phones[0][:64]
            _touch(row)
        _link(s, row.id, "document", document_id=document_id, job_id=job_id)
        return CandidateKey(row.id, row.ref)


def candidate_named(store: Store, name: str, owner: str = "") -> CandidateKey | None:
    """The candidate of ``owner`` with this name (case-insensitive; the oldest if several), created when none; None
    for no name."""
    name = " ".join((name or "").split())
    if not name:
        return None
    with store.session() as s:
        row = s.scalar(select(CandidateRow).where(func.lower(CandidateRow.name) == name.lower(),
                                                  CandidateRow.owner == owner).order_by(CandidateRow.id))
        if row is None:
            row = CandidateRow(ref=new_ref(), name=name[:200], email="", phone="", data={}, owner=owner)
            s.add(row)
            s.flush()
        return CandidateKey(row.id, row.ref)


def candidate_for_text(store: Store, text: str, owner: str = "") -> tuple[CandidateKey, int] | None:
    """The candidate of ``owner`` whose stored resume has exactly this text, with that document's id (None when none)."""
    text = (text or "").strip()
    if not text:
        return None
    with store.session() as s:
        for doc_id in s.scalars(select(DocumentRow.id).where(DocumentRow.text.in_([text, text + "\n"])).order_by(DocumentRow.id)):
            row = _find_by_document(s, doc_id, owner)
            if row is not None:
                return CandidateKey(row.id, row.ref), doc_id
    return None


def link(store: Store, candidate_id: int, kind: str, *, document_id: int | None = None, result_id: int | None = None,
         job_id: int | None = None) -> None:
    """Link a document or stored result to a candidate (once: the same link twice is kept once)."""
    with store.session() as s:
        _link(s, candidate_id, kind, document_id=document_id, result_id=result_id, job_id=job_id)
        row = s.get(CandidateRow, candidate_id)
        if row is not None:
            _touch(row)


def _link(s: Session, candidate_id: int, kind: str, *, document_id: int | None = None, result_id: int | None = None,
          job_id: int | None = None) -> None:
    if kind not in LINK_KINDS:
        raise ValueError(f"unknown link kind {kind!r}; one of {', '.join(LINK_KINDS)}")
    # NULLs never collide in a unique constraint, so the guard is here
    q = select(CandidateLinkRow.id).where(
        CandidateLinkRow.candidate_id == candidate_id, CandidateLinkRow.kind == kind,
        CandidateLinkRow.document_id.is_(None) if document_id is None else CandidateLinkRow.document_id == document_id,
        CandidateLinkRow.result_id.is_(None) if result_id is None else CandidateLinkRow.result_id == result_id,
        CandidateLinkRow.job_id.is_(None) if job_id is None else CandidateLinkRow.job_id == job_id)
    if s.scalar(q.limit(1)) is None:
        s.add(CandidateLinkRow(candidate_id=candidate_id, kind=kind, document_id=document_id, result_id=result_id,
                               job_id=job_id))
        s.flush()


def candidate_by_ref(s: Session, ref: str) -> CandidateRow | None:
    return s.scalar(select(CandidateRow).where(CandidateRow.ref == (ref or "").strip()))


def links_of(s: Session, candidate_id: int) -> list[CandidateLinkRow]:
    return list(s.scalars(select(CandidateLinkRow).where(CandidateLinkRow.candidate_id == candidate_id)
                          .order_by(CandidateLinkRow.id)))


def as_dict(row: Any) -> dict[str, Any]:
    return {c.name: getattr(row, c.name) for c in row.__table__.columns}

"""Hiring-record queries: linking a candidate's documents and results, and finding a candidate by reference.

Who a document or answer belongs to is decided in core.services.identity (which uses these helpers).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.store.db import Store
from core.store.tables import CandidateLinkRow, CandidateRow

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


def link(store: Store, candidate_id: int, kind: str, *, document_id: int | None = None, result_id: int | None = None,
         job_id: int | None = None, reason: str = "") -> None:
    """Link a document or stored result to a candidate (once: the same link twice is kept once); ``reason`` is the
    evidence code that tied them (core.services.identity)."""
    with store.session() as s:
        _link(s, candidate_id, kind, document_id=document_id, result_id=result_id, job_id=job_id, reason=reason)
        row = s.get(CandidateRow, candidate_id)
        if row is not None:
            _touch(row)


def _link(s: Session, candidate_id: int, kind: str, *, document_id: int | None = None, result_id: int | None = None,
          job_id: int | None = None, reason: str = "") -> None:
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
                               job_id=job_id, reason=(reason or "")[:200]))
        s.flush()


def candidate_by_ref(s: Session, ref: str) -> CandidateRow | None:
    return s.scalar(select(CandidateRow).where(CandidateRow.ref == (ref or "").strip()))


def links_of(s: Session, candidate_id: int) -> list[CandidateLinkRow]:
    return list(s.scalars(select(CandidateLinkRow).where(CandidateLinkRow.candidate_id == candidate_id)
                          .order_by(CandidateLinkRow.id)))


def as_dict(row: Any) -> dict[str, Any]:
    return {c.name: getattr(row, c.name) for c in row.__table__.columns}

"""The audit log: one append-only row per screening, grading, decision, export, deletion, merge and split.

Who, when, what, with which model profile and prompt version, on which input (by its sha256 only). The
log never holds personal data: a candidate appears only by their random ``ref`` and ``detail`` holds codes
and counts. There is deliberately no function here (or anywhere) that changes or removes a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from core.store import Store, get_store
from core.store.tables import AuditRow

ACTIONS = ("screen", "grade", "questions", "decision", "export", "delete", "retention_delete",
           "interview_create", "interview_submit", "merge", "split")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    candidate_ref: str
    job_id: int | None
    run_id: str
    model_profile: str
    prompt_version: str
    input_hash: str
    detail: dict[str, Any] = field(default_factory=dict)


def _plain(detail: dict[str, Any] | None) -> dict[str, Any]:
    """Codes and counts only: numbers, booleans, short codes (no free text that could carry a name)."""
    out: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if isinstance(value, bool) or isinstance(value, (int, float)) or value is None:
            out[str(key)] = value
        elif isinstance(value, str) and len(value) <= 40 and " " not in value and "@" not in value:
            out[str(key)] = value
        else:
            raise ValueError(f"audit detail {key!r} must be a number, a flag or a short code, not {type(value).__name__}")
    return out


def audit(action: str, *, actor: str = "", candidate_ref: str = "", job_id: int | None = None, run_id: str = "",
          model_profile: str = "", prompt_version: str = "", input_hash: str = "",
          detail: dict[str, Any] | None = None, store: Store | None = None) -> None:
    """Append one row to the audit log."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; one of {', '.join(ACTIONS)}")
    store = store or get_store()
    with store.session() as s:
        s.add(AuditRow(action=action, actor=actor[:120], candidate_ref=candidate_ref[:32], job_id=job_id,
                       run_id=run_id[:64], model_profile=model_profile[:120], prompt_version=prompt_version[:64],
                       input_hash=input_hash[:64], detail=_plain(detail)))


def list_audit(limit: int = 200, action: str | None = None, candidate_ref: str | None = None,
               store: Store | None = None) -> list[AuditEntry]:
    """The newest audit rows first, optionally of one action or about one candidate."""
    store = store or get_store()
    with store.session() as s:
        q = select(AuditRow)
        if action is not None:
            q = q.where(AuditRow.action == action)
        if candidate_ref is not None:
            q = q.where(AuditRow.candidate_ref == candidate_ref)
        rows = s.scalars(q.order_by(AuditRow.id.desc()).limit(max(1, limit)))
        return [AuditEntry(r.id, r.at if r.at.tzinfo else r.at.replace(tzinfo=timezone.utc), r.actor, r.action,
                           r.candidate_ref, r.job_id, r.run_id, r.model_profile,
                           r.prompt_version, r.input_hash, dict(r.detail or {})) for r in rows]

"""A person's decision on a candidate: advance, hold or reject, with a reason, by a named user.

The tool's recommendation is kept beside the decision (what the person was shown), never turned into one:
nothing in hirelab records a decision except ``record_decision`` called with a person's name and reason.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import select

from core.config import settings
from core.bounds import check_texts
from core.messages import LocalizedError
from core.services.audit import audit
from core.schemas import FitReport
from core.services.records import CandidateRecord, DecisionInfo, decision_info
from core.store import Store, get_store
from core.services.candidate_access import owned_candidate
from core.services.owners import seen_by
from core.store.tables import CandidateLinkRow, CandidateRow, DecisionRow, JobRow, ResultRow

DECISIONS = ("advance", "hold", "reject")
EXPORT_COLUMNS = ["decided_at", "candidate_ref", "candidate", "job_id", "job_title", "decision", "reason", "decided_by",
                  "shown_score", "shown_recommendation", "shown_profile", "shown_prompt_version"]

__all__ = ["DECISIONS", "DecisionError", "DecisionInfo", "export_decisions", "list_decisions", "parse_shown",
           "record_decision", "shown_token"]


class DecisionError(LocalizedError):
    """A decision cannot be recorded (no reason, no name, unknown decision); the message says what to give."""


SQLITE_MAX_ID = 2**63 - 1  # the largest id a store's integer column holds


def _job_in_range(job_id: int | None) -> None:
    """A job id no store can hold (0, negative, 23 digits) is an unknown job, said so (not an OverflowError)."""
    if job_id is not None and not 0 < job_id <= SQLITE_MAX_ID:
        raise DecisionError(key="dec_no_job", job_id=job_id)


def report_digest(report: FitReport | dict[str, Any] | None) -> str:
    """A short fingerprint of a fit report's content (as the record shows it): a report rewritten in place
    reads differently."""
    if isinstance(report, dict):
        try:
            report = FitReport.model_validate(report)
        except ValidationError:
            pass
    data = report.model_dump(mode="json") if isinstance(report, FitReport) else (report or {})
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def shown_token(result_id: int, report: FitReport | dict[str, Any] | None) -> str:
    """What a page keeps of a report it shows, to send back with a decision: its id and fingerprint."""
    return f"{result_id}:{report_digest(report)}"


def shown_for_record(rec: CandidateRecord) -> dict[str, str]:
    """Job id (as text) -> the token of the report a candidate's record shows as current for that job (its
    newest); the page sends it back with a decision for that job."""
    shown: dict[str, str] = {}
    for fit in rec.fits:  # newest first
        if fit.job_id is not None:
            shown.setdefault(str(fit.job_id), shown_token(fit.result_id, fit.report))
    return shown


def parse_shown(token: str | None) -> tuple[int | None, str | None]:
    """(result id, fingerprint) of a token from ``shown_token``; (None, None) for none."""
    head, _, digest = (token or "").partition(":")
    return (int(head), digest or None) if head.strip().isdigit() else (None, None)


def _latest_fit(s: Any, candidate_id: int, job_id: int | None) -> ResultRow | None:
    q = (select(ResultRow).join(CandidateLinkRow, CandidateLinkRow.result_id == ResultRow.id)
         .where(CandidateLinkRow.candidate_id == candidate_id, CandidateLinkRow.kind == "fit", ResultRow.ok.is_(True)))
    if job_id is not None:
        q = q.where(ResultRow.job_id == job_id)
    return s.scalar(q.order_by(ResultRow.created_at.desc(), ResultRow.id.desc()).limit(1))


def _check_shown(s: Any, candidate_id: int, job_id: int | None, result_id: int, digest: str | None) -> None:
    """The report a person was shown must still be this candidate's current report for the job, unchanged;
    otherwise the decision is refused (it would be stored against a report they never saw)."""
    row = s.get(ResultRow, result_id)
    linked = row is not None and s.scalar(select(CandidateLinkRow.id).where(
        CandidateLinkRow.candidate_id == candidate_id, CandidateLinkRow.result_id == result_id,
        CandidateLinkRow.kind == "fit").limit(1)) is not None
    if not linked or not row.ok or (job_id is not None and row.job_id != job_id):
        raise DecisionError(key="dec_not_shown")
    current = _latest_fit(s, candidate_id, row.job_id)
    if current is None or current.id != row.id or (digest is not None and report_digest(row.payload) != digest):
        raise DecisionError(key="dec_stale")


def _shown(s: Any, candidate_id: int, job_id: int | None, result_id: int | None) -> tuple[dict[str, Any], int | None]:
    """The fit report the person saw: the one named, else the candidate's latest for the job (or any job)."""
    row = s.get(ResultRow, result_id) if result_id is not None else None
    if row is None:
        row = _latest_fit(s, candidate_id, job_id)
    if row is None or not row.payload:
        return {}, None
    payload = row.payload
    return {"score": payload.get("match_score"), "recommendation": payload.get("recommendation"),
            "profile": row.model_profile, "prompt_version": row.prompt_version, "result_id": row.id}, row.id


def record_decision(ref: str, decision: str, reason: str, decided_by: str, job_id: int | None = None,
                    result_id: int | None = None, store: Store | None = None, owner: str = "",
                    shown_digest: str | None = None) -> DecisionInfo:
    """Store a person's decision with the tool's output they were shown; audited as "decision". A demo visitor
    (``owner``) decides only on their own candidates (core.services.owners).

    ``result_id`` (with ``shown_digest``, from ``shown_token``) is the report the person was looking at: the
    decision is stored against exactly that report, and refused (``dec_stale``, ``dec_not_shown``) when it is
    not the candidate's current report for the job any more, or was rewritten meanwhile. Without it (the CLI)
    the candidate's latest report for the job is the one recorded."""
    decision = (decision or "").strip().lower()
    check_texts(reason=reason, name=decided_by)  # core.bounds
    reason, decided_by = (reason or "").strip(), (decided_by or "").strip()
    if decision not in DECISIONS:
        raise DecisionError(key="dec_bad_decision", value=decision, allowed=", ".join(DECISIONS))
    if not reason:
        raise DecisionError(key="dec_no_reason")
    if not decided_by:
        raise DecisionError(key="dec_no_name")
    _job_in_range(job_id)
    store = store or get_store()
    with store.session() as s:
        c = owned_candidate(s, ref, owner)
        job = s.get(JobRow, job_id) if job_id is not None else None
        if job_id is not None and job is None:
            raise DecisionError(key="dec_no_job", job_id=job_id)
        if result_id is not None:
            _check_shown(s, c.id, job_id, result_id, shown_digest)
        shown, used = _shown(s, c.id, job_id, result_id)
        if job_id is None and used is not None:
            used_row = s.get(ResultRow, used)
            job_id = used_row.job_id if used_row is not None else None
            job = s.get(JobRow, job_id) if job_id is not None else None
        row = DecisionRow(candidate_id=c.id, job_id=job_id, result_id=used, decision=decision, reason=reason,
                          decided_by=decided_by[:120], shown=shown)
        s.add(row)
        c.updated_at = datetime.now(timezone.utc)
        s.flush()
        info = decision_info(row, c.ref, job.title if job else "")
    audit("decision", actor=decided_by, candidate_ref=info.candidate_ref, job_id=job_id,
          model_profile=str(shown.get("profile") or ""), prompt_version=str(shown.get("prompt_version") or ""),
          detail={"decision": decision, "shown_score": shown.get("score"),
                  "shown_recommendation": shown.get("recommendation")}, store=store)
    return info


def list_decisions(job_id: int | None = None, store: Store | None = None,
                   owner: str = "") -> list[tuple[DecisionInfo, str]]:
    """Every decision on a candidate ``owner`` may see (of one job when given), oldest first, each with the
    candidate's name."""
    store = store or get_store()
    with store.session() as s:
        q = (select(DecisionRow, CandidateRow.ref, CandidateRow.name)
             .join(CandidateRow, CandidateRow.id == DecisionRow.candidate_id).where(seen_by(CandidateRow.owner, owner)))
        if job_id is not None:
            _job_in_range(job_id)
            q = q.where(DecisionRow.job_id == job_id)
        jobs = {j.id: j.title for j in s.scalars(select(JobRow))}
        return [(decision_info(d, ref, jobs.get(d.job_id, "") if d.job_id else ""), name)
                for d, ref, name in s.execute(q.order_by(DecisionRow.created_at, DecisionRow.id))]


def _export_row(d: DecisionInfo, name: str) -> dict[str, Any]:
    return {"decided_at": d.created_at.isoformat(), "candidate_ref": d.candidate_ref, "candidate": name,
            "job_id": d.job_id, "job_title": d.job_title, "decision": d.decision, "reason": d.reason,
            "decided_by": d.decided_by, "shown_score": d.shown.get("score"),
            "shown_recommendation": d.shown.get("recommendation"), "shown_profile": d.shown.get("profile"),
            "shown_prompt_version": d.shown.get("prompt_version")}


def exports_dir() -> Path:
    return settings().home / "exports"


def export_decisions(fmt: Literal["csv", "json"], actor: str, job_id: int | None = None, out_dir: Path | None = None,
                     store: Store | None = None, owner: str = "") -> Path:
    """Write every decision ``owner`` may see (of one job when given) to a CSV or JSON file and return its path;
    audited as "export"."""
    from core.services.export import csv_text

    if fmt not in ("csv", "json"):
        raise DecisionError(key="dec_bad_format", value=str(fmt))
    actor = (actor or "").strip()
    if not actor:
        raise DecisionError(key="dec_no_name")
    store = store or get_store()
    rows = [_export_row(d, name) for d, name in list_decisions(job_id, store, owner)]
    folder = Path(out_dir) if out_dir is not None else exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"decisions-{datetime.now(timezone.utc):%Y%m%d-%H%M%S-%f}.{fmt}"
    if fmt == "csv":
        path.write_text(csv_text(EXPORT_COLUMNS, rows), encoding="utf-8")
    else:
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    audit("export", actor=actor, job_id=job_id, detail={"what": "decisions", "format": fmt, "rows": len(rows)}, store=store)
    return path

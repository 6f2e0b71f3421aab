"""Past screenings, reopened from the store: the recent-runs list and one run's ranked rows again."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from core.documents import Document
from core.failures import failure
from core.schemas import FitReport
from core.services.common import Progress
from core.services.runs import RunSummary, get_run_summary, is_removed, recent_runs
from core.services.screening import RUN_KIND, ScreenRow, rank
from core.store import Store, get_store

STALE_REPORT = failure("fail_stale_report")


@dataclass
class OpenedScreening:
    summary: RunSummary
    job_text: str
    rows: list[ScreenRow]  # ranked, only the items finished so far


def recent_screenings(limit: int = 10, store: Store | None = None, owner: str = "") -> list[RunSummary]:
    return recent_runs(RUN_KIND, limit, store, owner)


def open_screening(run_id: str, store: Store | None = None, owner: str = "") -> OpenedScreening | None:
    """A stored screening as the workbench showed it (None when no such run is stored, or it is not ``owner``'s
    to see: core.services.owners)."""
    store = store or get_store()
    summary = get_run_summary(run_id, store, owner)
    if summary is None or summary.kind != RUN_KIND:
        return None
    job = store.get_job(int(summary.config.get("job_id", 0) or 0))
    rows = []
    for item, result in store.list_run_items(run_id):
        if is_removed(item):  # its candidate was deleted: counted in summary.removed, never shown
            continue
        data = item.data or {}
        row = ScreenRow(item.subject, str(data.get("path") or item.subject), item.ok, error=item.error,
                        error_code=data.get("error_code") or None,
                        redactions=list(data.get("redactions") or []), cached=item.cached,
                        raw=result.raw if result is not None else "")
        if item.document_id is not None:
            doc = store.get_document(item.document_id)
            if doc is not None:
                extra = doc.data or {}
                row.facts = extra.get("facts")
                row.document = Document(filename=doc.filename, sha256=doc.sha256, media_type=doc.media_type,
                                        text=doc.text, pages=doc.pages, language=doc.language,
                                        engine=str(data.get("engine") or "stored"),
                                        warnings=list(extra.get("warnings") or []), flags=list(extra.get("flags") or []))
        if item.ok and result is not None and result.payload:
            try:
                row.report = FitReport.model_validate(result.payload)
            except ValidationError:
                row.ok, row.error = False, STALE_REPORT
        rows.append(row)
    return OpenedScreening(summary, job.text if job else "", rank(rows))


def can_follow(run_id: str) -> bool:
    """Whether the screening ``run_id`` is going on in this process (a reloaded page can follow it)."""
    from core.services.flights import flight_of

    return bool(run_id) and flight_of(run_id) is not None


def follow_screening(run_id: str, progress: Progress | None = None, store: Store | None = None,
                     owner: str = "") -> OpenedScreening | None:
    """Follow a screening going on in this process (its progress drawn on ``progress``) until it ends, then the
    run as stored; None when it is not ``owner``'s to see or is not going on here."""
    from core.services.flights import flight_of

    if not run_id or open_screening(run_id, store, owner) is None:
        return None
    flight = flight_of(run_id)
    if flight is None:
        return None
    try:
        flight.follow(progress)
    except Exception:  # noqa: BLE001 (the run's own page reported its error; the stored run tells what is done)
        pass
    return open_screening(run_id, store, owner)

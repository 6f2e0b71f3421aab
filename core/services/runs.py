"""Batch runs: a screening or a grading file as one ``runs`` row plus one ``run_items`` row per item.

Each item is written the moment it is finished, so a page reload or a killed process keeps what is
done; results themselves live under their cache keys and are reused by any later run.

An item whose candidate was deleted (during the run or after) stays as a blank placeholder that only says
so (``removed_item``), so the run can tell how many of its items went and why. Runs going on in this process
are followed through core.services.flights.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from core.store import Store, get_store
from core.store.tables import RunItemRow

RUNNING, DONE, UNFINISHED = "running", "done", "unfinished"
CANDIDATE_DELETED = "candidate_deleted"  # why an item was removed from its run (the only reason there is)
_active: set[str] = set()  # runs this process is working on now
_lock = threading.Lock()


def removed_item() -> dict[str, Any]:
    """What a removed item's row holds instead of its data: the reason, and nothing about the person."""
    return {"subject": "", "ok": False, "cached": False, "result_id": None, "document_id": None, "error": None,
            "data": {"removed": CANDIDATE_DELETED}}


def is_removed(item: Any) -> bool:
    return bool((item.data or {}).get("removed"))


def removed_count(run_id: str, store: Store | None = None) -> int:
    """How many items of the run were removed because their candidate was deleted."""
    with (store or get_store()).session() as s:
        q = select(RunItemRow.data).where(RunItemRow.run_id == run_id, RunItemRow.result_id.is_(None),
                                          RunItemRow.document_id.is_(None))
        return sum(1 for data in s.scalars(q) if (data or {}).get("removed"))


def new_run_id(kind: str) -> str:
    """A fresh run id; a caller may take one before the run starts (to find the run again after a reload)."""
    return f"{kind}-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


@dataclass
class RunSummary:
    run_id: str
    kind: str
    name: str
    status: str  # running | done | unfinished (stopped before its end: a reload of the server, a killed process)
    created_at: datetime
    profile: str
    total: int
    done: int
    best_score: float | None
    best_subject: str
    config: dict[str, Any] = field(default_factory=dict)
    removed: int = 0  # items removed because their candidate was deleted (read by get_run_summary)


@dataclass
class BatchRun:
    """Writes a batch run as it goes: ``item()`` per finished item, ``finish()`` at the end."""

    kind: str
    name: str
    total: int
    config: dict[str, Any]
    run_id: str = ""
    store: Store = field(default_factory=get_store)
    owner: str = ""  # a demo visitor's, or the team's (core.services.owners)
    done: int = 0
    best: tuple[float, str] | None = None

    def __post_init__(self) -> None:
        self.run_id = self.run_id or new_run_id(self.kind)
        with _lock:
            _active.add(self.run_id)
        self.store.save_run(self.run_id, self.kind, self.name[:200], RUNNING, self.config, self._summary(),
                            owner=self.owner)

    def _summary(self) -> dict[str, Any]:
        return {"total": self.total, "done": self.done, "best_score": self.best[0] if self.best else None,
                "best_subject": self.best[1] if self.best else ""}

    def item(self, position: int, subject: str, ok: bool, *, score: float | None = None, cached: bool = False,
             result_id: int | None = None, document_id: int | None = None, error: str | None = None,
             data: dict[str, Any] | None = None) -> None:
        self.done += 1
        if score is not None and (self.best is None or score > self.best[0]):
            self.best = (score, subject)
        self.store.save_run_item(self.run_id, position, subject, ok, cached=cached, result_id=result_id,
                                 document_id=document_id, error=error, data=data, summary=self._summary())

    def removed(self, position: int) -> None:
        """The item's candidate was deleted while it was being worked on: it is left as a removed placeholder."""
        self.done += 1
        blank = removed_item()
        self.store.save_run_item(self.run_id, position, blank["subject"], False, data=blank["data"],
                                 summary=self._summary())

    def finish(self) -> None:
        self.store.set_run_status(self.run_id, DONE, self._summary())
        with _lock:
            _active.discard(self.run_id)


def summary_of(row: Any) -> RunSummary:
    """A ``runs`` row as a RunSummary; a run left 'running' by a process that is gone reads 'unfinished'."""
    summary, config = row.summary or {}, row.config or {}
    with _lock:
        status = UNFINISHED if row.status == RUNNING and row.id not in _active else row.status
    return RunSummary(row.id, row.kind, row.name, status, row.created_at, str(config.get("profile", "")),
                      int(summary.get("total", 0)), int(summary.get("done", 0)), summary.get("best_score"),
                      str(summary.get("best_subject", "")), config)


def recent_runs(kind: str, limit: int = 10, store: Store | None = None, owner: str = "") -> list[RunSummary]:
    """The latest runs of one kind that ``owner`` may see (core.services.owners), newest first."""
    store = store or get_store()
    return [summary_of(r) for r in store.list_runs(kind, limit, owner=owner)]


def get_run_summary(run_id: str, store: Store | None = None, owner: str = "") -> RunSummary | None:
    """The run, or None when it is not stored or is not ``owner``'s to see."""
    from core.services.owners import can_see

    store = store or get_store()
    row = store.get_run(run_id)
    if row is None or not can_see(row.owner, owner):
        return None
    summary = summary_of(row)
    summary.removed = removed_count(run_id, store)
    return summary

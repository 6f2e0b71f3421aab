"""The store: one SQLAlchemy database (a SQLite file by default, any SQLAlchemy URL by setting).

Opening a store applies pending Alembic migrations, so a schema change never loses data.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine as SqlEngine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from core.config import settings
from core.store.tables import DocumentRow, JobRow, ResultRow, RunItemRow, RunRow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class ResultRecord:
    kind: str
    cache_key: str
    model_profile: str
    prompt_version: str
    ok: bool
    payload: dict[str, Any] | None
    raw: str
    error: str | None
    seconds: float
    subject: str = ""
    document_id: int | None = None
    job_id: int | None = None


def _migrate(engine: SqlEngine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def in_memory(url: str) -> bool:
    """Whether ``url`` is an in-memory SQLite database (``sqlite://``, ``sqlite:///:memory:``)."""
    return url in ("sqlite://", "sqlite:///:memory:") or (url.startswith("sqlite") and "mode=memory" in url)


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        memory = in_memory(url)
        if url.startswith("sqlite:///") and not memory:
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if memory:  # one connection shared by every thread: the database lives as long as it does
            self.engine = create_engine(url, future=True, poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            self.engine = create_engine(url, future=True)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        # on the one shared connection, transactions of different threads must not interleave
        self._serial: AbstractContextManager[Any] = threading.RLock() if memory else nullcontext()
        _migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._serial, self._sessions() as s, s.begin():
            yield s

    # jobs and documents -------------------------------------------------------------------
    def upsert_job(self, text: str, title: str = "") -> int:
        text = text.strip()  # one job however much whitespace surrounds it
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self.session() as s:
            row = s.scalar(select(JobRow).where(JobRow.sha256 == digest))
            if row is None:
                row = JobRow(sha256=digest, title=(title or _first_line(text))[:200], text=text)
                s.add(row)
                s.flush()
            return row.id

    def upsert_document(self, sha256: str, filename: str, media_type: str, language: str, pages: int, text: str, data: dict[str, Any]) -> int:
        with self.session() as s:
            row = s.scalar(select(DocumentRow).where(DocumentRow.sha256 == sha256))
            if row is None:
                row = DocumentRow(sha256=sha256, filename=filename[:300], media_type=media_type, language=language, pages=pages, text=text, data=data)
                s.add(row)
                s.flush()
            else:
                row.data = data
                row.text = text
            return row.id

    def get_job(self, job_id: int) -> JobRow | None:
        with self.session() as s:
            return s.get(JobRow, job_id)

    def get_document(self, doc_id: int) -> DocumentRow | None:
        with self.session() as s:
            return s.get(DocumentRow, doc_id)

    # results ------------------------------------------------------------------------------
    def get_result(self, cache_key: str) -> ResultRow | None:
        with self.session() as s:
            return s.scalar(select(ResultRow).where(ResultRow.cache_key == cache_key))

    def save_result(self, rec: ResultRecord) -> int:
        """Insert or replace the result under its cache key (a failed result may be retried later)."""
        with self.session() as s:
            row = s.scalar(select(ResultRow).where(ResultRow.cache_key == rec.cache_key))
            if row is None:
                row = ResultRow(cache_key=rec.cache_key)
                s.add(row)
            for name in ("kind", "model_profile", "prompt_version", "ok", "payload", "raw", "error", "seconds", "subject", "document_id", "job_id"):
                setattr(row, name, getattr(rec, name))
            s.flush()
            return row.id

    def typical_seconds(self, kind: str, model_profile: str, last: int = 20) -> float | None:
        """Median seconds per item of the latest successful results of one kind and profile (None if none)."""
        with self.session() as s:
            q = (select(ResultRow.seconds).where(ResultRow.kind == kind, ResultRow.model_profile == model_profile,
                                                 ResultRow.ok.is_(True), ResultRow.seconds > 0)
                 .order_by(ResultRow.id.desc()).limit(last))
            values = sorted(s.scalars(q))
        return values[len(values) // 2] if values else None

    def list_results(self, kind: str, subject: str | None = None, limit: int = 500) -> list[ResultRow]:
        with self.session() as s:
            q = select(ResultRow).where(ResultRow.kind == kind)
            if subject is not None:
                q = q.where(ResultRow.subject == subject)
            return list(s.scalars(q.order_by(ResultRow.id.desc()).limit(limit)))

    # runs ---------------------------------------------------------------------------------
    def save_run(self, run_id: str, kind: str, name: str, status: str, config: dict[str, Any], summary: dict[str, Any] | None = None, path: str = "",
                 owner: str = "") -> None:
        with self.session() as s:
            row = s.get(RunRow, run_id)
            if row is None:
                row = RunRow(id=run_id, kind=kind, name=name, status=status, config=config, summary=summary or {}, path=path,
                             owner=owner)
                s.add(row)
            else:
                row.status, row.config, row.name = status, config, name
                if summary is not None:
                    row.summary = summary
                if path:
                    row.path = path

    def set_run_status(self, run_id: str, status: str, summary: dict[str, Any] | None = None) -> None:
        """Set the run's status and merge ``summary`` into its stored one: the keys given win, a key given as
        ``None`` is removed, every other stored key stays."""
        with self.session() as s:
            row = s.get(RunRow, run_id)
            if row is None:
                raise KeyError(f"no run {run_id!r} in the store")
            row.status = status
            if summary:
                merged = {**(row.summary or {}), **summary}
                row.summary = {k: v for k, v in merged.items() if v is not None}

    def save_run_item(self, run_id: str, position: int, subject: str, ok: bool, *, cached: bool = False,
                      result_id: int | None = None, document_id: int | None = None, error: str | None = None,
                      data: dict[str, Any] | None = None, summary: dict[str, Any] | None = None) -> None:
        """Record (or replace) the item at ``position`` of a batch run, the moment it is finished; the run's
        ``summary`` is updated in the same transaction, so a killed process never leaves the two apart."""
        with self.session() as s:
            if summary is not None:
                run = s.get(RunRow, run_id)
                if run is not None:
                    run.summary = summary
            row = s.scalar(select(RunItemRow).where(RunItemRow.run_id == run_id, RunItemRow.position == position))
            if row is None:
                row = RunItemRow(run_id=run_id, position=position)
                s.add(row)
            row.subject, row.ok, row.cached, row.result_id = subject[:300], ok, cached, result_id
            row.document_id, row.error, row.data = document_id, error, data or {}

    def list_run_items(self, run_id: str) -> list[tuple[RunItemRow, ResultRow | None]]:
        """A batch run's items in input order, each with its stored result (None for an item that failed early)."""
        with self.session() as s:
            q = (select(RunItemRow, ResultRow).outerjoin(ResultRow, RunItemRow.result_id == ResultRow.id)
                 .where(RunItemRow.run_id == run_id).order_by(RunItemRow.position))
            return [(item, result) for item, result in s.execute(q).all()]

    def get_run(self, run_id: str) -> RunRow | None:
        with self.session() as s:
            return s.get(RunRow, run_id)

    def list_runs(self, kind: str | tuple[str, ...] | None = None, limit: int = 200, owner: str = "") -> list[RunRow]:
        """Runs of one kind (or of any of several) that ``owner`` may see (core.services.owners), newest first."""
        from core.services.owners import seen_by

        with self.session() as s:
            q = select(RunRow).where(seen_by(RunRow.owner, owner))
            if isinstance(kind, tuple):
                q = q.where(RunRow.kind.in_(kind))
            elif kind is not None:
                q = q.where(RunRow.kind == kind)
            return list(s.scalars(q.order_by(RunRow.created_at.desc()).limit(limit)))


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return "untitled job"


_stores: dict[str, Store] = {}
_lock = threading.Lock()


def get_store(url: str | None = None) -> Store:
    """The store for ``url`` (default: HIRELAB_DB_URL or the SQLite file under HIRELAB_HOME), opened once."""
    url = url or settings().db_url
    with _lock:
        if url not in _stores:
            _stores[url] = Store(url)
        return _stores[url]

"""The pipe from a parse worker back to its parent, for slow but legitimate work (OCR) to ask for more time."""

from __future__ import annotations

from typing import Any

_conn: Any = None  # set inside a worker: the pipe back to the parent


def attach(conn: Any) -> None:
    global _conn
    _conn = conn


def extend_deadline(seconds: float) -> None:
    """Called inside a worker: the parent waits this much longer. Outside a worker it does nothing."""
    if _conn is not None and seconds > 0:
        _conn.send(("extend", float(seconds)))

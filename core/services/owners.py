"""Whose work a row is: demo visitors each see only what they made; the team sees everything.

Every candidate, batch run and interview link carries an ``owner`` (``core/store/tables.py``):

- ``""`` is the team. A team server (demo mode off) writes and reads everything with owner ``""``, as before
  owners existed; in demo mode ``""`` is the sample data made while the server starts.
- In demo mode each visitor is ``"v"`` + 32 hex digits: a random id the workbench keeps in the visitor's browser
  (``new_visitor_id``; ``workbench/visitor.py``), or, for a client that sends none (an API client), ``"s"`` + a
  hash of its Gradio session. Never derived from the client's address.

A visitor sees their own rows and the shared samples (``can_see``) but changes only their own (``can_change``):
deleting, deciding on, or sending an interview link to a sample or another visitor's candidate is refused.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from sqlalchemy import true

from core.messages import LocalizedError

TEAM = ""
SAMPLES = TEAM  # the sample data of a demo is made by the server itself
_VISITOR = re.compile(r"v[0-9a-f]{32}")


class NotYours(LocalizedError):
    """A demo visitor asked to change what another visitor made, or the shared sample data; says what to do."""


def new_visitor_id() -> str:
    """A fresh visitor id (128 random bits): kept in the visitor's browser, it is their key to their own work."""
    return "v" + secrets.token_hex(16)


def kept_visitor_id(visitor: str | None) -> str:
    """The visitor id a browser already keeps when it has the right form, else a new one."""
    visitor = (visitor or "").strip()
    return visitor if _VISITOR.fullmatch(visitor) else new_visitor_id()


def request_owner(demo: bool, visitor: str | None, session: str | None) -> str:
    """The owner of one request: ``""`` (the team) outside demo mode; in demo mode the visitor id the browser
    sent when it has the form ``new_visitor_id`` makes, else one derived from the Gradio session (a fresh
    random one when there is none either: such a request sees only the samples)."""
    if not demo:
        return TEAM
    visitor = (visitor or "").strip()
    if _VISITOR.fullmatch(visitor):
        return visitor
    seed = session or secrets.token_hex(16)
    return "s" + hashlib.sha256(f"hirelab-session:{seed}".encode()).hexdigest()[:32]


def can_see(row_owner: str | None, owner: str) -> bool:
    """Whether ``owner`` may read a row of ``row_owner``: the team reads all, a visitor their own and the samples."""
    return not owner or (row_owner or "") in (owner, SAMPLES)


def can_change(row_owner: str | None, owner: str) -> bool:
    """Whether ``owner`` may change (delete, decide on, send a link for) a row of ``row_owner``."""
    return not owner or (row_owner or "") == owner


def seen_by(column: Any, owner: str) -> Any:
    """A SQL condition on an ``owner`` column: the rows ``owner`` may read (every row for the team)."""
    return true() if not owner else column.in_((owner, SAMPLES))

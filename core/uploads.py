"""Which uploaded files belong to whom: a file input may only name a file its requester uploaded in this process,
or one the app itself handed out (a sample it put in a file box, a download it made).

The web front end records every upload with the requester's key (the signed-in session, else the client
address) and, before any handler or copy runs, refuses a request naming any other path. This module holds the
rules; ``workbench/gate.py`` applies them to the HTTP requests.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

MAX_TRACKED = 50_000  # uploads remembered per process; the oldest are forgotten first (and refused after that)


def normal(path: str) -> str:
    """One spelling per path: absolute, ``..`` and doubled separators folded (symlinks are NOT followed: the
    same spelling Gradio returned is the only one accepted)."""
    return os.path.normpath(os.path.abspath(path))


class UploadRegistry:
    """path -> the requesters who uploaded it (the same bytes uploaded twice land on one content-addressed path)."""

    def __init__(self, max_tracked: int = MAX_TRACKED) -> None:
        self._owners: OrderedDict[str, set[str]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_tracked = max_tracked

    def record(self, owner: str, paths: Iterable[str]) -> None:
        with self._lock:
            for p in paths:
                key = normal(p)
                self._owners.setdefault(key, set()).add(owner)
                self._owners.move_to_end(key)
            while len(self._owners) > self.max_tracked:
                self._owners.popitem(last=False)

    def owners(self, path: str) -> set[str] | None:
        """Who uploaded ``path`` (None: nobody, in this process)."""
        with self._lock:
            found = self._owners.get(normal(path))
            return set(found) if found is not None else None


@dataclass(frozen=True)
class Refusal:
    """Why a file reference was refused: ``code`` for the log and tests, ``path`` as sent."""

    code: str  # not_uploaded | someone_elses | not_a_file
    path: str


def file_references(value: Any) -> Iterator[str]:
    """Every file path named in a request's JSON: any object with a string ``path`` (Gradio's FileData, with or
    without its ``meta``), however deeply nested."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            path = item.get("path")
            if isinstance(path, str):
                yield path
            stack.extend(v for k, v in item.items() if k != "path")
        elif isinstance(item, list):
            stack.extend(item)


def check_reference(path: str, owner: str, registry: UploadRegistry, handed_out: set[str]) -> Refusal | None:
    """None when ``owner`` may name ``path``: they uploaded it, or the app handed it out to its pages; else why not.
    A remote address is not a local file and is left to the component (it never reads the server's disk)."""
    if path.startswith(("http://", "https://")):
        return None
    owners = registry.owners(path)
    if owners is not None:
        return None if owner in owners else Refusal("someone_elses", path)
    if normal(path) in handed_out:
        return None
    return Refusal("not_uploaded", path)

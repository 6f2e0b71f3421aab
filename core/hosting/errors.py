"""The errors of hosted mode: a server that cannot start as configured, a request over a limit."""

from __future__ import annotations

from core.messages import LocalizedError


class HostingError(LocalizedError):
    """The server cannot start as configured; the message says which variable to set."""


class HostingLimitError(LocalizedError):
    """One request is over a hosted limit (too many files, too many requests); the words are in the tables.
    ``status`` is the HTTP answer for a refusal made before Gradio sees the request (413 too large, 429 too often)."""

    def __init__(self, message: str = "", *, key: str | None = None, status: int = 429, **kw: object) -> None:
        super().__init__(message, key=key, **kw)
        self.status = status

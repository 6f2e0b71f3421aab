"""Whose request it is and whether it may go through: the client's address (behind a Space's proxy too), the
rate-limit key, and the per-request limits the workbench's handlers apply (files per request, requests per window)."""

from __future__ import annotations

import math

from core.hosting.config import HostingConfig
from core.hosting.errors import HostingLimitError
from core.hosting.throttle import limiter


def client_address(client_host: str | None, forwarded_for: str | None, behind_proxy: bool) -> str:
    """The client's address: the TCP peer; behind a Space's proxy, the right-most X-Forwarded-For entry.

    The Space's proxy appends the address it got the request from to whatever X-Forwarded-For the client sent,
    so only the last entry was written by the trusted proxy: the entries to its left are the client's own words
    ("X-Forwarded-For: 1.2.3.4" sent by an attacker stays on the left and is ignored)."""
    if behind_proxy and forwarded_for:
        entries = [e.strip() for e in forwarded_for.split(",") if e.strip()]
        if entries:
            return entries[-1]
    return client_host or "unknown"


def client_key(username: str | None, client_host: str | None, forwarded_for: str | None, behind_proxy: bool) -> str:
    """Whose bucket a request spends: the signed-in name, else the client's address (:func:`client_address`)."""
    if username:
        return f"user:{username}"
    return f"ip:{client_address(client_host, forwarded_for, behind_proxy)}"


def admit(config: HostingConfig, who: str, files: int = 0, signed_in: bool = False) -> None:
    """Let one request through or raise :class:`HostingLimitError`: at most ``max_files`` files in it, and at
    most ``rate_limit`` requests per ``rate_window_s`` seconds for ``who``. A refused request spends nothing."""
    if not config.limits_on(signed_in):
        return
    if files > config.max_files:
        raise HostingLimitError(key="host_too_many_files", n=files, max=config.max_files)
    wait = limiter(config.rate_limit, config.rate_window_s).take(who)
    if wait > 0:
        raise HostingLimitError(key="host_rate_limited", seconds=max(1, math.ceil(wait)), limit=config.rate_limit,
                                window=f"{config.rate_window_s:g}")

"""Limits on two routes Gradio serves without asking the app: its upload route and its login route.

``install(app)`` wraps the composed FastAPI app (workbench/server.py) in one ASGI middleware:

- ``POST …/gradio_api/upload`` (the workbench's and the interview page's) on a hosted or signed-in server: at
  most ``max_files`` files and ``max_upload_bytes`` in one request (413 as soon as the body goes over, before
  Gradio stores anything), and at most ``upload_rate`` files per rate window from one address (429);
- ``POST /login``: a paused address or name gets 429 and the seconds left before Gradio compares the password;
  a failed sign-in counts against the address (the name is counted by ``core.hosting.Login``).

The rules and numbers are ``core.hosting``'s; refusals are plain text in the reader's language
(Accept-Language, else English).
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from core.hosting import (HostingConfig, HostingLimitError, UploadMeter, address_throttle, admit_upload,
                          client_address, login_name_key, name_throttle)
from core.messages import lang_from_accept, msg

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOGIN_PATHS = ("/login", "/login/")
MAX_LOGIN_BODY = 64 * 1024  # a name and a password
SPOOL_BYTES = 1024 * 1024  # an upload's body is kept in memory up to this, then in a temporary file


def install(app: Any) -> None:
    """Put the limits in front of every route of ``app`` (a FastAPI/Starlette app)."""
    app.add_middleware(HostedLimits)


def _is_upload(path: str) -> bool:
    return path.rstrip("/").endswith("/gradio_api/upload")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _address(scope: Scope, config: HostingConfig) -> str:
    client = scope.get("client")
    return client_address(client[0] if client else None, _header(scope, b"x-forwarded-for"), config.behind_proxy)


async def _refuse(scope: Scope, send: Send, status: int, text: str, retry_after: float | None = None) -> None:
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", str(max(1, math.ceil(retry_after))).encode()))
    if status == 413:
        headers.append((b"connection", b"close"))  # the rest of the body is never read
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _lang(scope: Scope) -> str:
    return lang_from_accept(_header(scope, b"accept-language")) or "en"


class HostedLimits:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http" or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        path = scope.get("path") or ""
        if _is_upload(path):
            config = HostingConfig.from_settings()
            if config.uploads_limited:
                return await self._upload(config, scope, receive, send)
        elif path in LOGIN_PATHS:
            config = HostingConfig.from_settings()
            if config.users:
                return await self._login(config, scope, receive, send)
        return await self.app(scope, receive, send)

    # uploads -----------------------------------------------------------------------------------------------
    async def _upload(self, config: HostingConfig, scope: Scope, receive: Receive, send: Send) -> None:
        meter = UploadMeter(config, _header(scope, b"content-type"))
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        try:
            try:
                meter.check_declared(_header(scope, b"content-length"))
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    meter.feed(chunk)
                    spool.write(chunk)
                    if not message.get("more_body", False):
                        break
                admit_upload(config, _address(scope, config), meter.files)
            except HostingLimitError as exc:
                seconds = exc.kw.get("seconds")
                wait = float(seconds) if exc.status == 429 and isinstance(seconds, int | float) else None
                return await _refuse(scope, send, exc.status, exc.text(_lang(scope)), retry_after=wait)
            spool.seek(0)
            await self.app(scope, _replay(spool, receive), send)
        finally:
            spool.close()

    # sign-in -----------------------------------------------------------------------------------------------
    async def _login(self, config: HostingConfig, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > MAX_LOGIN_BODY:
                return await _refuse(scope, send, 413, "Too large.")
            if not message.get("more_body", False):
                break
        address = "ip:" + _address(scope, config)
        by_address = address_throttle(config.login_failures, config.login_lockout_s)
        by_name = name_throttle(config.login_failures, config.login_lockout_s)
        lang = _lang(scope)
        wait = by_address.wait(address)
        if wait > 0:
            return await _refuse(scope, send, 429, msg("host_login_locked_address", lang, seconds=math.ceil(wait)), wait)
        name = _form_name(body, _header(scope, b"content-type"))
        wait = by_name.wait(login_name_key(name)) if name is not None else 0.0
        if wait > 0:
            return await _refuse(scope, send, 429, msg("host_login_locked_name", lang, seconds=math.ceil(wait)), wait)
        status: list[int] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        await self.app(scope, _replay_bytes(body, receive), watch)
        if status and status[0] in (400, 401, 403):  # Gradio's "Incorrect credentials."
            by_address.failed(address)


def _form_name(body: bytes, content_type: str | None) -> str | None:
    """The ``username`` of a urlencoded login form (None when the form is of another kind)."""
    if "application/x-www-form-urlencoded" not in (content_type or "").lower():
        return None
    values = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).get("username")
    return values[0] if values else ""


def _replay(spool: Any, receive: Receive) -> Receive:
    """The body read so far, then the client's own ``receive`` (which waits for the disconnect)."""
    done = False

    async def replay() -> Message:
        nonlocal done
        if done:
            return await receive()
        chunk = spool.read(64 * 1024)
        done = not chunk
        return {"type": "http.request", "body": chunk, "more_body": not done}

    return replay


def _replay_bytes(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay

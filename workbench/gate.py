"""The server's front door for what Gradio does not check on a mounted app (``core/uploads.py`` holds the rules):

- a request naming a file (Gradio's FileData ``path``) is let through only when its requester uploaded that file
  in this process, or the app handed it out; anything else (the users file, the store, ``/proc``, another
  visitor's upload) is refused before any handler or Gradio's own copy runs, so the file is never opened;
- every upload is recorded with its requester (the signed-in session, else the client address);
- the candidate's interview page serves no files and takes none (no ``file=``, upload, recording or stream);
- before sign-in the workbench page carries no API description.

An ASGI middleware around the composed FastAPI app (``workbench/server.py``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from core.hosting import client_key
from core.messages import choose_lang, msg
from core.uploads import UploadRegistry, check_reference, file_references

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("hirelab.gate")
API = "/gradio_api/"
# what the interview page never serves or takes (it has no file input and no recording)
PAGE_DENIED = ("file=", "file/", "upload", "process_recording", "stream/", "proxy=")
NO_CHECK = ("upload", "login")  # POSTs whose body is a form, not a request naming files
API_INFO = re.compile(rb"window\.gradio_api_info\s*=\s*.*?;</script>", re.S)
MAX_JSON_BODY = 64 * 1024 * 1024  # a bigger JSON request is not one of the app's own


@dataclass
class Mounted:
    """One mounted Gradio app: its prefix ("" for the workbench), its Blocks, and Gradio's app (login state)."""

    prefix: str
    blocks: Any
    gradio_app: Any = None
    takes_files: bool = True

    def handed_out(self) -> set[str]:
        """The files this app put in its components (samples in a file box, downloads it made)."""
        from core.uploads import normal

        out: set[str] = set()
        for block in list(self.blocks.blocks.values()):
            out.update(normal(p) for p in list(getattr(block, "temp_files", ())))
        return out

    def user(self, scope: Scope) -> str | None:
        """The session token of a signed-in request (None: not signed in, or no login)."""
        app = self.gradio_app
        if app is None or not getattr(app, "tokens", None):
            return None
        cookies = _cookies(scope)
        cid = getattr(app, "cookie_id", "")
        token = cookies.get(f"access-token-{cid}") or cookies.get(f"access-token-unsecure-{cid}")
        return token if token and app.tokens.get(token) is not None else None

    def login_on(self) -> bool:
        app = self.gradio_app
        return app is not None and (getattr(app, "auth", None) is not None
                                    or getattr(app, "auth_dependency", None) is not None)


@dataclass
class Gate:
    """The middleware. ``mounts`` longest prefix first; ``behind_proxy`` as core.hosting (on a Space)."""

    app: ASGIApp
    mounts: list[Mounted]
    behind_proxy: bool = False
    registry: UploadRegistry = field(default_factory=UploadRegistry)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        mount = next((m for m in self.mounts if path == m.prefix or path.startswith(m.prefix + "/")), None)
        if mount is None:
            await self.app(scope, receive, send)
            return
        sub = path[len(mount.prefix):] or "/"
        method = scope.get("method", "GET")
        if not mount.takes_files and sub.startswith(API) and sub[len(API):].startswith(PAGE_DENIED):
            await _plain(send, 403, msg("host_page_no_files", _lang(scope)))
            return
        if method == "POST" and sub.startswith(API) and sub[len(API):].rstrip("/") == "upload":
            await self._upload(mount, scope, receive, send)
            return
        if method == "POST" and sub.startswith(API) and sub[len(API):].rstrip("/") not in NO_CHECK:
            await self._checked(mount, scope, receive, send)
            return
        if method == "GET" and sub in ("/", "") and mount.login_on() and mount.user(scope) is None:
            await self._without_api_info(scope, receive, send)
            return
        await self.app(scope, receive, send)

    # who is asking -------------------------------------------------------------------------------------------
    def owner(self, mount: Mounted, scope: Scope) -> str:
        token = mount.user(scope)
        if token:
            return "session:" + hashlib.sha256(token.encode()).hexdigest()[:24]
        headers = _headers(scope)
        client = scope.get("client") or (None, None)
        return client_key(None, client[0], headers.get("x-forwarded-for"), self.behind_proxy)

    # uploads: record who sent each file ----------------------------------------------------------------------
    async def _upload(self, mount: Mounted, scope: Scope, receive: Receive, send: Send) -> None:
        owner = self.owner(mount, scope)

        def record(status: int, body: bytes) -> bytes:
            if status == 200:
                try:
                    paths = json.loads(body)
                except ValueError:
                    paths = []
                if isinstance(paths, list):
                    self.registry.record(owner, [p for p in paths if isinstance(p, str)])
            return body

        await self.app(scope, receive, _whole_response(send, record))

    # requests that name files: refuse any file that is not the requester's own --------------------------------
    async def _checked(self, mount: Mounted, scope: Scope, receive: Receive, send: Send) -> None:
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_JSON_BODY:
                await _plain(send, 413, "request too large")
                return
            chunks.append(chunk)
            more = bool(message.get("more_body"))
        raw = b"".join(chunks)
        refusal = self._refusal(mount, scope, raw)
        if refusal is not None:
            log.warning("refused a request naming a file that is not the requester's own (%s)", refusal.code)
            text = msg("host_file_not_yours", _lang(scope), name=PurePosixPath(refusal.path).name[:80])
            await _json(send, 403, {"detail": text, "error": text})
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _refusal(self, mount: Mounted, scope: Scope, raw: bytes):  # noqa: ANN202 (Refusal | None)
        if b'"path"' not in raw:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            return None  # not JSON: Gradio refuses it itself, and it names no file it would open
        paths = list(file_references(data))
        if not paths:
            return None
        from core.uploads import Refusal

        if not mount.takes_files:
            return Refusal("not_uploaded", paths[0])
        owner, handed_out = self.owner(mount, scope), mount.handed_out()
        for p in paths:
            refusal = check_reference(p, owner, self.registry, handed_out)
            if refusal is not None:
                return refusal
        return None

    # the page before sign-in: no API description ---------------------------------------------------------------
    async def _without_api_info(self, scope: Scope, receive: Receive, send: Send) -> None:
        def strip(_status: int, body: bytes) -> bytes:
            return API_INFO.sub(b"window.gradio_api_info = null;</script>", body)

        await self.app(scope, receive, _whole_response(send, strip))


def _whole_response(send: Send, change: Callable[[int, bytes], bytes]) -> Send:
    """A ``send`` that holds the response until its last byte, passes (status, body) through ``change`` and sends
    what it returns with the right length."""
    started: list[Message] = []
    body = bytearray()

    async def held(message: Message) -> None:
        if message["type"] == "http.response.start":
            started.append(message)
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body.extend(message.get("body", b""))
        if message.get("more_body"):
            return
        out = change(int(started[0]["status"]), bytes(body))
        start = dict(started[0])
        start["headers"] = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        start["headers"].append((b"content-length", str(len(out)).encode()))
        await send(start)
        await send({"type": "http.response.body", "body": out})

    return held


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(scope: Scope) -> dict[str, str]:
    from http.cookies import SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(_headers(scope).get("cookie", ""))
    except Exception:  # noqa: BLE001 (a malformed cookie header is no sign-in)
        return {}
    return {k: m.value for k, m in jar.items()}


def _lang(scope: Scope) -> str:
    return choose_lang(_headers(scope).get("accept-language"), "")


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _json(send: Send, status: int, payload: dict[str, str]) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

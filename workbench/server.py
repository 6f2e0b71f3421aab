"""One web server for two pages:

- ``/``: the workbench for recruiters and tech leads, behind the login when the hosting settings ask for one;
- ``/interview?token=…``: the candidate's page (workbench/interview_page.py). It never asks for the recruiters'
  login, as the unguessable token in the link is the key; it gets the same upload limit and blocked paths.

Both are Gradio apps mounted on one FastAPI app (``gr.mount_gradio_app``), served by uvicorn.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.routing import Mount

from core.services.interviews import PAGE_PATH
from workbench.app import build_app
from workbench.gate import Gate, Mounted
from workbench.interview_page import build_interview_page
from workbench.limits import install as install_limits

# launch settings that guard the recruiters' workbench only (the candidate's page has its token instead)
LOGIN_ONLY = ("auth", "auth_message", "auth_dependency")
# settings of Blocks.launch that mount_gradio_app takes too
MOUNT_KEYS = LOGIN_ONLY + ("max_file_size", "allowed_paths", "blocked_paths", "show_error", "root_path",
                           "favicon_path", "footer_links", "enable_monitoring", "pwa", "ssr_mode")
INTERVIEW_CONCURRENCY = 8  # submissions only store text (grading runs in the background), so several at once


def hosting_kwargs(host: str = "127.0.0.1") -> dict[str, Any]:
    """The hosting settings for a server bound to ``host`` (login, upload size, blocked paths: core.hosting);
    raises core.hosting.HostingError when a hosted server has no users set."""
    from core.hosting import HostingConfig

    return dict(HostingConfig.from_settings(host).launch_kwargs())


def compose(settings: dict[str, Any] | None = None) -> FastAPI:
    """The FastAPI app serving the workbench at ``/`` and the interview page at ``/interview/``.

    ``settings`` are Blocks.launch keyword arguments (default: ``hosting_kwargs()``); the login ones apply
    to the workbench only (the rest, as core.hosting's ``public_kwargs``, to both)."""
    settings = hosting_kwargs() if settings is None else dict(settings)
    unknown = sorted(set(settings) - set(MOUNT_KEYS))
    if unknown:
        raise TypeError(f"cannot apply {', '.join(unknown)} to the composed server; it takes {', '.join(MOUNT_KEYS)}")
    settings.setdefault("ssr_mode", False)
    open_settings = {k: v for k, v in settings.items() if k not in LOGIN_ONLY}

    workbench, i18n = build_app()
    workbench.queue(default_concurrency_limit=1)
    page = build_interview_page()
    page.queue(default_concurrency_limit=INTERVIEW_CONCURRENCY)

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get(PAGE_PATH, include_in_schema=False)
    def interview_address(request: Request) -> RedirectResponse:
        """``/interview?token=…`` (the link people get) is the mounted page at ``/interview/?token=…``."""
        query = request.url.query
        return RedirectResponse(f"{PAGE_PATH}/" + (f"?{query}" if query else ""), status_code=307)

    # the longer path first: the workbench at "/" would otherwise take every address
    gr.mount_gradio_app(app, page, path=PAGE_PATH, footer_links=[], **open_settings)
    gr.mount_gradio_app(app, workbench, path="/", i18n=i18n, **settings)
    for blocks in (workbench, page):
        blocks.has_launched = True  # Gradio checks a named file is an upload only once an app has launched
    mounted = {route.path: route.app for route in app.routes if isinstance(route, Mount)}
    # the interview page serves and takes no files; on the workbench a request may name only its own uploads
    app.add_middleware(Gate, mounts=[Mounted(PAGE_PATH, page, mounted.get(PAGE_PATH), takes_files=False),
                                     Mounted("", workbench, mounted.get(""))], behind_proxy=behind_proxy())
    install_limits(app)  # outermost: upload size, count and rate; sign-in throttle (workbench/limits.py)
    return app


def behind_proxy() -> bool:
    """On a Space every request comes through its proxy (core.hosting)."""
    from core.hosting import HostingConfig

    return HostingConfig.from_settings().behind_proxy


@dataclass
class Served:
    """A running server: its address, and ``close()`` to stop it."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread | None

    def close(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=10)


def serve(host: str = "127.0.0.1", port: int | None = None, *, block: bool = True, quiet: bool = False,
          settings: dict[str, Any] | None = None) -> Served:
    """Serve the composed app. ``block=False`` runs it in a thread and returns once it accepts connections;
    with ``port=0`` the system picks a free port, bound at once, and the returned ``url`` names it."""
    from core.services.interviews import grade_unfinished

    port = int(os.environ.get("GRADIO_SERVER_PORT", "7860")) if port is None else port
    app = compose(hosting_kwargs(host) if settings is None else settings)
    from core.log_masking import install as mask_secrets_in_logs

    mask_secrets_in_logs()  # interview tokens and sign-in keys never reach the log
    grade_unfinished()  # answers left pending when the server last stopped

    def announce(url: str) -> None:
        if not quiet:
            print(f"* Workbench: {url}\n* Interview links: {url}{PAGE_PATH.lstrip('/')}?token=…", flush=True)

    return run_app(app, host, port, block=block, on_bound=announce)


def run_app(app: FastAPI, host: str, port: int, *, block: bool = True,
            on_bound: Callable[[str], None] | None = None) -> Served:
    """Serve ``app`` with uvicorn. With ``port=0`` the system picks a free port, bound before the server starts
    (so no other process can take it in between), and the returned ``url`` names it; ``on_bound`` gets that
    address first. ``block=False`` runs it in a thread and returns once it accepts connections."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    sockets = [config.bind_socket()] if port == 0 else None
    if sockets:
        port = sockets[0].getsockname()[1]
    server = uvicorn.Server(config)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    if on_bound is not None:
        on_bound(url)
    if block:
        server.run(sockets=sockets)
        return Served(url, server, None)
    thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, name="hirelab-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start on {host}:{port} (is the port taken?)")
        time.sleep(0.05)
    return Served(url, server, thread)


def launch(host: str = "127.0.0.1", port: int | None = None, **kwargs: Any) -> Served:
    """``Blocks.launch``-style entry: ``prevent_thread_lock`` and ``quiet`` as there; the other keyword
    arguments (auth, max_file_size, blocked_paths, ...) override the hosting settings."""
    block = not kwargs.pop("prevent_thread_lock", False)
    quiet = bool(kwargs.pop("quiet", False))
    return serve(host, port, block=block, quiet=quiet, settings={**hosting_kwargs(host), **kwargs})

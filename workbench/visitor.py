"""Who is asking, in demo mode: the owner of a request (core.services.owners decides; this only reads the request).

Each browser keeps a random visitor id in ``gr.BrowserState`` (localStorage, encrypted by Gradio); the page makes
one on its first load. Tabs add ``state()`` as the last input of every handler that reads or changes candidates,
runs or interview links, and pass ``owner(request, visitor)`` to core. An API client that sends no id is known
by its Gradio session. Outside demo mode the owner is always the team (``""``).
"""

from __future__ import annotations

import gradio as gr

from core.config import settings
from core.services.owners import kept_visitor_id, request_owner

STORAGE_KEY = "hirelab-visitor"
_built: list[gr.BrowserState] = []  # the visitor state of the Blocks being built


def build() -> gr.BrowserState:
    """The visitor state of the workbench being built (``build_app`` calls it before the tabs are built)."""
    _built[:] = [gr.BrowserState("", storage_key=STORAGE_KEY)]
    return _built[0]


def state() -> gr.BrowserState:
    """The visitor state to add to a handler's inputs."""
    if not _built:
        raise RuntimeError("workbench.visitor.build() runs before the tabs are built")
    return _built[0]


def owner(request: gr.Request | None, visitor: str | None = None) -> str:
    """The owner of this request: its browser's visitor id, else its session (demo mode); else the team."""
    return request_owner(settings().demo, visitor, getattr(request, "session_hash", None) if request else None)


def ensure(visitor: str | None) -> str:
    """Page opened: keep the browser's visitor id, or give it one."""
    return kept_visitor_id(visitor)


def wire(demo: gr.Blocks) -> None:
    """Give each browser its visitor id as the page opens (demo mode; the team needs none)."""
    if settings().demo and _built:
        demo.load(ensure, inputs=[_built[0]], outputs=[_built[0]], queue=False, show_progress="hidden",
                  api_visibility="private")

"""Handlers a tab wants run when the page opens (restoring saved inputs, filling lists from the store).

A tab registers them while it is built (``on_page_load``); ``build_app`` wires them to ``demo.load``. A last,
queued step (``follow``) may run after them with a progress bar: a page reloaded while its run goes on follows it.

A restored value must not overwrite what a person typed while the page was opening: such a field is restored
through ``settle``, a step in the browser that runs once the restored value has landed and keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr


@dataclass(frozen=True)
class _Handler:
    fn: Callable[..., Any]
    inputs: list[Any]
    outputs: list[Any]
    then: Callable[..., Any] | None = None  # a second step, run after the first has landed
    then_inputs: tuple[Any, ...] = ()
    then_outputs: tuple[Any, ...] = ()
    follow: Callable[..., Any] | None = None  # a queued last step that may draw a progress bar
    follow_inputs: tuple[Any, ...] = ()
    follow_outputs: tuple[Any, ...] = ()
    follow_progress_on: tuple[Any, ...] = ()
    settle: tuple[Any, Any, str] | None = None  # (restored holder, field, js choosing what the field keeps)


# the field keeps what was typed into it while the page opened; an untouched (empty) field takes the restored value
KEEP_TYPED = "(restored, typed) => (typed ? typed : (restored || ''))"

_pending: list[_Handler] = []


def on_page_load(fn: Callable[..., Any], inputs: list[Any], outputs: list[Any], then: Callable[..., Any] | None = None,
                 then_inputs: list[Any] | None = None, then_outputs: list[Any] | None = None,
                 follow: Callable[..., Any] | None = None, follow_inputs: list[Any] | None = None,
                 follow_outputs: list[Any] | None = None, follow_progress_on: list[Any] | None = None,
                 settle: tuple[Any, Any] | None = None) -> None:
    """``settle=(holder, field)``: ``fn`` restores ``field``'s value into ``holder`` (a hidden component); once it
    has landed, the browser moves it into ``field`` unless the person has already typed there (``KEEP_TYPED``)."""
    _pending.append(_Handler(fn, inputs, outputs, then, tuple(then_inputs or ()), tuple(then_outputs or ()), follow,
                             tuple(follow_inputs or ()), tuple(follow_outputs or ()), tuple(follow_progress_on or ()),
                             (*settle, KEEP_TYPED) if settle else None))


def wire_page_load(demo: gr.Blocks) -> None:
    """Attach every registered handler to ``demo.load`` (and forget them: the next build starts afresh)."""
    for h in _pending:
        event = demo.load(h.fn, inputs=h.inputs, outputs=h.outputs, queue=False, show_progress="hidden",
                          api_visibility="private")
        if h.settle is not None:
            holder, field, js = h.settle
            event = event.then(None, inputs=[holder, field], outputs=[field], js=js, queue=False,
                               show_progress="hidden", api_visibility="private")
        if h.then is not None:
            event = event.then(h.then, inputs=list(h.then_inputs), outputs=list(h.then_outputs), queue=False,
                               show_progress="hidden", api_visibility="private")
        if h.follow is not None:
            event.then(h.follow, inputs=list(h.follow_inputs), outputs=list(h.follow_outputs),
                       show_progress_on=list(h.follow_progress_on) or None, api_visibility="private")
    _pending.clear()

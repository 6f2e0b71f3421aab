"""Handlers a tab wants run when the page opens (restoring saved inputs, filling lists from the store).

A tab registers them while it is built (``on_page_load``); ``build_app`` wires them to ``demo.load``.
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


_pending: list[_Handler] = []


def on_page_load(fn: Callable[..., Any], inputs: list[Any], outputs: list[Any], then: Callable[..., Any] | None = None,
                 then_inputs: list[Any] | None = None, then_outputs: list[Any] | None = None) -> None:
    _pending.append(_Handler(fn, inputs, outputs, then, tuple(then_inputs or ()), tuple(then_outputs or ())))


def wire_page_load(demo: gr.Blocks) -> None:
    """Attach every registered handler to ``demo.load`` (and forget them: the next build starts afresh)."""
    for h in _pending:
        event = demo.load(h.fn, inputs=h.inputs, outputs=h.outputs, queue=False, show_progress="hidden",
                          api_visibility="private")
        if h.then is not None:
            event.then(h.then, inputs=list(h.then_inputs), outputs=list(h.then_outputs), queue=False,
                       show_progress="hidden", api_visibility="private")
    _pending.clear()

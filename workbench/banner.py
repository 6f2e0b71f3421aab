"""The weak-profile banner beside a tab's profile picker(s): text from core.quality, shown only when a weak
profile is chosen, redrawn when the choice changes and when the page opens (in the browser's language)."""

from __future__ import annotations

from html import escape
from typing import Any

import gradio as gr

from core.quality import quality_notice
from workbench.i18n import lang_of

_STYLE = ("border:2px solid #cf222e;background:#fff1f0;color:#82071e;border-radius:8px;padding:8px 12px;"
          "margin:4px 0;font-weight:600")


def banner_html(text: str | None) -> str:
    if not text:
        return ""
    lines = "".join(f"<div>{escape(line)}</div>" for line in text.splitlines())
    return f'<div role="alert" data-testid="weak-profile" style="{_STYLE}">{lines}</div>'


def _chosen(values: Any) -> list[str]:
    """Profile names from pickers' values (a dropdown holds one, a checkbox group several)."""
    return [str(v) for value in values for v in (value if isinstance(value, (list, tuple)) else [value]) if v]


def _update(values: tuple[Any, ...], request: gr.Request | None) -> Any:
    text = quality_notice(_chosen(values), lang_of(request))
    return gr.update(value=banner_html(text), visible=bool(text))


def weak_profile_banner(*pickers: gr.Dropdown | gr.CheckboxGroup, elem_id: str) -> gr.HTML:
    """A banner for the profile(s) chosen in ``pickers`` (dropdowns or checkbox groups)."""
    text = quality_notice(_chosen([p.value for p in pickers]))
    banner = gr.HTML(banner_html(text), visible=bool(text), elem_id=elem_id)

    # gradio hands the request (for the browser's language) only to named positional parameters
    def one(a: Any, request: gr.Request) -> Any:
        return _update((a,), request)

    def two(a: Any, b: Any, request: gr.Request) -> Any:
        return _update((a, b), request)

    if len(pickers) not in (1, 2):
        raise ValueError("a weak-profile banner follows one or two pickers")
    refresh = one if len(pickers) == 1 else two
    for picker in pickers:
        picker.change(refresh, inputs=list(pickers), outputs=[banner], queue=False, show_progress="hidden",
                      api_visibility="private")
    root = gr.context.Context.root_block
    if root is not None:
        root.load(refresh, inputs=list(pickers), outputs=[banner], queue=False, show_progress="hidden",
                  api_visibility="private")
    return banner

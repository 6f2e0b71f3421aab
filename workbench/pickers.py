"""Model-profile pickers: the same choices in every tab, read again whenever a tab opens, so a profile
registered meanwhile (a freshly trained adapter) can be picked at once without restarting. Only profiles that
can run on this machine are offered; the picker's note names the others and why (core.availability).
A judge picker (Compare) offers only the runnable profiles that can judge (core.compare.plan.judges)."""

from __future__ import annotations

from typing import Any, TypeVar

import gradio as gr

from core.compare.plan import judges
from core.engines.offered import Offered, runnable_profiles
from core.messages import msg
from core.models import load_profiles
from workbench.i18n import lang_of

_judge_pickers: set[int] = set()  # ids of the pickers that choose a judge
Picker = TypeVar("Picker", bound=gr.components.Component)


def offer() -> Offered:
    default, profiles = load_profiles()
    return runnable_profiles(list(profiles), default)


def profile_choices() -> tuple[list[str], str]:
    """(profile names that can run here, default profile)."""
    found = offer()
    return found.names, found.default


def left_out_note(found: Offered, lang: str) -> str:
    """The picker's note: the profiles not offered here and why, in ``lang``; empty when every one runs."""
    if not found.left_out:
        return ""
    items = [f"{name} ({', '.join(msg('pick_why_' + code, lang) for code in why)})"
             for name, why in found.left_out.items()]
    return msg("pick_left_out", lang, items="; ".join(items))


def judge_picker(component: Picker) -> Picker:
    """Mark a picker as a judge picker (its choices: runnable profiles that can judge)."""
    _judge_pickers.add(component._id)
    return component


def _update(found: Offered, judge: bool, lang: str) -> Any:
    names = judges(found.names) if judge else found.names
    # choices and note only: the value stays what the person has on screen now, even one they picked while this
    # refresh was on its way (sending back the value it started from would undo that pick)
    return gr.update(choices=names, info=left_out_note(found, lang) or None)


def keep_fresh(demo: gr.Blocks, tabs: list[tuple[gr.Tab, list[gr.components.Component]]]) -> None:
    """Refresh each tab's pickers when the tab is opened, and all of them when the page loads."""

    def refresher(pickers: list[gr.components.Component]):
        kinds = [c._id in _judge_pickers for c in pickers]

        def refresh(request: gr.Request) -> Any:
            found, lang = offer(), lang_of(request)
            updates = [_update(found, judge, lang) for judge in kinds]
            return updates[0] if len(updates) == 1 else tuple(updates)

        return refresh

    everything = [c for _, pickers in tabs for c in pickers]
    for tab, pickers in tabs:
        if pickers:
            tab.select(refresher(pickers), inputs=[], outputs=pickers, queue=False, show_progress="hidden",
                       api_visibility="private")
    if everything:
        demo.load(refresher(everything), inputs=[], outputs=everything, queue=False, show_progress="hidden",
                  api_visibility="private")

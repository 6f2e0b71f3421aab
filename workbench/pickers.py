"""Model-profile pickers: the same choices in every tab, read again whenever a tab opens, so a profile
registered meanwhile (a freshly trained adapter) can be picked at once without restarting."""

from __future__ import annotations

from typing import Any

import gradio as gr

from core.models import load_profiles
from core.services.demo import offered_profiles


def profile_choices() -> tuple[list[str], str]:
    """(profile names, default profile); in demo mode only the profiles that run on this machine."""
    default, profiles = load_profiles()
    return offered_profiles(list(profiles), default)


def refresh_pickers(*values: Any) -> Any:
    """New choices for every picker given; what each one holds stays chosen."""
    names, _ = profile_choices()
    updates = [gr.update(choices=names, value=value) for value in values]
    return updates[0] if len(updates) == 1 else tuple(updates)


def keep_fresh(demo: gr.Blocks, tabs: list[tuple[gr.Tab, list[gr.components.Component]]]) -> None:
    """Refresh each tab's pickers when the tab is opened, and all of them when the page loads."""
    everything = [c for _, pickers in tabs for c in pickers]
    for tab, pickers in tabs:
        if pickers:
            tab.select(refresh_pickers, inputs=pickers, outputs=pickers, queue=False, show_progress="hidden",
                       api_visibility="private")
    if everything:
        demo.load(refresh_pickers, inputs=everything, outputs=everything, queue=False, show_progress="hidden",
                  api_visibility="private")

"""Keyword arguments that several of a tab's event listeners share, typed as Gradio's listeners take them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypedDict

from gradio.components import Component


class Quiet(TypedDict):
    queue: bool
    show_progress: Literal["full", "minimal", "hidden"]
    api_visibility: Literal["public", "private", "undocumented"]


class Watch(TypedDict):
    """A listener that follows something going on: what it reads and shows, and how many may run at once."""

    inputs: Component | Sequence[Component]
    outputs: Component | Sequence[Component]
    concurrency_id: str
    concurrency_limit: int


# A listener that only moves state around: no queue, no spinner, no API endpoint.
QUIET: Quiet = {"queue": False, "show_progress": "hidden", "api_visibility": "private"}

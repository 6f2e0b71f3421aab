"""Pieces shared by every model-produced object."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

from pydantic import BaseModel, Field


class Provenance(BaseModel):
    """Where an answer came from: enough to reproduce or distrust it."""

    model_profile: str
    engine: str
    prompt_version: str
    input_hash: str
    seconds: float = Field(ge=0)
    adapter: str | None = None
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


_SPACE = re.compile(r"\s+")
_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normalize_for_match(text: str) -> str:
    """Case-, whitespace- and typography-insensitive form used to check quotes."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS).casefold()
    return _SPACE.sub(" ", text).strip()


def quote_in_text(quote: str, normalized_text: str) -> bool:
    """True when ``quote`` occurs in a text already passed through :func:`normalize_for_match`."""
    q = normalize_for_match(quote).strip(" .,;:!?\"'()[]-")
    return len(q) >= 3 and q in normalized_text

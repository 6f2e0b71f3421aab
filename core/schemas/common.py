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


_URLISH = re.compile(r"://|www\.|[\w-]\.[a-z]{2,}/|/[\w.-]+/")


def _broken_line_pattern(quote: str) -> re.Pattern:
    """``quote`` (normalized) as a pattern that also matches its text broken across lines: a word
    hyphenated at a line end ("experi- ence"), a hyphen or slash followed by a line break
    ("ivan- petrov", "github.com/ dkozlov"), and a link split anywhere ("github.com/ivan-pet rov").
    Nothing else is loosened: every character of the quote must be there, in order."""
    parts = []
    for token in quote.split(" "):
        link = bool(_URLISH.search(token))
        out = []
        for i, ch in enumerate(token):
            out.append(re.escape(ch))
            if i == len(token) - 1:
                continue
            if link or ch in "-/":
                out.append(" ?")
            elif ch.isalpha() and token[i + 1].isalpha():
                out.append("(?:- )?")
        parts.append("".join(out))
    return re.compile(" ".join(parts))


def quote_in_text(quote: str, normalized_text: str) -> bool:
    """True when ``quote`` occurs in a text already passed through :func:`normalize_for_match`, also
    where the text breaks it across lines (a hyphenated word, a wrapped link: common in PDFs)."""
    q = normalize_for_match(quote).strip(" .,;:!?\"'()[]-")
    if len(q) < 3:
        return False
    return q in normalized_text or _broken_line_pattern(q).search(normalized_text) is not None

"""Pieces shared by every model-produced object."""

from __future__ import annotations

import numbers
import re
import unicodedata
from datetime import datetime, timezone
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field
from pydantic_core import PydanticCustomError


class Provenance(BaseModel):
    """Where an answer came from: enough to reproduce or distrust it."""

    model_profile: str
    engine: str
    prompt_version: str
    input_hash: str
    seconds: float = Field(ge=0)
    adapter: str | None = None
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


def _a_number(value: object) -> object:
    """Only a number is a score: a model's ``true``, ``"4"`` or ``null`` is not read as one (pydantic's lax
    mode would turn ``true`` into 1 and ``"4"`` into 4). Range checks follow in the field's own bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "a boolean" if isinstance(value, bool) else "text" if isinstance(value, str) else type(value).__name__
        raise PydanticCustomError("not_a_number", "must be a number, not {kind} ({value})",
                                  {"kind": kind, "value": repr(value)[:40]})
    return value


NumberOnly = BeforeValidator(_a_number)


# scores a model writes: whole numbers in range, filled only by a JSON number (no booleans, no text)
Score1to5 = Annotated[int, Field(ge=1, le=5), NumberOnly]
Score0to100 = Annotated[int, Field(ge=0, le=100), NumberOnly]


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

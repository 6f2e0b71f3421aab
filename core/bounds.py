"""How long each text a person types or pastes may be: one table (``BOUNDS``), one check (``check_text``).

Every service that takes text from a form, an API client or a file row checks it here before any work, so a
30 MB paste is refused at once with the limit in the reader's language instead of holding a worker.

| field       | characters | why                                                                     |
| ----------- | ---------- | ----------------------------------------------------------------------- |
| job         | 50 000     | a long vacancy is 5 000–10 000; ten times that still parses in a second  |
| resume      | 100 000    | a pasted resume (a document is cut to 60 000 when read, core.config)      |
| question    | 3 000      | what the grader takes (core.services.grading.AnswerInput)               |
| answer      | 8 000      | the grader's input and the interview page's answer box                  |
| reference   | 6 000      | a reference answer                                                      |
| notes       | 4 000      | a human grader's reasoning kept with a human score                      |
| name        | 200        | a candidate's name or reference, a person's name on a decision           |
| reason      | 2 000      | why a decision was taken                                                |
| search      | 500        | a search box                                                            |
| short       | 200        | any other one-line field (scale, set name, profile name)                 |
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

from core.messages import Count, LocalizedError, msg
from core.text_check import check_characters

Field = Literal["job", "resume", "question", "answer", "reference", "notes", "name", "reason", "search", "short"]


@dataclass(frozen=True)
class TextBounds:
    """The most characters each kind of text may have."""

    job: int = 50_000
    resume: int = 100_000
    question: int = 3_000
    answer: int = 8_000
    reference: int = 6_000
    notes: int = 4_000
    name: int = 200
    reason: int = 2_000
    search: int = 500
    short: int = 200

    def most(self, field: Field) -> int:
        return int(getattr(self, field))


BOUNDS = TextBounds()
FIELDS: tuple[str, ...] = tuple(f.name for f in fields(TextBounds))


class InputTooLong(LocalizedError):
    """A text over its bound. ``text(lang)`` names the field and the limit in the reader's language."""

    def __init__(self, field: Field, length: int, most: int) -> None:
        self.field, self.length, self.most = field, length, most
        super().__init__(key="lim_too_long", what=msg(f"lim_field_{field}", "en"), n=length,
                         most=Count("chars_gen_n", most))

    def text(self, lang: str = "en") -> str:
        return msg("lim_too_long", lang, what=msg(f"lim_field_{self.field}", lang), n=self.length,
                   most=Count("chars_gen_n", self.most))


def check_text(field: Field, value: str | None, bounds: TextBounds = BOUNDS) -> str:
    """``value`` (None as ""), or raise :class:`InputTooLong` when it has more characters than its bound."""
    text = value or ""
    check_characters(field, text)  # core.text_check: a lone surrogate is refused, the field named
    most = bounds.most(field)
    if len(text) > most:
        raise InputTooLong(field, len(text), most)
    return text


def check_texts(bounds: TextBounds = BOUNDS, **values: str | None) -> None:
    """Check several fields at once: ``check_texts(job=job, name=candidate)``."""
    for field, value in values.items():
        if field not in FIELDS:
            raise TypeError(f"no text bound named {field!r}; one of {', '.join(FIELDS)}")
        check_text(field, value, bounds)  # type: ignore[arg-type]

"""Text that cannot be text: a lone surrogate (``"\\ud800"``, which JSON can carry as an escape) has no UTF-8
form, so it breaks the store, hashing and every file it reaches. It is refused where text comes in
(``core.bounds.check_text`` calls :func:`check_characters`), with the field named in the reader's language."""

from __future__ import annotations

from core.messages import LocalizedError, has, msg


class BrokenText(LocalizedError):
    """A text with a character that is not valid text. ``text(lang)`` names the field in the reader's language."""

    def __init__(self, field: str, position: int) -> None:
        self.field, self.position = field, position
        super().__init__(key="txt_broken", what=_what(field, "en"), at=position)

    def text(self, lang: str = "en") -> str:
        return msg("txt_broken", lang, what=_what(self.field, lang), at=self.position)


def _what(field: str, lang: str) -> str:
    key = f"lim_field_{field}"
    return msg(key, lang) if has(key) else msg("txt_field_any", lang)


def first_broken(text: str) -> int | None:
    """The 1-based position of the first character with no UTF-8 form (a lone surrogate), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start + 1
    return None


def check_characters(field: str, value: str | None) -> None:
    """Raise :class:`BrokenText` when ``value`` holds a character that is not valid text."""
    at = first_broken(value or "")
    if at is not None:
        raise BrokenText(field, at)

"""A text with pieces replaced and the way back: where each replacement stands in both texts.

Redaction (core.facts) makes one; the rules engine reads it to show a line of the neutral text in the resume's
own words (core.engines.tasks carries it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextMap:
    """A text with pieces replaced (personal data as placeholders) and where each replacement stands:
    ``spans`` holds (start, end) in the original and (start, end) in ``text``."""

    text: str
    spans: tuple[tuple[int, int, int, int], ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The range of the original text that text[start:end] shows (a placeholder cut by the range whole)."""
        return shift(self.spans, start, 2, 0, False), shift(self.spans, end, 2, 0, True)

    def to_replaced(self, start: int, end: int) -> tuple[int, int]:
        """The range of ``text`` that shows original[start:end]."""
        return shift(self.spans, start, 0, 2, False), shift(self.spans, end, 0, 2, True)


def shift(spans: tuple[tuple[int, int, int, int], ...] | list[tuple[int, int, int, int]], pos: int, src: int, dst: int,
          is_end: bool) -> int:
    """``pos`` in one text (src: 0 original, 2 replaced) as a position in the other."""
    delta = 0
    for span in spans:
        s, e = span[src], span[src + 1]
        if pos < s or (is_end and pos == s):
            break
        if pos < e:
            return span[dst + 1] if is_end else span[dst]
        delta = span[dst + 1] - e
    return pos + delta

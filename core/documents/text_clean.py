"""Characters a reader cannot see: removed from what the model reads, and flagged when they look deliberate.

Zero-width characters, bidirectional controls and Unicode "tag" characters (which can carry a whole
hidden ASCII message) render as nothing, yet a model reads them. Soft hyphens and odd spaces are
normalised silently: they are layout, not content.
"""

from __future__ import annotations

import re

from core.documents.model import DocFlag

ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x180E, 0x034F,
              0x115F, 0x1160, 0x3164, 0xFFA0}
BIDI = {0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}
TAGS = range(0xE0000, 0xE0080)
SMUGGLING_SELECTORS = range(0xE0100, 0xE01F0)  # variation selectors 17-256: no use in resume text
EMOJI_SELECTORS = range(0xFE00, 0xFE10)

_SPACES = re.compile(r"[\t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_MULTI_SPACE = re.compile(r" {2,}")
_GLYPHS = re.compile("[\ufffd\ue000-\uf8ff]")  # unmapped glyphs and icon-font symbols: nothing to read
_SUSPECT = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e\u034f\u061c\u115f\u1160\u3164\uffa0"
                      "\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef]")


def normalize_line(line: str) -> str:
    """One line of visible text: odd spaces become plain spaces, soft hyphens go, runs of spaces shrink."""
    line = _SPACES.sub(" ", _GLYPHS.sub("", line.replace("\u00ad", "")))
    return _MULTI_SPACE.sub(" ", line).strip()


def _is_emoji_joiner(text: str, i: int) -> bool:
    """ZWJ between two pictographs (a legitimate emoji sequence such as a technologist emoji)."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return bool(before and after and ord(before) >= 0x2190 and ord(after) >= 0x2190
                and not (before.isalpha() or after.isalpha()))


def strip_invisible(text: str, page: int | None = None) -> tuple[str, list[DocFlag]]:
    """Remove invisible characters; flag them when they can hide or reorder content.

    A single stray zero-width space (a copy-paste leftover) is removed without a flag; tag characters,
    bidirectional controls and two or more zero-width characters are flagged with what they hid.
    """
    if not _SUSPECT.search(text):
        return text, []
    out: list[str] = []
    hidden_message: list[str] = []
    messages: list[str] = []
    zero_width = bidi = tags = 0
    first_at = -1
    for i, ch in enumerate(text):
        cp = ord(ch)
        if cp in TAGS or cp in SMUGGLING_SELECTORS:
            tags += 1
            if cp in TAGS and 0x20 <= cp - 0xE0000 < 0x7F:
                hidden_message.append(chr(cp - 0xE0000))
            elif cp in SMUGGLING_SELECTORS:
                hidden_message.append(chr(cp - 0xE0100 + 16) if cp - 0xE0100 + 16 < 0x7F else "?")
        elif cp in ZERO_WIDTH:
            if not (cp == 0x200D and _is_emoji_joiner(text, i)) and not (cp == 0xFEFF and i == 0):
                zero_width += 1
        elif cp in BIDI:
            bidi += 1
        elif cp in EMOJI_SELECTORS:
            pass
        else:
            if hidden_message:
                messages.append("".join(hidden_message))
                hidden_message = []
            out.append(ch)
            continue
        if first_at < 0 and (cp not in EMOJI_SELECTORS):
            first_at = len(out)
    if hidden_message:
        messages.append("".join(hidden_message))
    clean = "".join(out)
    flags: list[DocFlag] = []
    for message in messages:
        if message.strip():
            flags.append(DocFlag(kind="invisible_chars", snippet=message.strip()[:500], page=page,
                                 detail=f"message hidden in {len(message)} invisible Unicode tag characters"))
    if bidi or zero_width >= 2 or (tags and not flags):
        context = clean[max(0, first_at - 40): first_at + 60].strip() if first_at >= 0 else ""
        parts = [f"{n} {what}" for n, what in ((zero_width, "zero-width"), (bidi, "bidi-control"), (tags, "tag"))
                 if n and not (what == "tag" and flags)]
        if parts:
            flags.append(DocFlag(kind="invisible_chars", snippet=context or "(no visible text around them)", page=page,
                                 detail=", ".join(parts) + " characters removed near this text"))
    return clean, flags


def lowered(text: str) -> str:
    """``text.lower()`` with the same length (so match offsets map back), for fast case-insensitive search:
    Python's ``re`` is several times faster on lower-case text than with IGNORECASE."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def at_word_start(low: str, start: int) -> bool:
    """True when ``start`` begins a word (what a leading ``\\b`` would check, done after the match: a pattern
    that starts with a literal lets ``re`` skip ahead fast)."""
    return start == 0 or not (low[start - 1].isalnum() or low[start - 1] in "_+#")

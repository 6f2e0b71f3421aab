"""Which of the two UI languages a short text is written in, by its letters alone (no other import)."""

from __future__ import annotations


def is_russian(text: str) -> bool:
    """Whether most letters are Russian Cyrillic: which of the two UI languages a short text (a question,
    an answer) is answered in."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    cyrillic = sum("а" <= ch.lower() <= "я" or ch.lower() == "ё" for ch in letters)
    return cyrillic / len(letters) > 0.5

"""Deterministic checks that run before any grader: answers that are not answers at all.

An empty answer, one that only repeats the question, keyboard noise, or "I don't know" gets the lowest
grade with a plain reason, whatever model is chosen: no model is asked to judge what is not there.
Anything subtler (off-topic text, poetry, wrong statements) is left to the grader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.schemas.common import normalize_for_match

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_VOWELS = set("aeiouyаеёиоуыэюяієї")
_DONT_KNOW = {
    "i don't know", "i dont know", "don't know", "dont know", "no idea", "idk", "n/a", "na", "none", "-", "?",
    "pass", "skip", "не знаю", "незнаю", "без понятия", "затрудняюсь ответить", "нет ответа", "пропуск",
}

MESSAGES = {
    "empty": {
        "en": "The answer is empty, so there is nothing to assess.",
        "ru": "Ответ пустой, оценивать нечего.",
    },
    "dont_know": {
        "en": "The candidate wrote that they do not know the answer.",
        "ru": "Кандидат написал, что не знает ответа.",
    },
    "copied_question": {
        "en": "The answer only repeats the question and adds nothing of its own.",
        "ru": "Ответ лишь повторяет вопрос и ничего не добавляет.",
    },
    "noise": {
        "en": "The answer is random characters or repeated filler, not an attempt to answer.",
        "ru": "Ответ состоит из случайных символов или повторов, это не попытка ответить.",
    },
}


@dataclass(frozen=True)
class NonAnswer:
    """Why an answer is not an answer; ``code`` is one of MESSAGES' keys."""

    code: str

    def message(self, lang: str) -> str:
        return MESSAGES[self.code]["ru" if lang == "ru" else "en"]


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _unpronounceable(word: str) -> bool:
    if not any(ch in _VOWELS for ch in word):
        return True
    run = 0
    for ch in word:
        run = 0 if ch in _VOWELS else run + 1
        if run >= 5:
            return True
    return False


def check_answer(question: str, answer: str) -> NonAnswer | None:
    """A NonAnswer when the text is plainly not an answer; None when a grader should judge it."""
    text = normalize_for_match(answer)
    if not text or not any(ch.isalnum() for ch in text):
        return NonAnswer("empty")
    if text.strip(" .!") in _DONT_KNOW:
        return NonAnswer("dont_know")
    words = _words(text)
    q_words = set(_words(question))
    if words and (text == normalize_for_match(question) or (len(words) >= 3 and set(words) <= q_words)):
        return NonAnswer("copied_question")
    long_words = [w for w in words if len(w) >= 4]
    if long_words and not (set(long_words) & q_words):
        odd = sum(_unpronounceable(w) for w in long_words)
        if odd / len(long_words) > 0.5:
            return NonAnswer("noise")
    if len(words) >= 6 and len(set(words)) / len(words) < 0.25:
        return NonAnswer("noise")
    return None

"""What a failed item says to people, in their language, while the store keeps the English words for audit.

A failure is stored as text (run items, results, interview answers, a question run): ``failure(key, **kw)`` is
the English rendering of a message of the tables (``core.messages``), followed by ``[detail: …]`` when there is
something only the audit and the server log should hold (an exception's text). ``shown_failure(text, lang)``
finds which message wrote a stored text and renders it in the reader's language (the detail left out); a text
that no failure message wrote is shown as stored.
"""

from __future__ import annotations

import logging
import re
import string
from functools import cache

from core.messages import TABLES, msg

# every message a stored failure may be written with (their English form is what the store keeps)
FAILURE_KEYS = ("fail_rules_crashed", "fail_answer_unusable", "fail_grader_unusable", "fail_questions_unusable",
                "fail_engine_unavailable", "fail_stale_report", "fail_stale_grade", "fail_interview_grading",
                "fail_grade_not_stored")
_DETAIL = " [detail: "


def failure(key: str, audit: str = "", **kw: object) -> str:
    """The text to store for the failure ``key``: its English words, then ``audit`` (an exception's text) that is
    kept and logged but never shown."""
    text = msg(key, "en", **kw)
    audit = " ".join(str(audit).split())
    return f"{text}{_DETAIL}{audit[:1000]}]" if audit else text


@cache
def _pattern(key: str) -> re.Pattern[str]:
    template = TABLES["en"][key]
    assert isinstance(template, str)
    parts = []
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>.*?)" if f"(?P<{field}>" not in "".join(parts) else f"(?P={field})")
    return re.compile("".join(parts) + r"(?: \[detail: .*\])?", re.S)


def failure_of(text: str | None) -> tuple[str, dict[str, str]] | None:
    """(key, fields) of the failure message that wrote ``text``; None when no failure message did."""
    for key in FAILURE_KEYS:
        found = _pattern(key).fullmatch(text or "")
        if found:
            return key, found.groupdict()
    return None


def shown_failure(text: str | None, lang: str) -> str:
    """A stored failure as the reader of ``lang`` sees it: the tables' words, never the audit detail."""
    found = failure_of(text)
    if found is None:
        return text or ""
    key, fields = found
    return msg(key, lang, **fields)


def unusable(key: str, error: str | None, **kw: object) -> str:
    """The failure ``key`` for an answer that could not be used because of ``error``; an ``error`` that already is a
    stored failure (the engine's own, e.g. the rules baseline's) is kept as it is."""
    if failure_of(error) is not None:
        return error or ""
    logging.getLogger("hirelab.failures").warning("%s: %s", key, " ".join(str(error).split())[:300])
    return failure(key, audit=error or "", **kw)

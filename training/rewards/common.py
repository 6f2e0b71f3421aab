"""What every reward function needs: the completion's text and the grade it states, if any."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.engines.structured import OutputError, parse_object
from core.schemas.grade import GradeAssessment, TagFormatError, model_tag_score


def completion_text(completion: Any) -> str:
    """TRL passes plain strings, or for chat prompts a list of messages; the text is the assistant's."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        return "".join(m.get("content", "") for m in completion if isinstance(m, dict) and m.get("role") == "assistant")
    if isinstance(completion, dict):
        return str(completion.get("content", ""))
    return ""


@dataclass(frozen=True)
class Parsed:
    """A completion read as a grade: ``kind`` is 'json', 'tags' or 'none'; ``score`` is on the 1–5 scale."""

    kind: str
    score: float | None
    error: str | None = None
    wrong_object: bool = False  # a complete JSON object that does not match the grade schema


def parse_grade(text: str) -> Parsed:
    """Read a grade from a completion: a GradeAssessment JSON object, else the tag format."""
    try:
        value = parse_object(text, GradeAssessment)
        return Parsed("json", value.overall)
    except OutputError as exc:
        json_error = str(exc)
    try:
        _, score = model_tag_score(text)
    except TagFormatError as exc:
        return Parsed("none", None, f"{json_error}; {exc}", json_error.startswith("does not match"))
    return Parsed("tags", score)

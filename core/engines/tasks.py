"""Typed task payloads carried by a ChatRequest next to its messages.

LLM backends read only the messages; the no-LLM ``rules`` backend reads the task. One protocol, so a
service builds the same request whatever profile runs it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.facts.model import Facts


@dataclass(frozen=True)
class FitTask:
    """``resume`` is the text the model sees (placeholders instead of personal data when ``blind``);
    ``facts`` were found before redaction and carry its placeholders, so a blind run knows what a normal
    one knows (a GitHub link exists, years, skills) without seeing it."""

    resume: str
    job: str
    facts_text: str = ""
    facts: Facts | None = None
    blind: bool = False


@dataclass(frozen=True)
class GradeTask:
    question: str
    answer: str
    reference: str | None = None

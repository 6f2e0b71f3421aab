"""Typed task payloads carried by a ChatRequest next to its messages.

LLM backends read only the messages; the no-LLM ``rules`` backend reads the task. One protocol, so a
service builds the same request whatever profile runs it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FitTask:
    resume: str
    job: str
    facts_text: str = ""


@dataclass(frozen=True)
class GradeTask:
    question: str
    answer: str
    reference: str | None = None

"""Typed task payloads carried by a ChatRequest next to its messages: the whole of what an engine is given.

LLM backends read only the messages; the no-LLM ``rules`` backend reads the task. One protocol, so a
service builds the same request whatever profile runs it. Everything an engine needs from a document is found
by the service (core.facts, core.documents) and carried here, once per job or per resume: engines import
neither of those packages (core.services.fit_tasks builds a FitTask).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from core.schemas.text_map import TextMap


@dataclass(frozen=True)
class JobBrief:
    """What a job asks of a candidate, found once per screening and shared by every resume's task.

    ``asked`` is the job without its company blurb, benefits or "we offer" (only it counts); ``skills`` the
    project taxonomy's skills named there, in order of first mention; ``skill_weights`` how central each skill
    is (title and requirements most, nice-to-haves least); ``requirements`` its requirement sentences with their
    weights (one that names no skill weighs little); ``years`` the years of experience it asks for."""

    text: str
    asked: str = ""
    skills: tuple[str, ...] = ()
    skill_weights: Mapping[str, float] = field(default_factory=dict)
    requirements: tuple[tuple[str, float], ...] = ()
    years: float | None = None


@dataclass(frozen=True)
class FlagFound:
    """A hiring-checklist flag that counts for this job, titled in the report's language, citing the resume."""

    kind: Literal["green", "red"]
    title: str
    quote: str


@dataclass(frozen=True)
class ResumeBrief:
    """What the rules found in a resume, before any redaction (a blind run knows what a normal one knows).

    ``skill_quotes``: skill -> the resume's words around its first mention; ``years`` the years of experience it
    states (``claimed``) or else counts from its work dates; ``years_quote`` the line that says so; ``flags`` the
    checklist's flags for this job; ``injections`` instruction-like snippets; ``language`` the report's language."""

    skill_quotes: Mapping[str, str] = field(default_factory=dict)
    years: float | None = None
    claimed: bool = False
    years_quote: str | None = None
    flags: tuple[FlagFound, ...] = ()
    injections: tuple[str, ...] = ()
    language: str = "en"


@dataclass(frozen=True)
class FitTask:
    """``resume`` is the text the model sees (placeholders instead of personal data when ``blind``); ``neutral``
    is the resume with personal data as placeholders in both modes (so blind == normal where lines are compared),
    mapped back onto ``resume``; ``facts_text`` the facts as the prompt shows them."""

    resume: str
    job: JobBrief
    facts: ResumeBrief
    neutral: TextMap
    facts_text: str = ""
    blind: bool = False


@dataclass(frozen=True)
class GradeTask:
    question: str
    answer: str
    reference: str | None = None

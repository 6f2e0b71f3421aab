"""Green and red flags from the hiring checklist in ``assets/checklist.yaml``, each citing its text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, model_validator

from core.config import ASSETS
from core.documents.text_clean import at_word_start, lowered
from core.facts.model import CODE_HOSTS, ChecklistFlag, Link
from core.facts.taxonomy import WORD_END, trie_regex

CHECKLIST_PATH = ASSETS / "checklist.yaml"
QUOTE_CHARS = 160


class Check(BaseModel):
    id: str
    kind: Literal["green", "red"]
    title: dict[str, str]
    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    rule: Literal["code_links", "no_code_links"] | None = None
    unless: list[str] = Field(default_factory=list)
    job_asks: list[str] = Field(default_factory=list)  # raised only for a job whose text names one of these

    @model_validator(mode="after")
    def _one_way(self) -> "Check":
        if not (self.terms or self.patterns or self.rule):
            raise ValueError(f"check {self.id!r} needs terms, patterns or a rule")
        return self


class ChecklistFile(BaseModel):
    version: int
    engineering_titles: list[str]
    checks: list[Check]


@dataclass(frozen=True)
class Checklist:
    checks: tuple[Check, ...]
    regexes: dict[str, tuple[re.Pattern, ...]]
    title_rx: re.Pattern
    job_rx: dict[str, re.Pattern]  # check id -> what a job must say for the check to count (``job_asks``)


def _compile(pattern: str) -> re.Pattern:
    """A checklist pattern, for lower-cased text; a leading \\b is checked after the match (faster)."""
    return re.compile(pattern.removeprefix(r"\b"))


@lru_cache(maxsize=4)
def load_checklist(path: Path = CHECKLIST_PATH) -> Checklist:
    data = ChecklistFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    regexes: dict[str, tuple[re.Pattern, ...]] = {}
    for check in data.checks:
        rxs = [_compile(f"(?:{trie_regex([t.lower() for t in check.terms])}){WORD_END}")] if check.terms else []
        rxs += [_compile(p) for p in check.patterns]
        regexes[check.id] = tuple(rxs)
    titles = _compile(f"(?:{trie_regex([t.lower() for t in data.engineering_titles])}){WORD_END}")
    asks = {c.id: _compile(f"(?:{trie_regex([t.lower() for t in c.job_asks])}){WORD_END}") for c in data.checks
            if c.job_asks}
    return Checklist(tuple(data.checks), regexes, titles, asks)


def _search(rx: re.Pattern, low: str) -> re.Match | None:
    for m in rx.finditer(low):
        if at_word_start(low, m.start()):
            return m
    return None


_PARTS = re.compile(r"\s[·|•]\s|\s{2,}|\t")


def quote_at(text: str, start: int, end: int, limit: int = QUOTE_CHARS) -> str:
    """The resume line (or the part of it between " · " / " | " separators) around a match, cut to ``limit``
    characters; always an exact substring of ``text``."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    for m in _PARTS.finditer(text, left, right):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            right = m.start()
            break
    if right - left > limit:
        left = max(left, start - (limit - (end - start)) // 2)
        right = min(right, left + max(limit, end - start))
    return text[left:right].strip()


def evaluate(text: str, links: list[Link], lang: str = "en", checklist: Checklist | None = None) -> list[ChecklistFlag]:
    cl = checklist or load_checklist()
    low = lowered(text)
    lang = "ru" if lang == "ru" else "en"
    raised: dict[str, ChecklistFlag] = {}
    code_links = [link for link in links if link.kind in CODE_HOSTS]
    for check in cl.checks:
        title = check.title.get(lang) or check.title.get("en") or check.id
        quote = None
        if check.rule == "code_links" and code_links:
            quote = code_links[0].url  # the link is the evidence
        elif check.rule == "no_code_links" and not code_links:
            m = _search(cl.title_rx, low)
            quote = quote_at(text, m.start(), m.end()) if m else None
        for rx in cl.regexes.get(check.id, ()):
            m = _search(rx, low)
            if m:
                quote = quote_at(text, m.start(), m.end())
                break
        if quote:
            raised[check.id] = ChecklistFlag(id=check.id, kind=check.kind, title=title, quote=quote)
    for check in cl.checks:
        if check.id in raised and any(u in raised for u in check.unless):
            del raised[check.id]
    return list(raised.values())


def for_job(flags: list[ChecklistFlag], job: str, checklist: Checklist | None = None) -> list[ChecklistFlag]:
    """The flags that count for this job: a check with ``job_asks`` (no public code links) only where what the job
    asks of a candidate (its requirement and duty lines, ``job_requirements``) names it: public code, a portfolio,
    open source; for other roles a missing link says nothing."""
    from core.facts.job import job_requirements

    cl = checklist or load_checklist()
    low = lowered(job_requirements(job or ""))
    return [f for f in flags if f.id not in cl.job_rx or _search(cl.job_rx[f.id], low) is not None]


def title_of(check_id: str, lang: str = "en", checklist: Checklist | None = None) -> str:
    """A check's title in ``lang`` ("en" or "ru"), so a flag found once reads in the report's language."""
    for check in (checklist or load_checklist()).checks:
        if check.id == check_id:
            return check.title.get("ru" if lang == "ru" else "en") or check.title.get("en") or check_id
    return check_id

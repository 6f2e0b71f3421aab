"""Skills found in any text (resumes and job descriptions), by the taxonomy in ``assets/skills.yaml``.

All aliases compile into one trie-shaped regular expression (fast on long texts, longest alias
first, so "React Native" is not read as "React"). Short names that are ordinary words ("Go", "R")
match only with their exact capitalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from core.config import ASSETS
from core.documents.text_clean import at_word_start, lowered

TAXONOMY_PATH = ASSETS / "skills.yaml"
_BEFORE = r"(?<![\w+#])"
WORD_END = r"(?![\w+#]|\.\w)"
_GO_VERB = re.compile(r"[\s\-]+(?:to|ahead|live|back|through|beyond|over|out|get|fast)\b", re.IGNORECASE)


class SkillEntry(BaseModel):
    name: str
    group: str = "other"
    aliases: list[str] = Field(default_factory=list)
    exact: list[str] = Field(default_factory=list)


class TaxonomyFile(BaseModel):
    version: int
    skills: list[SkillEntry]


def _units(alias: str) -> list[str]:
    """An alias as trie units: characters, " " (any run of spaces or hyphens) and "*" (any word ending)."""
    out: list[str] = []
    for ch in " ".join(alias.split()):
        if ch in " -":
            if out and out[-1] == " ":
                continue
            out.append(" ")
        else:
            out.append(ch)
    return out


def trie_regex(aliases: list[str]) -> str:
    trie: dict = {}
    for alias in aliases:
        node = trie
        for unit in _units(alias):
            node = node.setdefault(unit, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = []
        for unit in sorted(k for k in node if k not in ("", "*")):
            head = r"[\s\-]+" if unit == " " else re.escape(unit)
            alts.append(head + emit(node[unit]))
        if "*" in node:
            alts.append(r"\w*" + emit(node["*"]))
        if "" in node:
            alts.append("")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(trie)


def _key(text: str) -> str:
    return " ".join(re.split(r"[\s\-]+", text.lower())).strip()


@dataclass(frozen=True)
class Taxonomy:
    names: tuple[str, ...]
    groups: dict[str, str]
    lookup: dict[str, str]  # normalised alias -> canonical name
    stems: tuple[tuple[re.Pattern, str], ...]  # aliases with "*" -> canonical name
    exact: dict[str, str]
    pattern: re.Pattern
    exact_pattern: re.Pattern | None

    def canonical(self, matched: str) -> str | None:
        if matched in self.exact:
            return self.exact[matched]
        key = _key(matched)
        if key in self.lookup:
            return self.lookup[key]
        for rx, name in self.stems:
            if rx.fullmatch(matched):
                return name
        return None


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    data = TaxonomyFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    lookup: dict[str, str] = {}
    stems: list[tuple[re.Pattern, str]] = []
    exact: dict[str, str] = {}
    aliases: list[str] = []
    for entry in data.skills:
        names = [] if entry.name in entry.exact else [entry.name]
        for alias in [*names, *entry.aliases]:
            alias = alias.strip().lower()
            if not alias:
                continue
            aliases.append(alias)
            if "*" in alias:
                rx = "".join(r"\w*" if u == "*" else r"[\s\-]+" if u == " " else re.escape(u) for u in _units(alias))
                stems.append((re.compile(rx, re.IGNORECASE), entry.name))
            else:
                lookup.setdefault(_key(alias), entry.name)
        for word in entry.exact:
            exact[word] = entry.name
    pattern = re.compile("(" + trie_regex(aliases) + ")" + WORD_END)  # on lower-cased text; start checked after
    exact_pattern = (re.compile(_BEFORE + "(" + "|".join(re.escape(w) for w in sorted(exact, key=len, reverse=True)) + ")" + WORD_END)
                     if exact else None)
    return Taxonomy(tuple(e.name for e in data.skills), {e.name: e.group for e in data.skills}, lookup, tuple(stems),
                    exact, pattern, exact_pattern)


def find_skills(text: str, taxonomy: Taxonomy | None = None) -> list[tuple[str, int, int]]:
    """(canonical skill, start, end) for every mention, in text order."""
    tax = taxonomy or load_taxonomy()
    hits: list[tuple[str, int, int]] = []
    low = lowered(text)
    for m in tax.pattern.finditer(low):
        if not at_word_start(low, m.start(1)):
            continue
        name = tax.canonical(m.group(1))
        if name:
            hits.append((name, m.start(1), m.end(1)))
    if tax.exact_pattern is not None:
        for m in tax.exact_pattern.finditer(text):
            if len(m.group(1)) == 1 and not _looks_like_r_language(text, m.start(1), m.end(1)):
                continue
            if m.group(1) == "Go" and _GO_VERB.match(text, m.end(1)):
                continue
            hits.append((tax.exact[m.group(1)], m.start(1), m.end(1)))
    hits.sort(key=lambda h: h[1])
    return hits


def _looks_like_r_language(text: str, start: int, end: int) -> bool:
    """A one-letter language ("R", "C") is a skill only in a list ("Python, R, SQL") or as "R language",
    never "R&D" or an initial."""
    before, after = text[max(0, start - 2):start], text[end:end + 13]
    return bool(re.match(r"\s*(?:[,;/)]|$|\n|(?:language|programming|studio)\b)", after)) and bool(
        re.search(r"(?:[,;/(:]\s?|\s)$", before) or start == 0) and not after.startswith(".")


def skills_in(text: str) -> list[str]:
    """Canonical skills mentioned in any text (a resume or a job description), in order of first mention."""
    seen: dict[str, None] = {}
    for name, _, _ in find_skills(text):
        seen.setdefault(name, None)
    return list(seen)

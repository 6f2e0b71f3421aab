"""How much each part of a job description counts when the rules baseline compares a resume with it.

The job's parts come from core.facts.job (title, requirements, nice-to-haves, duties; the company's own
text is already left out). A skill in the title or in a requirement or duty weighs more than one mentioned
in passing, and a nice-to-have ("Nice to have:", "Будет плюсом", "… is a plus") weighs least. A requirement
sentence that names no skill ("a team player with great communication") counts little next to one that
does, so general prose in a resume cannot stand in for the job's stack.
"""

from __future__ import annotations

import re

from core.text import max_len, segments
from core.schemas.fit import FlagEvidence
from core.facts.job import job_parts
from core.facts.taxonomy import find_skills

SKILL_WEIGHT = {"title": 3.0, "requirements": 2.0, "duties": 2.0, "intro": 1.0, "other": 1.0, "nice": 0.5}
LINE_WEIGHT = {"title": 1.0, "requirements": 1.0, "duties": 1.0, "intro": 0.6, "other": 0.6, "nice": 0.3}
GENERIC_LINE = 0.3  # a sentence that names no skill counts this much of one that does
# A requirement is quoted whole in a green flag ("Matches the requirement: …"): a sentence longer than the flag's
# room is split at its clauses, never in the middle of one.
REQUIREMENT_CHARS = max_len(FlagEvidence, "flag") - 40
_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=(?:and|or|и|или|а также)\s)|\s+[–—]\s+")
_INLINE_NICE = re.compile(r"nice to have|is a plus|are a plus|a big plus|bonus points|preferred|would be a plus|"
                          r"будет плюсом|желательно|приветствуется", re.I)


def _parts(job: str) -> list[tuple[str, str]]:
    """(part, line) of the lines that ask something of a candidate; an inline "is a plus" makes a line nice."""
    parts = job_parts(job)
    sections = any(part in ("requirements", "nice", "duties") for part, _ in parts)
    out = []
    for part, line in parts:
        if part not in SKILL_WEIGHT or (sections and part == "intro"):
            continue  # the company's own text, as in core.facts.job_requirements
        out.append(("nice" if part in ("requirements", "duties", "intro", "other") and _INLINE_NICE.search(line)
                    else part, line))
    return out


def skill_weights(job: str) -> dict[str, float]:
    """Skill -> how central it is to the job: the heaviest part any mention of it sits in."""
    weights: dict[str, float] = {}
    for part, line in _parts(job):
        for name, _start, _end in find_skills(line):
            weights[name] = max(weights.get(name, 0.0), SKILL_WEIGHT[part])
    return weights


def requirements(job: str, limit: int = 30) -> list[tuple[str, float]]:
    """(sentence, weight) of the job's requirement sentences: the heaviest ``limit`` of them, in job order."""
    scored: list[tuple[int, str, float]] = []
    for part, line in _parts(job):
        for piece in (p for sentence in segments(line, max_words=10_000) for p in clauses(sentence)):
            scored.append((len(scored), piece, LINE_WEIGHT[part] * (1.0 if find_skills(piece) else GENERIC_LINE)))
    kept = sorted(scored, key=lambda s: (-s[2], s[0]))[:limit]
    return [(text, weight) for _, text, weight in sorted(kept)]


def clauses(sentence: str, room: int = REQUIREMENT_CHARS) -> list[str]:
    """``sentence`` whole when it fits ``room`` characters, else its clauses joined back up to ``room`` each (each
    piece an exact substring)."""
    if len(sentence) <= room:
        return [sentence]
    cuts = [0] + [m.start() for m in _CLAUSE.finditer(sentence)] + [len(sentence)]
    pieces: list[str] = []
    start = 0
    for prev, cut in zip(cuts, cuts[1:]):
        if cut - start > room and prev > start:
            pieces.append(sentence[start:prev].strip())
            start = prev
    pieces.append(sentence[start:].strip())
    return [w for p in pieces if p for w in _windows(p, room)]


def _windows(text: str, room: int) -> list[str]:
    """A clause with no break of its own, longer than ``room``: cut between words (the last resort)."""
    out: list[str] = []
    while len(text) > room:
        cut = text.rfind(" ", 0, room + 1)
        cut = cut if cut > room // 2 else room
        out.append(text[:cut].strip())
        text = text[cut:].strip()
    return out + ([text] if text else [])

"""The parts of a job description that ask something of a candidate, by their headings (English and Russian).

A vacancy mixes requirements and duties with what is not about the candidate at all: the company's
description, "about us", benefits, "we offer" / "мы предлагаем", the interview process, salary and
location. Skills wanted and lines a resume is compared with come only from the first kind, so a
company blurb never raises a flag on a candidate.

Headings are recognised on their own line ("Requirements:", "Что мы предлагаем") or as a label that
starts a line ("Essential: Python, SQL"; "Задачи: проектирование API"). The job's title (its first
line, when that is not a heading) counts as a requirement. A description with no requirement or duty heading keeps every line
outside the recognised boilerplate sections.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Part = Literal["requirements", "nice", "duties", "boilerplate"]

# Checked in this order: the first part whose words occur in the heading names it.
_PART_RX: tuple[tuple[Part, str], ...] = (
    ("boilerplate", r"\b(?:about\s+(?:us|the\s+company|the\s+team|company)|who\s+we\s+are(?!\s+looking)|company|we\s+offer|what\s+we\s+offer"
                    r"|(?:we|what)\s+(?:provide|give)|benefits?|perks|why\s+(?:join|us|work)|compensation|salary|location"
                    r"|interview|hiring\s+process|how\s+to\s+apply|job\s+type|work\s+remotely|remote\s+work|equal\s+opportunit"
                    r"|о\s+компании|о\s+нас|кто\s+мы|(?:мы\s+|что\s+мы\s+)?предлагаем|услови|гарантируем|преимуществ|бонус"
                    r"|льгот|почему\s+мы|зарплат|заработн|этапы|процесс\s+отбора|собеседовани|график|локаци)"),
    ("duties", r"\b(?:responsibilit|duties|dut(?:y|ies)|tasks?\b|what\s+you(?:'|’)?ll\s+do|what\s+you\s+will\s+do"
               r"|you\s+will\b|(?:the\s+|your\s+)?role(?:\s+description|\s+overview)?$|day\s+to\s+day|обязанност|задач|чем\s+(?:предстоит|нужно|вы\s+будете)"
               r"|что\s+(?:нужно|предстоит)\s+делать|функционал)"),
    ("nice", r"\b(?:nice|good\s+to\s+have|desir|bonus\s+points|plus|preferred|optional|would\s+be\s+great|плюсом"
             r"|желательн|приветству)"),  # wanted, but less than a requirement
    ("requirements", r"\b(?:requir|qualif|essential|must"
                     r"|skills|looking\s+for|you\s+have|you\s+bring|your\s+profile|about\s+you|ideal\s+candidate"
                     r"|experience|education|stack|technolog|требовани|требуется|ожидаем|ждем|ждём"
                     r"|навык|о\s+вас|кого\s+мы\s+ищем|мы\s+ищем|стек|технологи|опыт|образовани)"),
)
_PARTS: tuple[tuple[Part, re.Pattern], ...] = tuple((part, re.compile(rx)) for part, rx in _PART_RX)
_HEADING_CHARS = re.compile(r"[^\w\s'’+/&-]+")
_LABEL = re.compile(r"^\s*([^\W\d][^:\n–—]{0,40}?)\s*[:–—]\s*(\S.*)$")
_TITLE_LABELS = {"title", "job title", "position", "role", "вакансия", "должность", "позиция"}
_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦]|\d+[.)])\s+")


def _part_of(words: str, at_start: bool = False) -> Part | None:
    key = " ".join(_HEADING_CHARS.sub(" ", words).lower().split())
    if not key or len(key.split()) > 7:
        return None
    for part, rx in _PARTS:
        if (rx.match if at_start else rx.search)(key):
            return part
    return None


def _heading(line: str) -> tuple[Part | None, str]:
    """(the part a line opens, what of the line stays as content); (None, line) for ordinary lines.

    A line that ends with a colon or dash is a heading when it names a part anywhere ("Who we are looking
    for:"); a short line without one only when it starts with the part's words ("Nice to have", "Benefits").
    A requirement or duty heading without a colon stays as content too: it may be a requirement itself."""
    stripped = line.strip()
    if not stripped or _BULLET.match(line) or len(stripped) > 80:
        return None, line
    bare = stripped.rstrip(":–—-").strip()
    if stripped.endswith((":", "–", "—", "-")):
        part = _part_of(bare)
        return (part, "") if part is not None else (None, line)
    if len(bare.split()) <= 4 and not bare.endswith((".", ",", ";")):
        part = _part_of(bare, at_start=True)
        if part is not None:
            return part, "" if part == "boilerplate" else line
    return None, line


def _label(line: str) -> tuple[Part | None, str]:
    """A heading used as a label that starts a line: ("requirements", "3+ years...") for "Essential: 3+ years..."."""
    m = _LABEL.match(line)
    if not m or _BULLET.match(line):
        return None, line
    part = _part_of(m.group(1))
    return (part, m.group(2)) if part is not None else (None, line)


@lru_cache(maxsize=64)
def job_parts(text: str) -> tuple[tuple[str, str], ...]:
    """(part, line) for every non-empty line of a job description; part is "title", "intro" (before the first
    heading), "requirements", "nice" (nice-to-haves), "duties", "boilerplate" or "other" (prose after a list of
    requirements)."""
    out: list[tuple[str, str]] = []
    current, bullets, first, titled = "intro", False, True, False
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        if current in ("requirements", "nice", "duties") and bullets and not _BULLET.match(line) and len(line.split()) > 12:
            current = "other"  # prose after a list of requirements: the vacancy has moved on (about us, how to apply)
        m = _LABEL.match(line)
        labelled = m is not None and m.group(1).strip().lower() in _TITLE_LABELS  # "Title: LLM Engineer"
        if labelled and not titled or first and _heading(line)[0] is None and _label(line)[0] is None:
            first, titled = False, True  # the title: its first line, unless a heading, or a "Title:" line
            out.append(("title", (m.group(2) if labelled and m else line).strip()))
            continue
        first = False
        part, rest = _heading(line)
        if part is None:
            part, rest = _label(line)
        if part is not None:
            current, bullets = part, False
            if rest.strip():
                out.append((part, rest.strip()))
            continue
        bullets = bullets or bool(_BULLET.match(line))
        out.append((current, line.strip()))
    return tuple(out)


def job_requirements(text: str) -> str:
    """The lines of a job description that ask something of a candidate (title, requirements, duties),
    one per line; without any requirement or duty heading, every line outside the boilerplate sections."""
    parts = job_parts(text)
    keep: tuple[str, ...]
    if any(part in ("requirements", "nice", "duties") for part, _ in parts):
        keep = ("title", "requirements", "nice", "duties")
    else:
        keep = ("title", "intro", "requirements", "nice", "duties")
    return "\n".join(line for part, line in parts if part in keep)

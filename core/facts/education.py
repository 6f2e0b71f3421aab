"""Education entries: degree, institution line and year, in English and Russian."""

from __future__ import annotations

import re

from core.facts.model import Education
from core.documents.text_clean import at_word_start, lowered
from core.facts.sections import section_at, split_sections

DEGREES = [
    ("PhD", r"\bph\.?\s?d\b|\bdoctor(?:ate)?\s+of\b|\bd\.?phil\b|кандидат\s+\w+\s+наук|доктор\s+\w+\s+наук|\bк\.\s?т\.\s?н\b|аспирантур\w*"),
    ("Master", r"\bm\.?\s?sc\b|\bmaster(?:'s|s)?\b|\bm\.?eng\b|\bmba\b|\bm\.?s\.(?=\s)|\bm\.?a\.(?=\s)|магистр\w*|магистратур\w*"),
    ("Specialist", r"специалитет|\bспециалист\b|инженер-\w+|\bдиплом специалиста\b"),
    ("Bachelor", r"\bb\.?\s?sc\b|\bbachelor(?:'s)?\b|\bb\.?eng\b|\bb\.?tech\b|\bb\.?s\.(?=\s)|\bb\.?a\.(?=\s)|\bbs\b|бакалавр\w*"),
    ("Associate", r"\bassociate(?:'s)?\s+degree\b|среднее\s+специальное|колледж\w*|техникум\w*"),
]
# On lower-cased text. A leading \b is checked after the match: patterns that start with a letter scan faster.
_DEGREE = re.compile("|".join(f"(?P<{label}>{'|'.join(a.removeprefix(chr(92) + 'b') for a in rx.split('|'))})"
                              for label, rx in DEGREES))
INSTITUTION = re.compile(
    r"(?:university|universit[éy]|institute|college|academy|polytechnic|school\s+of|école|hochschule)\b"
    r"|университет\w*|институт\w*|академи\w*|\bмгу\b|\bмфти\b|\bмгту\b|\bвшэ\b|\bниу\b|\bспбгу\b|\bитмо\b|\bмифи\b|\bурфу\b")
YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")


def _degree(line: str) -> str | None:
    m = _DEGREE.search(line.lower())
    return m.lastgroup if m else None


def find_education(text: str, limit: int = 6) -> list[Education]:
    """Entries from the education section; elsewhere only lines that name both a degree and an institution."""
    low = lowered(text)
    sections = split_sections(text)
    hits: dict[int, tuple[str | None, bool]] = {}  # line start -> (degree, names an institution)
    for m in INSTITUTION.finditer(low):
        if at_word_start(low, m.start()):
            hits[low.rfind("\n", 0, m.start()) + 1] = (None, True)
    # Degrees are looked for in the education section and on lines that name an institution.
    spans = [(s, e) for name, s, e in sections if name == "education"]
    spans += [(start, (low.find("\n", start) + 1 or len(low) + 1) - 1) for start in list(hits)]
    for s, e in spans:
        for m in _DEGREE.finditer(low, s, e):
            if not at_word_start(low, m.start()):
                continue
            start = low.rfind("\n", 0, m.start()) + 1
            if start not in hits or hits[start][0] is None:
                hits[start] = (m.lastgroup, hits.get(start, (None, False))[1])
    if not hits:
        return []
    out: list[Education] = []
    seen: set[str] = set()
    for start in sorted(hits):
        degree, school = hits[start]
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].strip()
        if not line or len(line) > 200 or line.lower() in seen:
            continue
        if not (section_at(sections, start) == "education" or (degree and school)):
            continue
        seen.add(line.lower())
        after = text[end:end + 160].split("\n")[:3]
        years = YEAR.findall(line) or [y for ln in after for y in YEAR.findall(ln)][:2]
        if degree is None:
            degree = next((d for d in (_degree(ln) for ln in after[1:2]) if d), None)
        out.append(Education(text=line, degree=degree, year=int(years[-1]) if years else None))
        if len(out) >= limit:
            break
    return out

"""Resume sections by their headings (English and Russian): which line belongs to experience, education..."""

from __future__ import annotations

import re
from functools import lru_cache

HEADINGS: dict[str, tuple[str, ...]] = {
    "experience": ("experience", "work experience", "professional experience", "employment", "employment history",
                   "work history", "career", "career history", "relevant experience", "industry experience",
                   "опыт работы", "опыт", "профессиональный опыт", "трудовая деятельность", "места работы",
                   "карьера", "опыт разработки"),
    "education": ("education", "academic background", "education and training", "studies", "academic",
                  "образование", "обучение", "учеба", "учёба", "высшее образование"),
    "projects": ("projects", "personal projects", "side projects", "pet projects", "open source", "open-source",
                 "selected projects", "проекты", "пет-проекты", "личные проекты"),
    "courses": ("courses", "certifications", "certificates", "training", "licenses & certifications",
                "курсы", "сертификаты", "повышение квалификации", "дополнительное образование"),
    "skills": ("skills", "technical skills", "core skills", "key skills", "technologies", "tech stack", "stack",
               "навыки", "ключевые навыки", "технологии", "стек", "технические навыки"),
    "other": ("summary", "profile", "about", "about me", "objective", "languages", "interests", "hobbies",
              "publications", "awards", "achievements", "references", "volunteering", "contacts", "contact",
              "о себе", "цель", "языки", "знание языков", "интересы", "публикации", "награды", "достижения",
              "контакты", "дополнительная информация", "рекомендации"),
}
_LOOKUP = {h: section for section, heads in HEADINGS.items() for h in heads}
_CLEAN = re.compile(r"[^\w\s&\-]+")


def heading(line: str) -> str | None:
    """The section a line opens, when the line is a heading ("EXPERIENCE", "Опыт работы:")."""
    words = line.strip().split()
    if not words or len(words) > 5 or len(line) > 60:
        return None
    key = " ".join(_CLEAN.sub(" ", line).lower().split())
    if key in _LOOKUP:
        return _LOOKUP[key]
    # "Опыт работы — 8 лет 3 месяца" (hh.ru) opens experience too.
    if re.match(r"^(?:опыт работы|work experience)\b", key):
        return "experience"
    return None


@lru_cache(maxsize=16)
def split_sections(text: str) -> list[tuple[str, int, int]]:
    """(section, start, end) spans covering the text; text before the first heading is "header"."""
    spans: list[tuple[str, int, int]] = []
    current, start, pos = "header", 0, 0
    for line in text.splitlines(keepends=True):
        found = heading(line)
        if found:
            spans.append((current, start, pos))
            current, start = found, pos
        pos += len(line)
    spans.append((current, start, pos))
    return [s for s in spans if s[2] > s[1]]


def section_at(spans: list[tuple[str, int, int]], offset: int) -> str:
    for name, start, end in spans:
        if start <= offset < end:
            return name
    return "header"

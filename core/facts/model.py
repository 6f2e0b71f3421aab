"""What the rules can say about a resume for certain, each fact traceable to its text."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from core.facts.patterns import EMAIL, PHONE
from core.schemas.text_map import shift

LinkKind = Literal["github", "gitlab", "linkedin", "hh", "telegram", "huggingface", "kaggle", "bitbucket",
                   "stackoverflow", "website"]
CODE_HOSTS = ("github", "gitlab", "huggingface", "kaggle", "bitbucket")
LINK_TITLES = {"github": "GitHub", "gitlab": "GitLab", "linkedin": "LinkedIn", "hh": "hh.ru", "telegram": "Telegram",
               "huggingface": "Hugging Face", "kaggle": "Kaggle", "bitbucket": "Bitbucket",
               "stackoverflow": "Stack Overflow", "website": "website"}


class Link(BaseModel):
    kind: LinkKind
    url: str


class Contacts(BaseModel):
    emails: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    telegram: list[str] = Field(default_factory=list)


class Period(BaseModel):
    """One date range of work, as written ("Jan 2020 – Present") and as months."""

    text: str
    start: str = Field(description="YYYY-MM")
    end: str | None = Field(default=None, description="YYYY-MM, or None for 'present'")
    months: int


class Education(BaseModel):
    text: str
    degree: str | None = None
    year: int | None = None


class ChecklistFlag(BaseModel):
    """A green or red flag from the hiring checklist, citing the resume text that raised it."""

    id: str
    kind: Literal["green", "red"]
    title: str
    quote: str


class Facts(BaseModel):
    language: str = "unknown"
    contacts: Contacts = Field(default_factory=Contacts)
    links: list[Link] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list, description="Canonical names from the taxonomy, in order of mention")
    skill_quotes: dict[str, str] = Field(default_factory=dict,
                                         description="Skill -> the resume's words around its first mention (a quote)")
    experience_years: float | None = Field(default=None, description="From work date ranges, overlaps merged")
    periods: list[Period] = Field(default_factory=list)
    claimed_years: float | None = Field(default=None, description="Years of experience the resume states")
    education: list[Education] = Field(default_factory=list)
    checklist: list[ChecklistFlag] = Field(default_factory=list)

    @property
    def green_flags(self) -> list[ChecklistFlag]:
        return [f for f in self.checklist if f.kind == "green"]

    @property
    def red_flags(self) -> list[ChecklistFlag]:
        return [f for f in self.checklist if f.kind == "red"]

    def as_prompt_text(self) -> str:
        """Compact lines for the model's prompt. No contact details: the model never needs them."""
        lines: list[str] = []
        if self.experience_years is not None:
            span = f"{len(self.periods)} date range{'s' if len(self.periods) != 1 else ''}"
            lines.append(f"Experience from work dates: {self.experience_years:g} years ({span})")
        if self.claimed_years is not None:
            lines.append(f"Experience stated in the resume: {self.claimed_years:g} years")
        if self.skills:
            lines.append("Skills named: " + ", ".join(self.skills))
        for edu in self.education[:3]:
            bits = [b for b in (edu.degree, str(edu.year) if edu.year else None) if b]
            lines.append(f"Education: {edu.text}" + (f" ({', '.join(bits)})" if bits else ""))
        hosts = sorted({LINK_TITLES[link.kind] for link in self.links if link.kind in CODE_HOSTS})
        lines.append("Public code links: " + (", ".join(hosts) if hosts else "none"))
        for flag in self.checklist:
            if flag.id != "public_code":  # the link itself is a contact detail; the line above says it exists
                lines.append(f"{flag.kind.capitalize()} flag: {flag.title} — “{_no_contacts(flag.quote)}”")
            else:
                lines.append(f"{flag.kind.capitalize()} flag: {flag.title}")
        return "\n".join(lines)


def _no_contacts(quote: str) -> str:
    """A quote for the prompt without emails, phone numbers or handles that happen to share its line."""
    quote = EMAIL.sub("[email]", quote)
    quote = PHONE.sub("[phone]", quote)
    return re.sub(r"(?<![\w.])@[A-Za-z0-9_]{3,}", "[handle]", quote)


RedactionKind = Literal["name", "photo", "birth_date", "age", "gender", "marital_status", "nationality", "address",
                        "email", "phone", "link"]


class Redacted(BaseModel):
    kind: RedactionKind
    original: str


class Redaction(BaseModel):
    """Text for blind screening, and what was taken out of it.

    ``spans`` says where each placeholder stands: (start, end) in the original text and (start, end) in
    ``text``, so a piece of one maps onto the other (a quote found before redaction, shown after it)."""

    text: str
    items: list[Redacted] = Field(default_factory=list)
    spans: list[tuple[int, int, int, int]] = Field(default_factory=list, exclude=True)

    def to_redacted(self, start: int, end: int) -> tuple[int, int]:
        """The range of ``text`` that shows original[start:end]; a placeholder cut by the range is taken whole."""
        return shift(self.spans, start, 0, 2, False), shift(self.spans, end, 0, 2, True)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The range of the original text that text[start:end] shows."""
        return shift(self.spans, start, 2, 0, False), shift(self.spans, end, 2, 0, True)

    def quote(self, original: str, quote: str) -> str:
        """``quote`` (a piece of ``original``) as the blind text shows it: an exact piece of ``text``."""
        if not self.spans or not quote.strip():
            return quote
        at, end = original.find(quote), -1
        if at >= 0:
            end = at + len(quote)
        else:  # a joined form of wrapped text ("github.com/ivan" for "github.com/\nivan")
            m = re.search(r"\s*".join(map(re.escape, "".join(quote.split()))), original)
            if m is None:
                out = quote
                for item in sorted(self.items, key=lambda r: -len(r.original)):
                    out = out.replace(item.original, PLACEHOLDERS[item.kind])
                return out
            at, end = m.span()
        start, stop = self.to_redacted(at, end)
        return self.text[start:stop]


PLACEHOLDERS = {"name": "[NAME]", "photo": "[PHOTO]", "birth_date": "[BIRTH DATE]", "age": "[AGE]",
                 "gender": "[GENDER]", "marital_status": "[MARITAL STATUS]", "nationality": "[NATIONALITY]",
                 "address": "[ADDRESS]", "email": "[EMAIL]", "phone": "[PHONE]", "link": "[LINK]"}


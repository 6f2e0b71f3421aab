"""extract_facts(doc): deterministic facts from a Document's text (the text the model sees)."""

from __future__ import annotations

from datetime import date

from core.documents.model import Document
from core.facts.checklist import evaluate, quote_at
from core.facts.contacts import extract_contacts
from core.facts.dates import claimed_years, find_periods, total_years
from core.facts.education import find_education
from core.facts.model import Facts
from core.facts.taxonomy import find_skills

SKILL_QUOTE_CHARS = 120  # a skill's quote fits a report's evidence (core.schemas.SkillEvidence)


def facts_from_text(text: str, language: str = "unknown", today: date | None = None) -> Facts:
    contacts, links = extract_contacts(text)
    periods = find_periods(text, today)
    quotes: dict[str, str] = {}
    for name, start, end in find_skills(text):
        if name not in quotes:
            quotes[name] = quote_at(text, start, end, SKILL_QUOTE_CHARS)
    return Facts(
        language=language,
        contacts=contacts,
        links=links,
        skills=list(quotes),
        skill_quotes=quotes,
        experience_years=total_years(periods),
        periods=periods,
        claimed_years=claimed_years(text),
        education=find_education(text),
        checklist=evaluate(text, links, language),
    )


def extract_facts(doc: Document, today: date | None = None) -> Facts:
    """Contacts, links, skills, years of experience, education and checklist flags of one resume."""
    return facts_from_text(doc.text, doc.language, today)

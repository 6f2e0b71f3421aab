"""Deterministic facts from a Document: contacts, links, skills (taxonomy in assets/skills.yaml), years of
experience, education, checklist flags (assets/checklist.yaml); PII redaction for blind screening."""

from core.facts.extract import extract_facts, facts_from_text
from core.facts.model import ChecklistFlag, Contacts, Education, Facts, Link, Period, Redacted, Redaction
from core.facts.redact import redact
from core.facts.taxonomy import skills_in

__all__ = ["ChecklistFlag", "Contacts", "Education", "Facts", "Link", "Period", "Redacted", "Redaction",
           "extract_facts", "facts_from_text", "redact", "skills_in"]

"""Deterministic facts from a Document: contacts, links, skills (taxonomy in assets/skills.yaml), years of
experience, education, checklist flags (assets/checklist.yaml); PII redaction for blind screening; the requirement lines of a job."""

from core.facts.extract import extract_facts, facts_from_text
from core.facts.model import ChecklistFlag, Contacts, Education, Facts, Link, Period, Redacted, Redaction
from core.facts.job import job_requirements
from core.facts.redact import redact, redact_facts
from core.facts.taxonomy import skills_in

__all__ = ["ChecklistFlag", "Contacts", "Education", "Facts", "Link", "Period", "Redacted", "Redaction",
           "extract_facts", "facts_from_text", "job_requirements", "redact", "redact_facts", "skills_in"]

"""Pydantic models for everything a model produces. Import from here."""

from core.schemas.common import Provenance, normalize_for_match, quote_in_text
from core.schemas.fit import CheckedFlag, CheckedSkill, FitAssessment, FitReport, FlagEvidence, SkillEvidence
from core.schemas.grade import AnswerGrade, CriterionScore, GradeAssessment, parse_tag_format, to_tag_format

__all__ = [
    "AnswerGrade",
    "CheckedFlag",
    "CheckedSkill",
    "CriterionScore",
    "FitAssessment",
    "FitReport",
    "FlagEvidence",
    "GradeAssessment",
    "Provenance",
    "SkillEvidence",
    "normalize_for_match",
    "parse_tag_format",
    "quote_in_text",
    "to_tag_format",
]

"""Pydantic models for everything a model produces. Import from here."""

from core.schemas.common import Provenance, normalize_for_match, quote_in_text
from core.schemas.fit import CheckedFlag, CheckedSkill, FitAssessment, FitReport, FlagEvidence, SkillEvidence
from core.schemas.grade import AnswerGrade, CriterionScore, GradeAssessment, parse_tag_format, to_tag_format
from core.schemas.questions import CheckedQuestion, InterviewQuestion, InterviewQuestions, QuestionDraft, QuestionSet
from core.schemas.judge import JudgeAssessment, JudgeVerdict, PairwiseAssessment, PairwiseVerdict

__all__ = [
    "AnswerGrade",
    "CheckedFlag",
    "CheckedQuestion",
    "CheckedSkill",
    "CriterionScore",
    "FitAssessment",
    "FitReport",
    "FlagEvidence",
    "GradeAssessment",
    "InterviewQuestion",
    "InterviewQuestions",
    "JudgeAssessment",
    "JudgeVerdict",
    "PairwiseAssessment",
    "PairwiseVerdict",
    "Provenance",
    "QuestionDraft",
    "QuestionSet",
    "SkillEvidence",
    "normalize_for_match",
    "parse_tag_format",
    "quote_in_text",
    "to_tag_format",
]

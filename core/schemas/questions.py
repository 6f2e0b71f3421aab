"""Interview questions from a resume (+ job): what the model writes and what we keep.

The model's contract has one fixed slot per required kind (framework, database, system design,
behavioural, open-ended), so constrained decoding always yields the full set. Each question is tied
to words from the resume, or to a requirement of the job the resume does not show (a gap); every
quote is checked against the text it claims to come from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.schemas.common import Provenance, normalize_for_match, quote_in_text

QuestionKind = Literal["framework", "database", "system_design", "behavioural", "open_ended"]
QUESTION_KINDS: tuple[QuestionKind, ...] = ("framework", "database", "system_design", "behavioural", "open_ended")
Basis = Literal["resume", "job_gap"]


class InterviewQuestion(BaseModel):
    question: str = Field(min_length=10, max_length=220, description="One specific question to ask")
    basis: Basis = Field(description="resume: asks about something the resume says; job_gap: a job requirement the resume lacks")
    quote: str = Field(
        min_length=3, max_length=140,
        description="Exact words from the resume (basis resume) or from the job description (basis job_gap)",
    )
    strong_answer: str = Field(min_length=10, max_length=300, description="What a strong answer contains")


class InterviewQuestions(BaseModel):
    """The model's output contract: one question per required kind, plus up to two extra ones."""

    framework: InterviewQuestion
    database: InterviewQuestion
    system_design: InterviewQuestion
    behavioural: InterviewQuestion
    open_ended: InterviewQuestion
    extra: list[InterviewQuestion] = Field(default_factory=list, max_length=2)

    def items(self) -> list[tuple[QuestionKind | Literal["extra"], InterviewQuestion]]:
        out: list[tuple[QuestionKind | Literal["extra"], InterviewQuestion]] = [(k, getattr(self, k)) for k in QUESTION_KINDS]
        return out + [("extra", q) for q in self.extra]


class CheckedQuestion(InterviewQuestion):
    kind: QuestionKind | Literal["extra"]
    verified: bool = Field(description="The quote was found in the resume (or, for a gap, in the job description)")


class QuestionSet(BaseModel):
    """A stored, displayed set of interview questions with every quote checked."""

    candidate: str
    questions: list[CheckedQuestion]
    unverified_quotes: int = Field(ge=0)
    provenance: Provenance

    @classmethod
    def from_assessment(
        cls, value: InterviewQuestions, resume_text: str, job_text: str, candidate: str, provenance: Provenance
    ) -> "QuestionSet":
        resume_norm, job_norm = normalize_for_match(resume_text), normalize_for_match(job_text)
        checked = []
        for kind, q in value.items():
            source = resume_norm if q.basis == "resume" else job_norm
            checked.append(CheckedQuestion(**q.model_dump(), kind=kind, verified=bool(source) and quote_in_text(q.quote, source)))
        return cls(
            candidate=candidate,
            questions=checked,
            unverified_quotes=sum(not q.verified for q in checked),
            provenance=provenance,
        )

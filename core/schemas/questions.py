"""Interview questions from a resume (+ job): what the model writes and what we keep.

The model's contract (InterviewQuestions) has one fixed slot per required kind — framework, database,
system design, behavioural, open-ended — so constrained decoding always yields the full set, and short
bounds so that a small model finishes. Each question is tied to words from the resume, or to a
requirement of the job that the resume does not show (a gap); every quote is checked against the
text it claims to come from (QuestionSet).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.schemas.common import Provenance, normalize_for_match, quote_in_text

QuestionKind = Literal["framework", "database", "system_design", "behavioural", "open_ended"]
QUESTION_KINDS: tuple[QuestionKind, ...] = ("framework", "database", "system_design", "behavioural", "open_ended")
Basis = Literal["resume", "job_gap"]


class InterviewQuestion(BaseModel):
    question: str = Field(min_length=10, max_length=180, description="One specific question to ask")
    basis: Basis = Field(description="resume: about something the resume says; job_gap: a job requirement the resume lacks")
    quote: str = Field(
        min_length=3, max_length=100,
        description="Exact words from the resume (basis resume) or from the job description (basis job_gap)",
    )
    strong_answer: str = Field(min_length=10, max_length=220, description="What a strong answer contains")


class InterviewQuestions(BaseModel):
    """The model's output contract: one question per required kind."""

    framework: InterviewQuestion
    database: InterviewQuestion
    system_design: InterviewQuestion
    behavioural: InterviewQuestion
    open_ended: InterviewQuestion

    def drafts(self) -> list["QuestionDraft"]:
        return [QuestionDraft(kind=k, **getattr(self, k).model_dump()) for k in QUESTION_KINDS]


class QuestionDraft(BaseModel):
    """A question from any source (model or question bank) before its quote is checked."""

    kind: QuestionKind
    question: str = Field(min_length=10, max_length=400)
    basis: Basis
    quote: str = Field(min_length=3, max_length=160)
    strong_answer: str = Field(min_length=10, max_length=1200)
    bank_id: str | None = Field(default=None, description="The question bank entry it came from")


class CheckedQuestion(QuestionDraft):
    verified: bool = Field(description="The quote was found in the resume (or, for a gap, in the job description)")


class QuestionSet(BaseModel):
    """A stored, displayed set of interview questions with every quote checked."""

    candidate: str
    language: str = "en"
    questions: list[CheckedQuestion]
    unverified_quotes: int = Field(ge=0)
    provenance: Provenance
    document_flags: list[str] = Field(default_factory=list)  # kinds of hidden or instruction-like text in the resume

    @classmethod
    def from_drafts(
        cls, drafts: list[QuestionDraft], resume_text: str, job_text: str, candidate: str, provenance: Provenance,
        language: str = "en",
    ) -> "QuestionSet":
        resume_norm, job_norm = normalize_for_match(resume_text), normalize_for_match(job_text)
        checked = []
        for d in drafts:
            source = resume_norm if d.basis == "resume" else job_norm
            checked.append(CheckedQuestion(**d.model_dump(), verified=bool(source) and quote_in_text(d.quote, source)))
        return cls(candidate=candidate, language=language, questions=checked,
                   unverified_quotes=sum(not q.verified for q in checked), provenance=provenance)

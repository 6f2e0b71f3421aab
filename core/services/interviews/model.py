"""What interview links are made of: the limits, the errors, and the records the recruiter and the candidate
see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.bounds import BOUNDS
from core.messages import LocalizedError

PAGE_PATH = "/interview"
GRACE_SECONDS = 120  # a submission this long after the time limit still counts (slow networks, last words)
MAX_QUESTIONS = 20
MAX_ANSWER_CHARS = BOUNDS.answer  # what the grader takes (core.bounds, core.services.grading.AnswerInput)
TIME_LIMITS = (5, 480)  # minutes
EXPIRY_HOURS = (1, 24 * 30)
STATUSES = ("open", "submitted", "graded", "late", "expired")


class InterviewError(LocalizedError):
    """The interview cannot be created or the submission is malformed; the message says what to fix."""


class InterviewRefused(LocalizedError):
    """The link cannot be used (unknown, expired, already submitted, time limit passed); ``code`` says which."""

    def __init__(self, code: str, **kw: object) -> None:
        self.code = code
        super().__init__("", key=f"iv_refused_{code}", **kw)


@dataclass(frozen=True)
class QuestionSetChoice:
    id: str  # "python_developer" (every question of the set), "python_developer/language" (one block), "role:ml_ops"
    label: str
    questions: int


@dataclass(frozen=True)
class InterviewQuestion:
    id: str
    text: str
    reference: str | None


@dataclass(frozen=True)
class InterviewLink:
    token: str
    url_path: str  # "/interview?token=…": the server's address goes in front
    candidate_ref: str
    expires_at: datetime
    time_limit_minutes: int


@dataclass(frozen=True)
class OpenInterview:
    token: str
    language: str
    questions: tuple[str, ...]
    time_limit_minutes: int
    seconds_left: int  # until the time limit (grace not counted); 0 when it has passed


@dataclass(frozen=True)
class Submission:
    interview_id: int
    answers: int
    late: bool  # kept, not graded: the time limit (plus grace) had passed
    message: str  # what the candidate reads, in the interview's language


@dataclass(frozen=True)
class AnswerSummary:
    position: int
    question: str
    answer: str
    status: str  # pending | graded | needs_review
    score: float | None  # overall 1–5 of the stored grade
    verdict: str | None
    profile: str | None
    error: str | None  # why it needs review (English; a late answer's reason is also ``late_minutes``)
    late_minutes: int | None = None  # sent this many minutes after the time limit: kept, not graded


@dataclass(frozen=True)
class InterviewSummary:
    id: int
    token: str
    url_path: str
    candidate: str
    candidate_ref: str
    question_set: str
    language: str
    model_profile: str
    created_by: str
    status: str  # see STATUSES; "expired" also for a never-submitted link past its expiry
    created_at: datetime
    expires_at: datetime
    opened_at: datetime | None
    submitted_at: datetime | None
    time_limit_minutes: int
    answers: tuple[AnswerSummary, ...]

    @property
    def graded(self) -> int:
        return sum(a.status == "graded" for a in self.answers)

    @property
    def needs_review(self) -> int:
        return sum(a.status == "needs_review" for a in self.answers)

    @property
    def mean_score(self) -> float | None:
        scores = [a.score for a in self.answers if a.score is not None]
        return round(sum(scores) / len(scores), 2) if scores else None


@dataclass(frozen=True)
class LinkInfo:
    language: str
    questions: int
    seconds_left: int | None  # before the time limit; None until the link is first opened
    submitted: bool

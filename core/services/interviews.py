"""Interview links: a recruiter sends a candidate a link to answer a question set once, in a time limit.

- ``create_interview`` takes questions from a question set of the bank (``question_sets`` lists them) and
  returns an unguessable token and the page's path (``/interview?token=…``).
- ``open_interview`` gives the candidate the questions and the time left; the time limit runs from the first
  opening. A link can be opened until it expires; once opened, the time limit governs.
- ``submit_interview`` takes the answers once per link: one conditional update marks the interview
  submitted, so of two submissions (even at the same moment) exactly one is accepted. The answers are stored
  at once, then graded in the background with the interview's model profile. A grading failure marks the
  answer ``needs_review`` with the reason; no score is ever made up.
- Late answers: a submission more than ``GRACE_SECONDS`` after the time limit is not graded, but nothing the
  candidate wrote is lost: the answers are kept, marked ``needs_review`` ("late"), the interview's status
  is ``late``, and the candidate is told so; a person decides whether to consider them.
- Grades are stored like any other grade (subject: the candidate's name) and linked to the candidate
  (``candidate_links``), so the Grade tab's candidate view and the candidate records show them.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import CursorResult, select, update

from core.bounds import BOUNDS, check_text
from core.failures import failure
from core.messages import Count, LocalizedError, msg
from core.schemas.grade import AnswerGrade
from core.services.question_bank import BankQuestion, load_bank
from core.store import get_store
from core.services.audit import audit
from core.services.candidate_access import owned_candidate
from core.services.owners import seen_by
from core.services.identity import candidate_for_answer
from core.store.records import CandidateKey, candidate_by_ref, link
from core.store.tables import CandidateRow, InterviewAnswerRow, InterviewRow, ResultRow
from core.text_check import first_broken

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


# question sets ------------------------------------------------------------------------------------------
def question_sets(lang: str = "en") -> list[QuestionSetChoice]:
    """Every set of the question bank, each of its blocks, and each role's questions, for a picker."""
    bank = load_bank()
    out: list[QuestionSetChoice] = []
    for s in bank.sets:
        out.append(QuestionSetChoice(s.id, s.title.get(lang), sum(len(b.questions) for b in s.blocks)))
        if len(s.blocks) > 1:
            out += [QuestionSetChoice(f"{s.id}/{b.id}", f"{s.title.get(lang)} · {b.title.get(lang)}", len(b.questions))
                    for b in s.blocks]
    out += [QuestionSetChoice(f"role:{r.id}", r.title.get(lang), len(_role_questions(r.id))) for r in bank.roles]
    return out


def _role_questions(role_id: str) -> list[BankQuestion]:
    bank = load_bank()
    role = next(r for r in bank.roles if r.id == role_id)
    return [bank.get(q) for q in role.uses] + list(role.questions)


def set_questions(set_id: str, lang: str) -> list[InterviewQuestion]:
    """The questions of a set (see ``question_sets``) in ``lang``, each with its reference answer."""
    bank = load_bank()
    picked: list[BankQuestion] | None = None
    if set_id.startswith("role:") and any(r.id == set_id[5:] for r in bank.roles):
        picked = _role_questions(set_id[5:])
    else:
        set_name, _, block = set_id.partition("/")
        for s in bank.sets:
            if s.id == set_name:
                blocks = [b for b in s.blocks if not block or b.id == block]
                picked = [q for b in blocks for q in b.questions] if blocks else None
    if not picked:
        raise InterviewError(key="iv_err_set", name=set_id)
    return [InterviewQuestion(q.id, q.question.get(lang), q.reference.get(lang)) for q in picked]


# recruiter: create -------------------------------------------------------------------------------------
def create_interview(questions: Sequence[InterviewQuestion], candidate: str, created_by: str = "",
                     time_limit_minutes: int = 60, expires_in_hours: float = 72, language: str = "en",
                     model_profile: str = "rules", question_set: str = "", owner: str = "") -> InterviewLink:
    """A new link for ``candidate`` (a stored candidate's reference, or a name: a new candidate record). A demo
    visitor (``owner``, core.services.owners) sends links to their own candidates only: a reference of a sample
    or of another visitor's candidate is refused (NotYours), a name finds or makes one of their own."""
    candidate = check_text("name", candidate).strip()  # core.bounds
    if not candidate:
        raise InterviewError(key="iv_err_candidate")
    if not questions:
        raise InterviewError(key="iv_err_no_questions")
    if len(questions) > MAX_QUESTIONS:
        raise InterviewError(key="iv_err_many_questions", n=Count("iv_questions_n", len(questions)), most=MAX_QUESTIONS)
    if not TIME_LIMITS[0] <= int(time_limit_minutes) <= TIME_LIMITS[1]:
        raise InterviewError(key="iv_err_time", low=TIME_LIMITS[0], high=Count("minutes_gen_n", TIME_LIMITS[1]))
    if not EXPIRY_HOURS[0] <= float(expires_in_hours) <= EXPIRY_HOURS[1]:
        raise InterviewError(key="iv_err_expiry", low=EXPIRY_HOURS[0], high=Count("hours_gen_n", EXPIRY_HOURS[1]))
    if language not in ("en", "ru"):
        raise InterviewError(key="iv_err_language", language=language)
    token = secrets.token_urlsafe(24)  # 192 random bits
    expires_at = _now() + timedelta(hours=float(expires_in_hours))
    store = get_store()
    with store.session() as s:
        person = candidate_by_ref(s, candidate)
        if person is not None:
            person = owned_candidate(s, candidate, owner)
    # a name finds the one candidate of that name in any spelling (core.services.identity), else makes one
    key = CandidateKey(person.id, person.ref) if person is not None else candidate_for_answer(store, candidate, owner).candidate
    if key is None:
        raise InterviewError(key="iv_err_unknown_ref", ref=candidate[:40])
    with store.session() as s:
        s.add(InterviewRow(owner=owner,
            token=token, candidate_id=key.id, questions=[{"id": q.id, "text": q.text, "reference": q.reference,
                                                             "set": question_set} for q in questions],
            language=language, model_profile=model_profile or "rules", created_by=(created_by or "")[:120],
            time_limit_minutes=int(time_limit_minutes), expires_at=expires_at, status="open"))
    audit("interview_create", actor=created_by or "", candidate_ref=key.ref, model_profile=model_profile or "",
          detail={"questions": len(questions), "minutes": int(time_limit_minutes), "language": language})
    return InterviewLink(token, f"{PAGE_PATH}?token={token}", key.ref, expires_at, int(time_limit_minutes))


@dataclass(frozen=True)
class LinkInfo:
    language: str
    questions: int
    seconds_left: int | None  # before the time limit; None until the link is first opened
    submitted: bool


def peek(token: str) -> LinkInfo | None:
    """What the page needs to know about a link without opening it (None for an unknown token)."""
    if not token:
        return None
    with get_store().session() as s:
        row = s.scalar(select(InterviewRow).where(InterviewRow.token == token.strip()))
        if row is None:
            return None
        left = None
        if row.opened_at is not None:
            deadline = _aware(row.opened_at) + timedelta(minutes=row.time_limit_minutes)
            left = max(0, int((deadline - _now()).total_seconds()))
        return LinkInfo(row.language, len(row.questions), left, row.submitted_at is not None)


# candidate: open and submit ----------------------------------------------------------------------------
def open_interview(token: str) -> OpenInterview:
    """The questions and the time left; the first opening starts the clock. Raises InterviewRefused."""
    now = _now()
    with get_store().session() as s:
        row = _usable(s, token, now)
        if row.opened_at is None:
            s.execute(update(InterviewRow).where(InterviewRow.id == row.id, InterviewRow.opened_at.is_(None))
                      .values(opened_at=now))
            s.flush()
            s.refresh(row)
        assert row.opened_at is not None  # set just above when it was empty
        deadline = _aware(row.opened_at) + timedelta(minutes=row.time_limit_minutes)
        if now > deadline + timedelta(seconds=GRACE_SECONDS):
            raise InterviewRefused("time_up", minutes=row.time_limit_minutes)
        return OpenInterview(row.token, row.language, tuple(q["text"] for q in row.questions), row.time_limit_minutes,
                             max(0, int((deadline - now).total_seconds())))


def _usable(s, token: str, now: datetime) -> InterviewRow:  # noqa: ANN001 (a Session)
    row = s.scalar(select(InterviewRow).where(InterviewRow.token == (token or "").strip())) if token else None
    if row is None:
        raise InterviewRefused("unknown")
    if row.submitted_at is not None:
        raise InterviewRefused("submitted", when=_when(row.submitted_at))
    if row.opened_at is None and now > _aware(row.expires_at):
        raise InterviewRefused("expired", when=_when(row.expires_at))
    return row


def submit_interview(token: str, answers: Sequence[str]) -> Submission:
    """Store the answers of one link, once; grading follows in the background. Raises InterviewRefused
    (unknown, expired, already submitted) or InterviewError (wrong number of answers, one too long)."""
    now = _now()
    store = get_store()
    with store.session() as s:
        row = _usable(s, token, now)
        interview_id, lang, questions = row.id, row.language, list(row.questions)
        person = s.get(CandidateRow, row.candidate_id) if row.candidate_id else None
        ref, profile = (person.ref if person else ""), row.model_profile
        opened = _aware(row.opened_at) if row.opened_at else now
        deadline = opened + timedelta(minutes=row.time_limit_minutes)
    if len(answers) != len(questions):
        raise InterviewError(key="iv_err_answers", got=Count("answers_n", len(answers)),
                             want=Count("iv_questions_n", len(questions)))
    for n, text in enumerate(answers, 1):
        if len(text or "") > MAX_ANSWER_CHARS:
            raise InterviewError(key="iv_err_long", n=n, most=Count("chars_gen_n", MAX_ANSWER_CHARS))
        if first_broken(text or "") is not None:  # core.text_check: it could not be stored
            raise InterviewError(key="iv_err_broken", n=n)
    over = (now - deadline).total_seconds()
    late = over > GRACE_SECONDS
    late_minutes = _minutes_over(over)
    with store.session() as s:
        # the claim: of two submissions of one link, only the first finds submitted_at empty
        claimed = s.execute(update(InterviewRow)
                            .where(InterviewRow.id == interview_id, InterviewRow.submitted_at.is_(None))
                            .values(submitted_at=now, opened_at=opened, status="late" if late else "submitted"))
        if not isinstance(claimed, CursorResult) or claimed.rowcount != 1:
            raise InterviewRefused("submitted", when=_when(now))
        reason = msg("iv_late_reason", "en", minutes=late_minutes) if late else None
        for position, (question, text) in enumerate(zip(questions, answers)):
            s.add(InterviewAnswerRow(interview_id=interview_id, position=position, question=question["text"],
                                     answer=(text or "").strip(), status="needs_review" if late else "pending",
                                     error=reason))
    audit("interview_submit", actor="candidate", candidate_ref=ref, model_profile=profile,
          detail={"answers": len(answers), "late": late})
    if late:
        return Submission(interview_id, len(answers), True, msg("iv_late", lang, minutes=late_minutes))
    schedule_grading(interview_id)
    return Submission(interview_id, len(answers), False, msg("iv_thanks", lang))


# background grading ------------------------------------------------------------------------------------
_grader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="interview-grading")  # one grading at a time


def schedule_grading(interview_id: int) -> Future:
    """Grade the interview's pending answers in the background (one interview at a time)."""
    return _grader.submit(grade_interview, interview_id)


def grade_interview(interview_id: int) -> None:
    """Grade every pending answer of one interview and link each grade to the candidate. Never raises: an
    answer that cannot be graded is marked ``needs_review`` with the reason."""
    from core.services.grading import AnswerInput, GradeOptions, grade_answers

    store = get_store()
    with store.session() as s:
        row = s.get(InterviewRow, interview_id)
        person = s.get(CandidateRow, row.candidate_id) if row and row.candidate_id else None
        pending = list(s.scalars(select(InterviewAnswerRow).where(InterviewAnswerRow.interview_id == interview_id,
                                                                  InterviewAnswerRow.status == "pending")
                                 .order_by(InterviewAnswerRow.position)))
        if row is None or not pending:
            return
        questions, profile, job_id, owner = list(row.questions), row.model_profile, row.job_id, row.owner
        name, ref = (person.name, person.ref) if person else ("", "")
    try:
        items = [AnswerInput(candidate=name, candidate_ref=ref, question=a.question, answer=a.answer,
                             reference=questions[a.position].get("reference") if a.position < len(questions) else None)
                 for a in pending]
        outcomes = grade_answers(items, profile or None, options=GradeOptions(reuse=True, owner=owner))
    except Exception as exc:  # noqa: BLE001 (any failure: every answer goes to a person, with the reason)
        logging.getLogger("hirelab.interviews").exception("interview %s: grading failed", interview_id)
        reason = failure("fail_interview_grading", audit=f"{type(exc).__name__}: {exc}", profile=profile or "")
        _mark(interview_id, [(a.id, None, reason) for a in pending])
        return
    marks: list[tuple[int, int | None, str | None]] = []
    for answer, out in zip(pending, outcomes):
        result = _result_id(out.grade) if out.ok and out.grade is not None else None
        if result is None:
            marks.append((answer.id, None, out.error or failure("fail_grade_not_stored")))
        else:
            marks.append((answer.id, result, None))
    _mark(interview_id, marks, candidate_id=person.id if person else None, job_id=job_id)


def _result_id(grade: AnswerGrade) -> int | None:
    with get_store().session() as s:
        return s.scalar(select(ResultRow.id).where(ResultRow.cache_key == grade.provenance.input_hash,
                                                   ResultRow.ok.is_(True)))


def _mark(interview_id: int, marks: list[tuple[int, int | None, str | None]], candidate_id: int | None = None,
          job_id: int | None = None) -> None:
    with get_store().session() as s:
        row = s.get(InterviewRow, interview_id)
        if row is None:  # the candidate was deleted while their answers were being graded
            return
        for answer_id, result_id, error in marks:
            answer = s.get(InterviewAnswerRow, answer_id)
            if answer is None:
                continue
            answer.result_id, answer.error = result_id, error
            answer.status = "graded" if result_id is not None else "needs_review"
        left = s.scalar(select(InterviewAnswerRow.id).where(InterviewAnswerRow.interview_id == interview_id,
                                                            InterviewAnswerRow.status == "pending"))
        if left is None and row.status == "submitted":
            row.status = "graded"
    if candidate_id is not None:  # the grades appear in the candidate's record
        for _, result_id, _ in marks:
            if result_id is not None:
                link(get_store(), candidate_id, "grade", result_id=result_id, job_id=job_id, reason="reference")


def grade_unfinished() -> int:
    """Schedule grading for submitted interviews whose answers are still pending (the server stopped while
    grading); returns how many were scheduled."""
    with get_store().session() as s:
        ids = sorted(set(s.scalars(select(InterviewAnswerRow.interview_id).where(InterviewAnswerRow.status == "pending"))))
    for interview_id in ids:
        schedule_grading(interview_id)
    return len(ids)


# recruiter: list ---------------------------------------------------------------------------------------
def list_interviews(limit: int = 200, token: str | None = None, owner: str = "") -> list[InterviewSummary]:
    """Interviews ``owner`` may see (core.services.owners), newest first (or the one of ``token``), each with its
    answers and their stored grades."""
    now = _now()
    with get_store().session() as s:
        q = select(InterviewRow).where(seen_by(InterviewRow.owner, owner)).order_by(InterviewRow.id.desc()).limit(limit)
        rows = list(s.scalars(q.where(InterviewRow.token == token) if token is not None else q))
        ids = [r.id for r in rows]
        answers: dict[int, list[AnswerSummary]] = {i: [] for i in ids}
        if ids:
            joined = (select(InterviewAnswerRow, ResultRow)
                      .outerjoin(ResultRow, InterviewAnswerRow.result_id == ResultRow.id)
                      .where(InterviewAnswerRow.interview_id.in_(ids)).order_by(InterviewAnswerRow.position))
            late = {r.id: _late_minutes(r) for r in rows if r.status == "late"}
            for a, result in s.execute(joined).all():
                grade = AnswerGrade.model_validate(result.payload) if result is not None and result.payload else None
                answers[a.interview_id].append(AnswerSummary(
                    a.position, a.question, a.answer, a.status, grade.overall if grade else None,
                    grade.verdict if grade else None, result.model_profile if result is not None else None, a.error,
                    late.get(a.interview_id)))
        people = {c.id: c for c in s.scalars(select(CandidateRow).where(
            CandidateRow.id.in_({r.candidate_id for r in rows if r.candidate_id})))} if rows else {}
        out = []
        for r in rows:
            person = people.get(r.candidate_id) if r.candidate_id else None
            status = r.status
            if status == "open" and r.opened_at is None and now > _aware(r.expires_at):
                status = "expired"
            out.append(InterviewSummary(
                r.id, r.token, f"{PAGE_PATH}?token={r.token}", person.name if person else "",
                person.ref if person else "", (r.questions[0].get("set", "") if r.questions else ""), r.language,
                r.model_profile, r.created_by, status, _aware(r.created_at), _aware(r.expires_at),
                _aware(r.opened_at) if r.opened_at else None, _aware(r.submitted_at) if r.submitted_at else None,
                r.time_limit_minutes, tuple(answers[r.id])))
    return out


def find_interview(token: str, owner: str = "") -> InterviewSummary | None:
    """The interview of one link, with its answers (None for an unknown token, or one not ``owner``'s to see)."""
    found = list_interviews(limit=1, token=token, owner=owner)
    return found[0] if found else None


# time ----------------------------------------------------------------------------------------------------
def _minutes_over(seconds: float) -> int:
    return max(1, round(seconds / 60))


def _late_minutes(row: InterviewRow) -> int | None:
    if row.submitted_at is None or row.opened_at is None:
        return None
    deadline = _aware(row.opened_at) + timedelta(minutes=row.time_limit_minutes)
    return _minutes_over((_aware(row.submitted_at) - deadline).total_seconds())


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _when(value: datetime) -> str:
    return _aware(value).strftime("%Y-%m-%d %H:%M")

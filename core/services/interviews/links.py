"""The link itself: a recruiter creates it; the candidate opens it (the clock starts) and submits the answers
once. Grading follows in the background (core.services.interviews.grading)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, select, update

from core.bounds import check_text
from core.messages import Count, msg
from core.services.audit import audit
from core.services.candidate_access import owned_candidate
from core.services.identity import candidate_for_answer
from core.services.interviews.clock import _aware, _minutes_over, _now, _when
from core.services.interviews.grading import schedule_grading
from core.services.interviews.model import (EXPIRY_HOURS, GRACE_SECONDS, MAX_ANSWER_CHARS, MAX_QUESTIONS, PAGE_PATH,
                                            TIME_LIMITS, InterviewError, InterviewLink, InterviewQuestion,
                                            InterviewRefused, LinkInfo, OpenInterview, Submission)
from core.store import get_store
from core.store.records import CandidateKey, candidate_by_ref
from core.store.tables import CandidateRow, InterviewAnswerRow, InterviewRow
from core.text_check import first_broken


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

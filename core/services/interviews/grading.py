"""Grading submitted answers in the background, one interview at a time, with the interview's model profile;
each grade is linked to the candidate. An answer that cannot be graded goes to a person with the reason."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import select

from core.failures import failure
from core.schemas.grade import AnswerGrade
from core.store import get_store
from core.store.records import link
from core.store.tables import CandidateRow, InterviewAnswerRow, InterviewRow, ResultRow

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
    """The stored grade's row id (None when it was not stored)."""
    with get_store().session() as s:
        return s.scalar(select(ResultRow.id).where(ResultRow.cache_key == grade.provenance.input_hash,
                                                   ResultRow.ok.is_(True)))


def _mark(interview_id: int, marks: list[tuple[int, int | None, str | None]], candidate_id: int | None = None,
          job_id: int | None = None) -> None:
    """Mark answers graded (with their grade) or needing review (with the reason); link the grades to the candidate."""
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

"""The recruiter's view of the links: each with its candidate, status, answers and their stored grades."""

from __future__ import annotations

from sqlalchemy import select

from core.schemas.grade import AnswerGrade
from core.services.interviews.clock import _aware, _late_minutes, _now
from core.services.interviews.model import PAGE_PATH, AnswerSummary, InterviewSummary
from core.services.owners import seen_by
from core.store import get_store
from core.store.tables import CandidateRow, InterviewAnswerRow, InterviewRow, ResultRow


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

"""Candidate view: all of one candidate's graded answers together.

Per-criterion means, the weakest topics, and a short summary a recruiter can forward to the hiring
manager. Works on fresh grades or on the grades kept in the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.documents.language import is_russian
from core.messages import msg
from core.schemas.grade import CRITERIA, AnswerGrade
from core.services.grading import GradeOutcome
from core.services.question_bank import load_bank
from core.store import Store, get_store

WEAK_BELOW = 3.0  # an answer whose overall is under this is a weak topic
MAX_WEAK = 3


@dataclass(frozen=True)
class TopicScore:
    topic: str
    question: str
    overall: float


@dataclass(frozen=True)
class CandidateView:
    candidate: str
    answers: int
    failed: int
    means: dict[str, float]  # each criterion and "overall", 1–5
    weakest: list[TopicScore]
    strongest: TopicScore | None
    summary: str
    language: str


def _topic(question: str, lang: str) -> str:
    found = load_bank().match(question)
    if found:
        return found[0].topic.get(lang)
    first = question.strip().split("?")[0].strip()
    return first if len(first) <= 70 else first[:67].rsplit(" ", 1)[0] + "…"


def candidate_view(candidate: str, grades: Sequence[AnswerGrade], failed: int = 0, lang: str | None = None) -> CandidateView:
    """Aggregate one candidate's grades. ``failed`` counts answers that could not be graded."""
    lang = lang or ("ru" if is_russian(" ".join(g.question for g in grades[:5])) else "en")
    if not grades:
        means: dict[str, float] = {}
        topics: list[TopicScore] = []
    else:
        means = {c: round(sum(getattr(g, c).score for g in grades) / len(grades), 2) for c in CRITERIA}
        means["overall"] = round(sum(g.overall for g in grades) / len(grades), 2)
        topics = sorted((TopicScore(_topic(g.question, lang), g.question, g.overall) for g in grades), key=lambda t: t.overall)
    weakest = [t for t in topics if t.overall < WEAK_BELOW][:MAX_WEAK]
    strongest = topics[-1] if topics and topics[-1].overall >= WEAK_BELOW else None
    return CandidateView(candidate, len(grades), failed, means, weakest, strongest,
                         _summary(candidate, len(grades), failed, means, weakest, strongest, grades, lang), lang)


def _summary(candidate: str, n: int, failed: int, means: dict[str, float], weakest: list[TopicScore],
             strongest: TopicScore | None, grades: Sequence[AnswerGrade], lang: str) -> str:
    who = candidate or msg("cand_anonymous", lang)
    parts = []
    if n:
        crit = ", ".join(f"{msg('cand_' + c, lang)} {means[c]:.1f}" for c in CRITERIA)
        parts.append(msg("cand_head", lang, who=who, n=n, overall=f"{means['overall']:.1f}", crit=crit))
        if strongest:
            parts.append(msg("cand_strong", lang, topic=strongest.topic, score=f"{strongest.overall:.1f}"))
        topics = "; ".join(f"{t.topic} ({t.overall:.1f})" for t in weakest)
        parts.append(msg("cand_weak", lang, topics=topics) if weakest else msg("cand_no_weak", lang))
    else:
        parts.append(msg("cand_empty", lang, who=who))
    if failed:
        parts.append(msg("cand_failed", lang, n=failed))
    if grades:
        parts.append(msg("cand_tail", lang, profiles=", ".join(sorted({g.provenance.model_profile for g in grades}))))
    return " ".join(parts)


def candidate_views(outcomes: Sequence[GradeOutcome], lang: str | None = None) -> list[CandidateView]:
    """One view per candidate, in first-seen order, from grading outcomes (in ``lang``, or each
    candidate's questions' language)."""
    grades: dict[str, list[AnswerGrade]] = {}
    failed: dict[str, int] = {}
    for o in outcomes:
        name = o.item.candidate
        grades.setdefault(name, [])
        failed.setdefault(name, 0)
        if o.ok and o.grade is not None:
            grades[name].append(o.grade)
        else:
            failed[name] += 1
    return [candidate_view(name, grades[name], failed[name], lang) for name in grades]


def _graded_for(store: Store, owner: str) -> set[int] | None:
    """The stored grades linked to a candidate ``owner`` may see (None for the team: every grade)."""
    from sqlalchemy import select

    from core.services.owners import seen_by
    from core.store.tables import CandidateLinkRow, CandidateRow

    if not owner:
        return None
    with store.session() as s:
        q = (select(CandidateLinkRow.result_id).join(CandidateRow, CandidateRow.id == CandidateLinkRow.candidate_id)
             .where(CandidateLinkRow.kind == "grade", seen_by(CandidateRow.owner, owner)))
        return {i for i in s.scalars(q) if i is not None}


def stored_candidates(store: Store | None = None, limit: int = 5000, owner: str = "") -> list[str]:
    """Names of candidates with stored grades ``owner`` may see (core.services.owners), most recent first."""
    store = store or get_store()
    rows, mine = store.list_results("grade", limit=limit), _graded_for(store, owner)
    return list(dict.fromkeys(r.subject for r in rows if r.ok and r.subject and (mine is None or r.id in mine)))


def stored_view(candidate: str, profile: str | None = None, store: Store | None = None,
                lang: str | None = None, owner: str = "") -> CandidateView:
    """The candidate's latest stored grade per answer (optionally of one profile) that ``owner`` may see, aggregated."""
    store = store or get_store()
    rows, mine = store.list_results("grade", subject=candidate, limit=5000), _graded_for(store, owner)
    rows = [r for r in rows if mine is None or r.id in mine]
    latest: dict[tuple[str, str], AnswerGrade] = {}
    for r in rows:  # newest first
        if not r.ok or not r.payload or (profile and r.model_profile != profile):
            continue
        grade = AnswerGrade.model_validate(r.payload)
        latest.setdefault((grade.question, grade.answer), grade)
    return candidate_view(candidate, list(latest.values()), lang=lang)

"""The question sets a link can ask: every set of the team's question bank, each of its blocks, each role's."""

from __future__ import annotations

from core.services.interviews.model import InterviewError, InterviewQuestion, QuestionSetChoice
from core.services.question_bank import BankQuestion, load_bank


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

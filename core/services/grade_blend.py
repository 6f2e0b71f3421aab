"""Blending the grades of several profiles for one answer (profile specs like ``offline+rules``).

Each criterion's score is the rounded mean of the parts' scores; explanations and reasoning keep every
part's words, labelled with the part's profile. If any part failed, the blend fails and says which.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from core.schemas.common import Provenance
from core.schemas.grade import CRITERIA, AnswerGrade, CriterionScore, verdict_for


def _join(texts: Sequence[tuple[str, str]], limit: int) -> str:
    distinct: list[tuple[str, str]] = []
    for name, text in texts:
        if text not in [t for _, t in distinct]:
            distinct.append((name, text))
    joined = distinct[0][1] if len(distinct) == 1 else " | ".join(f"{name}: {text}" for name, text in distinct)
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"


def blend(grades: Sequence[AnswerGrade], names: Sequence[str], human_score: float | None) -> AnswerGrade:
    """One grade from every part's grade of the same answer (all parts succeeded: the caller checks)."""
    criteria: dict[str, Any] = {}  # criterion -> CriterionScore, passed to AnswerGrade by name
    for c in CRITERIA:
        scores = [getattr(g, c).score for g in grades]
        mean = sum(scores) / len(scores)
        criteria[c] = CriterionScore(
            score=int(mean + 0.5), explanation=_join([(n, getattr(g, c).explanation) for n, g in zip(names, grades)], 240)
        )
    overall = sum(s.score for s in criteria.values()) / len(CRITERIA)
    first = grades[0]
    key = hashlib.sha256("+".join(g.provenance.input_hash for g in grades).encode()).hexdigest()
    prov = Provenance(
        model_profile="+".join(names), engine="+".join(g.provenance.engine for g in grades),
        prompt_version="+".join(g.provenance.prompt_version for g in grades), input_hash=key,
        seconds=round(sum(g.provenance.seconds for g in grades), 3),
        adapter=next((g.provenance.adapter for g in grades if g.provenance.adapter), None),
    )
    return AnswerGrade(
        reasoning=_join([(n, g.reasoning) for n, g in zip(names, grades)], 500), verdict=verdict_for(overall),
        **criteria, question=first.question, answer=first.answer, reference_used=first.reference_used,
        reference_source=first.reference_source, rubric=prov.prompt_version, candidate=first.candidate,
        human_score=human_score, provenance=prov,
    )

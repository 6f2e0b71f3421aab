"""Rules grades never tell two stories: over every answer of the public benchmark sets on disk, each criterion's
sentence agrees with its score and with the other criteria (core.grade_consistency holds the rules)."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from core.engines.rules.embed import embed
from core.engines.rules.grade import assess_answer
from core.engines.tasks import GradeTask
from core.grade_consistency import contradictions
from core.schemas import CriterionScore, GradeAssessment

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "assets" / "datasets" / "grader_sample.jsonl"
ANSWER_SETS = REPO / "data" / "answer_sets" / "answers.jsonl"  # built by training/answer_sets.py (git-ignored)
ANSWER_SET_ROWS = int(os.environ.get("HIRELAB_CONSISTENCY_ROWS", "300"))  # 0: every answer (slow on a laptop)
NO_MODEL = Path("/nonexistent/grader.json")  # no learned grader: the hand-set rules grade


def _rows() -> list[dict]:
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    if ANSWER_SETS.is_file():
        public = [json.loads(line) for line in ANSWER_SETS.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows += public if not ANSWER_SET_ROWS else random.Random(0).sample(public, min(ANSWER_SET_ROWS, len(public)))
    return rows


def _grade(tc: tuple[int, str], da: tuple[int, str], ac: tuple[int, str], verdict: str) -> GradeAssessment:
    c = [CriterionScore(score=s, explanation=e) for s, e in (tc, da, ac)]
    return GradeAssessment(reasoning="r", technical_correctness=c[0], depth_of_analysis=c[1], accuracy_of_analysis=c[2],
                           verdict=verdict)  # type: ignore[arg-type]


def test_the_rules_catch_what_a_recruiter_saw():
    wrong = _grade((3, "Says what the reference answer says: mentions none of its key points (“a”, “b”)."),
                   (1, "Much shorter than the reference answer; states points without reasons or examples."),
                   (5, "Answers the question that was asked, in line with the reference answer."), "weak")
    found = {(c.rule, c.criterion) for c in contradictions(wrong)}
    assert {("tone", "technical_correctness"), ("sentence", "technical_correctness"),
            ("criteria", "accuracy_of_analysis")} <= found
    correct_ru = _grade((4, "В основном совпадает с эталонным ответом: раскрывает «индекс»."),
                        (2, "Намного короче эталонного ответа; утверждает без причин и примеров."),
                        (4, "Отвечает на заданный вопрос и согласуется с эталоном."), "weak")
    assert [c.rule for c in contradictions(correct_ru)] == ["verdict"]
    fine = _grade((2, "Не совпадает с эталонным ответом: не упоминает ни одного ключевого пункта («индекс»)."),
                  (1, "Намного короче эталонного ответа; утверждает без причин и примеров."),
                  (2, "Почти не отвечает на заданный вопрос."), "unacceptable")
    assert contradictions(fine) == []


@pytest.mark.parametrize("grader", [None, NO_MODEL], ids=["learned", "hand-set"])
def test_every_public_answer_gets_sentences_that_agree_with_its_scores(grader):
    rows = _rows()
    embed(sorted({t for r in rows for t in (r["question"], r["answer"], r.get("reference") or "") if t}))
    problems = []
    for r in rows:
        for reference in (r.get("reference"), None):
            grade = assess_answer(GradeTask(question=r["question"], answer=r["answer"], reference=reference),
                                  grader=grader)
            problems += [f"{r['answer'][:60]!r} (reference: {reference is not None}): {c}" for c in contradictions(grade)]
    assert problems == [], f"{len(problems)} contradictions, e.g. {problems[:5]}"

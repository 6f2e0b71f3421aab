"""Answer grading without a language model: meaning similarity, key-term coverage and detail.

Signals (MiniLM cosines; word stems from core.text):
- relevance: cosine of the answer to the question (does it address what was asked);
- closeness: cosine of the answer to the reference answer, when there is one;
- coverage: share of the reference's key terms (content words not already in the question) the answer uses;
- detail: the answer's length against the reference's (the reference shows how much the question needs; with
  no reference, against a full interview answer of ~120 words), and words that give reasons or examples.

Answers that are not answers get 1 on every criterion before any scoring:
- off-topic or nonsense (a poem, an unrelated story, word salad): it shares no content word with the question
  or the reference, and its meaning is unrelated to both (cosine under 0.2; unrelated texts sit near 0.1).
  MiniLM is an English model that finds any two Russian texts alike, so for Russian the shared-words test
  decides alone;
- a restatement of the question: it repeats most of the question's content words and adds none of its own
  (one new word may be the answer: "Which is used for BFS, a stack or a queue?" "A queue is used"). An exact
  copy is caught earlier, for every profile, by core.services.answer_checks.
An answer that repeats the reference answer word for word is graded on its content like any other: the
candidate is not shown the reference, and a short reference can be matched honestly. Its explanation says so,
so that a person can check whether the candidate could have seen it.

Thresholds are fixed a priori from what MiniLM cosines mean (≈0.1 unrelated, ≈0.6 same content), not fitted
to any evaluation set. Without a reference the baseline cannot check facts, and it says so. The sentences a
recruiter reads are written in core.engines.rules.grade_text.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from core.cyrillic import is_russian
from core.engines.rules.embed import embed
from core.engines.rules.grade_model import Model, features
from core.engines.rules.grade_model import WEIGHTS
from core.engines.rules.grade_model import load as load_model
from core.engines.rules.grade_text import Explained, Signals, explain, explain_non_answer
from core.text import clip, content_stems, key_terms, max_len, scale, score_1_to_5, terms_found, words
from core.engines.tasks import GradeTask
from core.schemas import CriterionScore, GradeAssessment
from core.schemas.grade import verdict_for

_MARKERS = re.compile(
    r"\b(because|since|therefore|thus|so that|for example|for instance|e\.g\.|such as|instead|however|whereas|"
    r"trade-?offs?|in contrast|which means|this means|otherwise|потому что|так как|поэтому|например|однако|"
    r"вместо|компромисс|то есть|иначе|благодаря|следовательно|зато)\b",
    re.I,
)
UNRELATED = 0.2  # a cosine under this says "about something else"
FULL_ANSWER_WORDS = 120  # a thorough interview answer, when no reference shows what the question needs


def signals(question: str, answer: str, reference: str | None) -> Signals:
    vecs = embed([question, answer] + ([reference] if reference else []))
    relevance = float(vecs[0] @ vecs[1])
    closeness = float(vecs[1] @ vecs[2]) if reference else None
    terms = key_terms(reference or question, exclude=question if reference else "")
    q_stems, a_stems = content_stems(question), content_stems(answer)
    shared = a_stems & (q_stems | content_stems(reference or ""))
    cyrillic = is_russian(question) or is_russian(answer)
    unrelated = relevance < UNRELATED and (closeness is None or closeness < UNRELATED)
    repeated = a_stems & q_stems
    n_words = len(words(answer))
    return Signals(
        n_words=n_words, relevance=relevance, closeness=closeness, terms=terms, found=terms_found(terms, answer),
        markers=sorted({m.group(0).lower() for m in _MARKERS.finditer(answer)}),
        length_ratio=n_words / max(len(words(reference)), 1) if reference else None,
        off_topic=bool(a_stems) and not shared and (cyrillic or unrelated),
        copies_question=not a_stems - q_stems and len(repeated) >= max(2.0, 0.6 * len(q_stems)),
        copies_reference=reference is not None and n_words >= 6 and words(answer) == words(reference),
        question_reference=float(vecs[0] @ vecs[2]) if reference else None,
    )


def assess_answer(task: GradeTask, grader: Path | None = None) -> GradeAssessment:
    """The grade of one answer; ``grader``: the learned grader's weights file (default: the shipped one)."""
    question, answer = task.question.strip(), task.answer.strip()
    reference = (task.reference or "").strip() or None
    ru = is_russian(question)
    if not words(answer):
        return _all_ones(explain_non_answer("empty", ru))
    s = signals(question, answer, reference)
    if s.copies_question:
        return _all_ones(explain_non_answer("copies_question", ru))
    if s.off_topic:
        return _all_ones(explain_non_answer("off_topic", ru))

    rel = scale(s.relevance, 0.1, 0.5)
    close = scale(s.closeness, 0.2, 0.75) if s.closeness is not None else None
    on_topic = max(rel, close or 0.0)
    model = load_model(grader or WEIGHTS) if reference is not None else None
    if model is not None and reference is not None:
        x = features(s, question, answer, reference, s.question_reference or 0.0)
        p = model.probability(x)
        scores, length, accuracy = learned_scores(p, x)
        return _assessment(explain(s, ru, on_topic=on_topic, length=length, accuracy=accuracy, scores=scores,
                                   learned=True), scores)
    if close is not None:
        correctness = 0.6 * close + 0.4 * s.coverage
        accuracy = 0.5 * rel + 0.5 * close
        length = scale(math.log(max(s.length_ratio or 0.0, 1e-6)), math.log(0.25), 0.0)  # a quarter -> 0, as long -> 1
    else:
        correctness = 0.75 * rel  # cannot check facts without a reference: at most 4
        accuracy = rel
        length = scale(math.log(max(s.n_words, 1)), math.log(5), math.log(FULL_ANSWER_WORDS))
    depth = (0.5 * length + 0.3 * (s.coverage if s.terms else rel) + 0.2 * min(len(s.markers) / 2, 1.0)) * min(
        1.0, on_topic / 0.5)
    scores = agreeing((score_1_to_5(correctness), score_1_to_5(depth), score_1_to_5(accuracy)))
    return _assessment(explain(s, ru, on_topic=on_topic, length=length, accuracy=accuracy, scores=scores), scores)


def learned_scores(p: float, x: dict[str, float]) -> tuple[tuple[int, int, int], float, float]:
    """Criterion scores from the learned P(correct) and the signals: correctness is P itself; accuracy (does it
    answer what was asked) leans on P and on relevance to the question; depth on P and on the hand-set detail
    measure (length against the reference, key terms, reasons given). Also returns length and accuracy in 0–1."""
    rel, close = scale(x["relevance"], 0.1, 0.5), scale(x["closeness"], 0.2, 0.75)
    length = scale(x["log_length_ratio"], math.log(0.25), 0.0)
    detail = (0.5 * length + 0.3 * x["coverage"] + 0.2 * x["markers"]) * min(1.0, max(rel, close) / 0.5)
    accuracy = 0.75 * p + 0.25 * rel
    return agreeing((score_1_to_5(p), score_1_to_5(0.6 * p + 0.4 * detail), score_1_to_5(accuracy))), length, accuracy


def agreeing(scores: tuple[int, int, int]) -> tuple[int, int, int]:
    """Depth is at most one point under the lower of correctness and accuracy: an answer that agrees with the
    reference and answers the question is short at worst, never weak overall (core.grade_consistency, rule 4)."""
    tc, da, ac = scores
    return tc, max(da, min(tc, ac) - 1), ac


def learned_overall(x: dict[str, float], model: Model) -> float:
    """The overall grade assess_answer gives with ``model``, from the features alone (for training and benches);
    ``x`` may carry ``off_topic``/``copies_question`` flags, which give 1 as in assess_answer."""
    if x.get("off_topic") or x.get("copies_question"):
        return 1.0
    scores, _, _ = learned_scores(model.probability(x), x)
    return round(sum(scores) / 3, 2)


def _all_ones(text: Explained) -> GradeAssessment:
    return _assessment(text, (1, 1, 1))


def _assessment(text: Explained, scores: tuple[int, int, int]) -> GradeAssessment:
    tc, da, ac = scores
    explain_len = max_len(CriterionScore, "explanation")
    return GradeAssessment(
        reasoning=clip(text.reasoning, max_len(GradeAssessment, "reasoning")),
        technical_correctness=CriterionScore(score=tc, explanation=clip(text.correctness, explain_len)),
        depth_of_analysis=CriterionScore(score=da, explanation=clip(text.depth, explain_len)),
        accuracy_of_analysis=CriterionScore(score=ac, explanation=clip(text.accuracy, explain_len)),
        verdict=verdict_for(round((tc + da + ac) / 3, 2)),
    )

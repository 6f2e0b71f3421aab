"""Whether a grade's sentences agree with its numbers: the one set of rules every explanation must keep.

A recruiter reads a score and a sentence side by side; they must never tell two stories. The rules, over a
grade's three criteria (scores 1–5, one sentence each), its summary and its verdict:

1. tone: a criterion's sentence that praises (``Says what the reference answer says``, ``Answers the
   question that was asked``) needs a score of 4 or 5; one that faults it outright (``Does not agree``,
   ``Barely addresses``) needs 1 or 2; one that grants it in part (``Only partly``) needs 3;
2. within a sentence: agreement with the reference is never stated beside "mentions none of its key points",
   and disagreement never beside "no key point is missing";
3. across criteria: the accuracy sentence says "in line with the reference answer" only when correctness is
   4 or 5; accuracy and correctness are at most 2 points apart (a wrong answer is not "accurate 5/5");
   a depth sentence that calls the answer "much shorter" with depth 4 or 5 says why ("short, but it says
   what matters"), and one that calls it "as detailed" with depth 1 or 2 says why the detail does not count;
4. verdict: an answer whose correctness and accuracy are both 4 or more is not called weak or unacceptable,
   and one whose correctness and accuracy are both 2 or less is not called acceptable or strong.

The phrases are the rules engine's words (core/engines/rules/grade_text.py) in English and Russian, matched
case-insensitively; a sentence in other words (a language model's) is checked only by rules 3–4 on numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

CRITERIA = ("technical_correctness", "depth_of_analysis", "accuracy_of_analysis")

# phrase -> the scores it may stand beside, per criterion
PRAISE = ("says what the reference answer says", "largely agrees with the reference", "answers the question that was asked",
          "говорит то же, что эталонный ответ", "в основном совпадает с эталонным", "отвечает на заданный вопрос")
PARTLY = ("only partly agrees", "addresses the question only in part", "лишь отчасти совпадает",
          "отвечает на вопрос лишь отчасти")
FAULT = ("does not agree with the reference", "barely addresses the question", "не совпадает с эталонным",
         "почти не отвечает на заданный вопрос", "nothing in it relates", "does not address the question",
         "repeats the question", "restates the question", "the answer is empty", "в ответе нет ничего",
         "ответ не о том", "повторяет вопрос", "пересказывает вопрос", "ответ пустой")
NO_POINTS = ("mentions none of its key points", "не упоминает ни одного ключевого пункта")
ALL_POINTS = ("no key point is missing", "все ключевые пункты на месте")
IN_LINE = ("in line with the reference answer", "согласуется с эталоном")
MUCH_SHORTER = ("much shorter than the reference", "намного короче эталонного")
SHORT_EXCUSED = ("short, but it says what matters", "коротко, но главное сказано")
AS_DETAILED = ("as detailed as the reference", "так же подробен, как эталонный")
DETAIL_EXCUSED = ("the detail does not make up", "подробности не искупают")
LOW_VERDICTS, HIGH_VERDICTS = ("weak", "unacceptable"), ("acceptable", "strong")


class _Criterion(Protocol):
    score: int
    explanation: str


class Graded(Protocol):
    """A grade as the rules see it (GradeAssessment and AnswerGrade both are)."""

    technical_correctness: _Criterion
    depth_of_analysis: _Criterion
    accuracy_of_analysis: _Criterion
    verdict: str


@dataclass(frozen=True)
class Contradiction:
    rule: str  # tone | sentence | criteria | verdict
    criterion: str  # the criterion (or "verdict") where it shows
    detail: str  # English, for tests and logs

    def __str__(self) -> str:
        return f"{self.rule} ({self.criterion}): {self.detail}"


def _has(text: str, phrases: tuple[str, ...]) -> str | None:
    low = text.lower()
    if phrases is PRAISE:  # "почти не отвечает на заданный вопрос" holds "отвечает на заданный вопрос"
        for fault in FAULT:
            low = low.replace(fault, " ")
    return next((p for p in phrases if p in low), None)


def contradictions(grade: Graded) -> list[Contradiction]:
    """Every way the grade's sentences disagree with its scores or with each other (empty when consistent)."""
    out: list[Contradiction] = []
    scores = {c: getattr(grade, c).score for c in CRITERIA}
    texts = {c: getattr(grade, c).explanation for c in CRITERIA}
    for c in CRITERIA:
        text, score = texts[c], scores[c]
        for phrases, allowed in ((PRAISE, (4, 5)), (PARTLY, (3,)), (FAULT, (1, 2))):
            hit = _has(text, phrases)
            if hit and score not in allowed:
                out.append(Contradiction("tone", c, f"{hit!r} beside a score of {score}"))
    tc_text = texts["technical_correctness"]
    if _has(tc_text, PRAISE) and _has(tc_text, NO_POINTS):
        out.append(Contradiction("sentence", "technical_correctness", "agrees with the reference yet mentions none of its key points"))
    if _has(tc_text, FAULT) and _has(tc_text, ALL_POINTS):
        out.append(Contradiction("sentence", "technical_correctness", "disagrees with the reference yet misses no key point"))
    tc, da, ac = (scores[c] for c in CRITERIA)
    if _has(texts["accuracy_of_analysis"], IN_LINE) and tc < 4:
        out.append(Contradiction("criteria", "accuracy_of_analysis", f"'in line with the reference' beside correctness {tc}"))
    if abs(ac - tc) > 2:
        out.append(Contradiction("criteria", "accuracy_of_analysis", f"accuracy {ac} against correctness {tc}"))
    depth = texts["depth_of_analysis"]
    if _has(depth, MUCH_SHORTER) and da >= 4 and not _has(depth, SHORT_EXCUSED):
        out.append(Contradiction("criteria", "depth_of_analysis", f"'much shorter' beside depth {da} with no reason"))
    if _has(depth, AS_DETAILED) and da <= 2 and not _has(depth, DETAIL_EXCUSED):
        out.append(Contradiction("criteria", "depth_of_analysis", f"'as detailed' beside depth {da} with no reason"))
    if min(tc, ac) >= 4 and grade.verdict in LOW_VERDICTS:
        out.append(Contradiction("verdict", "verdict", f"{grade.verdict!r} for correctness {tc} and accuracy {ac}"))
    if max(tc, ac) <= 2 and grade.verdict in HIGH_VERDICTS:
        out.append(Contradiction("verdict", "verdict", f"{grade.verdict!r} for correctness {tc} and accuracy {ac}"))
    return out

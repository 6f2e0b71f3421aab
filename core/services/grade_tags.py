"""Graders trained to answer in the ``<reasoning>…</reasoning><score>N</score>`` wire format.

Such an adapter gets the same grading prompt, generates without the JSON grammar, and its answer is
read with :func:`core.schemas.grade.parse_tag_format`. It gives one overall score, so each criterion
carries that score and says so; an answer not in the format is a recorded failure, never a score.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.engines import ChatRequest, Engine, Outcome
from core.engines.base import GenResult, ProgressFn
from core.engines.structured import OutcomeFn
from core.schemas.grade import CRITERIA, CriterionScore, GradeAssessment, TagFormatError, model_tag_score, verdict_for

NOTE = {
    "en": "A tag-format grader gives one overall score ({score:g} of 5) for the whole answer, not one per criterion.",
    "ru": "Оценщик в формате тегов ставит одну общую оценку ({score:g} из 5) за весь ответ, без разбивки по критериям.",
}


def tag_assessment(text: str, lang: str = "en") -> GradeAssessment:
    """The grade a tag-format answer states. Raises TagFormatError when the text is not one."""
    reasoning, score = model_tag_score(text)
    if not reasoning:
        raise TagFormatError("the <reasoning> part is empty")
    whole = max(1, min(5, int(score + 0.5)))
    note = NOTE["ru" if lang == "ru" else "en"].format(score=score)
    return GradeAssessment(
        reasoning=reasoning if len(reasoning) <= 500 else reasoning[:499].rstrip() + "…",
        verdict=verdict_for(whole),  # the band of the score every criterion carries
        **{c: CriterionScore(score=whole, explanation=note) for c in CRITERIA},
    )


def generate_tagged(engine: Engine, requests: Sequence[ChatRequest], langs: Sequence[str],
                    progress: ProgressFn | None = None, on_outcome: OutcomeFn | None = None) -> list[Outcome]:
    """One unconstrained generation per request, read as a tag-format grade; each outcome also goes to
    ``on_outcome`` as soon as its text is ready."""
    outcomes: list[Outcome | None] = [None] * len(requests)

    def read(i: int, res: GenResult) -> None:
        if outcomes[i] is not None:
            return
        value, error = None, res.error
        if error is None:
            try:
                value = tag_assessment(res.text, langs[i])
            except TagFormatError as exc:
                error = str(exc) if res.finish_reason != "length" else f"answer truncated at the token limit: {exc}"
        outcome = Outcome(value, res.text, error, res.finish_reason, 1, res.seconds, res.prompt_tokens,
                          res.completion_tokens)
        outcomes[i] = outcome
        if on_outcome:
            on_outcome(i, outcome)

    for i, res in enumerate(engine.generate(requests, progress, on_result=read)):
        read(i, res)
    return [o for o in outcomes if o is not None]

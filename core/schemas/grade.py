"""Answer grading: the model's output (GradeAssessment) and the stored AnswerGrade.

Also the ``<reasoning>…</reasoning><score>N</score>`` wire format used by graders trained in that
style, so such datasets and adapters work here.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, computed_field, model_validator

from core.messages import LocalizedError
from core.schemas.bands import Verdict, band_follows_score, verdict_for
from core.schemas.common import Provenance, Score1to5

CRITERIA = ("technical_correctness", "depth_of_analysis", "accuracy_of_analysis")


class CriterionScore(BaseModel):
    score: Score1to5
    explanation: str = Field(min_length=1, max_length=240, description="Plain words a recruiter understands")


class GradeAssessment(BaseModel):
    """The model's output contract for grading one answer."""

    reasoning: str = Field(min_length=1, max_length=500)
    technical_correctness: CriterionScore
    depth_of_analysis: CriterionScore
    accuracy_of_analysis: CriterionScore
    verdict: Verdict

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall(self) -> float:
        return round(sum(getattr(self, c).score for c in CRITERIA) / len(CRITERIA), 2)


class AnswerGrade(GradeAssessment):
    """A stored grade: the assessment plus what it was graded against and where it came from.

    ``reference_used`` is the reference answer the grader saw (None: graded by the rubric alone);
    ``reference_source`` says where it came from ("input", "bank:<question id>"); ``rubric`` names the
    rubric version (the grading prompt's version, or the no-LLM rules).

    ``verdict`` is always the band of ``overall`` (core.schemas.bands). A verdict given that disagrees
    with the scores is the grader's own (or an older stored grade's): it is kept as ``model_verdict``
    and the banded one takes its place; an explicit ``model_verdict`` beside a contradicting
    ``verdict`` is an error.
    """

    question: str
    answer: str
    reference_used: str | None = None
    reference_source: str | None = None
    rubric: str = ""
    candidate: str | None = None
    human_score: float | None = Field(default=None, ge=0, le=5)
    provenance: Provenance
    model_verdict: Verdict | None = None  # what the grader itself wrote; shown only when it disagrees

    @model_validator(mode="after")
    def _verdict_follows_scores(self) -> "AnswerGrade":
        band_follows_score(self, "verdict", "model_verdict", verdict_for(self.overall), f"overall {self.overall:g}")
        return self

    @property
    def model_disagrees(self) -> bool:
        """True when the grader's own verdict differs from the banded one (then show "model said …")."""
        return self.model_verdict is not None and self.model_verdict != self.verdict

    def to_tag_format(self) -> str:
        """This grade in the ``<reasoning>…</reasoning><score>N</score>`` wire format (score = overall)."""
        return to_tag_format(self.reasoning, self.overall)


class TagFormatError(LocalizedError):
    pass


_TAG = re.compile(r"<reasoning>(?P<reasoning>.*?)</reasoning>\s*<score>\s*(?P<score>\d+(?:\.\d+)?)\s*</score>", re.S)


def parse_tag_format(text: str) -> tuple[str, float]:
    """Parse ``<reasoning>…</reasoning><score>N</score>``; raise TagFormatError saying what is missing."""
    match = _TAG.search(text)
    if not match:
        missing = [t for t in ("<reasoning>", "</reasoning>", "<score>", "</score>") if t not in text]
        detail = f"missing {', '.join(missing)}" if missing else "tags out of order or score not a number"
        raise TagFormatError(f"not in <reasoning>…</reasoning><score>N</score> format: {detail}")
    return match.group("reasoning").strip(), float(match.group("score"))


MODEL_SCALE = (1.0, 5.0)  # what a grader's tag-format score may be (people's scores in answer files: 0–5)


def model_tag_score(text: str) -> tuple[str, float]:
    """A grader's tag-format answer: (reasoning, score), the score on the 1–5 scale; TagFormatError otherwise.
    The one check of the bounds, for grading and for training rewards alike."""
    reasoning, score = parse_tag_format(text)
    low, high = MODEL_SCALE
    if not low <= score <= high:
        raise TagFormatError(f"score {score:g} is outside the {low:g}–{high:g} grading scale")
    return reasoning, score


def to_tag_format(reasoning: str, score: float) -> str:
    shown = int(score) if float(score).is_integer() else round(score, 2)
    return f"<reasoning>{reasoning.strip()}</reasoning><score>{shown}</score>"

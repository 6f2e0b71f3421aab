"""LLM-as-judge: what the judge writes about one model's analysis (JudgeAssessment), the pairwise
form (PairwiseAssessment), and what is kept (JudgeVerdict, PairwiseVerdict)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

from core.schemas.common import Provenance, Score1to5

JUDGE_CRITERIA = ("accuracy_of_analysis", "technical_correctness", "depth_of_analysis")
JUDGE_METRICS = (*JUDGE_CRITERIA, "overall")
PairChoice = Literal["A", "B", "tie"]


class JudgeAssessment(BaseModel):
    """The judge's output contract: reasoning first, then a 1–5 score per criterion of the rubric."""

    reasoning: str = Field(min_length=1, max_length=400, description="Why these scores, in two or three sentences")
    accuracy_of_analysis: Score1to5
    technical_correctness: Score1to5
    depth_of_analysis: Score1to5

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall(self) -> float:
        return round(sum(getattr(self, c) for c in JUDGE_CRITERIA) / len(JUDGE_CRITERIA), 4)


class JudgeVerdict(JudgeAssessment):
    """A stored judgment of one model's analysis of one answer in one repeat."""

    judged_profile: str
    item_id: str
    repeat: int = Field(ge=0)
    provenance: Provenance


class PairwiseAssessment(BaseModel):
    """The judge's output contract when it sees two analyses, A and B, of the same answer."""

    reasoning: str = Field(min_length=1, max_length=400, description="Which analysis is better and why")
    better: PairChoice


class PairwiseVerdict(BaseModel):
    """Both orders of one pairwise judgment. A disagreement between the orders is a tie."""

    model_a: str
    model_b: str
    item_id: str
    repeat: int = Field(ge=0)
    a_first: PairwiseAssessment | None = None  # model_a shown as "A"
    b_first: PairwiseAssessment | None = None  # model_b shown as "A"
    error: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def winner(self) -> str | None:
        """``model_a``, ``model_b``, ``"tie"``; None when a judgment failed (a failure is not a tie)."""
        if self.a_first is None or self.b_first is None:
            return None
        first = {"A": self.model_a, "B": self.model_b, "tie": "tie"}[self.a_first.better]
        second = {"A": self.model_b, "B": self.model_a, "tie": "tie"}[self.b_first.better]
        return first if first == second else "tie"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def consistent(self) -> bool | None:
        """Whether both orders named the same winner (or both a tie)."""
        if self.a_first is None or self.b_first is None:
            return None
        first = {"A": "a", "B": "b", "tie": "tie"}[self.a_first.better]
        second = {"A": "b", "B": "a", "tie": "tie"}[self.b_first.better]
        return first == second

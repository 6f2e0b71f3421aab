"""What a comparison is made of and keeps: items, its config, per-repeat grades and verdicts.

Pydantic throughout, so a whole run round-trips through JSON (store, export, report).
"""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator, model_validator

from core.messages import LocalizedError
from core.schemas import AnswerGrade, JudgeVerdict

DEFAULT_HUMAN_SCALE = "0,5"


class ScaleError(LocalizedError):
    """A human score scale that is not two numbers (LOW,HIGH)."""


def parse_human_scale(text: str | None) -> tuple[float, float]:
    """``"LOW,HIGH"`` (the scale of the human scores in a comparison's file) as two numbers; empty: 0,5.
    Raises ScaleError naming the value and the form to write (the Compare tab and ``hirelab compare``)."""
    try:
        lo, hi = (float(x) for x in (text or DEFAULT_HUMAN_SCALE).split(","))
    except ValueError:
        raise ScaleError(key="cmp_err_scale", value=repr(text)) from None
    return lo, hi


class CompareItem(BaseModel):
    """One answer every model grades: a question, the candidate's answer, optional reference and human score."""

    id: str
    question: str
    answer: str
    reference: str | None = None
    candidate: str | None = None
    human_score: float | None = None


class CompareConfig(BaseModel):
    """Everything that decides a comparison's outcome (stored with the run)."""

    models: list[str] = Field(min_length=1)
    judge: str
    repeats: int = Field(default=3, ge=1, le=20)
    pairwise: bool = False
    temperature: float = Field(default=0.7, ge=0.0, le=2.0, description="Models' sampling temperature across repeats")
    seed: int = 3407
    grade_max_new_tokens: int = Field(default=480, ge=32, le=4096)
    judge_max_new_tokens: int = Field(default=320, ge=32, le=4096)
    human_scale: tuple[float, float] = (0.0, 5.0)
    tag_models: list[str] = Field(default_factory=list, description="Models that answer in the "
                                  "<reasoning>…</reasoning><score>N</score> format (adapters trained that way)")
    dataset: str = ""
    name: str = ""

    @field_validator("models")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        names = [v.strip() for v in value if v.strip()]
        if len(set(names)) != len(names):
            raise ValueError(f"each model may appear once; got {', '.join(names)}")
        if not names:
            raise ValueError("name at least one model profile to compare")
        return names

    @model_validator(mode="after")
    def _tags_are_models(self) -> "CompareConfig":
        unknown = [m for m in self.tag_models if m not in self.models]
        if unknown:
            raise ValueError(f"tag-format models {', '.join(unknown)} are not among the compared models")
        return self


class GradeRecord(BaseModel):
    """One model's grade of one item in one repeat; a failure keeps its error and raw text."""

    model: str
    item_id: str
    repeat: int
    ok: bool
    error: str | None = None
    grade: AnswerGrade | None = None
    raw: str = ""
    seconds: float = 0.0


class JudgeRecord(BaseModel):
    """The judge's verdict on one GradeRecord (or why there is none)."""

    model: str
    item_id: str
    repeat: int
    ok: bool
    error: str | None = None
    verdict: JudgeVerdict | None = None
    raw: str = ""
    seconds: float = 0.0

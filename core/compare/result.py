"""A whole comparison run as one object: inputs, plan, every repeat's results and the statistics."""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import BaseModel, Field

from core.compare.plan import ComparePlan
from core.compare.records import CompareConfig, CompareItem, GradeRecord, JudgeRecord
from core.compare.summary import CompareStats
from core.schemas import PairwiseVerdict

RUN_KIND = "compare"


class CompareRun(BaseModel):
    run_id: str
    config: CompareConfig
    items: list[CompareItem]
    plan: ComparePlan | None = None
    grades: list[GradeRecord] = Field(default_factory=list)
    judgments: list[JudgeRecord] = Field(default_factory=list)
    pairs: list[PairwiseVerdict] = Field(default_factory=list)
    stats: CompareStats | None = None
    status: str = "running"  # running | done | failed
    error: str | None = None
    started_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    finished_at: datetime | None = None
    seconds: float = 0.0

    def item(self, item_id: str) -> CompareItem:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(f"no answer {item_id!r} in run {self.run_id}")

    def grade(self, model: str, item_id: str, repeat: int) -> GradeRecord | None:
        return next((g for g in self.grades if (g.model, g.item_id, g.repeat) == (model, item_id, repeat)), None)

    def judgment(self, model: str, item_id: str, repeat: int) -> JudgeRecord | None:
        return next((j for j in self.judgments if (j.model, j.item_id, j.repeat) == (model, item_id, repeat)), None)

"""A whole comparison run as one object: inputs, plan, every repeat's results and the statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, Field

from core.compare.plan import ComparePlan
from core.compare.records import CompareConfig, CompareItem, GradeRecord, JudgeRecord
from core.compare.summary import CompareStats
from core.schemas import PairwiseVerdict

RUN_KIND = "compare"


@dataclass(frozen=True)
class CompareRunEntry:
    """A past comparison as the lists show it, read from its ``runs`` row (tolerant of old or partial rows)."""

    run_id: str
    name: str
    status: str  # running | done | failed
    models: tuple[str, ...]
    judge: str
    repeats: int | None
    answers: int
    created_at: datetime | None

    @property
    def models_text(self) -> str:
        return ", ".join(self.models)

    @property
    def created(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""

    @classmethod
    def from_row(cls, row: Any) -> CompareRunEntry:
        """The one place a comparison's stored config JSON is read for the lists."""
        stored = row.config if isinstance(row.config, dict) else {}
        raw_cfg, raw_items = stored.get("config"), stored.get("items")
        cfg: dict[str, Any] = raw_cfg if isinstance(raw_cfg, dict) else {}
        raw_models = cfg.get("models")
        models: list[Any] = raw_models if isinstance(raw_models, list) else []
        items: list[Any] = raw_items if isinstance(raw_items, list) else []
        repeats = cfg.get("repeats")
        return cls(run_id=row.id, name=row.name or "", status=row.status, models=tuple(str(m) for m in models),
                   judge=str(cfg.get("judge") or ""), repeats=repeats if isinstance(repeats, int) else None,
                   answers=len(items), created_at=row.created_at)


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

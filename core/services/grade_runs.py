"""Past grading batches, reopened from the store: the recent list and one batch's outcomes again."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from core.failures import failure
from core.schemas.grade import AnswerGrade
from core.services.grading import RUN_KIND, AnswerInput, GradeOutcome
from core.services.runs import RunSummary, get_run_summary, recent_runs
from core.store import Store, get_store

STALE_GRADE = failure("fail_stale_grade")


@dataclass
class OpenedGrading:
    summary: RunSummary
    outcomes: list[GradeOutcome]  # in the batch's order, only the answers finished so far


def recent_gradings(limit: int = 10, store: Store | None = None, owner: str = "") -> list[RunSummary]:
    return recent_runs(RUN_KIND, limit, store, owner)


def open_grading(run_id: str, store: Store | None = None, owner: str = "") -> OpenedGrading | None:
    """A stored grading batch as it was shown (None when no such run is stored, or it is not ``owner``'s to see)."""
    store = store or get_store()
    summary = get_run_summary(run_id, store, owner)
    if summary is None or summary.kind != RUN_KIND:
        return None
    outcomes = []
    for item, result in store.list_run_items(run_id):
        try:
            answer = AnswerInput.model_validate((item.data or {}).get("item") or {})
        except ValidationError:
            continue  # an item written without its input cannot be shown
        out = GradeOutcome(answer, item.ok, error=item.error, raw=result.raw if result is not None else "",
                           cached=item.cached)
        if item.ok and result is not None and result.payload:
            try:
                out.grade = AnswerGrade.model_validate(result.payload).model_copy(update={"human_score": answer.human_score})
            except ValidationError:
                out.ok, out.error = False, STALE_GRADE
        outcomes.append(out)
    return OpenedGrading(summary, outcomes)

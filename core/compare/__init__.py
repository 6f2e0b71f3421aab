"""Compare models side by side with an LLM judge: plan, run, statistics, charts, reports.

Entry points: :func:`run_comparison` (plan and run, stored), :func:`plan_comparison` (say what will
run where and how long), :func:`load_items` / :func:`items_for_candidate` (inputs),
:func:`list_runs` / :func:`load_run` (past runs). Exports live in ``core.compare.report``.
"""

from core.compare.plan import ComparePlan
from core.compare.records import CompareConfig, CompareItem, GradeRecord, JudgeRecord
from core.compare.result import CompareRun, CompareRunEntry
from core.compare.runner import (CompareError, items_for_candidate, items_from_inputs, list_runs, load_items, load_run,
                                 plan_comparison, run_comparison)
from core.compare.summary import CompareStats, compute_stats

__all__ = [
    "CompareConfig",
    "CompareError",
    "CompareItem",
    "ComparePlan",
    "CompareRun",
    "CompareRunEntry",
    "CompareStats",
    "GradeRecord",
    "JudgeRecord",
    "compute_stats",
    "items_for_candidate",
    "items_from_inputs",
    "list_runs",
    "load_items",
    "load_run",
    "plan_comparison",
    "run_comparison",
]

"""Analytics over the store, for the Streamlit pages (``streamlit run pages/analytics.py``) and any other reader.

:func:`load` reads the store once into frozen records; the rest are pure functions of them:
:func:`funnel` (screened → advanced by the tool → decided by a person), :func:`scores_by_job` /
:func:`scores_by_profile`, :func:`flags_by_job`, :func:`agreement` (rate, Cohen's kappa, confusion table; the
tool's advance/consider/decline map to a person's advance/hold/reject), :func:`load_training_runs`.
Tables live in ``core.analytics.views``, plotly figures in ``core.analytics.charts``.
"""

from core.analytics.agreement import (PERSON_LABELS, TOOL_LABELS, TOOL_TO_PERSON, Agreement, agreement,
                                      agreement_by_profile, cohen_kappa, latest_decisions)
from core.analytics.data import AnalyticsData, DecisionFact, FitFact, Job, TrainingRun, load, load_training_runs
from core.analytics.funnel import FunnelRow, funnel, latest_reports
from core.analytics.scores import FlagsRow, ScoreStats, flag_kinds, flags_by_job, score_stats, scores_by_job, scores_by_profile

__all__ = [
    "PERSON_LABELS", "TOOL_LABELS", "TOOL_TO_PERSON", "Agreement", "AnalyticsData", "DecisionFact", "FitFact",
    "FlagsRow", "FunnelRow", "Job", "ScoreStats", "TrainingRun", "agreement", "agreement_by_profile", "cohen_kappa",
    "flag_kinds", "flags_by_job", "funnel", "latest_decisions", "latest_reports", "load", "load_training_runs",
    "score_stats", "scores_by_job", "scores_by_profile",
]

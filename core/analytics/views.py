"""The analytics figures as tables with column names in the reader's language (pandas, for any UI)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from core.analytics.agreement import PERSON_LABELS, TOOL_LABELS, Agreement
from core.analytics.data import TrainingRun
from core.analytics.funnel import FunnelRow
from core.analytics.scores import FlagsRow, ScoreStats
from core.compare.result import CompareRunEntry
from core.services.audit import AuditEntry
from core.compare.views import status_text
from core.messages import has, msg

FUNNEL_COLUMNS = ("job", "screened", "tool_advance", "tool_consider", "tool_decline", "decided", "advance", "hold", "reject")
FLAG_COLUMNS = ("job", "resumes", "with_red_flags", "red_flags", "hidden_text", "instruction_text", "unverified")


def ratio(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def tool_label(label: str, lang: str) -> str:
    return msg(label, lang)  # advance | consider | decline, as on the report cards


def person_label(label: str, lang: str) -> str:
    return msg(f"an_d_{label}", lang)


def funnel_table(rows: Sequence[FunnelRow], lang: str = "en") -> pd.DataFrame:
    return pd.DataFrame([[getattr(r, c) for c in FUNNEL_COLUMNS] for r in rows],
                        columns=[msg(f"an_col_{c}", lang) for c in FUNNEL_COLUMNS])


def scores_table(stats: Sequence[ScoreStats], group: str, lang: str = "en") -> pd.DataFrame:
    """``group`` names the first column: 'job' or 'profile'."""
    return pd.DataFrame([[s.group, s.n, round(s.mean, 1), s.median, ratio(s.sd, 1), s.low, s.high] for s in stats],
                        columns=[msg(f"an_col_{c}", lang) for c in (group, "n", "mean", "median", "sd", "min", "max")])


def flags_table(rows: Sequence[FlagsRow], lang: str = "en") -> pd.DataFrame:
    return pd.DataFrame([[getattr(r, c) for c in FLAG_COLUMNS] for r in rows],
                        columns=[msg(f"an_col_{c}", lang) for c in FLAG_COLUMNS])


def confusion_table(a: Agreement, lang: str = "en") -> pd.DataFrame:
    """Rows: the tool's recommendation; columns: the person's decision; cells: how many candidates."""
    frame = pd.DataFrame([list(row) for row in a.confusion], columns=[person_label(p, lang) for p in PERSON_LABELS])
    frame.insert(0, msg("an_tool_vs_person", lang), [tool_label(t, lang) for t in TOOL_LABELS])
    return frame


def agreement_table(by_profile: dict[str, Agreement], lang: str = "en") -> pd.DataFrame:
    return pd.DataFrame([[p, a.n, percent(a.rate), ratio(a.kappa)] for p, a in by_profile.items()],
                        columns=[msg(f"an_col_{c}", lang) for c in ("profile", "n", "agreement", "kappa")])


def training_status(status: str, lang: str = "en") -> str:
    """A training run's status (completed, needs_attention, stopped, …) for people, in ``lang``."""
    return msg(f"t_status_{status}", lang) if has(f"t_status_{status}") else status


def training_run_label(run: TrainingRun, lang: str = "en") -> str:
    """How a training run is named in a picker: its name, kind and status in ``lang``."""
    return f"{run.name or run.id} · {run.kind} · {training_status(run.status, lang)}"


def training_table(runs: Sequence[TrainingRun], lang: str = "en") -> pd.DataFrame:
    cols = ("run", "kind", "status", "profile", "created", "steps", "loss", "reward", "adapter", "error")
    return pd.DataFrame([[r.name or r.id, r.kind, training_status(r.status, lang), r.profile,
                          f"{r.created_at:%Y-%m-%d %H:%M}" if r.created_at else "", r.steps, ratio(r.last_loss, 4),
                          ratio(r.last_reward, 4), r.adapter, r.error] for r in runs],
                        columns=[msg(f"an_col_{c}", lang) for c in cols])


def comparison_runs_table(runs: Sequence[CompareRunEntry], lang: str = "en") -> pd.DataFrame:
    """Past comparisons (entries of ``core.compare.list_runs``) with column names and statuses in ``lang``."""
    cols = ("run", "name", "status", "models", "judge", "repeats", "answers", "created")
    return pd.DataFrame([[r.run_id, r.name, status_text(r.status, lang), r.models_text, r.judge, r.repeats,
                          r.answers, r.created] for r in runs],
                        columns=[msg(f"an_col_{c}", lang) for c in cols])


def action_label(action: str, lang: str = "en") -> str:
    return msg(f"audit_{action}", lang)


def _detail_value(key: str, value: object, lang: str) -> str:
    if isinstance(value, bool):
        return msg("audit_yes" if value else "audit_no", lang)
    if value is None:
        return "–"
    code = {"decision": f"dec_{value}", "shown_recommendation": str(value), "what": f"audit_what_{value}"}.get(key)
    if code and has(code):
        return msg(code, lang)
    return str(value)


def audit_detail_text(detail: dict[str, object], lang: str = "en") -> str:
    """An audit row's detail (codes, counts, flags) as words in ``lang``: "done: yes; stored result reused: no; score: 48"."""
    return "; ".join(f"{msg(f'audit_d_{k}', lang) if has(f'audit_d_{k}') else k}: {_detail_value(k, v, lang)}"
                     for k, v in detail.items())


def audit_table(entries: Sequence[AuditEntry], lang: str = "en") -> pd.DataFrame:
    """Audit rows, newest first, with column names, actions and details in ``lang``."""
    cols = ("at", "actor", "action", "candidate", "job", "profile", "prompt", "input", "detail")
    return pd.DataFrame([[f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, action_label(e.action, lang), e.candidate_ref,
                          "" if e.job_id is None else str(e.job_id), e.model_profile, e.prompt_version, e.input_hash[:12],
                          audit_detail_text(e.detail, lang)] for e in entries],
                        columns=[msg(f"an_col_{c}", lang) for c in cols])

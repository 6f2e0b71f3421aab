"""Plotly figures of the analytics pages, titled in the reader's language. plotly is imported here only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.analytics.agreement import PERSON_LABELS, TOOL_LABELS, Agreement
from core.analytics.funnel import FunnelRow
from core.analytics.scores import FlagsRow, ScoreStats
from core.analytics.views import person_label, tool_label
from core.documents.model import FLAG_TITLES
from core.messages import has, msg, norm_lang


def funnel(row: FunnelRow, lang: str = "en") -> Any:
    """One job's funnel: screened → advanced by the tool → decided by a person → advanced by a person."""
    import plotly.graph_objects as go

    stages = [("screened", row.screened), ("tool_advance", row.tool_advance), ("decided", row.decided),
              ("advance", row.advance)]
    fig = go.Figure(go.Funnel(y=[msg(f"an_col_{k}", lang) for k, _ in stages], x=[v for _, v in stages],
                              textinfo="value"))
    fig.update_layout(title=msg("an_funnel_of", lang, job=row.job), height=360)
    return fig


def score_boxes(stats: Sequence[ScoreStats], title_key: str, lang: str = "en") -> Any:
    """Each group's fit scores as a box with every resume as a point (mean dashed)."""
    import plotly.graph_objects as go

    fig = go.Figure([go.Box(name=s.group, y=list(s.scores), boxmean=True, boxpoints="all", jitter=0.3, pointpos=0)
                     for s in stats])
    fig.update_layout(title=msg(title_key, lang), yaxis={"range": [-2, 102], "title": msg("an_score_axis", lang)},
                      showlegend=False, height=400)
    return fig


def score_histogram(stats: Sequence[ScoreStats], lang: str = "en") -> Any:
    """Fit scores in bins of 10, one overlaid series per group."""
    import plotly.graph_objects as go

    fig = go.Figure([go.Histogram(name=s.group, x=list(s.scores), xbins={"start": 0, "end": 100, "size": 10}, opacity=0.65)
                     for s in stats])
    fig.update_layout(barmode="overlay", title=msg("an_hist", lang), height=380,
                      xaxis={"range": [0, 100], "title": msg("an_score_axis", lang)},
                      yaxis={"title": msg("an_col_resumes", lang)})
    return fig


def flags(rows: Sequence[FlagsRow], lang: str = "en") -> Any:
    """Per job, resumes with red flags, hidden text, instruction-like text and unverified quotes."""
    import plotly.graph_objects as go

    keys = ("with_red_flags", "hidden_text", "instruction_text", "unverified")
    fig = go.Figure([go.Bar(name=msg(f"an_col_{k}", lang), x=[r.job for r in rows], y=[getattr(r, k) for r in rows])
                     for k in keys])
    fig.update_layout(barmode="group", title=msg("an_flags_chart", lang), yaxis={"title": msg("an_col_resumes", lang)},
                      height=400)
    return fig


def flag_kinds(counts: dict[str, int], lang: str = "en") -> Any:
    import plotly.graph_objects as go

    lang = norm_lang(lang)
    names = [FLAG_TITLES.get(k, {}).get(lang, k) for k in counts]
    fig = go.Figure(go.Bar(x=list(counts.values()), y=names, orientation="h"))
    fig.update_layout(title=msg("an_flag_kinds", lang), xaxis={"title": msg("an_col_resumes", lang)}, height=320)
    return fig


def confusion(a: Agreement, lang: str = "en") -> Any:
    """The confusion table as a heatmap: the tool's recommendation (rows) against the person's decision."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Heatmap(z=[list(r) for r in a.confusion], x=[person_label(p, lang) for p in PERSON_LABELS],
                               y=[tool_label(t, lang) for t in TOOL_LABELS], text=[list(r) for r in a.confusion],
                               texttemplate="%{text}", colorscale="Blues", showscale=False))
    fig.update_layout(title=msg("an_tool_vs_person", lang), xaxis={"title": msg("an_person", lang)},
                      yaxis={"title": msg("an_tool", lang), "autorange": "reversed"}, height=360)
    return fig


METRIC_WORDS = {"loss": "t_chart_loss", "eval_loss": "t_chart_eval_loss", "reward": "t_chart_reward",
                "learning_rate": "t_chart_lr", "gpu_peak_gb": "t_chart_gpu_peak", "gpu_reserved_gb": "t_chart_gpu_reserved",
                "rss_peak_gb": "t_chart_rss_peak", "step_seconds": "t_chart_step_seconds",
                "completions/clipped_ratio": "t_chart_clipped"}


def metric_label(key: str, lang: str = "en") -> str:
    """A training metric's name as a chart legend says it in ``lang`` (``rewards/<name>/mean``: that reward)."""
    if key in METRIC_WORDS:
        return msg(METRIC_WORDS[key], lang)
    if key.startswith("rewards/") and key.endswith("/mean"):
        name = key.removeprefix("rewards/").removesuffix("/mean")
        words = f"t_reward_{name}"
        return msg("t_chart_reward_of", lang, name=msg(words, lang) if has(words) else name)
    return key


TRAINING_PANELS = (("loss", ("loss", "eval_loss")), ("reward", ("reward",)), ("lr", ("learning_rate",)),
                   ("memory", ("gpu_peak_gb", "gpu_reserved_gb", "rss_peak_gb")))


def training_panels(rows: Sequence[dict], lang: str = "en") -> Any | None:
    """A training run's live curves in four panels: losses, rewards (the mean and each reward function's),
    learning rate and memory; legends in ``lang``. None when the run logged nothing yet."""
    if not rows:
        return None
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from core.analytics.run_metrics import reward_keys, series

    fig = make_subplots(rows=2, cols=2, subplot_titles=tuple(msg(f"t_chart_{name}", lang) for name, _ in TRAINING_PANELS))
    for n, (name, keys) in enumerate(TRAINING_PANELS):
        shown = [*keys, *reward_keys(list(rows))] if name == "reward" else list(keys)
        for key in shown:
            steps, values = series(list(rows), key)
            if steps:
                fig.add_trace(go.Scatter(x=steps, y=values, mode="lines+markers", name=metric_label(key, lang)),
                              row=n // 2 + 1, col=n % 2 + 1)
    fig.update_layout(height=520, margin=dict(l=40, r=10, t=40, b=30), legend=dict(orientation="h"))
    return fig


def training_curve(path: str, lang: str = "en") -> Any | None:
    """Loss and mean reward per step from a training run's metrics file; None when it logged nothing."""
    import plotly.graph_objects as go

    from core.analytics.run_metrics import read_metrics, series

    rows = read_metrics(path) if path else []
    traces = []
    for key in ("loss", "reward", "eval_loss"):
        steps, values = series(rows, key)
        if steps:
            traces.append(go.Scatter(name=msg(f"t_chart_{key}", lang), x=steps, y=values, mode="lines+markers"))
    if not traces:
        return None
    fig = go.Figure(traces)
    fig.update_layout(title=msg("an_curve", lang), xaxis={"title": msg("an_col_steps", lang)}, height=360)
    return fig

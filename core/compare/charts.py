"""Plotly figures of a comparison: bars with error bars, score distributions with σ, run-to-run means,
pairwise outcomes; titles, axes and legends in ``lang`` (core/messages). plotly is imported here only."""

from __future__ import annotations

from typing import Any

from core.compare.result import CompareRun
from core.compare.views import metric_title
from core.messages import msg
from core.schemas.judge import JUDGE_METRICS


def bars(run: CompareRun, lang: str = "en") -> Any:
    """Mean judge score per metric and model, with 95% bootstrap intervals as error bars."""
    import plotly.graph_objects as go

    stats = run.stats
    fig = go.Figure()
    assert stats is not None
    for model in run.config.models:
        rows = [stats.metric(model, m) for m in JUDGE_METRICS]
        fig.add_trace(go.Bar(
            name=model, x=[metric_title(m, lang) for m in JUDGE_METRICS], y=[r.mean for r in rows],
            error_y={"type": "data", "symmetric": False,
                     "array": [None if r.mean is None or r.ci_high is None else r.ci_high - r.mean for r in rows],
                     "arrayminus": [None if r.mean is None or r.ci_low is None else r.mean - r.ci_low for r in rows]},
            customdata=[[r.sd, r.n] for r in rows],
            hovertemplate="%{x}: %{y:.2f} (σ %{customdata[0]:.2f}, n %{customdata[1]})<extra>" + model + "</extra>",
        ))
    fig.update_layout(barmode="group", title=msg("cmp_fig_bars", lang),
                      yaxis={"range": [0, 5.5], "title": msg("cmp_axis_score", lang)}, legend_title=msg("cv_model", lang),
                      height=420)
    return fig


def boxes(run: CompareRun, lang: str = "en") -> Any:
    """Distribution of judge scores per metric and model; the dashed line marks mean ± σ."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for model in run.config.models:
        xs, ys = [], []
        for j in run.judgments:
            if j.model == model and j.ok and j.verdict is not None:
                for m in JUDGE_METRICS:
                    xs.append(metric_title(m, lang))
                    ys.append(float(getattr(j.verdict, m)))
        fig.add_trace(go.Box(name=model, x=xs, y=ys, boxmean="sd", boxpoints="all", jitter=0.3, pointpos=0))
    fig.update_layout(boxmode="group", title=msg("cmp_fig_boxes", lang), legend_title=msg("cv_model", lang),
                      yaxis={"range": [0.5, 5.5], "title": msg("cmp_axis_score", lang)}, height=420)
    return fig


def runs(run: CompareRun, lang: str = "en") -> Any:
    """Overall judge score of each repeat: how stable each model is from run to run."""
    import plotly.graph_objects as go

    stats = run.stats
    assert stats is not None
    fig = go.Figure()
    for model in run.config.models:
        m = stats.metric(model, "overall")
        fig.add_trace(go.Scatter(name=model, x=[msg("cmp_run_n", lang, n=r + 1) for r in range(len(m.run_means))], y=m.run_means,
                                 mode="lines+markers"))
    fig.update_layout(title=msg("cmp_fig_runs", lang), legend_title=msg("cv_model", lang),
                      yaxis={"range": [0.5, 5.5], "title": msg("cmp_axis_mean_overall", lang)}, height=360)
    return fig


def pairwise(run: CompareRun, lang: str = "en") -> Any | None:
    import plotly.graph_objects as go

    stats = run.stats
    if stats is None or not stats.pairwise:
        return None
    labels = [msg("cmp_vs", lang, a=p.model_a, b=p.model_b) for p in stats.pairwise]
    fig = go.Figure([
        go.Bar(name=msg("cmp_first_wins", lang), y=labels, x=[p.wins_a for p in stats.pairwise], orientation="h"),
        go.Bar(name=msg("cmp_tie", lang), y=labels, x=[p.ties for p in stats.pairwise], orientation="h"),
        go.Bar(name=msg("cmp_second_wins", lang), y=labels, x=[p.wins_b for p in stats.pairwise], orientation="h"),
    ])
    fig.update_layout(barmode="stack", title=msg("cmp_fig_pairwise", lang), height=300)
    return fig


def all_figures(run: CompareRun, lang: str = "en") -> list[Any]:
    figs = [bars(run, lang), boxes(run, lang), runs(run, lang)]
    extra = pairwise(run, lang)
    return figs + ([extra] if extra is not None else [])

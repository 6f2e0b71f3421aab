"""Plotly figures of a comparison: bars with error bars, score distributions with σ, run-to-run means,
pairwise outcomes. plotly is imported here only."""

from __future__ import annotations

from typing import Any

from core.compare.result import CompareRun
from core.compare.views import METRIC_TITLES
from core.schemas.judge import JUDGE_METRICS


def bars(run: CompareRun) -> Any:
    """Mean judge score per metric and model, with 95% bootstrap intervals as error bars."""
    import plotly.graph_objects as go

    stats = run.stats
    fig = go.Figure()
    assert stats is not None
    for model in run.config.models:
        rows = [stats.metric(model, m) for m in JUDGE_METRICS]
        fig.add_trace(go.Bar(
            name=model, x=[METRIC_TITLES[m] for m in JUDGE_METRICS], y=[r.mean for r in rows],
            error_y={"type": "data", "symmetric": False,
                     "array": [None if r.mean is None or r.ci_high is None else r.ci_high - r.mean for r in rows],
                     "arrayminus": [None if r.mean is None or r.ci_low is None else r.mean - r.ci_low for r in rows]},
            customdata=[[r.sd, r.n] for r in rows],
            hovertemplate="%{x}: %{y:.2f} (σ %{customdata[0]:.2f}, n %{customdata[1]})<extra>" + model + "</extra>",
        ))
    fig.update_layout(barmode="group", title="Judge scores per metric (mean, 95% bootstrap interval)",
                      yaxis={"range": [0, 5.5], "title": "score 1–5"}, legend_title="model", height=420)
    return fig


def boxes(run: CompareRun) -> Any:
    """Distribution of judge scores per metric and model; the dashed line marks mean ± σ."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for model in run.config.models:
        xs, ys = [], []
        for j in run.judgments:
            if j.model == model and j.ok and j.verdict is not None:
                for m in JUDGE_METRICS:
                    xs.append(METRIC_TITLES[m])
                    ys.append(float(getattr(j.verdict, m)))
        fig.add_trace(go.Box(name=model, x=xs, y=ys, boxmean="sd", boxpoints="all", jitter=0.3, pointpos=0))
    fig.update_layout(boxmode="group", title="Score distributions over answers and repeats (mean ± σ dashed)",
                      yaxis={"range": [0.5, 5.5], "title": "score 1–5"}, height=420)
    return fig


def runs(run: CompareRun) -> Any:
    """Overall judge score of each repeat: how stable each model is from run to run."""
    import plotly.graph_objects as go

    stats = run.stats
    assert stats is not None
    fig = go.Figure()
    for model in run.config.models:
        m = stats.metric(model, "overall")
        fig.add_trace(go.Scatter(name=model, x=[f"run {r + 1}" for r in range(len(m.run_means))], y=m.run_means,
                                 mode="lines+markers"))
    fig.update_layout(title="Overall score per repeat", yaxis={"range": [0.5, 5.5], "title": "mean overall"}, height=360)
    return fig


def pairwise(run: CompareRun) -> Any | None:
    import plotly.graph_objects as go

    stats = run.stats
    if stats is None or not stats.pairwise:
        return None
    labels = [f"{p.model_a} vs {p.model_b}" for p in stats.pairwise]
    fig = go.Figure([
        go.Bar(name="first model wins", y=labels, x=[p.wins_a for p in stats.pairwise], orientation="h"),
        go.Bar(name="tie (incl. order disagreement)", y=labels, x=[p.ties for p in stats.pairwise], orientation="h"),
        go.Bar(name="second model wins", y=labels, x=[p.wins_b for p in stats.pairwise], orientation="h"),
    ])
    fig.update_layout(barmode="stack", title="Pairwise judgments (both orders; disagreement = tie)", height=300)
    return fig


def all_figures(run: CompareRun) -> list[Any]:
    figs = [bars(run), boxes(run), runs(run)]
    extra = pairwise(run)
    return figs + ([extra] if extra is not None else [])

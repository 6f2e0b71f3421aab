"""Plotly figure of a fairness report: mean score per group, each bar labelled with its impact ratio and n.
plotly is imported here only."""

from __future__ import annotations

from typing import Any

from core.fairness.metrics import MIN_IMPACT_RATIO, FairnessFigures
from core.fairness.names import CONTROL
from core.fairness.views import group_label
from core.messages import msg, number


def group_bars(figures: FairnessFigures, lang: str = "en") -> Any:
    import plotly.graph_objects as go

    labels, means, texts, colours = [], [], [], []
    for g in figures.groups:
        labels.append(group_label(g.group, lang))
        means.append(g.mean_score)
        ratio = "–" if g.impact_ratio is None else number(round(g.impact_ratio, 2), lang)
        texts.append(msg("fair_chart_bar", lang, n=g.n) if g.group == CONTROL else
                     msg("fair_chart_bar_ratio", lang, ratio=ratio, n=g.n))
        colours.append("#8c959f" if g.group == CONTROL else ("#cf222e" if g.below_four_fifths else "#1f6feb"))
    fig = go.Figure(go.Bar(x=labels, y=means, text=texts, textposition="outside", marker_color=colours,
                           hovertemplate="%{x}: %{y:.1f}<extra></extra>"))
    fig.update_layout(title=msg("fair_chart_title", lang, least=number(MIN_IMPACT_RATIO, lang)),
                      yaxis={"range": [0, 105], "title": msg("fair_chart_y", lang)}, height=380, showlegend=False)
    return fig

"""Exports of a run: a self-contained HTML report (plotly's JavaScript inlined, no network) and JSON."""

from __future__ import annotations

from html import escape
from pathlib import Path

from core.compare import charts, views
from core.compare.judge import rubric
from core.compare.result import CompareRun

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#222}
h1{margin-bottom:0}h2{margin-top:32px;border-bottom:1px solid #eee;padding-bottom:4px}
.tbl{border-collapse:collapse;margin:8px 0}.tbl th,.tbl td{border:1px solid #ddd;padding:4px 8px;text-align:left}
.tbl th{background:#f5f5f5}.meta{color:#555}details{margin:8px 0}summary{cursor:pointer;font-weight:600}
pre{white-space:pre-wrap;background:#f7f7f7;padding:8px;border-radius:6px}
""" + views.ANSWER_CSS


def to_json(run: CompareRun) -> str:
    return run.model_dump_json(indent=2)


def _rubric_html() -> str:
    parts = []
    for c in rubric():
        levels = "".join(f"<li><b>{s}</b>: {escape(t)}</li>" for s, t in c.levels)
        parts.append(f"<p><b>{escape(c.title)}</b> — {escape(c.asks)}</p><ul>{levels}</ul>")
    return "".join(parts)


def to_html(run: CompareRun) -> str:
    """The whole run in one HTML file that opens offline."""
    import plotly.io as pio

    cfg, stats = run.config, run.stats
    meta = (f"Models: <b>{escape(', '.join(cfg.models))}</b> · judge <b>{escape(cfg.judge)}</b> · "
            f"{cfg.repeats} repeat(s) · {len(run.items)} answer(s) · temperature {cfg.temperature:g} · "
            f"status {escape(run.status)} · {run.seconds:.0f} s · {run.started_at:%Y-%m-%d %H:%M} UTC"
            + (f" · data {escape(cfg.dataset)}" if cfg.dataset else ""))
    body = [f"<h1>Model comparison</h1><p class='meta'>{meta}</p><p class='meta'>Run {escape(run.run_id)}</p>"]
    if run.error:
        body.append(f"<p class='err'>{escape(run.error)}</p>")
    if run.plan is not None:
        body.append(f"<details><summary>Plan</summary><pre>{escape(run.plan.describe())}</pre></details>")
    if stats is not None:
        body.append("<h2>Judge scores</h2><p>Mean ± σ over answers and repeats, [95% bootstrap interval over answers]; "
                    "σ across runs is the spread of each repeat's mean Overall.</p>")
        body.append(views.table_html(views.summary_table(stats, cfg.models)))
        figs = charts.all_figures(run)
        for n, fig in enumerate(figs):
            body.append(pio.to_html(fig, full_html=False, include_plotlyjs=(n == 0), div_id=f"chart{n}",
                                    config={"displaylogo": False}))
        body.append("<h2>Gaps between models</h2><p>How much higher the second model scores, in percent of the first.</p>")
        body.append(views.table_html(views.gap_table(stats)))
        if stats.gap_closed:
            body.append("<p>Share of the gap between the first and the last model that each model in between closes.</p>")
            body.append(views.table_html(views.gap_closed_table(stats)))
        body.append("<h2>Paired test (Overall, per answer)</h2>")
        body.append(views.table_html(views.paired_table(stats)))
        body.append("<h2>The models as graders</h2>")
        body.append(views.table_html(views.grader_table(stats)))
        if stats.human_agreement:
            lo, hi = stats.human_scale
            body.append(f"<h3>Agreement with human scores</h3><p>Human scores ({lo:g}–{hi:g}) mapped onto 1–5; "
                        "QWK on scores rounded to whole points.</p>")
            body.append(views.table_html(views.agreement_table(stats, human=True)))
        body.append("<h3>Agreement between models</h3>")
        body.append(views.table_html(views.agreement_table(stats, human=False)))
        if stats.pairwise:
            body.append("<h2>Pairwise judgments</h2>")
            body.append(views.table_html(views.pairwise_table(stats)))
            body.append(f"<p>{escape(views.position_bias_text(stats))}</p>")
    body.append(f"<h2>Rubric</h2>{_rubric_html()}")
    body.append("<h2>Answers side by side</h2>")
    for item in run.items:
        for r in range(cfg.repeats):
            body.append(f"<details{' open' if item is run.items[0] and r == 0 else ''}><summary>Answer {escape(item.id)}, "
                        f"run {r + 1}: {escape(item.question[:100])}</summary>{views.answer_html(run, item.id, r)}</details>")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Model comparison {escape(run.run_id)}</title>"
            f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>")


def write_report(run: CompareRun, path: str | Path, as_json: bool | None = None) -> Path:
    """Write the HTML report, or the JSON export (``as_json``, or by default a name ending in .json)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    json_wanted = p.suffix.lower() == ".json" if as_json is None else as_json
    p.write_text(to_json(run) if json_wanted else to_html(run), encoding="utf-8")
    return p

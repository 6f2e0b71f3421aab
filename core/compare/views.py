"""A run as tables and HTML fragments, shared by the workbench tab, the HTML report and the CLI."""

from __future__ import annotations

from html import escape

import pandas as pd

from core.compare.result import CompareRun, CompareRunEntry
from core.compare.summary import CompareStats
from core.messages import Count, msg
from core.schemas.judge import JUDGE_METRICS

METRIC_TITLES = {
    "accuracy_of_analysis": "Accuracy of analysis",
    "technical_correctness": "Technical correctness",
    "depth_of_analysis": "Depth of analysis",
    "overall": "Overall",
}


def metric_title(metric: str, lang: str = "en") -> str:
    """A judge metric's name for people, in ``lang``."""
    return msg(metric, lang) if lang != "en" else METRIC_TITLES[metric]


def run_label(run: CompareRunEntry, lang: str = "en") -> str:
    """How a past run is named in a picker (an entry of ``list_runs()``), in ``lang``."""
    return msg("cmp_run_label", lang, created=run.created, models=run.models_text, judge=run.judge,
               status=status_text(run.status, lang))


def status_text(status: str, lang: str = "en") -> str:
    """A run's status (running, done, failed) for people."""
    return msg(f"cmp_status_{status}", lang) if status in ("running", "done", "failed") else status


def fmt(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{suffix}"


def signed(value: float | None, digits: int = 2, suffix: str = "%") -> str:
    return "–" if value is None else f"{value:+.{digits}f}{suffix}"


def summary_table(stats: CompareStats, models: list[str]) -> pd.DataFrame:
    """One row per model: each metric as mean ± σ [95% interval], then the run-to-run σ of Overall."""
    rows = []
    for model in models:
        row: dict[str, object] = {"model": model}
        for metric in JUDGE_METRICS:
            m = stats.metric(model, metric)
            row[METRIC_TITLES[metric]] = f"{fmt(m.mean)} ± {fmt(m.sd)} [{fmt(m.ci_low)}, {fmt(m.ci_high)}]"
        overall = stats.metric(model, "overall")
        row["n judged"] = overall.n
        row["σ across runs"] = fmt(overall.run_sd)
        rows.append(row)
    return pd.DataFrame(rows)


def gap_table(stats: CompareStats, lang: str = "en") -> pd.DataFrame:
    """Relative gaps between every pair of models, per metric, in percent of the first model's mean."""
    pairs = list(dict.fromkeys((g.model_a, g.model_b) for g in stats.gaps))
    rows = []
    for a, b in pairs:
        row: dict[str, object] = {"comparison": msg("cmp_vs", lang, a=b, b=a)}
        for g in stats.gaps:
            if (g.model_a, g.model_b) == (a, b):
                row[METRIC_TITLES[g.metric]] = signed(g.gap_pct)  # renamed into ``lang`` by localized()
        rows.append(row)
    return pd.DataFrame(rows)


def gap_closed_table(stats: CompareStats) -> pd.DataFrame:
    models = list(dict.fromkeys((c.base, c.model, c.top) for c in stats.gap_closed))
    rows = []
    for base, model, top in models:
        row: dict[str, object] = {"model": model, "closes the gap": f"{base} → {top}"}
        for c in stats.gap_closed:
            if (c.base, c.model, c.top) == (base, model, top):
                row[METRIC_TITLES[c.metric]] = fmt(c.closed_pct, 1, "%")
        rows.append(row)
    return pd.DataFrame(rows)


def paired_table(stats: CompareStats) -> pd.DataFrame:
    return pd.DataFrame([{"comparison": f"{p.model_b} vs {p.model_a}", "metric": METRIC_TITLES[p.metric], "answers": p.n,
                          "mean difference": fmt(p.mean_diff, 3), "Wilcoxon p": fmt(p.wilcoxon_p, 3),
                          "paired t p": fmt(p.t_p, 3), "note": p.note} for p in stats.paired])


def agreement_table(stats: CompareStats, human: bool) -> pd.DataFrame:
    rows = stats.human_agreement if human else stats.model_agreement
    return pd.DataFrame([{"between": f"{r.left} and {r.right}", "answers": r.n, "Pearson": fmt(r.pearson, 3),
                          "Spearman": fmt(r.spearman, 3), "QWK": fmt(r.qwk, 3), "MAE": fmt(r.mae, 3)} for r in rows])


def grader_table(stats: CompareStats) -> pd.DataFrame:
    return pd.DataFrame([{"model": g.model, "own overall grade": fmt(g.mean_overall), "σ across repeats": fmt(g.mean_repeat_sd),
                          "grades failed": f"{g.failed} of {g.graded}", "judgments failed": f"{g.judge_failed} of {g.judged}"}
                         for g in stats.graders])


def pairwise_table(stats: CompareStats) -> pd.DataFrame:
    return pd.DataFrame([{"pair": f"{p.model_a} vs {p.model_b}", "wins": f"{p.wins_a} : {p.wins_b}", "ties": p.ties,
                          "failed": p.failed, "orders agree": fmt(p.consistency, 2)} for p in stats.pairwise])


def position_bias_text(stats: CompareStats, lang: str = "en") -> str:
    b = stats.position_bias
    if b is None:
        return msg("cv_no_pairwise", lang)
    return msg("cv_position_bias", lang, judgments=b.judgments, first=Count("times_n", b.first_picked), second=b.second_picked, ties=b.ties,
               rate=fmt(b.first_rate),
               disagree=fmt(None if b.inconsistent_rate is None else b.inconsistent_rate * 100, 0, "%"))


# each table's English header → its key in the message tables (core/messages)
HEADER_KEYS = {"model": "cv_model", "n judged": "cv_n_judged", "σ across runs": "cv_sd_runs", "comparison": "cv_comparison",
               "closes the gap": "cv_closes_gap", "metric": "cv_metric", "answers": "cv_answers",
               "mean difference": "cv_mean_diff", "Wilcoxon p": "cv_wilcoxon", "paired t p": "cv_paired_t", "note": "cv_note",
               "between": "cv_between", "own overall grade": "cv_own_grade", "σ across repeats": "cv_sd_repeats",
               "grades failed": "cv_grades_failed", "judgments failed": "cv_judgments_failed", "pair": "cv_pair",
               "wins": "cv_wins", "ties": "cv_ties", "failed": "cv_failed", "orders agree": "cv_orders_agree",
               **{title: metric for metric, title in METRIC_TITLES.items()}}


def localized(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table with its column names (and metric names) in ``lang``."""
    if lang == "en" or df.empty:
        return df
    out = df.rename(columns={c: msg(HEADER_KEYS[c], lang) for c in df.columns if c in HEADER_KEYS})
    if "metric" in df.columns:
        out[msg("cv_metric", lang)] = [msg(HEADER_KEYS[m], lang) if m in HEADER_KEYS else m for m in df["metric"]]
    return out


def table_html(df: pd.DataFrame, lang: str = "en") -> str:
    if df.empty:
        return f"<p class='muted'>{msg('cv_nothing', lang)}</p>"
    return df.to_html(index=False, border=0, classes="tbl", escape=True)


def answer_choices(run: CompareRun) -> list[tuple[str, str]]:
    """(label, value) for every answer and repeat; the value is ``item_id:repeat``."""
    return [(f"answer {i.id}, run {r + 1}: {i.question[:60]}", f"{i.id}:{r}") for i in run.items
            for r in range(run.config.repeats)]


def answer_html_for(run: CompareRun, choice: str | None) -> str:
    """The side-by-side view for a value from :func:`answer_choices` (the first answer when none)."""
    if not run.items:
        return ""
    item_id, _, repeat = (choice or f"{run.items[0].id}:0").partition(":")
    return answer_html(run, item_id, int(repeat or 0))


def answer_html(run: CompareRun, item_id: str, repeat: int = 0) -> str:
    """One answer with every model's analysis side by side and the judge's verdict under each."""
    item = run.item(item_id)
    head = (f"<div class='qa'><p><b>Question.</b> {escape(item.question)}</p>"
            f"<p><b>Answer{' (' + escape(item.candidate) + ')' if item.candidate else ''}.</b> {escape(item.answer)}</p>"
            + (f"<p><b>Reference.</b> {escape(item.reference)}</p>" if item.reference else "")
            + (f"<p><b>Human score.</b> {item.human_score:g}</p>" if item.human_score is not None else "") + "</div>")
    cols = []
    for model in run.config.models:
        g, j = run.grade(model, item_id, repeat), run.judgment(model, item_id, repeat)
        body = [f"<h4>{escape(model)}</h4>"]
        if g is None:
            body.append("<p class='muted'>not run</p>")
        elif not g.ok or g.grade is None:
            body.append(f"<p class='err'>Grading failed: {escape(g.error or 'unknown error')}</p>")
        else:
            gr = g.grade
            said = f" ({escape(msg('model_said', 'en', verdict=str(gr.model_verdict)))})" if gr.model_disagrees else ""
            body.append(f"<p><b>Overall {gr.overall:.2f}</b> · {escape(gr.verdict)}{said}</p><ul>")
            for name in ("technical_correctness", "depth_of_analysis", "accuracy_of_analysis"):
                c = getattr(gr, name)
                body.append(f"<li>{escape(name.replace('_', ' '))}: <b>{c.score}</b> — {escape(c.explanation)}</li>")
            body.append(f"</ul><p class='muted'>{escape(gr.reasoning)}</p>")
        if j is not None and j.ok and j.verdict is not None:
            v = j.verdict
            body.append(f"<div class='verdict'><b>Judge: {v.overall:.2f}</b> (accuracy {v.accuracy_of_analysis}, "
                        f"correctness {v.technical_correctness}, depth {v.depth_of_analysis})<br>{escape(v.reasoning)}</div>")
        elif j is not None:
            body.append(f"<div class='verdict err'>Judge: {escape(j.error or 'failed')}</div>")
        cols.append(f"<div class='col'>{''.join(body)}</div>")
    return f"{head}<div class='side'>{''.join(cols)}</div>"


ANSWER_CSS = """
.side{display:flex;gap:12px;align-items:stretch}.side .col{flex:1;border:1px solid #ddd;border-radius:8px;padding:8px 12px}
.verdict{background:#f3f6fb;border-radius:6px;padding:6px 8px;margin-top:6px}.err{color:#b00020}.muted{color:#666}
.qa{background:#fafafa;border-radius:8px;padding:6px 12px;margin-bottom:8px}
"""

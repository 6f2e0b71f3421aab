"""Compare models: several profiles grade the same answers, an LLM judge rates each analysis;
charts, gaps, side-by-side analyses, past runs, HTML and JSON export. All logic is in core.compare."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
from pydantic import ValidationError

from core.compare import (CompareConfig, CompareError, items_for_candidate, list_runs, load_items, load_run,
                          plan_comparison, run_comparison)
from core.compare import charts, views
from core.compare.plan import default_judge, judges
from core.compare.records import DEFAULT_HUMAN_SCALE, ScaleError, parse_human_scale
from core.compare.report import write_report
from core.machine import cuda_available
from core.messages import LocalizedError, msg
from core.services.candidates import stored_candidates
from workbench import downloads
from workbench.banner import weak_profile_banner
from workbench.guard import admit
from workbench.i18n import lang_of, progress_in, refusal, t
from workbench.page_load import on_page_load
from workbench.pickers import judge_picker, profile_choices

TITLE_KEY = "compare_tab"


def _inputs(data: str | None, candidate: str | None, models: list[str], judge: str, repeats: float, pairwise: bool,
            temperature: float, limit: float, human_scale: str, lang: str = "en"):
    try:
        cfg = CompareConfig(models=models or [], judge=judge, repeats=int(repeats), pairwise=pairwise,
                            temperature=temperature, human_scale=parse_human_scale(human_scale),
                            dataset=Path(data).name if data else f"candidate:{candidate}")
    except ValidationError as exc:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors()[:3])
        raise refusal(msg("cmp_err_models", lang, problems=problems)) from exc
    except ScaleError as exc:
        raise refusal(exc.text(lang)) from exc
    try:
        if data:
            items, row_errors = load_items(data, lang)
        elif candidate:
            items, row_errors = items_for_candidate(candidate), []
        else:
            raise CompareError(msg("cmp_err_nodata", lang))
    except LocalizedError as exc:
        raise refusal(exc.text(lang)) from exc
    except CompareError as exc:
        raise refusal(str(exc)) from exc
    items = items[: int(limit)] if limit and int(limit) > 0 else items
    return cfg, items, row_errors


def show_plan(data, candidate, models, judge, repeats, pairwise, temperature, limit, human_scale,
              request: gr.Request | None = None) -> str:
    lang = lang_of(request)
    cfg, items, row_errors = _inputs(data, candidate, models, judge, repeats, pairwise, temperature, limit, human_scale,
                                     lang)
    try:
        plan = plan_comparison(cfg, len(items))
    except CompareError as exc:
        raise refusal(str(exc)) from exc
    skipped = "".join("\n- " + msg("cmp_skipped", lang, row=e) for e in row_errors)
    head = msg("cmp_plan_head", lang, answers=msg("answers_n", lang, n=len(items)),
               repeats=msg("repeats_n", lang, n=cfg.repeats))
    return f"{head}\n\n```\n{plan.describe(lang)}\n```{skipped}"


def _outputs(run_id: str, lang: str = "en"):
    run = load_run(run_id)
    folder = downloads.folder("compare")
    files = [str(write_report(run, folder / f"{run.run_id}.html")), str(write_report(run, folder / f"{run.run_id}.json"))]
    status = msg("cmp_run_head", lang, run_id=run.run_id, status=views.status_text(run.status, lang),
                 seconds=f"{run.seconds:.0f}", models=", ".join(run.config.models), judge=run.config.judge,
                 answers=msg("answers_n", lang, n=len(run.items)), repeats=msg("repeats_n", lang, n=run.config.repeats))
    if run.error:
        status += f"\n\n⚠ {run.error}"
    if run.plan is not None:
        status += f"\n\n```\n{run.plan.describe(lang)}\n```"
    choices = views.answer_choices(run)
    if run.stats is None:
        empty = gr.update(value=None)
        return (status, None, empty, empty, empty, None, "", gr.update(choices=choices, value=None), "", files, run.run_id)
    st = run.stats

    def shown(table):
        return views.table_html(views.localized(table, lang), lang)

    details = "".join([
        f"<h4>{msg('cmp_h_paired', lang)}</h4>", shown(views.paired_table(st)),
        f"<h4>{msg('cmp_h_graders', lang)}</h4>", shown(views.grader_table(st)),
        f"<h4>{msg('cmp_h_human', lang)}</h4>" + shown(views.agreement_table(st, human=True)) if st.human_agreement else "",
        f"<h4>{msg('cmp_h_models', lang)}</h4>", shown(views.agreement_table(st, human=False)),
        (f"<h4>{msg('cmp_h_pairwise', lang)}</h4>" + shown(views.pairwise_table(st))
         + f"<p>{views.position_bias_text(st, lang)}</p>")
        if st.pairwise else "",
        f"<style>{views.ANSWER_CSS}</style>",
    ])
    first = choices[0][1] if choices else None
    return (status, views.localized(views.summary_table(st, run.config.models), lang), charts.bars(run, lang),
            charts.boxes(run, lang), charts.runs(run, lang), views.localized(views.gap_table(st, lang), lang), details,
            gr.update(choices=choices, value=first), views.answer_html_for(run, first),
            files, run.run_id)


def run_compare(data, candidate, models, judge, repeats, pairwise, temperature, limit, human_scale,
                request: gr.Request | None = None, progress: gr.Progress = gr.Progress()):
    admit(request, files=1 if data else 0)
    lang = lang_of(request)
    cfg, items, _ = _inputs(data, candidate, models, judge, repeats, pairwise, temperature, limit, human_scale, lang)
    try:
        run = run_comparison(cfg, items, progress_in(progress, lang))
    except CompareError as exc:
        raise refusal(str(exc)) from exc
    return _outputs(run.run_id, lang)


def open_run(run_id: str | None, request: gr.Request | None = None):
    lang = lang_of(request)
    if not run_id:
        raise refusal(msg("cmp_err_pick_run", lang))
    try:
        return _outputs(run_id, lang)
    except CompareError as exc:
        raise refusal(str(exc)) from exc


def show_answer(run_id: str | None, choice: str | None) -> str:
    if not run_id:
        return ""
    return f"<style>{views.ANSWER_CSS}</style>" + views.answer_html_for(load_run(run_id), choice)


def past_runs(request: gr.Request | None = None):
    runs = list_runs()
    choices = [(views.run_label(r, lang_of(request)), r.run_id) for r in runs]
    return gr.update(choices=choices, value=choices[0][1] if choices else None), gr.update(choices=stored_candidates())


def judge_ready(judge: str | None, request: gr.Request | None = None):
    """Before any click: without a judge the buttons wait, and the note says what to pick."""
    ready = bool(judge)
    note = "" if ready else msg("cmp_judge_none", lang_of(request))
    return note, gr.update(interactive=ready), gr.update(interactive=ready)


def build() -> list[gr.components.Component]:
    names, default = profile_choices()
    gpu = cuda_available()
    wanted = ("base", "adapter", "reference") if gpu else ("offline", "rules")
    judge_default = default_judge(names, gpu)  # one that runs here and can judge; None: the note says why
    with gr.Row():
        with gr.Column(scale=1):
            data = gr.File(label=t("cmp_data"), file_types=[".csv", ".tsv", ".jsonl", ".json", ".xlsx"], type="filepath",
                           elem_id="compare-data")
            candidate = gr.Dropdown([], label=t("cmp_candidate"), allow_custom_value=True)
            human_scale = gr.Textbox(DEFAULT_HUMAN_SCALE, label=t("cmp_human_scale"))
        with gr.Column(scale=1):
            models = gr.CheckboxGroup(names, value=[n for n in wanted if n in names],
                                      label=t("cmp_models"))
            judge = judge_picker(gr.Dropdown(judges(names), value=judge_default, label=t("cmp_judge"),
                                             elem_id="compare-judge"))
            judge_note = gr.Markdown(t("cmp_judge_none") if judge_default is None else "", elem_id="compare-judge-note")
            weak_profile_banner(models, judge, elem_id="compare-weak-profile")
            with gr.Row():
                repeats = gr.Slider(1, 10, value=3, step=1, label=t("cmp_repeats"))
                temperature = gr.Slider(0.0, 1.5, value=0.7, step=0.1, label=t("cmp_temperature"))
            with gr.Row():
                pairwise = gr.Checkbox(False, label=t("cmp_pairwise"))
                limit = gr.Number(0, precision=0, minimum=0, label=t("cmp_limit"))
            with gr.Row():
                plan_btn = gr.Button(t("cmp_plan"), variant="secondary", interactive=judge_default is not None)
                run_btn = gr.Button(t("cmp_run"), variant="primary", elem_id="compare-run",
                                    interactive=judge_default is not None)
    status = gr.Markdown(label=t("cmp_status"), elem_id="compare-status")
    summary = gr.Dataframe(label=t("cmp_summary"), interactive=False, wrap=True, elem_id="compare-summary")
    with gr.Row():
        bars = gr.Plot(label=t("cmp_bars"))
        boxes = gr.Plot(label=t("cmp_boxes"))
    runs_plot = gr.Plot(label=t("cmp_runs"))
    gaps = gr.Dataframe(label=t("cmp_gaps"), interactive=False)
    with gr.Accordion(t("cmp_details"), open=False):
        details = gr.HTML()
    answer = gr.Dropdown([], label=t("cmp_answer"))
    side = gr.HTML(label=t("cmp_side"), elem_id="compare-side")
    downloads = gr.File(label=t("cmp_download"), file_count="multiple", interactive=False)
    run_id = gr.Textbox(visible=False)
    with gr.Accordion(t("cmp_past"), open=False):
        with gr.Row():
            past = gr.Dropdown([], label=t("cmp_past"))
            refresh = gr.Button(t("cmp_refresh"))
            open_btn = gr.Button(t("cmp_open"))
    inputs = [data, candidate, models, judge, repeats, pairwise, temperature, limit, human_scale]
    outputs = [status, summary, bars, boxes, runs_plot, gaps, details, answer, side, downloads, run_id]
    judge.change(judge_ready, inputs=[judge], outputs=[judge_note, plan_btn, run_btn], queue=False,
                 show_progress="hidden", api_visibility="private")
    plan_btn.click(show_plan, inputs=inputs, outputs=[status], api_name="compare_plan")
    run_btn.click(run_compare, inputs=inputs, outputs=outputs, api_name="compare", show_progress_on=[status])
    answer.change(show_answer, inputs=[run_id, answer], outputs=[side], api_name="compare_answer")
    refresh.click(past_runs, outputs=[past, candidate], api_name="compare_runs")
    open_btn.click(open_run, inputs=[past], outputs=outputs, api_name="compare_open", show_progress_on=[status])
    on_page_load(past_runs, inputs=[], outputs=[past, candidate])  # past runs listed as soon as the page opens
    return [models, judge]

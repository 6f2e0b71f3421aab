"""Screen resumes: upload resumes, paste a job, get a ranked list with report cards."""

from __future__ import annotations

import json

import gradio as gr
import pandas as pd

from core.config import settings
from core.services.export import TABLE_COLUMNS, row_view, rows_to_csv, summary_table
from core.messages import LocalizedError, msg
from core.services.runs import RUNNING, RunSummary, get_run_summary, new_run_id
from core.samples import sample_job, sample_resumes
from core.services.demo import demo_start
from core.services.screen_runs import (OpenedScreening, can_follow, follow_screening, open_screening,
                                       recent_screenings)
from core.services.screening import (RUN_KIND, ScreenInput, ScreenOptions, ScreenRow, reserve_screen_run,
                                     screen)
from workbench.banner import weak_profile_banner
from workbench.downloads import write_texts
from workbench.events import QUIET
from workbench.guard import admit
from workbench.i18n import error_text, lang_of, progress_in, refusal, t, t_headers
from workbench.page_load import on_page_load
from workbench.pickers import profile_choices
from workbench.render import cards
from workbench.visitor import owner, state

TITLE_KEY = "screen_tab"
RECENT = 10  # past screenings listed
FOLLOW_SECONDS = 5  # how often a page reloaded mid-run looks for new reports
SAVED = {"job": "", "profile": None, "blind": False, "run_id": ""}  # what the browser keeps across reloads
_reserved: dict[str, str] = {}  # browser session -> run id its Screen press reserved (found again after a reload)


def run_screen(files: list[str] | None, pasted: str, job: str, profile: str, blind: bool, visitor: str | None = None,
               request: gr.Request | None = None, progress: gr.Progress = gr.Progress()):
    admit(request, files=len(files or []))
    inputs = [ScreenInput.from_path(f) for f in (files or [])]
    # the id Screen reserved (a press queued behind its twin gets the same one, and so that run's outcome)
    run_id = _reserved.get(request.session_hash) if request is not None and request.session_hash else None
    try:
        if pasted and pasted.strip():
            inputs.append(ScreenInput.pasted(pasted))
        rows = screen(job, inputs, ScreenOptions(profile=profile, blind=blind, run_id=run_id,
                                                 owner=owner(request, visitor)),
                      progress_in(progress, lang_of(request, job)))
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang_of(request, job[:2000] if job else ""))) from exc
    return _show(rows, lang_of(request, job))


def _show(rows: list[ScreenRow], lang: str, ended: bool = True) -> tuple[pd.DataFrame, str, list[dict], list[str] | None]:
    """The ranked table, report cards, JSON and downloads of a screening (just run or reopened); downloads only
    once it has ended and has something in it."""
    payload = [row_view(r) for r in rows]
    files = write_texts("screening", {"screening.csv": rows_to_csv(rows),
                                      "screening.json": json.dumps(payload, ensure_ascii=False, indent=2)}) \
        if rows and ended else None
    headers, data = summary_table(rows, lang)
    return pd.DataFrame(data, columns=headers), cards(rows, lang), payload, files


# state across reloads and past runs ------------------------------------------------------------------------
def begin_run(files: list[str] | None, pasted: str, job: str, profile: str, blind: bool, saved: dict | None,
              visitor: str | None = None, request: gr.Request | None = None) -> dict:
    """Remember the inputs in the browser and reserve the run's id, so a reload finds this run again; a press
    while a run of the same inputs goes on gets that run's id (and joins it)."""
    try:
        inputs = [ScreenInput.from_path(f) for f in (files or [])]
        if pasted and pasted.strip():
            inputs.append(ScreenInput.pasted(pasted))
        run_id = reserve_screen_run(job, inputs, ScreenOptions(profile=profile, blind=blind,
                                                               owner=owner(request, visitor)))
    except Exception:  # noqa: BLE001 (the screening itself says what is wrong with the inputs)
        run_id = new_run_id(RUN_KIND)
    if request is not None and request.session_hash:
        _reserved[request.session_hash] = run_id
    return {**SAVED, **(saved or {}), "job": job or "", "profile": profile, "blind": bool(blind), "run_id": run_id}


def _when(run: RunSummary) -> str:
    return f"{run.created_at:%Y-%m-%d %H:%M}"


def _recent(lang: str, who: str) -> tuple[pd.DataFrame, dict]:
    runs = recent_screenings(RECENT, owner=who)
    keys = ["run_when", "run_job", "run_profile", "run_candidates", "run_best", "run_status"]
    data = [[_when(r), r.name, r.profile, f"{r.done}/{r.total}", "" if r.best_score is None else r.best_score,
             msg(f"run_{r.status}", lang)] for r in runs]
    choices = [(f"{_when(r)} · {r.name[:60]} · {r.profile}", r.run_id) for r in runs]
    return pd.DataFrame(data, columns=[msg(k, lang) for k in keys]), gr.update(choices=choices, value=None)


def _info(run: RunSummary | None, lang: str) -> str:
    if run is None:
        return ""
    if run.status == RUNNING:
        text = msg("run_still_running", lang, done=run.done, total=run.total)
    else:
        text = msg("run_shown", lang, when=_when(run), profile=run.profile, done=run.done, total=run.total,
                   status=msg(f"run_{run.status}", lang))
    return text + (f" · {msg('run_removed_n', lang, n=run.removed)}" if run.removed else "")


def _open(run_id: str, who: str) -> OpenedScreening | None:
    return open_screening(run_id, owner=who) if run_id else None


def _opened(opened: OpenedScreening | None, lang: str) -> tuple:
    """The outputs showing a stored run (blank when it is not in the store), and the timer that keeps
    following it while it is still running (a page reloaded mid-run sees each report as it lands)."""
    if opened is None:  # an empty table, its column names in the reader's language
        return pd.DataFrame(columns=summary_table([], lang)[0]), "", None, None, "", gr.Timer(active=False)
    running = opened.summary.status == RUNNING
    # a run going on in this process is followed with its progress bar (reattach); the timer is for the others
    return (*_show(opened.rows, lang, ended=not running), _info(opened.summary, lang),
            gr.Timer(active=running and not can_follow(opened.summary.run_id)))


def reattach(saved: dict | None, visitor: str | None = None, request: gr.Request | None = None,
             progress: gr.Progress = gr.Progress()):
    """A page (re)opened on a run still going on here: follow it with its progress bar, show it once it ends."""
    lang, who = lang_of(request), owner(request, visitor)
    opened = follow_screening((saved or {}).get("run_id", ""), progress_in(progress, lang), owner=who)
    if opened is None:
        return (gr.update(),) * 8
    return (*_opened(opened, lang), *_recent(lang, who))


def follow(saved: dict | None, visitor: str | None = None, request: gr.Request | None = None):
    """The timer ticked: show the run on screen as it is now (the timer stops once the run has ended)."""
    return _opened(_open((saved or {}).get("run_id", ""), owner(request, visitor)), lang_of(request))


def restore(saved: dict | None, visitor: str | None = None, request: gr.Request | None = None):
    """Page opened: the inputs and the last run come back from the browser, past runs from the store."""
    saved, who = {**SAVED, **(saved or {})}, owner(request, visitor)
    opened = _open(saved["run_id"], who)
    start = demo_start() if opened is None else None  # demo: a new visitor finds the sample screening on show
    if start is not None:
        saved, opened = {**saved, "job": saved["job"] or start.job}, _open(start.run_id, who)
    lang = lang_of(request, saved["job"])
    return (saved["job"], bool(saved["blind"]), *_opened(opened, lang), *_recent(lang, who))


def restore_profile(saved: dict | None, current: str) -> dict:
    wanted = (saved or {}).get("profile")
    return gr.update(value=wanted) if wanted and wanted in profile_choices()[0] else gr.update(value=current)


def reopen(run_id: str | None, saved: dict | None, visitor: str | None = None,
           request: gr.Request | None = None):
    """A past screening picked from the list: show it, and keep it shown after a reload."""
    if not run_id:
        return (gr.update(),) * 7
    opened = open_screening(run_id, owner=owner(request, visitor))
    lang = lang_of(request, opened.job_text if opened else "")
    return (*_opened(opened, lang), {**SAVED, **(saved or {}), "run_id": run_id})


def after_run(saved: dict | None, visitor: str | None = None, request: gr.Request | None = None):
    """A run ended (or failed to start): the line naming the run on show, and the refreshed list."""
    lang, who = lang_of(request), owner(request, visitor)
    return (_info(get_run_summary((saved or {}).get("run_id", ""), owner=who), lang), *_recent(lang, who))


def load_sample() -> tuple[list[str], str]:
    return [str(p) for p in sample_resumes()], sample_job()


def build() -> list[gr.components.Component]:
    names, default = profile_choices()
    with gr.Row():
        with gr.Column(scale=1):
            files = gr.File(label=t("resumes"), file_count="multiple", file_types=[".pdf", ".docx", ".txt"], type="filepath",
                            value=[str(p) for p in sample_resumes()] if settings().demo else None,
                            elem_id="screen-files")
            pasted = gr.Textbox(label=t("pasted"), lines=4, elem_id="screen-pasted")
        with gr.Column(scale=1):
            job = gr.Textbox(label=t("job"), lines=10, elem_id="job-text")
            restored_job = gr.Textbox(visible="hidden")  # the saved job, moved into ``job`` unless one was typed
            with gr.Row():
                profile = gr.Dropdown(names, value=default, label=t("model"), elem_id="screen-profile")
                blind = gr.Checkbox(label=t("blind"), value=False)
            weak_profile_banner(profile, elem_id="screen-weak-profile")
            with gr.Row():
                sample = gr.Button(t("sample"), variant="secondary")
                run = gr.Button(t("run"), variant="primary", elem_id="screen-run")
    run_info = gr.Markdown(elem_id="screen-run-info")
    table = gr.Dataframe(headers=t_headers(f"col_{c}" for c in TABLE_COLUMNS), label=t("ranked"), interactive=False,
                         wrap=True, pinned_columns=3, max_chars=120, elem_id="screen-table",
                         column_widths=["40px", "60px", "100px", "170px", "160px", "240px", "180px", "70px", "70px",
                                        "160px", "90px", "100px"])
    with gr.Tabs():
        with gr.Tab(t("cards")):
            report_cards = gr.HTML(elem_id="report-cards")
        with gr.Tab(t("json")):
            as_json = gr.JSON()
    downloads = gr.File(label=t("download"), file_count="multiple", interactive=False)
    with gr.Accordion(t("recent_runs"), open=True):
        pick = gr.Dropdown([], value=None, label=t("open_run"), elem_id="recent-pick")
        recent = gr.Dataframe(interactive=False, wrap=True, elem_id="recent-runs")
    saved = gr.BrowserState(dict(SAVED), storage_key="hirelab-screen")
    shown = [table, report_cards, as_json, downloads, run_info]
    watch = gr.Timer(FOLLOW_SECONDS, active=False)
    sample.click(load_sample, outputs=[files, job], api_name="load_sample")
    me = state()  # demo mode: whose screenings these are (workbench.visitor)
    started = run.click(begin_run, inputs=[files, pasted, job, profile, blind, saved, me], outputs=[saved], **QUIET)
    started.then(run_screen, inputs=[files, pasted, job, profile, blind, me], outputs=[table, report_cards, as_json, downloads],
                 api_name="screen", show_progress_on=[table]
                 ).then(after_run, inputs=[saved, me], outputs=[run_info, recent, pick], **QUIET)
    # the inputs live in the browser as they are typed: a reload keeps them, with no round trip to the server
    job.input(None, inputs=[job, saved], outputs=[saved], js="(v, s) => ({...(s || {}), job: v})", **QUIET)
    profile.input(None, inputs=[profile, saved], outputs=[saved], js="(v, s) => ({...(s || {}), profile: v})", **QUIET)
    blind.input(None, inputs=[blind, saved], outputs=[saved], js="(v, s) => ({...(s || {}), blind: v})", **QUIET)
    pick.input(reopen, inputs=[pick, saved, me], outputs=[*shown, watch, saved], **QUIET).then(
        reattach, inputs=[saved, me], outputs=[*shown, watch, recent, pick], show_progress_on=[table],
        api_visibility="private")
    watch.tick(follow, inputs=[saved, me], outputs=[*shown, watch], **QUIET)
    on_page_load(restore, inputs=[saved, me], outputs=[restored_job, blind, *shown, watch, recent, pick],
                 settle=(restored_job, job), then=restore_profile, then_inputs=[saved, profile], then_outputs=[profile],
                 follow=reattach, follow_inputs=[saved, me], follow_outputs=[*shown, watch, recent, pick],
                 follow_progress_on=[table])
    return [profile]

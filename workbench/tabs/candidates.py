"""Candidates: everyone screened or graded, filtered by job, score, decision and flags; one candidate's whole
record; a person's decision with its reason; decisions exported; two records of one person merged or a document
split off; a candidate deleted. All logic is in
core.services.records, core.services.decisions and core.services.deletion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Literal

import gradio as gr
import pandas as pd

from core.messages import LocalizedError, msg
from core.services.decisions import DECISIONS, export_decisions, parse_shown, record_decision, shown_for_record
from core.services.deletion import delete_candidate
from core.services.merging import merge_candidates, split_document
from core.services.records import CandidateFilter, CandidateSummary, candidate_record, list_candidates, list_jobs
from workbench.downloads import folder
from workbench.events import QUIET
from workbench.i18n import error_text, lang_of, refusal, t, t_headers
from workbench.page_load import on_page_load
from workbench.record_view import decision_word, record_html
from workbench.visitor import owner, state

TITLE_KEY = "ctab_tab"
ANY = "any"  # the decision filter's "whatever the decision"
NO_DECISION = "none"  # ... and its "no decision yet"
# the table's columns, score and decision first; each a message key "ctab_col_<name>"
COLUMNS = ["score", "decision", "recommendation", "name", "jobs", "red_flags", "hidden_text", "updated"]
FORMATS: tuple[Literal["csv", "json"], ...] = ("csv", "json")


def _user(request: gr.Request | None) -> str:
    """The signed-in person's name when the app runs with authentication, else ''."""
    return str(getattr(request, "username", None) or "")


def _fail(exc: LocalizedError, lang: str) -> gr.Error:
    return refusal(error_text(exc, lang))


def _job_id(job: str | None) -> int | None:
    """A job picked from a list (its id as text), or none; anything else is refused with what to do."""
    if not job:
        return None
    if not str(job).strip().isdigit():
        raise LocalizedError(key="ctab_bad_job", value=str(job)[:60])
    return int(job)


# the list ----------------------------------------------------------------------------------------------------
def _filter(job: str | None, low: float | None, high: float | None, decision: str | None, flagged: bool,
            text: str | None) -> CandidateFilter:
    return CandidateFilter(job_id=_job_id(job),
                           min_score=int(low) if low else None,
                           max_score=int(high) if high is not None and high < 100 else None,
                           decision=None if decision in (None, "", ANY) else decision,
                           flagged=True if flagged else None, text=(text or "").strip())


def _row(c: CandidateSummary, lang: str) -> list[object]:
    return ["" if c.best_score is None else c.best_score, decision_word(c.decision, lang),
            msg(c.recommendation, lang) if c.recommendation else "", c.name, ", ".join(c.jobs),
            c.red_flags, "⚠" if c.hidden_text else "", f"{c.updated_at:%Y-%m-%d %H:%M}"]


def _table(found: list[CandidateSummary], lang: str) -> pd.DataFrame:
    return pd.DataFrame([_row(c, lang) for c in found], columns=[msg(f"ctab_col_{c}", lang) for c in COLUMNS])


def search(job: str | None, low: float | None, high: float | None, decision: str | None, flagged: bool,
           text: str | None, visitor: str | None = None, request: gr.Request | None = None):
    """The candidates the filters let through: the table, and the picker that opens one of them."""
    lang = lang_of(request)
    try:
        found = list_candidates(_filter(job, low, high, decision, flagged, text), owner=owner(request, visitor))
    except LocalizedError as exc:
        raise _fail(exc, lang) from exc
    picker = gr.update(choices=[(f"{c.name or c.ref} · {'' if c.best_score is None else c.best_score}", c.ref) for c in found])
    return _table(found, lang), [c.ref for c in found], picker


def job_choices(visitor: str | None = None, request: gr.Request | None = None):
    """Tab opened: the jobs in the store (every job first), and the signed-in person's name locked in."""
    lang = lang_of(request)
    jobs = [(msg("ctab_all_jobs", lang), "")] + [(f"{j.title} · {msg('ctab_screened_n', lang, n=j.screened)}", str(j.id))
                                                  for j in list_jobs(owner=owner(request, visitor))]
    user = _user(request)
    who = gr.update(value=user, interactive=False) if user else gr.update(interactive=True)
    return gr.update(choices=jobs), who


def picked_row(refs: list[str] | None, evt: gr.SelectData) -> str | None:
    """A row clicked in the table: its candidate goes into the picker (which opens the record)."""
    row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
    return refs[row] if refs and row is not None and 0 <= row < len(refs) else None


# one candidate -----------------------------------------------------------------------------------------------
def open_candidate(ref: str | None, visitor: str | None = None, request: gr.Request | None = None):
    """The candidate's whole record, and the jobs a decision can be made for (the tool's pick is never chosen)."""
    lang = lang_of(request)
    if not ref:
        return "", gr.update(choices=[], value=None), gr.update(value=None), "", False, {}
    try:
        rec = candidate_record(ref, owner=owner(request, visitor))
    except LocalizedError as exc:
        raise _fail(exc, lang) from exc
    jobs = list(dict.fromkeys((f.job_title or msg("ctab_no_job", lang), str(f.job_id)) for f in rec.fits if f.job_id))
    # the report drawn as current for each job travels with a decision for that job
    return (record_html(rec, lang), gr.update(choices=jobs, value=jobs[0][1] if len(jobs) == 1 else None),
            gr.update(value=None), "", False, shown_for_record(rec))


def decide(ref: str | None, job: str | None, decision: str | None, reason: str, decided_by: str,
           visitor: str | None = None, shown: dict | None = None,
           request: gr.Request | None = None) -> str:
    """Record a person's decision with its reason (the record is drawn again after, with it in the history),
    against the report the record showed for that job (refused when it is not current any more)."""
    lang = lang_of(request, reason or "")
    if not ref:
        raise refusal(msg("ctab_pick_first", lang))
    if decision not in DECISIONS:
        raise refusal(msg("ctab_pick_decision", lang))
    try:
        result_id, digest = parse_shown((shown or {}).get(str(job or "")))
        info = record_decision(ref, decision, reason or "", _user(request) or (decided_by or ""), job_id=_job_id(job),
                               owner=owner(request, visitor), result_id=result_id, shown_digest=digest)
    except LocalizedError as exc:
        raise _fail(exc, lang) from exc
    # Markdown: the name is what a person typed, so its markup is shown as text
    return msg("ctab_recorded", lang, decision=decision_word(info.decision, lang), who=escape(info.decided_by))


def redraw(ref: str | None, visitor: str | None = None, request: gr.Request | None = None):
    """After a decision: the record with it in the history, and an empty form for the next one."""
    if not ref:
        return "", gr.update(value=None), "", {}
    rec = candidate_record(ref, owner=owner(request, visitor))
    return record_html(rec, lang_of(request)), gr.update(value=None), "", shown_for_record(rec)


def export(fmt: str, job: str | None, decided_by: str, visitor: str | None = None,
           request: gr.Request | None = None):
    lang = lang_of(request)
    try:
        # written where Gradio serves downloads from (the home folder is never served)
        path = export_decisions(fmt if fmt in FORMATS else "csv", _user(request) or (decided_by or ""),
                                job_id=_job_id(job), out_dir=folder("decisions"), owner=owner(request, visitor))
    except LocalizedError as exc:
        raise _fail(exc, lang) from exc
    return str(path)


def delete(ref: str | None, confirmed: bool, decided_by: str, visitor: str | None = None,
           request: gr.Request | None = None):
    """Delete the open candidate once the box is ticked; the record closes (the list is searched again after)."""
    lang = lang_of(request)
    if not ref:
        raise refusal(msg("ctab_pick_first", lang))
    if not confirmed:
        raise refusal(msg("ctab_confirm_first", lang))
    actor = (_user(request) or decided_by or "").strip()
    if not actor:
        raise refusal(msg("ctab_name_first", lang))
    try:
        who = owner(request, visitor)
        name = candidate_record(ref, owner=who).name
        delete_candidate(ref, actor, owner=who)
    except LocalizedError as exc:
        raise _fail(exc, lang) from exc
    # Markdown: the name comes from the resume, so its markup is shown as text
    return msg("ctab_deleted", lang, name=escape(name or ref))


def _change(ref: str | None, request: gr.Request | None, do: Callable[[str], str]) -> str:
    """Run one change of the open candidate's record (``do(lang)``); refusals in the reader's language."""
    lang = lang_of(request)
    if not ref:
        raise refusal(msg("ctab_pick_first", lang))
    try:
        return do(lang)
    except LocalizedError as exc:
        raise _fail(exc, lang) from exc


def merge(ref: str | None, other: str | None, decided_by: str, visitor: str | None = None,
          request: gr.Request | None = None):
    """Merge candidate ``other`` into the open one (the same person recorded twice); audit-logged."""
    def do(lang: str) -> str:
        done = merge_candidates(ref or "", (other or "").strip(), _user(request) or decided_by, owner=owner(request, visitor))
        return msg("ctab_merged", lang, other=escape(done.other), ref=escape(done.ref), links=done.links)

    return _change(ref, request, do)


def split(ref: str | None, document: str | None, decided_by: str, visitor: str | None = None,
          request: gr.Request | None = None):
    """Move one document of the open candidate (and what was made from it) to a new candidate; audit-logged."""
    def do(lang: str) -> str:
        name = (document or "").strip()
        done = split_document(ref or "", name, _user(request) or decided_by, owner=owner(request, visitor))
        return msg("ctab_split_done", lang, document=escape(name), ref=escape(done.ref))

    return _change(ref, request, do)


def closed() -> tuple:
    """After a deletion: no record open, the confirmation box cleared."""
    return "", gr.update(value=None), False


# layout and wiring ---------------------------------------------------------------------------------------------
@dataclass
class _Filters:
    """The list's filters and its Find button."""

    job: gr.Dropdown
    low: gr.Slider
    high: gr.Slider
    decision: gr.Dropdown
    flagged: gr.Checkbox
    text: gr.Textbox
    find: gr.Button


@dataclass
class _Decide:
    """The form that records a person's decision on the open candidate."""

    job: gr.Dropdown
    decision: gr.Radio
    reason: gr.Textbox
    decided_by: gr.Textbox
    record: gr.Button
    status: gr.Markdown


@dataclass
class _Tools:
    """Export, merge, split and delete: each a field or two and its button."""

    fmt: gr.Radio
    export: gr.Button
    exported: gr.File
    other: gr.Textbox
    merge: gr.Button
    document: gr.Textbox
    split: gr.Button
    confirm: gr.Checkbox
    delete: gr.Button


def _filters_section() -> _Filters:
    """Two rows of filters: job and score range; decision, flagged only, free text and Find."""
    with gr.Row():
        job = gr.Dropdown([(t("ctab_all_jobs"), "")], value="", label=t("ctab_job"), allow_custom_value=True,
                          elem_id="cand-job")  # (an API client names a job by its id)
        low = gr.Slider(0, 100, value=0, step=1, label=t("ctab_min_score"), elem_id="cand-min")
        high = gr.Slider(0, 100, value=100, step=1, label=t("ctab_max_score"), elem_id="cand-max")
    with gr.Row():
        decision_filter = gr.Dropdown([(t("ctab_any_decision"), ANY), (t("dec_none"), NO_DECISION)]
                                      + [(t(f"dec_{d}"), d) for d in DECISIONS],
                                      value=ANY, label=t("ctab_decision_filter"), elem_id="cand-decision-filter")
        flagged = gr.Checkbox(label=t("ctab_flagged"), value=False, elem_id="cand-flagged")
        text = gr.Textbox(label=t("ctab_search"), elem_id="cand-search")
        find = gr.Button(t("ctab_find"), variant="secondary", elem_id="cand-find")
    return _Filters(job, low, high, decision_filter, flagged, text, find)


def _decide_section() -> _Decide:
    """The decision form: job, decision, reason, who decides, and its status line."""
    with gr.Accordion(t("ctab_decide"), open=True):
        gr.Markdown(t("note_decides"))
        with gr.Row():
            dec_job = gr.Dropdown([], value=None, label=t("ctab_job_for"), allow_custom_value=True, elem_id="cand-dec-job")
            decision = gr.Radio([(t(f"dec_{d}"), d) for d in DECISIONS], value=None, label=t("ctab_decision"),
                                elem_id="cand-decision")
        reason = gr.Textbox(label=t("ctab_reason"), lines=3, elem_id="cand-reason")
        with gr.Row():
            decided_by = gr.Textbox(label=t("ctab_decided_by"), elem_id="cand-decided-by")
            record_btn = gr.Button(t("ctab_record"), variant="primary", elem_id="cand-record-decision")
        status = gr.Markdown(elem_id="cand-status")
    return _Decide(dec_job, decision, reason, decided_by, record_btn, status)


def _tools_section() -> _Tools:
    """Closed accordions for export, merge/split and delete."""
    with gr.Accordion(t("ctab_export"), open=False):
        with gr.Row():
            fmt = gr.Radio([("CSV", "csv"), ("JSON", "json")], value="csv", label=t("ctab_format"), elem_id="cand-format")
            export_btn = gr.Button(t("ctab_export_run"), elem_id="cand-export")
        exported = gr.File(label=t("ctab_download"), interactive=False, elem_id="cand-exported")
    with gr.Accordion(t("ctab_merge"), open=False):
        gr.Markdown(t("ctab_merge_note"))
        with gr.Row():
            other = gr.Textbox(label=t("ctab_merge_other"), elem_id="cand-merge-other")
            merge_btn = gr.Button(t("ctab_merge_run"), elem_id="cand-merge")
        with gr.Row():
            document = gr.Textbox(label=t("ctab_split_document"), elem_id="cand-split-document")
            split_btn = gr.Button(t("ctab_split_run"), elem_id="cand-split")
    with gr.Accordion(t("ctab_delete"), open=False):
        gr.Markdown(t("ctab_delete_note"))
        with gr.Row():
            confirm = gr.Checkbox(label=t("ctab_confirm"), value=False, elem_id="cand-confirm")
            delete_btn = gr.Button(t("ctab_delete_run"), variant="stop", elem_id="cand-delete")
    return _Tools(fmt, export_btn, exported, other, merge_btn, document, split_btn, confirm, delete_btn)


def _wire_list(f: _Filters, filters: list, listed: list, table: gr.Dataframe, refs: gr.State,
               pick: gr.Dropdown) -> None:
    """The list follows its filters; a row picked in the table opens that candidate."""
    f.find.click(search, inputs=filters, outputs=listed, api_name="candidates")
    for box in (f.job, f.decision, f.flagged):
        box.input(search, inputs=filters, outputs=listed, **QUIET)
    for slider in (f.low, f.high):
        slider.release(search, inputs=filters, outputs=listed, **QUIET)
    f.text.submit(search, inputs=filters, outputs=listed, **QUIET)
    table.select(picked_row, inputs=[refs], outputs=[pick], **QUIET)


def _wire_changes(d: _Decide, tools: _Tools, job: gr.Dropdown, pick: gr.Dropdown, me: gr.BrowserState,
                  redrawn: list, filters: list, listed: list) -> None:
    """Decide, export, delete, merge and split; each change redraws the record and the list."""
    record, decision, reason, on_show = redrawn
    # errors land on the status line alone (a form field under an error badge could not be typed in)
    decided = d.record.click(decide, inputs=[pick, d.job, d.decision, d.reason, d.decided_by, me, on_show],
                             outputs=[d.status], api_name="record_decision")
    decided.success(redraw, inputs=[pick, me], outputs=redrawn, **QUIET
                    ).then(search, inputs=filters, outputs=listed, **QUIET)
    tools.export.click(export, inputs=[tools.fmt, job, d.decided_by, me], outputs=[tools.exported],
                       api_name="export_decisions")
    deleted = tools.delete.click(delete, inputs=[pick, tools.confirm, d.decided_by, me], outputs=[d.status],
                                 api_name="delete_candidate")
    deleted.success(closed, outputs=[record, pick, tools.confirm], **QUIET
                    ).then(search, inputs=filters, outputs=listed, **QUIET)
    for button, fn, field, name in ((tools.merge, merge, tools.other, "merge_candidates"),
                                    (tools.split, split, tools.document, "split_document")):
        button.click(fn, inputs=[pick, field, d.decided_by, me], outputs=[d.status], api_name=name
                     ).success(redraw, inputs=[pick, me], outputs=redrawn, **QUIET
                               ).then(search, inputs=filters, outputs=listed, **QUIET)


def build() -> list[gr.components.Component]:
    """The Candidates tab: filters, the list, one candidate's record, the decision form and the record tools."""
    page = gr.context.Context.block  # the tab this is built into: opening it refreshes the list
    f = _filters_section()
    table = gr.Dataframe(headers=t_headers(f"ctab_col_{c}" for c in COLUMNS), label=t("ctab_list"), interactive=False,
                         wrap=True, max_chars=120, elem_id="cand-table")
    refs = gr.State([])
    pick = gr.Dropdown([], value=None, label=t("ctab_open"), allow_custom_value=True, elem_id="cand-pick")
    record = gr.HTML(elem_id="cand-record")
    d = _decide_section()
    tools = _tools_section()

    me = state()  # demo mode: whose candidates these are (workbench.visitor)
    filters = [f.job, f.low, f.high, f.decision, f.flagged, f.text, me]
    listed = [table, refs, pick]
    _wire_list(f, filters, listed, table, refs, pick)
    on_show = gr.State({})  # job id -> the report the record shows as current (decisions.shown_token)
    shown = [record, d.job, d.decision, d.reason, tools.confirm, on_show]
    pick.change(open_candidate, inputs=[pick, me], outputs=shown, api_name="candidate_record")
    _wire_changes(d, tools, f.job, pick, me, [record, d.decision, d.reason, on_show], filters, listed)
    if isinstance(page, gr.Tab):
        page.select(job_choices, inputs=[me], outputs=[f.job, d.decided_by], **QUIET
                    ).then(search, inputs=filters, outputs=listed, **QUIET)
    on_page_load(job_choices, inputs=[me], outputs=[f.job, d.decided_by], then=search, then_inputs=filters,
                 then_outputs=listed)
    return []

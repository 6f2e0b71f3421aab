"""Score answers: one pasted answer or a batch file; per-criterion cards, table, exports, candidate view.
All logic is in core.services (grading, answer_files, candidates, grade_export)."""

from __future__ import annotations

from html import escape

import gradio as gr
import pandas as pd
from pydantic import ValidationError

from core.config import settings
from core.messages import LocalizedError, column_names, msg
from core.schemas.grade import CRITERIA
from core.services.answer_files import AnswerFileError, read_answer_file
from core.services.candidates import CandidateView, candidate_views, stored_candidates, stored_view
from core.failures import shown_failure
from core.services.grade_export import outcome_json, outcome_row, outcomes_to_csv, outcomes_to_jsonl, reference_label
from core.services.grade_runs import open_grading, recent_gradings
from core.services.grading import AnswerInput, GradeError, GradeOptions, GradeOutcome, grade_answers
from core.services.question_bank import BANK_DIR, load_bank
from workbench.banner import weak_profile_banner
from workbench.downloads import write_texts
from workbench.events import QUIET
from workbench.guard import admit
from workbench.i18n import browser_lang, error_text, lang_of, progress_in, refusal, t, t_headers
from workbench.page_load import on_page_load
from workbench.pickers import profile_choices
from workbench.render import model_said
from workbench.visitor import owner, state

TITLE_KEY = "grade_tab"
SAMPLE_FILE = BANK_DIR / "sample_answers.csv"
RECENT = 10  # past graded files offered for reopening
# the scores first, then who and what; long text (the question) gets a fixed width
TABLE_COLUMNS = ["overall", "verdict", "technical_correctness", "depth_of_analysis", "accuracy_of_analysis",
                 "candidate", "question", "human_score", "error", "model_profile"]
# the card's words, each a key of the message tables (core/messages)
_KEYS = {c: c for c in (*CRITERIA, "overall", "strong", "acceptable", "weak", "unacceptable")} | {
    "reasoning": "grade_reasoning", "reference": "grade_reference", "no_reference": "grade_no_reference",
    "error": "grade_error", "cached": "grade_cached", "note": "note_decides"}


def _labels(lang: str) -> dict[str, str]:
    return {name: msg(key, lang) for name, key in _KEYS.items()}


_CSS = """<style>.hl-grade{border:1px solid #d0d7de;border-radius:10px;padding:10px 14px;margin:8px 0}
.hl-grade h4{margin:0 0 4px 0}.hl-crit{display:flex;gap:10px;margin:4px 0}.hl-crit b{min-width:2.2em}
.hl-bad{color:#cf222e}.hl-grade.hl-err{border-color:#cf222e}</style>"""


def _card(o: GradeOutcome, lang: str) -> str:
    lab = _labels(lang)
    who = escape(o.item.candidate or "")
    head = f"<h4>{who + ' · ' if who else ''}{escape(o.item.question[:160])}</h4>"
    if not o.ok or o.grade is None:
        return f'<div class="hl-grade hl-err" data-testid="grade-card">{head}<b class="hl-bad">{lab["error"]}:</b> {escape(shown_failure(o.error, lang))}</div>'
    g = o.grade
    crits = "".join(f'<div class="hl-crit"><b>{getattr(g, c).score}/5</b><span><b>{lab[c]}</b>: {escape(getattr(g, c).explanation)}</span></div>'
                    for c in CRITERIA)
    ref = (f'{escape(g.reference_used)} <small>({escape(reference_label(g.reference_source, lang))})</small>' if g.reference_used
           else lab["no_reference"])  # the reference answer itself, so a person sees what the grade compared with
    return (f'<div class="hl-grade" data-testid="grade-card">{head}<div><b>{lab["overall"]}: {g.overall:.2f}/5</b> · '
            f'{lab.get(g.verdict, g.verdict)}{model_said(g.model_verdict, lang) if g.model_disagrees else ""}'
            f' · {escape(g.provenance.model_profile)}{" · " + lab["cached"] if o.cached else ""}</div>{crits}'
            f'<p><b>{lab["reasoning"]}:</b> {escape(g.reasoning)}</p>'
            f'<p data-testid="grade-reference"><b>{lab["reference"]}:</b> {ref}</p>'
            f'<small>{escape(g.provenance.model_profile)} ({escape(g.provenance.engine)}) · '
            f'{escape(g.rubric)} · {lab["note"]}</small></div>')


def _table_row(o: GradeOutcome, lang: str) -> list[object]:
    row = outcome_row(o)
    if row["verdict"]:
        row["verdict"] = msg(str(row["verdict"]), lang)
    row["error"] = shown_failure(o.error, lang)
    return [row[c] for c in TABLE_COLUMNS]


def _view_outputs(view: CandidateView | None) -> tuple[str, object]:
    if view is None:
        return "", []
    means = [[msg(k, view.language), v] for k, v in view.means.items()]
    # Markdown: names and topics come from the answer file, so their markup is shown as text
    return escape(view.summary), pd.DataFrame(means, columns=column_names(["criterion", "mean"], view.language))


def bank_choices() -> list[tuple[str, str]]:
    bank = load_bank()
    return [(f"[{lang}] {label}", f"{qid}|{lang}") for lang in ("en", "ru") for label, qid in bank.choices(lang)]


def pick_bank(choice: str | None) -> tuple[str, str]:
    if not choice:
        return "", ""
    qid, _, lang = choice.partition("|")
    q = load_bank().get(qid)
    return q.question.get(lang), q.reference.get(lang)


def grade_one(question: str, answer: str, reference: str, candidate: str, profile: str, visitor: str | None = None,
              request: gr.Request | None = None, progress: gr.Progress = gr.Progress()):
    admit(request)
    lang = lang_of(request, question or "")
    try:
        item = AnswerInput.from_form(question, answer, reference, candidate)
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang)) from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
        raise refusal(msg("gr_check_form", lang, problems=problems)) from exc
    try:
        out = grade_answers([item], profile or None, progress_in(progress, lang),
                            options=GradeOptions(owner=owner(request, visitor)))[0]
    except GradeError as exc:
        raise refusal(error_text(exc, lang_of(request))) from exc
    return _CSS + _card(out, lang), outcome_json(out)


def grade_file(path: str | None, profile: str, visitor: str | None = None,
               request: gr.Request | None = None,
               progress: gr.Progress = gr.Progress()):
    admit(request, files=1 if path else 0)
    if not path:
        raise refusal(msg("gr_no_file", lang_of(request)))
    try:
        items, row_errors = read_answer_file(path)
    except AnswerFileError as exc:
        raise refusal(error_text(exc, lang_of(request))) from exc
    notes = "\n".join(f"- {escape(e.text(lang_of(request)))}" for e in row_errors)  # Markdown: markup as text
    if not items:
        raise refusal(msg("gr_nothing_read", lang_of(request),
                           problems="; ".join(e.text(lang_of(request)) for e in row_errors[:5])))
    try:
        outcomes = grade_answers(items, profile or None,
                                 progress_in(progress, lang_of(request, " ".join(i.question for i in items[:5]))),
                                 options=GradeOptions(record_run=True, owner=owner(request, visitor)))
    except GradeError as exc:
        raise refusal(error_text(exc, lang_of(request))) from exc
    return _batch_outputs(outcomes, notes, request, owner(request, visitor))


def _batch_outputs(outcomes: list[GradeOutcome], notes: str, request: gr.Request | None, who: str):
    """Table, notes, cards, downloads and candidate view of a graded batch (just scored or reopened)."""
    files = write_texts("grades", {"grades.csv": outcomes_to_csv(outcomes), "grades.jsonl": outcomes_to_jsonl(outcomes)})
    lang = lang_of(request, " ".join(o.item.question for o in outcomes[:5]))
    table = pd.DataFrame([_table_row(o, lang) for o in outcomes], columns=column_names(TABLE_COLUMNS, lang))
    views = candidate_views(outcomes, browser_lang(request))
    names = [v.candidate for v in views if v.candidate]
    summary, means = _view_outputs(views[0] if views else None)
    cards = _CSS + "".join(_card(o, lang) for o in outcomes)
    return (table, notes, cards, files,
            gr.update(choices=list(dict.fromkeys(names + stored_candidates(owner=who))), value=names[0] if names else None),
            summary, means)


def past_batches(visitor: str | None = None, request: gr.Request | None = None):
    """Recent graded files, newest first, for the picker that reopens one."""
    return gr.update(choices=[(f"{r.created_at:%Y-%m-%d %H:%M} · {r.name[:60]} · {r.profile} · {r.done}/{r.total}", r.run_id)
                              for r in recent_gradings(RECENT, owner=owner(request, visitor))], value=None)


def open_batch(run_id: str | None, visitor: str | None = None, request: gr.Request | None = None):
    who = owner(request, visitor)
    opened = open_grading(run_id, owner=who) if run_id else None
    if opened is None or not opened.outcomes:
        return (gr.update(),) * 7
    return _batch_outputs(opened.outcomes, "", request, who)


def show_candidate(candidate: str | None, visitor: str | None = None, request: gr.Request | None = None):
    lang = lang_of(request, candidate or "")
    if not candidate:
        raise refusal(msg("gr_pick_candidate", lang))
    view = stored_view(candidate, lang=browser_lang(request), owner=owner(request, visitor))
    if not view.answers:
        raise refusal(msg("gr_no_stored", lang, candidate=repr(candidate)))
    return _view_outputs(view)


def empty_tables(request: gr.Request | None = None):
    """Page opened: the empty tables get their column names in the browser's language."""
    lang = lang_of(request)
    return (pd.DataFrame(columns=column_names(TABLE_COLUMNS, lang)),
            pd.DataFrame(columns=column_names(["criterion", "mean"], lang)))


def refresh_candidates(visitor: str | None = None, request: gr.Request | None = None):
    return gr.update(choices=stored_candidates(owner=owner(request, visitor)))


def load_sample() -> str:
    return str(SAMPLE_FILE)


def build() -> list[gr.components.Component]:
    names, default = profile_choices()  # a blend such as 'offline+rules' may be typed in
    profile = gr.Dropdown(names, value=default, label=t("model"), allow_custom_value=True, elem_id="grade-profile")
    weak_profile_banner(profile, elem_id="grade-weak-profile")
    with gr.Tabs():
        with gr.Tab(t("gr_single")):
            bank = gr.Dropdown(bank_choices(), value=None, label=t("gr_bank"))
            question = gr.Textbox(label=t("gr_question"), lines=2, elem_id="grade-question")
            reference = gr.Textbox(label=t("gr_reference"), lines=3)
            answer = gr.Textbox(label=t("gr_answer"), lines=6, elem_id="grade-answer")
            with gr.Row():
                candidate = gr.Textbox(label=t("gr_candidate"))
                run = gr.Button(t("gr_run"), variant="primary", elem_id="grade-run")
            card = gr.HTML(elem_id="grade-card")
            as_json = gr.JSON(visible=False)
        with gr.Tab(t("gr_batch")):
            file = gr.File(label=t("gr_file"), file_types=[".csv", ".tsv", ".jsonl", ".json", ".xlsx"], type="filepath",
                           value=load_sample() if settings().demo else None)  # demo: the sample file is there
            with gr.Row():
                sample = gr.Button(t("gr_sample"), variant="secondary")
                run_file = gr.Button(t("gr_run_file"), variant="primary", elem_id="grade-run-file")
            past = gr.Dropdown([], value=None, label=t("gr_past"), elem_id="grade-past")
            notes = gr.Markdown(label=t("gr_notes"))
            table = gr.Dataframe(headers=t_headers(f"col_{c}" for c in TABLE_COLUMNS), label=t("gr_table"), interactive=False,
                                 wrap=True, pinned_columns=2, max_chars=160, elem_id="grade-table",
                                 column_widths=["70px", "110px", "90px", "80px", "80px", "150px", "320px", "90px",
                                                "200px", "110px"])
            with gr.Accordion(t("gr_cards"), open=False):
                cards = gr.HTML(elem_id="grade-cards")
            downloads = gr.File(label=t("gr_download"), file_count="multiple", interactive=False)
    with gr.Accordion(t("gr_candidates"), open=True):
        with gr.Row():
            pick = gr.Dropdown([] if settings().demo else stored_candidates(), label=t("gr_pick"), allow_custom_value=True)
            show = gr.Button(t("gr_show"))
        summary = gr.Markdown(elem_id="candidate-summary")
        means = gr.Dataframe(headers=t_headers(["col_criterion", "col_mean"]), label=t("gr_means"), interactive=False)
    bank.change(pick_bank, inputs=[bank], outputs=[question, reference], api_name="grade_bank_question")
    me = state()  # demo mode: whose grades these are (workbench.visitor)
    run.click(grade_one, inputs=[question, answer, reference, candidate, profile, me], outputs=[card, as_json], api_name="grade_one",
              show_progress_on=[card])
    sample.click(load_sample, outputs=[file], api_name="grade_sample_file")
    batch_outputs = [table, notes, cards, downloads, pick, summary, means]
    run_file.click(grade_file, inputs=[file, profile, me], outputs=batch_outputs, api_name="grade_file",
                   show_progress_on=[table]).then(past_batches, inputs=[me], outputs=[past], **QUIET)
    past.input(open_batch, inputs=[past, me], outputs=batch_outputs, **QUIET)
    on_page_load(past_batches, inputs=[me], outputs=[past])  # past batches listed as soon as the page opens
    show.click(show_candidate, inputs=[pick, me], outputs=[summary, means], api_name="candidate_view")
    pick.focus(refresh_candidates, inputs=[me], outputs=[pick], api_visibility="private")
    on_page_load(empty_tables, inputs=[], outputs=[table, means])
    return [profile]

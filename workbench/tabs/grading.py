"""Score answers: one pasted answer or a batch file; per-criterion cards, table, exports, candidate view.
All logic is in core.services (grading, answer_files, candidates, grade_export)."""

from __future__ import annotations

from html import escape

import gradio as gr
from pydantic import ValidationError

from core.documents.language import is_russian
from core.schemas.grade import CRITERIA
from core.services.answer_files import AnswerFileError, read_answer_file
from core.services.candidates import CandidateView, candidate_views, stored_candidates, stored_view
from core.services.grade_export import outcome_json, outcome_row, outcomes_to_csv, outcomes_to_jsonl
from core.services.grading import AnswerInput, GradeError, GradeOutcome, grade_answers
from core.services.question_bank import BANK_DIR, load_bank
from workbench.downloads import write_texts
from workbench.i18n import t
from workbench.pickers import profile_choices

TITLE_KEY = "grade_tab"
SAMPLE_FILE = BANK_DIR / "sample_answers.csv"
TABLE_COLUMNS = ["candidate", "question", "overall", "technical_correctness", "depth_of_analysis", "accuracy_of_analysis",
                 "verdict", "human_score", "error"]
TEXTS = {
    "en": {"grade_tab": "Score answers", "gr_single": "One answer", "gr_batch": "Batch file", "gr_bank": "Question bank",
           "gr_question": "Question", "gr_reference": "Reference answer (optional: what a good answer contains)",
           "gr_answer": "Candidate's answer", "gr_candidate": "Candidate (optional)", "gr_run": "Score",
           "gr_file": "Answers file (CSV, JSONL, XLSX: candidate, question, answer, optional reference, human_score)",
           "gr_sample": "Load sample file", "gr_run_file": "Score file", "gr_table": "Scores",
           "gr_notes": "Rows not read", "gr_cards": "Per-criterion cards", "gr_download": "Download CSV and JSONL",
           "gr_candidates": "Candidate view", "gr_pick": "Candidate", "gr_show": "Show candidate",
           "gr_means": "Per-criterion means"},
    "ru": {"grade_tab": "Оценка ответов", "gr_single": "Один ответ", "gr_batch": "Файл с ответами", "gr_bank": "Банк вопросов",
           "gr_question": "Вопрос", "gr_reference": "Эталонный ответ (по желанию: что должен содержать хороший ответ)",
           "gr_answer": "Ответ кандидата", "gr_candidate": "Кандидат (по желанию)", "gr_run": "Оценить",
           "gr_file": "Файл ответов (CSV, JSONL, XLSX: кандидат, вопрос, ответ, эталон и оценка человека по желанию)",
           "gr_sample": "Загрузить пример файла", "gr_run_file": "Оценить файл", "gr_table": "Оценки",
           "gr_notes": "Непрочитанные строки", "gr_cards": "Карточки по критериям", "gr_download": "Скачать CSV и JSONL",
           "gr_candidates": "Сводка по кандидату", "gr_pick": "Кандидат", "gr_show": "Показать кандидата",
           "gr_means": "Средние по критериям"},
}
LABELS = {
    "en": {"technical_correctness": "Technical correctness", "depth_of_analysis": "Depth of analysis",
           "accuracy_of_analysis": "Accuracy of analysis", "overall": "Overall", "reasoning": "Reasoning",
           "reference": "Graded against", "no_reference": "no reference answer (the grader's own knowledge)",
           "error": "Could not score", "cached": "reused stored grade", "note": "The tool recommends; a person decides.",
           "strong": "strong", "acceptable": "acceptable", "weak": "weak", "unacceptable": "unacceptable"},
    "ru": {"technical_correctness": "Техническая правильность", "depth_of_analysis": "Глубина анализа",
           "accuracy_of_analysis": "Точность анализа", "overall": "Итог", "reasoning": "Рассуждение",
           "reference": "Сравнение с", "no_reference": "без эталона (по знаниям оценщика)",
           "error": "Не удалось оценить", "cached": "взята сохранённая оценка", "note": "Инструмент рекомендует, решает человек.",
           "strong": "сильный", "acceptable": "приемлемый", "weak": "слабый", "unacceptable": "неприемлемый"},
}
_CSS = """<style>.hl-grade{border:1px solid #d0d7de;border-radius:10px;padding:10px 14px;margin:8px 0}
.hl-grade h4{margin:0 0 4px 0}.hl-crit{display:flex;gap:10px;margin:4px 0}.hl-crit b{min-width:2.2em}
.hl-bad{color:#cf222e}.hl-grade.hl-err{border-color:#cf222e}</style>"""


def _card(o: GradeOutcome) -> str:
    lab = LABELS["ru" if is_russian(o.item.question) else "en"]
    who = escape(o.item.candidate or "")
    head = f"<h4>{who + ' · ' if who else ''}{escape(o.item.question[:160])}</h4>"
    if not o.ok or o.grade is None:
        return f'<div class="hl-grade hl-err" data-testid="grade-card">{head}<b class="hl-bad">{lab["error"]}:</b> {escape(o.error or "")}</div>'
    g = o.grade
    crits = "".join(f'<div class="hl-crit"><b>{getattr(g, c).score}/5</b><span><b>{lab[c]}</b>: {escape(getattr(g, c).explanation)}</span></div>'
                    for c in CRITERIA)
    ref = escape(g.reference_source or "") if g.reference_used else lab["no_reference"]
    return (f'<div class="hl-grade" data-testid="grade-card">{head}<div><b>{lab["overall"]}: {g.overall:.2f}/5</b> · '
            f'{lab.get(g.verdict, g.verdict)}{" · " + lab["cached"] if o.cached else ""}</div>{crits}'
            f'<p><b>{lab["reasoning"]}:</b> {escape(g.reasoning)}</p>'
            f'<small>{lab["reference"]}: {ref} · {escape(g.provenance.model_profile)} ({escape(g.provenance.engine)}) · '
            f'{escape(g.rubric)} · {lab["note"]}</small></div>')


def _view_outputs(view: CandidateView | None) -> tuple[str, list[list[object]]]:
    if view is None:
        return "", []
    lab = LABELS[view.language]
    means = [[lab.get(k, k), v] for k, v in view.means.items()]
    return view.summary, means


def bank_choices() -> list[tuple[str, str]]:
    bank = load_bank()
    return [(f"[{lang}] {label}", f"{qid}|{lang}") for lang in ("en", "ru") for label, qid in bank.choices(lang)]


def pick_bank(choice: str | None) -> tuple[str, str]:
    if not choice:
        return "", ""
    qid, _, lang = choice.partition("|")
    q = load_bank().get(qid)
    return q.question.get(lang), q.reference.get(lang)


def grade_one(question: str, answer: str, reference: str, candidate: str, profile: str, progress: gr.Progress = gr.Progress()):
    try:
        item = AnswerInput(question=question or "", answer=answer or "", reference=(reference or "").strip() or None,
                           candidate=candidate or "")
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
        raise gr.Error(f"Check the form: {problems}. The question is required.") from exc
    try:
        out = grade_answers([item], profile or None, lambda f, m: progress(f, desc=m))[0]
    except GradeError as exc:
        raise gr.Error(str(exc)) from exc
    return _CSS + _card(out), outcome_json(out)


def grade_file(path: str | None, profile: str, progress: gr.Progress = gr.Progress()):
    if not path:
        raise gr.Error("Upload an answers file (CSV, JSONL or XLSX) or press 'Load sample file' first.")
    try:
        items, row_errors = read_answer_file(path)
    except AnswerFileError as exc:
        raise gr.Error(str(exc)) from exc
    notes = "\n".join(f"- {e}" for e in row_errors)
    if not items:
        raise gr.Error("No answer in the file could be read. " + "; ".join(map(str, row_errors[:5])))
    try:
        outcomes = grade_answers(items, profile or None, lambda f, m: progress(f, desc=m))
    except GradeError as exc:
        raise gr.Error(str(exc)) from exc
    files = write_texts("grades", {"grades.csv": outcomes_to_csv(outcomes), "grades.jsonl": outcomes_to_jsonl(outcomes)})
    table = [[outcome_row(o)[c] for c in TABLE_COLUMNS] for o in outcomes]
    views = candidate_views(outcomes)
    names = [v.candidate for v in views if v.candidate]
    summary, means = _view_outputs(views[0] if views else None)
    cards = _CSS + "".join(_card(o) for o in outcomes)
    return (table, notes, cards, files,
            gr.update(choices=list(dict.fromkeys(names + stored_candidates())), value=names[0] if names else None),
            summary, means)


def show_candidate(candidate: str | None):
    if not candidate:
        raise gr.Error("Pick a candidate; candidates appear here after their answers are scored.")
    view = stored_view(candidate)
    if not view.answers:
        raise gr.Error(f"No scored answers are stored for {candidate!r}. Score their answers first.")
    return _view_outputs(view)


def refresh_candidates():
    return gr.update(choices=stored_candidates())


def load_sample() -> str:
    return str(SAMPLE_FILE)


def build() -> list[gr.components.Component]:
    names, default = profile_choices()  # a blend such as 'offline+rules' may be typed in
    profile = gr.Dropdown(names, value=default, label=t("model"), allow_custom_value=True, elem_id="grade-profile")
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
            file = gr.File(label=t("gr_file"), file_types=[".csv", ".tsv", ".jsonl", ".json", ".xlsx"], type="filepath")
            with gr.Row():
                sample = gr.Button(t("gr_sample"), variant="secondary")
                run_file = gr.Button(t("gr_run_file"), variant="primary", elem_id="grade-run-file")
            notes = gr.Markdown(label=t("gr_notes"))
            table = gr.Dataframe(headers=TABLE_COLUMNS, label=t("gr_table"), interactive=False, wrap=True)
            with gr.Accordion(t("gr_cards"), open=False):
                cards = gr.HTML(elem_id="grade-cards")
            downloads = gr.File(label=t("gr_download"), file_count="multiple", interactive=False)
    with gr.Accordion(t("gr_candidates"), open=True):
        with gr.Row():
            pick = gr.Dropdown(stored_candidates(), label=t("gr_pick"), allow_custom_value=True)
            show = gr.Button(t("gr_show"))
        summary = gr.Markdown(elem_id="candidate-summary")
        means = gr.Dataframe(headers=["criterion", "mean"], label=t("gr_means"), interactive=False)
    bank.change(pick_bank, inputs=[bank], outputs=[question, reference], api_name="grade_bank_question")
    run.click(grade_one, inputs=[question, answer, reference, candidate, profile], outputs=[card, as_json], api_name="grade_one")
    sample.click(load_sample, outputs=[file], api_name="grade_sample_file")
    run_file.click(grade_file, inputs=[file, profile], outputs=[table, notes, cards, downloads, pick, summary, means],
                   api_name="grade_file")
    show.click(show_candidate, inputs=[pick], outputs=[summary, means], api_name="candidate_view")
    pick.focus(refresh_candidates, outputs=[pick], api_name=False)
    return [profile]

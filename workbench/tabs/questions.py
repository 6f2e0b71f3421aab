"""Interview questions: a resume (+ job) in, five checked questions with what a strong answer contains.
All logic is in core.services.questions."""

from __future__ import annotations

from html import escape

import gradio as gr

from core.config import ASSETS
from core.documents import DocumentError, parse_path
from core.schemas.questions import QuestionSet
from core.services.questions import QuestionsError, QuestionsOptions, interview_questions
from workbench.downloads import write_texts
from workbench.i18n import t
from workbench.pickers import profile_choices

TITLE_KEY = "questions_tab"
SAMPLES = ASSETS / "samples"
TEXTS = {
    "en": {"questions_tab": "Interview questions", "iq_resume": "Resume (PDF, DOCX, TXT)", "iq_pasted": "…or paste the resume text",
           "iq_job": "Job description (optional: questions then cover its gaps)", "iq_lang": "Language of the questions",
           "iq_run": "Prepare questions", "iq_sample": "Load sample resume and job", "iq_download": "Download JSON"},
    "ru": {"questions_tab": "Вопросы для интервью", "iq_resume": "Резюме (PDF, DOCX, TXT)", "iq_pasted": "…или вставьте текст резюме",
           "iq_job": "Описание вакансии (по желанию: тогда вопросы покроют пробелы)", "iq_lang": "Язык вопросов",
           "iq_run": "Подготовить вопросы", "iq_sample": "Загрузить пример резюме и вакансии", "iq_download": "Скачать JSON"},
}
LABELS = {
    "en": {"framework": "Framework", "database": "Database", "system_design": "System design", "behavioural": "Behavioural",
           "open_ended": "Open-ended", "resume": "From the resume", "job_gap": "Gap against the job",
           "strong": "A strong answer contains", "verified": "quote found", "unverified": "quote NOT found — check it",
           "note": "The tool suggests; the interviewer decides what to ask.",
           "unverified_note": "{n} quote(s) were not found in the text they claim to come from: the model may have invented them. Check them, or pick the 'rules' profile (questions from the team's bank)."},
    "ru": {"framework": "Фреймворк", "database": "База данных", "system_design": "Проектирование", "behavioural": "Поведенческий",
           "open_ended": "Открытый", "resume": "Из резюме", "job_gap": "Пробел относительно вакансии",
           "strong": "Сильный ответ содержит", "verified": "цитата найдена", "unverified": "цитата НЕ найдена — проверьте",
           "note": "Инструмент предлагает, интервьюер решает, что спросить.",
           "unverified_note": "Цитат не найдено в исходном тексте: {n}. Модель могла их придумать. Проверьте их или выберите профиль 'rules' (вопросы из банка команды)."},
}


def _cards(qs: QuestionSet) -> str:
    lab = LABELS.get(qs.language, LABELS["en"])
    parts = []
    for n, q in enumerate(qs.questions, 1):
        mark = f'<span style="color:#1a7f37">✔ {lab["verified"]}</span>' if q.verified else \
            f'<span style="color:#cf222e">⚠ {lab["unverified"]}</span>'
        parts.append(
            f'<div data-testid="question-card" style="border:1px solid #d0d7de;border-radius:10px;padding:10px 14px;margin:8px 0">'
            f'<b>{n}. {lab[q.kind]}</b> · {lab[q.basis]}<p style="font-size:1.05em">{escape(q.question)}</p>'
            f'<div><i>“{escape(q.quote)}”</i> {mark}</div><p><b>{lab["strong"]}:</b> {escape(q.strong_answer)}</p></div>')
    prov = qs.provenance
    if qs.unverified_quotes:
        parts.insert(0, f'<p style="color:#cf222e" data-testid="unverified-note">⚠ {escape(lab["unverified_note"].format(n=qs.unverified_quotes))}</p>')
    return "".join(parts) + f"<small>{lab['note']} · {escape(prov.model_profile)} ({escape(prov.engine)}) · {escape(prov.prompt_version)}</small>"


def prepare(file: str | None, pasted: str, job: str, profile: str, language: str, progress: gr.Progress = gr.Progress()):
    candidate = "pasted resume"
    if file:
        try:
            doc = parse_path(file)
        except DocumentError as exc:
            raise gr.Error(f"{exc.filename}: {exc.message}") from exc
        text, candidate = doc.text, doc.filename
    else:
        text = pasted or ""
    try:
        out = interview_questions(text, job or "", profile or None, candidate=candidate,
                                  progress=lambda f, m: progress(f, desc=m),
                                  options=QuestionsOptions(language=None if language == "auto" else language))
    except QuestionsError as exc:
        raise gr.Error(str(exc)) from exc
    if not out.ok or out.questions is None:
        raise gr.Error(out.error or "the questions could not be prepared")
    [path] = write_texts("questions", {"interview_questions.json": out.questions.model_dump_json(indent=2)})
    return _cards(out.questions), out.questions.model_dump(mode="json"), path


def load_sample() -> tuple[str, str]:
    return (str(SAMPLES / "resumes" / "anna_smirnova_ml_engineer.pdf"),
            (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8"))


def build() -> list[gr.components.Component]:
    names, default = profile_choices()
    with gr.Row():
        with gr.Column():
            file = gr.File(label=t("iq_resume"), file_types=[".pdf", ".docx", ".txt"], type="filepath")
            pasted = gr.Textbox(label=t("iq_pasted"), lines=4)
        with gr.Column():
            job = gr.Textbox(label=t("iq_job"), lines=8)
            with gr.Row():
                profile = gr.Dropdown(names, value=default, label=t("model"))
                language = gr.Radio(["auto", "en", "ru"], value="auto", label=t("iq_lang"))
            with gr.Row():
                sample = gr.Button(t("iq_sample"), variant="secondary")
                run = gr.Button(t("iq_run"), variant="primary", elem_id="questions-run")
    cards = gr.HTML(elem_id="question-cards")
    as_json = gr.JSON(visible=False)
    download = gr.File(label=t("iq_download"), interactive=False)
    sample.click(load_sample, outputs=[file, job], api_name="questions_sample")
    run.click(prepare, inputs=[file, pasted, job, profile, language], outputs=[cards, as_json, download],
              api_name="interview_questions")
    return [profile]

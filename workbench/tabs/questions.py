"""Interview questions: a resume (+ job) in, five checked questions with what a strong answer contains.
All logic is in core.services.questions."""

from __future__ import annotations

from html import escape

import gradio as gr

from core.config import settings
from core.documents import FLAG_TITLES, DocumentError
from core.messages import LocalizedError, msg
from core.schemas.questions import QuestionSet
from core.samples import SAMPLE_RESUME, sample_job
from core.services.questions import QuestionsOptions, interview_questions, resume_input
from workbench.banner import weak_profile_banner
from workbench.downloads import write_texts
from workbench.guard import admit
from core.failures import shown_failure
from workbench.i18n import browser_lang, error_text, lang_of, progress_in, refusal, t
from workbench.pickers import profile_choices
from workbench.visitor import owner, state

TITLE_KEY = "questions_tab"
# the card's words, each a key of the message tables (core/messages)
_KEYS = ("framework", "database", "system_design", "behavioural", "open_ended", "resume", "job_gap", "strong",
         "verified", "unverified", "note")


def _cards(qs: QuestionSet, lang: str) -> str:
    lab = {k: msg(f"q_{k}", lang) for k in _KEYS}
    parts = []
    for n, q in enumerate(qs.questions, 1):
        mark = f'<span style="color:#1a7f37">✔ {lab["verified"]}</span>' if q.verified else \
            f'<span style="color:#cf222e">⚠ {lab["unverified"]}</span>'
        parts.append(
            f'<div data-testid="question-card" style="border:1px solid #d0d7de;border-radius:10px;padding:10px 14px;margin:8px 0">'
            f'<b>{n}. {lab[q.kind]}</b> · {lab[q.basis]}<p style="font-size:1.05em">{escape(q.question)}</p>'
            f'<div><i>“{escape(q.quote)}”</i> {mark}</div><p><b>{lab["strong"]}:</b> {escape(q.strong_answer)}</p></div>')
    prov = qs.provenance
    if qs.document_flags:
        what = ", ".join(FLAG_TITLES.get(k, {}).get(lang, k) for k in qs.document_flags)
        parts.insert(0, f'<p style="color:#cf222e" data-testid="flags-note">⚠ {escape(msg("q_flags_note", lang, what=what))}</p>')
    if qs.unverified_quotes:
        parts.insert(0, f'<p style="color:#cf222e" data-testid="unverified-note">⚠ {escape(msg("q_unverified_note", lang, n=qs.unverified_quotes))}</p>')
    return "".join(parts) + f"<small>{lab['note']} · {escape(prov.model_profile)} ({escape(prov.engine)}) · {escape(prov.prompt_version)}</small>"


def prepare(file: str | None, pasted: str, job: str, profile: str, language: str, visitor: str | None = None,
            request: gr.Request | None = None, progress: gr.Progress = gr.Progress()):
    admit(request, files=1 if file else 0)
    try:
        doc, candidate = resume_input(file, pasted, msg("q_pasted_resume", browser_lang(request) or "en"))
    except DocumentError as exc:
        raise refusal(f"{exc.filename}: {exc.text(lang_of(request))}") from exc
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang_of(request, (pasted or "")[:2000]))) from exc
    text = doc.text
    try:
        out = interview_questions(doc, job or "", profile or None, candidate=candidate,
                                  progress=progress_in(progress, lang_of(request, text)),
                                  options=QuestionsOptions(language=None if language == "auto" else language,
                                                           owner=owner(request, visitor)))
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang_of(request, text))) from exc
    if not out.ok or out.questions is None:
        raise refusal(shown_failure(out.error, lang_of(request, text)) or msg("q_failed", lang_of(request, text)))
    [path] = write_texts("questions", {"interview_questions.json": out.questions.model_dump_json(indent=2)})
    return _cards(out.questions, browser_lang(request) or out.questions.language), out.questions.model_dump(mode="json"), path


def load_sample() -> tuple[str, str]:
    return str(SAMPLE_RESUME), sample_job()


def build() -> list[gr.components.Component]:
    names, default = profile_choices()
    with gr.Row():
        with gr.Column():
            demo = load_sample() if settings().demo else (None, "")  # demo: the sample resume and job are there
            file = gr.File(label=t("iq_resume"), file_types=[".pdf", ".docx", ".txt"], type="filepath", value=demo[0])
            pasted = gr.Textbox(label=t("iq_pasted"), lines=4)
        with gr.Column():
            job = gr.Textbox(label=t("iq_job"), lines=8, value=demo[1])
            with gr.Row():
                profile = gr.Dropdown(names, value=default, label=t("model"))
                language = gr.Radio([(t(f"iq_{c}"), c) for c in ("auto", "en", "ru")], value="auto", label=t("iq_lang"))
            weak_profile_banner(profile, elem_id="questions-weak-profile")
            with gr.Row():
                sample = gr.Button(t("iq_sample"), variant="secondary")
                run = gr.Button(t("iq_run"), variant="primary", elem_id="questions-run")
    cards = gr.HTML(elem_id="question-cards")
    as_json = gr.JSON(visible=False)
    download = gr.File(label=t("iq_download"), interactive=False)
    sample.click(load_sample, outputs=[file, job], api_name="questions_sample")
    run.click(prepare, inputs=[file, pasted, job, profile, language, state()], outputs=[cards, as_json, download],
              api_name="interview_questions", show_progress_on=[cards])
    return [profile]

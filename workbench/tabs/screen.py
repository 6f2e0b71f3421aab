"""Screen resumes: upload resumes, paste a job, get a ranked list with report cards."""

from __future__ import annotations

import json

import gradio as gr

from core.config import ASSETS
from core.documents.language import detect_language
from core.models import ProfileError
from core.services.export import row_view, rows_to_csv, summary_rows
from core.services.screening import ScreenError, ScreenInput, ScreenOptions, screen
from workbench.downloads import write_texts
from workbench.i18n import t
from workbench.pickers import profile_choices
from workbench.render import cards

TITLE_KEY = "screen_tab"
TABLE_COLUMNS = ["rank", "candidate", "match_score", "recommendation", "skills_matched", "skills_missing",
                 "unverified_quotes", "error"]
SAMPLES = ASSETS / "samples"
TEXTS = {
    "en": {"screen_tab": "Screen resumes", "resumes": "Resumes (PDF, DOCX, TXT)", "pasted": "…or paste a resume as text",
           "job": "Job description", "blind": "Blind screening (hide name, age, gender, contacts from the model)",
           "run": "Screen", "sample": "Load sample resumes and job", "ranked": "Ranked candidates",
           "cards": "Reports", "json": "JSON", "download": "Download CSV and JSON"},
    "ru": {"screen_tab": "Отбор резюме", "resumes": "Резюме (PDF, DOCX, TXT)", "pasted": "…или вставьте резюме текстом",
           "job": "Описание вакансии", "blind": "Слепой отбор (скрыть от модели имя, возраст, пол, контакты)",
           "run": "Оценить", "sample": "Загрузить примеры резюме и вакансии", "ranked": "Рейтинг кандидатов",
           "cards": "Отчёты", "json": "JSON", "download": "Скачать CSV и JSON"},
}


def run_screen(files: list[str] | None, pasted: str, job: str, profile: str, blind: bool,
               progress: gr.Progress = gr.Progress()):
    inputs = [ScreenInput.from_path(f) for f in (files or [])]
    if pasted and pasted.strip():
        inputs.append(ScreenInput("pasted_resume.txt", pasted.encode("utf-8")))
    try:
        rows = screen(job, inputs, ScreenOptions(profile=profile, blind=blind), lambda f, m: progress(f, desc=m))
    except (ScreenError, ProfileError) as exc:
        raise gr.Error(str(exc)) from exc
    payload = [row_view(r) for r in rows]
    files = write_texts("screening", {"screening.csv": rows_to_csv(rows),
                                      "screening.json": json.dumps(payload, ensure_ascii=False, indent=2)})
    table = [[row[c] for c in TABLE_COLUMNS] for row in summary_rows(rows)]
    lang = "ru" if detect_language(job) == "ru" else "en"
    return table, cards(rows, lang), payload, files


def load_sample() -> tuple[list[str], str]:
    files = sorted(str(p) for p in (SAMPLES / "resumes").iterdir() if p.suffix in {".pdf", ".docx", ".txt"})
    return files, (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")


def build() -> list[gr.components.Component]:
    names, default = profile_choices()
    with gr.Row():
        with gr.Column(scale=1):
            files = gr.File(label=t("resumes"), file_count="multiple", file_types=[".pdf", ".docx", ".txt"], type="filepath")
            pasted = gr.Textbox(label=t("pasted"), lines=4)
        with gr.Column(scale=1):
            job = gr.Textbox(label=t("job"), lines=10, elem_id="job-text")
            with gr.Row():
                profile = gr.Dropdown(names, value=default, label=t("model"))
                blind = gr.Checkbox(label=t("blind"), value=False)
            with gr.Row():
                sample = gr.Button(t("sample"), variant="secondary")
                run = gr.Button(t("run"), variant="primary", elem_id="screen-run")
    table = gr.Dataframe(headers=TABLE_COLUMNS, label=t("ranked"), interactive=False, wrap=True,
                         column_widths=["5%", "22%", "8%", "10%", "20%", "15%", "8%", "12%"])
    with gr.Tabs():
        with gr.Tab(t("cards")):
            report_cards = gr.HTML(elem_id="report-cards")
        with gr.Tab(t("json")):
            as_json = gr.JSON()
    downloads = gr.File(label=t("download"), file_count="multiple", interactive=False)
    sample.click(load_sample, outputs=[files, job], api_name="load_sample")
    run.click(run_screen, inputs=[files, pasted, job, profile, blind], outputs=[table, report_cards, as_json, downloads],
              api_name="screen")
    return [profile]

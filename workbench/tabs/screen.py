"""Screen resumes: upload resumes, paste a job, get a ranked list with report cards."""

from __future__ import annotations

import json

import gradio as gr
import pandas as pd

from core.config import ASSETS
from core.models import ProfileError
from core.services.export import TABLE_COLUMNS, row_view, rows_to_csv, summary_table
from core.services.screening import ScreenError, ScreenInput, ScreenOptions, screen
from workbench.banner import weak_profile_banner
from workbench.downloads import write_texts
from workbench.i18n import lang_of, t
from workbench.pickers import profile_choices
from workbench.render import cards

TITLE_KEY = "screen_tab"
SAMPLES = ASSETS / "samples"


def run_screen(files: list[str] | None, pasted: str, job: str, profile: str, blind: bool,
               request: gr.Request = None, progress: gr.Progress = gr.Progress()):  # type: ignore[assignment]
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
    lang = lang_of(request, job)
    headers, data = summary_table(rows, lang)
    return pd.DataFrame(data, columns=headers), cards(rows, lang), payload, files


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
                profile = gr.Dropdown(names, value=default, label=t("model"), elem_id="screen-profile")
                blind = gr.Checkbox(label=t("blind"), value=False)
            weak_profile_banner(profile, elem_id="screen-weak-profile")
            with gr.Row():
                sample = gr.Button(t("sample"), variant="secondary")
                run = gr.Button(t("run"), variant="primary", elem_id="screen-run")
    table = gr.Dataframe(headers=[t(f"col_{c}") for c in TABLE_COLUMNS], label=t("ranked"), interactive=False,
                         wrap=True, pinned_columns=3, max_chars=120, elem_id="screen-table",
                         column_widths=["48px", "72px", "110px", "180px", "260px", "200px", "90px", "90px", "200px",
                                        "100px", "200px", "110px"])
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

"""Fairness check: copies of resumes that differ only in name and gender markers, screened against a job;
a verdict, tables and a chart. All logic is in core.fairness."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from core.samples import sample_job
from core.fairness import ProbeConfig, run_probe, sample_resumes
from core.fairness.charts import group_bars
from core.fairness.views import GROUP_FIELDS, RESUME_FIELDS, columns, group_rows, resume_rows, verdict
from core.messages import LocalizedError
from core.services.screening import ScreenInput
from workbench.banner import weak_profile_banner
from workbench.guard import admit
from workbench.i18n import error_text, lang_of, progress_in, refusal, t
from workbench.pickers import profile_choices

TITLE_KEY = "fair_tab"


def run_fairness(files: list[str] | None, use_samples: bool, job: str, profile: str, per_group: float,
                 request: gr.Request | None = None, progress: gr.Progress = gr.Progress()):
    lang = lang_of(request, job or "")
    admit(request, files=len(files or []))
    paths = [str(f) for f in files or []] or ([str(p) for p in sample_resumes()] if use_samples else [])
    try:
        report = run_probe(job or "", [ScreenInput.from_path(p) for p in paths],
                           ProbeConfig(profile=profile or None, names_per_group=int(per_group or 1)),
                           progress_in(progress, lang))
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang)) from exc
    return (verdict(report, lang),
            pd.DataFrame(group_rows(report.figures, lang), columns=columns(GROUP_FIELDS, lang)),
            pd.DataFrame(resume_rows(report, lang), columns=columns(RESUME_FIELDS, lang)),
            group_bars(report.figures, lang))


def load_sample_job() -> str:
    return sample_job()


def build() -> list[gr.components.Component]:
    names, default = profile_choices()
    gr.Markdown(t("fair_intro"))
    with gr.Row():
        with gr.Column():
            job = gr.Textbox(label=t("fair_job"), lines=8)
            sample = gr.Button(t("fair_sample_job"), variant="secondary")
        with gr.Column():
            files = gr.File(label=t("fair_resumes"), file_count="multiple", file_types=[".pdf", ".docx", ".txt"],
                            type="filepath")
            use_samples = gr.Checkbox(value=True, label=t("fair_use_samples"))
            with gr.Row():
                profile = gr.Dropdown(names, value=default, label=t("model"))
                per_group = gr.Slider(1, 4, value=2, step=1, label=t("fair_names"))
            weak_profile_banner(profile, elem_id="fairness-weak-profile")
            run = gr.Button(t("fair_run"), variant="primary", elem_id="fairness-run")
    result = gr.Markdown(label=t("fair_verdict"), elem_id="fairness-verdict")
    groups = gr.Dataframe(label=t("fair_groups"), interactive=False, wrap=True, elem_id="fairness-groups")
    chart = gr.Plot(label=t("fair_chart"))
    per_resume = gr.Dataframe(label=t("fair_per_resume"), interactive=False, wrap=True, elem_id="fairness-resumes")
    sample.click(load_sample_job, outputs=[job], api_name="fairness_sample_job")
    run.click(run_fairness, inputs=[files, use_samples, job, profile, per_group],
              outputs=[result, groups, per_resume, chart], api_name="fairness", show_progress_on=[result])
    return [profile]

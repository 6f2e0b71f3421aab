"""Train the grader: dataset check, preset and form, memory plan, launch, live curves, log, stop,
resume, the list of runs, and trying the new adapter. Every action calls ``training``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from core.config import settings
from core.messages import LocalizedError, msg
from core.models import trainable_profiles
from training.config import RunConfig
from training.presets import PRESETS, preset
from workbench import downloads
from workbench.banner import weak_profile_banner
from workbench.events import Watch
from workbench.i18n import error_text, lang_of, refusal, t
from workbench.page_load import on_page_load

TITLE_KEY = "train_tab"

# The form: dotted config keys shown as fields (everything else comes from the preset or YAML).
FORM = ("kind", "model.profile", "hardware.device", "model.quantization", "model.max_seq_length", "lora.r",
        "data.target_format", "train.learning_rate", "train.max_steps", "train.num_train_epochs",
        "train.per_device_train_batch_size", "train.gradient_accumulation_steps", "grpo.init_adapter",
        "grpo.num_generations", "grpo.max_completion_length", "grpo.beta", "grpo.rewards.correctness",
        "grpo.rewards.format", "hardware.gpu_memory_gb")
DEFAULT_PRESET = "cpu-smoke-sft"
LOG_LINES = 15  # the log box shows this many last lines, and grows to fit them (never scrolled to the head)


def form_values(cfg: RunConfig) -> list[Any]:
    """The form's values, in the order of ``FORM`` (the order of the fields and of the API's inputs)."""
    return [cfg.value(key) for key in FORM]


def form_overrides(values: tuple[Any, ...]) -> dict[str, Any]:
    """The form's values by their setting's key (Gradio passes them in ``FORM``'s order; a count that differs
    is a wiring fault and raises, never a silent pairing of the wrong values)."""
    return dict(zip(FORM, values, strict=True))


def on_preset(name: str) -> list[Any]:
    cfg = preset(name)
    return [cfg.to_dict(), *form_values(cfg)]


def on_yaml(path: str | None, request: gr.Request | None = None) -> list[Any]:
    """The loaded config into the form; a bad file gives one message (naming its line) and leaves the form as
    it was, instead of an error on every setting."""
    keep = [gr.skip()] * (len(FORM) + 1)
    if not path:
        return ["", *keep]
    try:
        cfg = RunConfig.load(path)
    except LocalizedError as exc:
        return [f"**{Path(path).name}**: {error_text(exc, lang_of(request))}", *keep]
    return [msg("t_loaded", lang_of(request), name=Path(path).name), cfg.to_dict(), *form_values(cfg)]


def make_config(base: dict | None, dataset: str | None, *values: Any, lang: str = "en") -> RunConfig:
    from training.dataset.build import keep_upload

    cfg = RunConfig.from_dict(base) if base else preset(DEFAULT_PRESET)
    overrides = form_overrides(values)  # typed by the one settings coercer (core.coerce), like a YAML file
    if dataset:
        overrides["data.path"] = str(keep_upload(Path(dataset)))
    try:
        return cfg.with_overrides(overrides)
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang)) from exc


def check_dataset(dataset: str | None, base: dict | None, lang: str, *values: Any) -> str:
    from training.dataset import check_dataset as check

    cfg = make_config(base, dataset, *values, lang=lang)
    try:
        return check(cfg.data, cfg.model.profile, cfg.model.max_seq_length, lang).markdown(lang)
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang)) from exc


def plan(dataset: str | None, base: dict | None, lang: str, *values: Any) -> tuple[str, str, str]:
    from training.vram import plan_for_config

    cfg = make_config(base, dataset, *values, lang=lang)
    try:
        p = plan_for_config(cfg)
        text = f"**{msg('t_' + p.verdict, lang)}** — {p.text(lang)}\n\n" + msg("t_plan_parts", lang, parts=p.parts_text(lang))
        if cfg.hardware.device == "cpu":
            text += "\n\n" + msg("t_cpu_plan", lang)
    except LocalizedError as exc:  # a model the planner does not know, a profile that does not exist
        text = error_text(exc, lang)
    out = downloads.folder("config") / f"{cfg.kind}-config.yaml"
    cfg.save(out)
    return text, cfg.to_yaml(), str(out)


def train_cpu_grader(dataset: str | None, name: str, lang: str) -> str:
    from training.own_grader import summary, train_own_grader

    if not dataset:
        raise refusal(msg("og_no_data", lang))
    try:
        result = train_own_grader(Path(dataset), (name or "").strip() or "rules-own")
    except LocalizedError as exc:  # bad data (too few rows, one class, no reference), or a demo
        raise refusal(error_text(exc, lang)) from exc
    return "\n\n".join(summary(result, lang))


def page_lang(request: gr.Request | None = None) -> str:
    return lang_of(request)


def _run_choices() -> list[str]:
    from training.launcher import list_runs

    return [r.id for r in list_runs()]


def launch(dataset: str | None, base: dict | None, lang: str, *values: Any) -> tuple[Any, str]:
    from training.launcher import launch as start

    cfg = make_config(base, dataset, *values, lang=lang)
    try:
        info = start(cfg)
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang)) from exc
    return gr.update(choices=_run_choices(), value=info.id), msg("t_started", lang, kind=info.kind, run=info.id)


def refresh_runs(current: str | None) -> Any:
    choices = _run_choices()
    return gr.update(choices=choices, value=current if current in choices else (choices[0] if choices else None))


def _status(status: str, lang: str) -> str:
    known = ("starting", "running", "stopping", "completed", "stopped_early", "failed", "error", "needs_attention")
    return msg(f"t_status_{status}", lang) if status in known else status


def refresh(run_id: str | None, request: gr.Request | None = None) -> tuple[str, Any, str]:
    from core.analytics.charts import metric_label, training_panels
    from training.launcher import get_run
    from training.metrics import last_step, latest, log_tail, read_metrics

    if not run_id:
        return msg("t_no_run", lang_of(request)), None, ""
    try:
        info = get_run(run_id)
    except LocalizedError as exc:
        return error_text(exc, lang_of(request)), None, ""
    rows = read_metrics(info.path)
    steps = last_step(rows)
    total = info.max_steps
    s = info.summary
    lang = lang_of(request)
    lines = [f"**{info.id}** · {info.kind} · **{_status(info.status, lang)}** · {msg('t_step', lang, steps=steps)}"
             + (msg("t_of", lang, total=total) if total and total > 0 else "")]
    lines += [f"- {metric_label(key, lang)}: {value:.4g}" for key, value in latest(rows).items()]
    if s.attention:
        lines.append("- " + msg("t_needs_attention", lang, reasons="; ".join(s.attention)))
        if not s.profile:
            lines.append("- " + msg("t_not_registered", lang))
    if s.profile:
        lines.append("- " + msg("t_registered", lang, profile=s.profile))
    if s.generation:
        lines.append("- " + msg("t_generation", lang, how=msg(f"t_gen_{s.generation}", lang)))
    if s.memory:
        lines.append("- " + msg("t_memory", lang, predicted=s.memory.predicted_gb, measured=s.memory.measured_peak_gb))
    if s.error:
        lines.append("- " + msg("t_error", lang, error=s.error))
    return "\n".join(lines), training_panels(rows, lang), log_tail(info.path, LOG_LINES, width=240)


def tick(run_id: str | None, last: str, request: gr.Request | None = None) -> tuple[Any, Any, Any, str]:
    """The timer's refresh: redraw only when the run's state, metrics or log changed."""
    from training.launcher import get_run
    from training.metrics import files_signature

    try:
        info = get_run(run_id) if run_id else None
    except LocalizedError:
        info = None
    key = f"{info.id}|{info.status}|{files_signature(info.path)}" if info is not None else ""
    if key == last:
        return gr.skip(), gr.skip(), gr.skip(), last
    return (*refresh(run_id, request), key)


def _on_run(action, run_id: str | None, request: gr.Request | None):  # noqa: ANN001, ANN202
    """Apply a launcher action to the picked run; a missing pick or a refused action is one readable error."""
    if not run_id:
        raise refusal(msg("t_pick_run", lang_of(request)))
    try:
        return action(run_id)
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang_of(request))) from exc


def stop(run_id: str | None, request: gr.Request | None = None) -> str:
    from training.launcher import stop_run

    info = _on_run(stop_run, run_id, request)
    return msg("t_stopping", lang_of(request), run=info.id, status=_status(info.status, lang_of(request)))


def resume(run_id: str | None, request: gr.Request | None = None) -> str:
    from training.launcher import resume_run

    info = _on_run(resume_run, run_id, request)
    return msg("t_resumed", lang_of(request), run=info.id, status=_status(info.status, lang_of(request)))


def register(run_id: str | None, request: gr.Request | None = None) -> str:
    from training.launcher import register_run_adapter

    info = _on_run(register_run_adapter, run_id, request)
    lang = lang_of(request)
    attention = info.summary.attention
    warning = msg("t_despite", lang, reasons="; ".join(attention)) if attention else ""
    return msg("t_registered_now", lang, run=info.id, profile=info.profile, warning=warning)


def try_adapter(run_id: str | None, question: str, answer: str, reference: str,
                request: gr.Request | None = None) -> dict:
    from core.services.grading import AnswerInput, grade_answers
    from training.launcher import get_run

    if not run_id:
        raise refusal(msg("t_pick_run", lang_of(request)))
    try:
        info = get_run(run_id)
    except LocalizedError as exc:
        raise refusal(error_text(exc, lang_of(request))) from exc
    if not info.profile:
        raise refusal(msg("t_no_adapter", lang_of(request), run=run_id, status=_status(info.status, lang_of(request))))
    try:
        item = AnswerInput(question=question, answer=answer, reference=reference or None)
        out = grade_answers([item], profile=info.profile)[0]
    except ValueError as exc:  # the root LocalizedError (the grading's refusals) or the answer's validation
        raise refusal(error_text(exc, lang_of(request))) from exc
    return {"profile": info.profile, "ok": out.ok, "error": out.error,
            "grade": out.grade.model_dump(mode="json") if out.grade else None}


@dataclass
class _Data:
    """The dataset upload with its check, and the preset and YAML pickers."""

    dataset: gr.File
    check: gr.Button
    report: gr.Markdown
    preset: gr.Dropdown
    yaml_in: gr.File
    yaml_msg: gr.Markdown


@dataclass
class _Runs:
    """The runs list with its buttons, and what the chosen run shows: status, curves and log."""

    runs: gr.Dropdown
    refresh: gr.Button
    stop: gr.Button
    resume: gr.Button
    register: gr.Button
    action: gr.Markdown
    status: gr.Markdown
    curves: gr.Plot
    log: gr.Textbox


@dataclass
class _Try:
    """Trying a run's adapter on one answer, and training an own CPU grader."""

    question: gr.Textbox
    answer: gr.Textbox
    reference: gr.Textbox
    grade: gr.Button
    grade_out: gr.JSON
    own_name: gr.Textbox
    own: gr.Button
    own_out: gr.Markdown


def _data_section() -> _Data:
    """Two columns: the dataset and its check; the preset and a YAML file to load."""
    with gr.Row():
        with gr.Column(scale=1):
            dataset = gr.File(label=t("t_data"), file_types=[".csv", ".jsonl", ".json", ".xlsx"], type="filepath")
            check = gr.Button(t("t_check"), elem_id="train-check")
            report = gr.Markdown(elem_id="train-report")
        with gr.Column(scale=1):
            preset_box = gr.Dropdown([(t(f"preset.{p.name}"), p.name) for p in PRESETS.values()], value=DEFAULT_PRESET,
                                     label=t("t_preset"))
            yaml_in = gr.File(label=t("t_yaml_in"), file_types=[".yaml", ".yml"], type="filepath")
            yaml_msg = gr.Markdown(elem_id="train-yaml-message")
    return _Data(dataset, check, report, preset_box, yaml_in, yaml_msg)


def _settings_section(start: RunConfig) -> dict[str, gr.components.Component]:
    """One field per setting of ``FORM``, by its key, filled from ``start``."""
    fields: dict[str, gr.components.Component] = {}  # by the setting's key
    choices = {"kind": ["sft", "grpo"], "model.profile": trainable_profiles(), "hardware.device": ["auto", "cpu", "cuda"],
               "model.quantization": ["none", "4bit", "8bit"], "data.target_format": ["json", "tags"]}
    with gr.Accordion(t("t_settings"), open=True):
        with gr.Row():
            for key in FORM:
                value = start.value(key)
                label, info = t(f"cfg.{key}"), t(f"cfg.{key}.help")  # both languages: core/messages
                comp: gr.Dropdown | gr.Number
                if key in choices:
                    comp = gr.Dropdown(choices[key], value=value, label=label, info=info)
                elif key == "grpo.init_adapter":
                    comp = gr.Dropdown(_sft_adapters(), value=value, label=label, info=info, allow_custom_value=True)
                else:
                    comp = gr.Number(value=value, label=label, info=info)
                fields[key] = comp
    return fields


def _runs_section(demo: bool) -> _Runs:
    """The runs list and its buttons, then the chosen run's status, curves and log."""
    with gr.Row():
        runs = gr.Dropdown(_run_choices(), label=t("t_runs"), allow_custom_value=True, scale=3, elem_id="train-runs")
        refresh_btn = gr.Button(t("t_refresh"), scale=1)
        stop_btn = gr.Button(t("t_stop"), variant="stop", scale=1)
        resume_btn = gr.Button(t("t_resume"), scale=1, interactive=not demo)
        register_btn = gr.Button(t("t_register"), scale=1, interactive=not demo)
    action = gr.Markdown()
    status = gr.Markdown(elem_id="train-status")
    curves = gr.Plot(label=t("t_curves"))
    log = gr.Textbox(label=t("t_log"), lines=LOG_LINES, max_lines=3 * LOG_LINES, autoscroll=True, elem_id="train-log")
    return _Runs(runs, refresh_btn, stop_btn, resume_btn, register_btn, action, status, curves, log)


def _try_section(demo: bool) -> _Try:
    """Closed accordions: grade one answer with a run's adapter; train an own grader on the CPU."""
    with gr.Accordion(t("t_try"), open=False):
        with gr.Row():
            q = gr.Textbox(label=t("t_question"), lines=2)
            a = gr.Textbox(label=t("t_answer"), lines=2)
            ref = gr.Textbox(label=t("t_reference"), lines=2)
        grade_btn = gr.Button(t("t_grade"))
        grade_out = gr.JSON()
    with gr.Accordion(t("t_own_grader"), open=False):
        gr.Markdown(t("t_own_grader_help"))
        with gr.Row():
            own_name = gr.Textbox(value="rules-own", label=t("t_own_name"), scale=2)
            own_btn = gr.Button(t("t_own_train"), scale=1, elem_id="train-own-grader", interactive=not demo)
        own_out = gr.Markdown(elem_id="train-own-grader-report")
    return _Try(q, a, ref, grade_btn, grade_out, own_name, own_btn, own_out)


def _wire_runs(r: _Runs, timer: gr.Timer, shown: gr.State) -> None:
    """The runs list: refreshed on load and on demand; the chosen run watched, stopped, resumed or registered."""
    watch: Watch = {"inputs": r.runs, "outputs": [r.status, r.curves, r.log], "concurrency_id": "train_watch",
                    "concurrency_limit": 4}
    r.refresh.click(refresh_runs, inputs=r.runs, outputs=r.runs, api_name="train_runs").then(refresh, **watch)
    on_page_load(refresh_runs, inputs=[r.runs], outputs=[r.runs])  # the runs list is read from the store on every load
    r.runs.change(refresh, api_name="train_refresh", **watch)
    timer.tick(tick, inputs=[r.runs, shown], outputs=[r.status, r.curves, r.log, shown], show_progress="hidden",
               concurrency_id="train_watch", concurrency_limit=4)
    r.stop.click(stop, inputs=r.runs, outputs=r.action, api_name="train_stop")
    r.resume.click(resume, inputs=r.runs, outputs=r.action, api_name="train_resume")
    r.register.click(register, inputs=r.runs, outputs=r.action, api_name="train_register")


def build() -> list[gr.components.Component]:
    """The Train tab: data and preset, the settings form, plan and launch, the runs, and trying an adapter."""
    start = preset(DEFAULT_PRESET)
    base = gr.State(start.to_dict())
    lang = gr.State("en")  # the browser's language, set when the page opens (API clients: English)
    on_page_load(page_lang, inputs=[], outputs=[lang])
    demo = settings().demo  # training is refused by the launcher too; here the buttons say so at once
    if demo:
        gr.Markdown(t("demo_no_training"), elem_id="train-demo-off")
    d = _data_section()
    fields = _settings_section(start)
    profile = fields["model.profile"]
    assert isinstance(profile, gr.Dropdown)  # a key of ``choices``
    weak_profile_banner(profile, elem_id="train-weak-profile")
    with gr.Row():
        plan_btn = gr.Button(t("t_plan"))
        launch_btn = gr.Button(t("t_launch"), variant="primary", elem_id="train-launch", interactive=not demo)
    plan_md = gr.Markdown()
    with gr.Accordion(t("t_yaml"), open=False):
        yaml_view = gr.Code(language="yaml", interactive=False)
        yaml_file = gr.File(label=t("t_download"), interactive=False)
    gr.Markdown("---")
    r = _runs_section(demo)
    tr = _try_section(demo)
    timer = gr.Timer(3.0)
    shown = gr.State("")

    form = [fields[key] for key in FORM]  # the order form_values and form_overrides use
    inputs = [d.dataset, base, lang, *form]
    d.preset.change(on_preset, inputs=d.preset, outputs=[base, *form], api_name="train_preset")
    d.yaml_in.upload(on_yaml, inputs=d.yaml_in, outputs=[d.yaml_msg, base, *form], api_name="train_load_yaml")
    d.check.click(check_dataset, inputs=inputs, outputs=d.report, api_name="train_check")
    plan_btn.click(plan, inputs=inputs, outputs=[plan_md, yaml_view, yaml_file], api_name="train_plan")
    launch_btn.click(launch, inputs=inputs, outputs=[r.runs, r.action], api_name="train_launch")
    _wire_runs(r, timer, shown)
    tr.grade.click(try_adapter, inputs=[r.runs, tr.question, tr.answer, tr.reference], outputs=tr.grade_out,
                   api_name="train_try")
    tr.own.click(train_cpu_grader, inputs=[d.dataset, tr.own_name, lang], outputs=tr.own_out,
                 api_name="train_cpu_grader")
    return []  # its base-model picker lists trainable bases only, read when the tab is built


def _sft_adapters() -> list[str]:
    from training.launcher import list_runs

    return [""] + [r.id for r in list_runs("sft") if r.adapter]


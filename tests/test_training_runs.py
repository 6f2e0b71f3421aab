"""Training runs end to end on the bundled model and the sample dataset, on CPU:
an SFT run launched from the Train tab (real Gradio server, gradio_client), stopped mid-run, resumed
from the CLI, its curves read back, its adapter used by the grading service; then a GRPO run from the
CLI on that adapter. Every run is a real training process started by the launcher."""

import json
from pathlib import Path

import pytest
from gradio_client import Client
from typer.testing import CliRunner

from cli import app
from core.models import get_profile, load_profiles
from training.artifacts import read_meta
from training.base_model import base_weights
from training.dataset import build_dataset
from training.launcher import LaunchError, get_run, launch, wait_run
from training.metrics import log_tail, read_metrics
from training.presets import preset
from tests.conftest import wait_until
from workbench.tabs.train import FORM, form_values

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("own_models_file")]
runner = CliRunner()
MAX_STEPS = 3  # the SFT run's steps: room for a stop that lands after the first step has ended


@pytest.fixture(scope="module")
def sft(workbench_url, offline_engine):
    """Launch from the Train tab, stop once training has begun, resume from the CLI; keep what was seen.
    The stop ends the step under way, whichever it is when the signal lands (a fast machine may be past the
    first): MAX_STEPS leaves room for that, and the checks below hold for any stop before the last step."""
    base_weights(get_profile("offline"), release=False)  # exported once from the loaded engine
    profiles_before = set(load_profiles()[1])
    cfg = preset("cpu-smoke-sft").with_overrides({"train.max_steps": MAX_STEPS, "train.save_steps": 100})
    client = Client(workbench_url, verbose=False)
    _, message = client.predict(None, *form_values(cfg), api_name="/train_launch")
    run_id = message.split()[-1]
    # stop as soon as training has begun: the run ends the step under way, saves and exits
    wait_until(lambda: f"training: step 0 of {MAX_STEPS}" in log_tail(get_run(run_id).path), 300,
               "the training to begin", every=0.1)
    client.predict(run_id, api_name="/train_stop")
    stopped = wait_run(run_id, timeout=400)
    profiles_at_stop = set(load_profiles()[1])
    seen = {"stopped": stopped, "metrics_at_stop": read_metrics(stopped.path),
            "refresh": client.predict(run_id, api_name="/train_refresh"),
            "adapter_meta": read_meta(Path(stopped.adapter)) if stopped.adapter else {},
            "profile_at_stop": stopped.profile, "profiles_at_stop": profiles_at_stop, "profiles_before": profiles_before}
    result = runner.invoke(app, ["train", "resume", run_id])
    seen["resume_output"] = result.output
    seen["resume_code"] = result.exit_code
    seen["final"] = get_run(run_id)
    return seen


def test_stop_mid_run_saves_a_loadable_trained_adapter(sft):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    stopped = sft["stopped"]
    assert stopped.status == "stopped", stopped.summary
    assert 1 <= stopped.summary.steps < MAX_STEPS and stopped.summary.stopped_early is True
    assert sft["profile_at_stop"] is None and sft["profiles_at_stop"] == sft["profiles_before"]  # not registered
    meta = sft["adapter_meta"]
    assert meta["dataset_sha256"] == build_dataset(preset("cpu-smoke-sft").data).content_hash()
    assert meta["steps"] == stopped.summary.steps and meta["base_profile"] == "offline"
    model = AutoModelForCausalLM.from_pretrained(base_weights(get_profile("offline")))
    peft = PeftModel.from_pretrained(model, sft["final"].adapter)
    lora_b = [p for n, p in peft.named_parameters() if "lora_B" in n]
    assert lora_b and any(torch.count_nonzero(p) > 0 for p in lora_b)  # LoRA B starts at zero: it was trained


def test_resume_continues_from_the_checkpoint_to_the_end(sft):
    final = sft["final"]
    assert sft["resume_code"] == 0, sft["resume_output"]
    assert final.status == "completed" and final.summary.steps == MAX_STEPS and final.summary.stopped_early is False
    assert f"resuming from {final.path}/checkpoints/checkpoint-{sft['stopped'].summary.steps}" in log_tail(final.path, 400)
    assert "completed" in sft["resume_output"]


def test_curves_are_written_and_read_back(sft):
    rows = read_metrics(sft["final"].path)
    steps = [r["step"] for r in rows if "loss" in r]
    assert steps == list(range(1, MAX_STEPS + 1))  # the rows before the stop, then the resumed ones
    for row in (r for r in rows if "loss" in r):
        assert row["loss"] > 0 and row["learning_rate"] > 0 and row["rss_peak_gb"] > 0.3
    assert all("step_seconds" in r for r in rows if "loss" in r and r["step"] > 1)
    status, plot, log = sft["refresh"]
    assert "stopped" in status and sft["stopped"].id in status
    traces = json.loads(plot["plot"])["data"] if isinstance(plot, dict) and "plot" in plot else []
    assert any(t.get("name") == "loss" for t in traces)
    assert f"training: step 0 of {MAX_STEPS}" in log


def test_new_adapter_grades_an_answer_through_the_grading_service(sft):
    from core.services.grading import AnswerInput, grade_answers

    profile = sft["final"].summary.profile
    _, profiles = load_profiles()
    assert profiles[profile].adapter == sft["final"].adapter
    item = AnswerInput(question="What is a Python list comprehension?",
                       answer="A compact way to build a list from an iterable: [x * x for x in range(5)].")
    out = grade_answers([item], profile=profile)[0]
    assert out.ok, out.error
    grade = out.grade
    assert grade.provenance.model_profile == profile
    assert grade.provenance.adapter == f"adapter-{sft['final'].id}"
    assert 1 <= grade.overall <= 5


def test_grpo_run_from_the_cli_on_the_sft_adapter(sft, tmp_path):
    config = tmp_path / "grpo.yaml"
    assert runner.invoke(app, ["train", "preset", "cpu-smoke-grpo", "--out", str(config)]).exit_code == 0
    result = runner.invoke(app, ["train", "grpo", "--config", str(config), "--set", f"grpo.init_adapter={sft['final'].id}",
                                 "--set", "train.max_steps=1", "--set", "grpo.beta=0", "--set",
                                 "grpo.max_completion_length=8"])
    run_id = result.output.split("started grpo run ")[1].split()[0]
    info = get_run(run_id)
    row = next(r for r in read_metrics(info.path) if "reward" in r)
    for key in ("rewards/correctness_reward/mean", "rewards/format_reward/mean", "completions/clipped_ratio"):
        assert key in row
    log = log_tail(info.path, 400)
    assert f"starting from adapter {sft['final'].adapter}" in log
    assert (row["completions/clipped_ratio"] > 0) == ("hit grpo.max_completion_length" in log)
    assert read_meta(Path(info.adapter))["init_adapter"] == sft["final"].adapter
    assert info.summary.steps == 1
    # 8 tokens cannot hold a grade: when every completion was cut off (or earned nothing) the run says so and
    # its adapter is saved but not offered to the other tabs
    if row["completions/clipped_ratio"] == 1.0 or row["reward"] == 0.0:
        assert result.exit_code == 3, result.output
        assert info.status == "needs_attention" and info.summary.attention and info.profile is None
        assert "needs attention" in result.output and f"hirelab train register {run_id}" in result.output
        assert f"grader-{run_id}" not in load_profiles()[1]
    else:
        assert result.exit_code == 0, result.output
        assert info.status == "completed" and info.profile == f"grader-{run_id}"
    listed = [json.loads(line) for line in runner.invoke(app, ["runs", "--json"]).output.splitlines()]
    assert {sft["final"].id, run_id} <= {r["id"] for r in listed}


def test_launch_refuses_what_would_fail_at_once(workbench_url):
    import torch

    with pytest.raises(LaunchError, match="dataset missing.jsonl not found"):
        launch(preset("cpu-smoke-sft").with_overrides({"data.path": "missing.jsonl"}))
    with pytest.raises(LaunchError, match="neither a run with a saved adapter"):
        launch(preset("cpu-smoke-grpo").with_overrides({"grpo.init_adapter": "no-such-run"}))
    if not torch.cuda.is_available():
        client = Client(workbench_url, verbose=False)
        values = dict(zip(FORM, form_values(preset("t4-7b-sft"))))
        with pytest.raises(Exception, match="asks for CUDA but no GPU is visible"):
            client.predict(None, *values.values(), api_name="/train_launch")


def test_train_tab_checks_the_dataset_and_plans_memory(workbench_url):
    client = Client(workbench_url, verbose=False)
    report = client.predict(None, *form_values(preset("cpu-smoke-sft")), api_name="/train_check")
    assert "grader_sample.jsonl" in report and "tokens per example" in report and "refused as evaluation data: 0" in report
    client.predict("t4-7b-sft", api_name="/train_preset")  # the preset also sets what the form does not show
    plan, yaml_text, _ = client.predict(None, *form_values(preset("t4-7b-sft")), api_name="/train_plan")
    assert "**fits**" in plan and "quantization: 4bit" in yaml_text


@pytest.mark.browser
def test_browser_train_tab_checks_the_sample_dataset(workbench_url, browser):
    page = browser.new_page()
    page.goto(workbench_url)
    page.get_by_role("tab", name="Train").click()
    page.locator("#train-check").click()
    report = page.locator("#train-report")
    report.get_by_text("rows read").wait_for(timeout=120_000)
    text = report.inner_text()
    assert "grader_sample.jsonl" in text and "languages: en" in text and "ru" in text
    assert page.get_by_text("Memory plan and config").is_visible()
    page.close()

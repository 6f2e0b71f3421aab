"""A run that learned nothing says so and is not offered to the other tabs; bad YAML gives one message
naming its line; the log box shows the end of the log; a finished training process is reaped at once.
(The full GRPO run that ends as "needs attention" is in test_training_runs.py.)"""

import math
import os
import time
from pathlib import Path

import pytest

from core.models import load_profiles
from core.store import get_store
from training.config import ConfigError, RunConfig
from training.health import NEEDS_ATTENTION, attention_reasons
from training.launcher import LaunchError, create_run, get_run, register_run_adapter
from training.presets import preset

GRPO = preset("cpu-smoke-grpo")


def _rows(**series):
    n = len(next(iter(series.values())))
    return [{"step": i + 1, **{k.replace("__", "/"): v[i] for k, v in series.items()}} for i in range(n)]


def test_all_zero_rewards_and_all_cut_off_completions_need_attention():
    zero = attention_reasons(_rows(loss=[0.1, 0.1], reward=[0.0, 0.0], completions__clipped_ratio=[0.5, 0.0]), GRPO)
    assert len(zero) == 1 and "every logged reward was 0 (2 step(s))" in zero[0]
    cut = attention_reasons(_rows(reward=[0.0, 0.3], completions__clipped_ratio=[1.0, 1.0]), GRPO)
    assert len(cut) == 1 and f"max_completion_length = {GRPO.grpo.max_completion_length}" in cut[0]
    both = attention_reasons(_rows(reward=[0.0], completions__clipped_ratio=[1.0]), GRPO)
    assert len(both) == 2


def test_a_run_that_learned_something_needs_no_attention():
    assert attention_reasons(_rows(loss=[0.2, 0.1], reward=[0.0, 0.4], completions__clipped_ratio=[1.0, 0.5]),
                             GRPO) == []
    # SFT logs no rewards: only a broken loss counts there
    assert attention_reasons(_rows(loss=[1.2, 0.9]), preset("cpu-smoke-sft")) == []
    nan = attention_reasons(_rows(loss=[1.2, math.nan]), preset("cpu-smoke-sft"))
    assert len(nan) == 1 and "became nan at step 2" in nan[0]


def _finished_run(status: str, summary: dict, log_lines: int = 0):
    info = create_run(preset("cpu-smoke-grpo"))
    folder = Path(info.path)
    adapter = folder / f"adapter-{info.id}"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text("{}", encoding="utf-8")
    if log_lines:
        (folder / "train.log").write_text("".join(f"log line {i}\n" for i in range(log_lines)), encoding="utf-8")
    get_store().set_run_status(info.id, status, {"adapter": str(adapter), "steps": 2, **summary})
    return info.id, adapter


def test_a_run_that_needs_attention_is_registered_only_on_request(own_models_file):
    reasons = ["every logged reward was 0 (2 step(s))"]
    run_id, adapter = _finished_run(NEEDS_ATTENTION, {"attention": reasons})
    assert get_run(run_id).profile is None
    assert f"grader-{run_id}" not in load_profiles()[1]
    with pytest.raises(LaunchError, match="already ran all its steps"):
        from training.launcher import resume_run

        resume_run(run_id)
    info = register_run_adapter(run_id)
    assert info.status == NEEDS_ATTENTION and list(info.summary.attention) == reasons
    assert info.summary.registered_on_request is True
    assert load_profiles()[1][info.profile].adapter == str(adapter)


def test_train_tab_shows_the_reasons_and_the_end_of_the_log():
    from workbench.tabs.train import LOG_LINES, refresh

    run_id, _ = _finished_run(NEEDS_ATTENTION, {"attention": ["every completion was cut off"]}, log_lines=200)
    status, _, log = refresh(run_id)
    assert "needs attention" in status and "every completion was cut off" in status and "not registered" in status
    lines = log.splitlines()
    assert lines[-1] == "log line 199" and len(lines) == LOG_LINES and "log line 0" not in lines


def test_bad_yaml_gives_one_message_naming_the_line(tmp_path):
    import gradio as gr

    from workbench.tabs.train import FORM, on_yaml

    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: grpo\ntrain:\n  learning_rate: fast\n  max_stepz: 3\n", encoding="utf-8")
    message, *rest = on_yaml(str(bad))
    assert "line 3: train.learning_rate = 'fast'" in message and "line 4: unknown setting train.max_stepz" in message
    assert len(rest) == len(FORM) + 1 and all(isinstance(v, type(gr.skip())) for v in rest)  # the form is kept
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: sft\ntrain:\n  max_steps: [3\n", encoding="utf-8")
    assert "line 4, column 1" in on_yaml(str(broken))[0]
    good = tmp_path / "good.yaml"
    good.write_text(preset("cpu-smoke-sft").with_overrides({"train.max_steps": 4}).to_yaml(), encoding="utf-8")
    loaded = on_yaml(str(good))
    assert loaded[1]["train"]["max_steps"] == 4
    with pytest.raises(ConfigError, match="line 3: lora.r = 0"):
        RunConfig.from_yaml("kind: sft\nlora:\n  r: 0\n")


def test_a_finished_training_process_is_reaped_without_anyone_asking(home):
    """The process ends at once (unreadable config); nothing calls get_run, yet no zombie is left."""
    from training import launcher

    info = create_run(preset("cpu-smoke-sft"))
    (Path(info.path) / "config.yaml").write_text("kind: [\n", encoding="utf-8")
    launcher._start(info.id, resume=False)
    pid = int((Path(info.path) / "pid").read_text())
    deadline = time.monotonic() + 180
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not os.path.exists(f"/proc/{pid}"), "the ended training process was left as a zombie"
    final = get_run(info.id)
    assert final.status == "failed" and "not valid YAML" in final.summary.error

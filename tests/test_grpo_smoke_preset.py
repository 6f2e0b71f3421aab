"""The Train tab's "CPU smoke test — GRPO" preset, run as it is through the launcher the tab uses, on the
bundled model from a fresh LoRA: it ends healthy (completed and registered, not needs_attention), with its
completions finished within the length limit and some of them earning a reward."""

import pytest

from core.models import load_profiles
from training.config import ConfigError
from training.dataset import build_dataset
from training.dataset.targets import rl_record
from training.health import CUT_OFF, attention_reasons
from training.launcher import launch, wait_run
from training.metrics import log_tail, read_metrics
from training.presets import preset


def test_the_smoke_task_is_short_by_design_and_the_gpu_presets_keep_the_grading_prompt():
    from training.base_model import load_tokenizer
    from training.rewards import correctness_reward, format_reward

    cfg = preset("cpu-smoke-grpo")
    assert cfg.grpo.prompt == "grade_smoke"
    assert preset("t4-7b-grpo").grpo.prompt == "grade" and preset("t4-7b-grpo").grpo.max_completion_length == 512
    ex = build_dataset(cfg.data).train[0]
    messages = rl_record(ex, cfg.grpo.prompt)["prompt"]
    shots = [m["content"] for m in messages if m["role"] == "assistant"]
    assert len(shots) == 3 and ex.question in messages[-1]["content"] and messages[-1]["role"] == "user"
    # every worked reply is a grade the rewards accept, and fits the preset's limit with its end token
    tok = load_tokenizer("offline")
    assert all(len(tok(s)["input_ids"]) + 1 <= cfg.grpo.max_completion_length for s in shots)
    assert format_reward(shots) == [1.0] * 3 and correctness_reward(shots, [5.0, 1.0, 3.0]) == [1.0] * 3
    assert rl_record(ex)["prompt"][0]["content"].startswith("You are a senior software engineer")  # the product's
    with pytest.raises(ConfigError, match="grpo.prompt = '../judge'"):
        cfg.with_overrides({"grpo.prompt": "../judge"})


@pytest.mark.slow
@pytest.mark.usefixtures("own_models_file")
def test_the_cpu_smoke_grpo_preset_completes_healthy():
    cfg = preset("cpu-smoke-grpo")
    assert cfg.grpo.init_adapter == "" and cfg.hardware.device == "cpu"  # the preset alone, no SFT run first
    info = wait_run(launch(cfg).id, timeout=1800)
    rows = [r for r in read_metrics(info.path) if "reward" in r]
    log = log_tail(info.path, 400)
    assert [r["step"] for r in rows] == [1, 2], log
    cut = [r["completions/clipped_ratio"] for r in rows]
    rewards = [r["reward"] for r in rows]
    # the health check itself, unchanged, finds nothing to say; and the figures it reads agree
    assert attention_reasons(read_metrics(info.path), cfg) == [], (cut, rewards)
    assert sum(cut) / len(cut) < CUT_OFF and min(cut) < CUT_OFF, cut
    assert max(rewards) > 0 and max(r["rewards/format_reward/mean"] for r in rows) > 0, rewards
    assert info.status == "completed" and not info.summary.attention, (info.status, info.summary, log)
    assert info.profile == f"grader-{info.id}" and info.profile in load_profiles()[1]
    assert "needs attention" not in log

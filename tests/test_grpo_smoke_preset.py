"""The Train tab's "CPU smoke test — GRPO" preset, run as it is through the launcher the tab uses, on the
bundled model from a fresh LoRA: it ends healthy (completed and registered, not needs_attention), with its
completions finished within the length limit and some of them earning a reward."""

import pytest

from core.models import load_profiles
from training.health import CUT_OFF, attention_reasons
from training.launcher import launch, wait_run
from training.metrics import log_tail, read_metrics
from training.presets import preset

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("own_models_file")]


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

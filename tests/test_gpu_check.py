"""bench/gpu_check.py runs on CPU with --tiny: the same stages as on a GPU (random model of the Qwen2.5
architecture, the engine as the profile builds it, the launcher's training process, the planner), each
in its own process with a time limit and its own JSON."""

import json
import subprocess
import sys

import pytest

from tests.paths import REPO

pytestmark = pytest.mark.slow


def test_gpu_check_tiny_runs_every_chosen_stage_of_this_checkout(tmp_path):
    out = tmp_path / "out"
    before = _git("rev-parse", "HEAD")
    done = subprocess.run([sys.executable, str(REPO / "bench" / "gpu_check.py"), "--tiny", "--work", str(tmp_path),
                           "--out", str(out), "--stages", "prep,engine,sft,presets", "--budget", "900"],
                          capture_output=True, text=True, timeout=1000, cwd=REPO)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text())
    checked_out = {before, *_git("rev-list", f"{before}..HEAD").split()}  # commits may land while it runs
    assert summary["tiny"] is True and summary["commit"] in checked_out
    assert {k: v["status"] for k, v in summary["stages"].items()} == {
        "prep": "ok", "engine": "ok", "sft": "ok", "presets": "ok"}, json.dumps(summary["stages"], indent=1)[:3000]
    engine = json.loads((out / "engine.json").read_text())["steps"]
    load = engine["load"]
    assert load["batch_size_ok"] is True and load["param_dtype"] == "torch.float32" == f"torch.{load['expected_dtype']}"
    for mode in ("free", "constrained"):
        for batch in (1, 8, 32):
            row = engine[f"{mode}_batch{batch}"]
            assert row["ok"] and row["completion_tokens"] > 0 and row["tokens_per_s"] > 0 and not row["errors"]
    assert engine["constrained_batch8"]["texts_starting_with_brace"] == 8  # the grammar holds on a random model
    run = json.loads((out / "sft.json").read_text())["steps"]["run"]
    assert run["run_status"] == "completed" and run["steps"] == 2 and len(run["step_seconds_all"]) == 2
    assert run["backend_trained"] == "peft"
    presets = json.loads((out / "presets.json").read_text())["steps"]
    for name in ("t4-7b-sft", "t4-7b-grpo"):
        plans = presets[name]
        assert plans["peft_16gb"]["verdict"] == plans["unsloth_16gb"]["verdict"] == "fits"
        assert plans["peft_16gb"]["total_gb"] != plans["unsloth_16gb"]["total_gb"]


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()

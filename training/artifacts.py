"""What a run leaves: the adapter with its config and dataset hash, registered as a model profile;
merged full weights; GGUF for llama.cpp/Ollama (CUDA, through unsloth)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.models import ModelProfile, get_profile, register_profile
from training.config import RunConfig

META = "training_meta.json"


def adapter_path(run_dir: Path) -> Path:
    """The adapter folder. Its name is unique (engines name loaded adapters by their folder name)."""
    return run_dir / f"adapter-{run_dir.name}"


def profile_name(run_id: str) -> str:
    return f"grader-{run_id}"


def resolve_adapter(ref: str) -> Path:
    """An adapter folder from a run id (that run's adapter) or a path; TrainingError says what is missing."""
    from core.config import settings
    from training.modeling import TrainingError

    ref = ref.strip()
    as_run = settings().runs_dir / ref
    path = adapter_path(as_run) if ref and as_run.is_dir() else Path(ref).expanduser()
    if not ref or not (path / "adapter_config.json").is_file():
        raise TrainingError(key="train_err_init_adapter", ref=ref, path=path)
    return path


def save_adapter(model: Any, tokenizer: Any, run_dir: Path, cfg: RunConfig, meta: dict[str, Any]) -> Path:
    """Save the trained ("default") adapter, the tokenizer, the run config and ``training_meta.json``."""
    target = adapter_path(run_dir)
    target.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {}
    if len(getattr(model, "peft_config", {})) > 1:  # GRPO keeps a frozen "ref" copy: save only the trained one
        kwargs["selected_adapters"] = ["default"]
    model.save_pretrained(str(target), **kwargs)
    tokenizer.save_pretrained(str(target))
    cfg.save(target / "run_config.yaml")
    full = {"run_id": run_dir.name, "kind": cfg.kind, "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "base_profile": cfg.model.profile, **meta}
    (target / META).write_text(json.dumps(full, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def read_meta(adapter: Path) -> dict[str, Any]:
    path = adapter / META
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def register_adapter(run_id: str, cfg: RunConfig, adapter: Path) -> ModelProfile:
    """A profile ``grader-<run id>``: the base profile plus this adapter, selectable in every tab at once."""
    base = get_profile(cfg.model.profile)
    profile = replace(base, name=profile_name(run_id), adapter=str(adapter),
                      description=f"{base.name} + LoRA adapter from {cfg.kind.upper()} run {run_id}")
    register_profile(profile)
    return profile


def merge_adapter(adapter: Path, out_dir: Path) -> Path:
    """Merge the adapter into its base weights (PEFT merge_and_unload) and save full weights to ``out_dir``."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from training.base_model import base_weights
    from training.modeling import TrainingError

    meta = read_meta(adapter)
    if not meta:
        raise TrainingError(key="train_err_no_meta", adapter=adapter, meta=META)
    source = base_weights(get_profile(meta["base_profile"]))
    dtype = torch.float16 if torch.cuda.is_available() else torch.float32
    model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype)
    merged = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    out_dir.mkdir(parents=True, exist_ok=True)
    merged.save_pretrained(str(out_dir))
    AutoTokenizer.from_pretrained(str(adapter)).save_pretrained(str(out_dir))
    (out_dir / META).write_text(json.dumps({**meta, "merged_from": str(adapter)}, indent=2), encoding="utf-8")
    return out_dir


def export_gguf(adapter: Path, out_dir: Path, quantization: str = "q4_k_m") -> Path:
    """GGUF file for llama.cpp/Ollama through unsloth's ``save_pretrained_gguf``. Needs CUDA and unsloth."""
    import importlib.util

    from training.modeling import TrainingError

    import torch

    if not torch.cuda.is_available() or importlib.util.find_spec("unsloth") is None:
        raise TrainingError(key="train_err_gguf")
    from unsloth import FastLanguageModel

    model, tokenizer = FastLanguageModel.from_pretrained(model_name=str(adapter), load_in_4bit=False)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained_gguf(str(out_dir), tokenizer, quantization_method=quantization)
    return out_dir

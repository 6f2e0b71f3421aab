"""How much memory a loaded local model holds: one estimate for ``hirelab models`` (can it load here?)
and the comparison plan (what must be unloaded between engines).

Size comes from the model's name (``...-7B-...``, ``...-135M-...``) or, for a local folder, its
``config.json``. Memory is the weights at their bytes per parameter (4-bit NF4 with its 16-bit
embeddings and quantisation constants ~0.6; 16-bit on a GPU 2; float32 on CPU 4), plus 20% for the
runtime (activations, KV cache, allocator slack) and a fixed part (the CUDA context on a GPU, the
Python process on CPU). vLLM engines take their configured share of the card instead (see the plan).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.models import ModelProfile

_SIZE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*([bm])(?![a-z])", re.I)
BYTES_4BIT = 0.6
RUNTIME_SHARE = 1.2
FIXED_GB = {True: 1.0, False: 0.3}  # on a GPU (CUDA context), on CPU (process)


def params_billions(profile: ModelProfile, local: str | None = None) -> float | None:
    """Parameter count in billions, from the names the profile gives or a local config.json; None if unknown."""
    for text in (profile.gguf_file or "", Path(profile.model).name if profile.model else "", profile.bundled or ""):
        found = _SIZE.findall(text.replace("_", "-"))
        if found:
            value, unit = found[-1]
            return float(value) / (1000.0 if unit.lower() == "m" else 1.0)
    folder = local or (profile.model if profile.model and Path(profile.model).is_dir() else None)
    if folder and (Path(folder) / "config.json").exists():
        cfg = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
        h, layers, vocab = cfg.get("hidden_size"), cfg.get("num_hidden_layers"), cfg.get("vocab_size")
        inter = cfg.get("intermediate_size") or (4 * h if h else None)
        if h and layers and vocab and inter:
            return (layers * (4 * h * h + 3 * h * inter) + 2 * vocab * h) / 1e9
    return None


def bytes_per_param(profile: ModelProfile, on_gpu: bool) -> float:
    if profile.load_in_4bit or profile.quantization:
        return BYTES_4BIT
    return 2.0 if on_gpu else 4.0


def model_memory_gb(profile: ModelProfile, on_gpu: bool, local: str | None = None) -> float | None:
    """GB a loaded transformers-style engine of ``profile`` holds; None when its size is unknown."""
    params = params_billions(profile, local)
    if params is None:
        return None
    return round(params * bytes_per_param(profile, on_gpu) * RUNTIME_SHARE + FIXED_GB[on_gpu], 1)

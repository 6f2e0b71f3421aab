"""Which floating-point type a model runs in on CUDA. One rule for every CUDA engine:

- ``auto``: bfloat16 where the card has it (compute 8.0 and up), else float16 (a T4);
- ``bfloat16``: as asked where the card has it, else float16 (a T4 cannot run it at speed);
- ``float16``: as asked, except for model families whose activations overflow float16 (Qwen2/2.5, QwQ)
  on a card that has bfloat16: there bfloat16 (same memory, no overflow); on a T4 float16 stays;
- ``float32``: as asked.
"""

from __future__ import annotations

import json
from pathlib import Path

CUDA_DTYPES = ("auto", "bfloat16", "float16", "float32")
_ALIASES = {"bf16": "bfloat16", "fp16": "float16", "half": "float16", "fp32": "float32", "float": "float32"}
_FP16_OVERFLOW = ("qwen2", "qwq")  # model names or config model_type prefixes


def normalise_dtype(name: str) -> str:
    """A profile's dtype in one spelling; ValueError names the allowed values."""
    text = (name or "auto").strip().lower().removeprefix("torch.")
    text = _ALIASES.get(text, text)
    if text not in CUDA_DTYPES:
        raise ValueError(f"dtype {name!r} is not known; use one of {', '.join(CUDA_DTYPES)}")
    return text


def overflows_in_fp16(model: str) -> bool:
    """True for model families known to overflow float16 activations (read from the name or config.json)."""
    names = [Path(model).name.lower().replace(".", "")]
    config = Path(model) / "config.json"
    if config.is_file():
        try:
            names.append(str(json.loads(config.read_text(encoding="utf-8")).get("model_type", "")).lower())
        except (OSError, ValueError):
            pass
    return any(family in name for name in names for family in _FP16_OVERFLOW)


def cuda_dtype(requested: str, bf16_supported: bool, model: str = "") -> str:
    """The dtype (a torch attribute name) to load ``model`` in on a CUDA card."""
    want = normalise_dtype(requested)
    if want == "float32":
        return want
    if want == "float16":
        return "bfloat16" if bf16_supported and overflows_in_fp16(model) else "float16"
    return "bfloat16" if bf16_supported else "float16"


def bf16_supported() -> bool:
    """Whether the visible CUDA card runs bfloat16 natively (False without CUDA)."""
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported(including_emulation=False))

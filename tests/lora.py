"""A random LoRA adapter for tests that need one without training (engines, comparisons)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def save_random_lora(base: Any, path: Path | str, *, r: int = 8, alpha: int | None = None, b_scale: float = 1.0) -> Path:
    """Wrap ``base`` (a transformers causal LM) in a LoRA on q_proj/v_proj with random weights (``b_scale`` < 1
    keeps the change small) and save the adapter at ``path`` as a trained one is saved. Seed torch first for
    the same weights every time."""
    import torch
    from peft import LoraConfig, get_peft_model

    model = get_peft_model(base, LoraConfig(r=r, lora_alpha=alpha or r, target_modules=["q_proj", "v_proj"],
                                            init_lora_weights=False))
    if b_scale != 1.0:
        with torch.no_grad():
            for name, param in model.named_parameters():
                if "lora_B" in name:
                    param.mul_(b_scale)
    model.save_pretrained(str(path))
    return Path(path)

"""A transformers profile's weights written as a plain folder (for `transformers serve`, vLLM and training)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.engines import get_engine
from core.errors import ProfileError
from core.models import ModelProfile


def export_weights(profile: ModelProfile | str, target: Path) -> Path:
    """Write a transformers profile's base weights as a plain folder (config.json, model.safetensors,
    tokenizer): e.g. the bundled GGUF model for `transformers serve` or vLLM, which need such a folder.
    LoRA adapters loaded in the engine are left out: they stay separate folders."""
    import copy

    from safetensors.torch import save_file

    engine = get_engine(profile)
    model = getattr(engine, "hf_model", None)
    if model is None:
        raise ProfileError(f"the {engine.name} engine has no local weights to export; pick a transformers profile")
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    target = Path(target).expanduser()
    target.mkdir(parents=True, exist_ok=True)
    config = copy.deepcopy(base.config)
    config.architectures = [type(base).__name__]
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # GGUF blocks were unpacked at load: these are plain weights
    config.save_pretrained(target)
    base.generation_config.save_pretrained(target)
    save_file(plain_state_dict(model), str(target / "model.safetensors"), metadata={"format": "pt"})
    engine.tokenizer.save_pretrained(target)  # type: ignore[attr-defined]
    return target


def plain_state_dict(model: Any) -> dict[str, Any]:
    """The model's own tensors: PEFT's LoRA layers dropped and their wrapped layers back under their
    original names; a tensor shared by two names (tied embeddings) written once."""
    if hasattr(model, "get_base_model"):
        model = model.get_base_model()
    out: dict[str, Any] = {}
    seen: set[int] = set()
    for name, tensor in model.state_dict().items():
        if "lora_" in name:
            continue
        ptr = tensor.data_ptr()
        if ptr in seen:
            continue
        seen.add(ptr)
        out[name.replace(".base_layer.", ".")] = tensor.detach().contiguous()
    return out

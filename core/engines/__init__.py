"""Engines by profile. ``get_engine`` loads a profile's backend once and reuses it.

Base and adapter profiles on the same base model share one loaded engine; the adapter is chosen
per request (``ChatRequest.adapter``).
"""

from __future__ import annotations

import threading

from core.engines.base import ChatRequest, Engine, EngineUnavailable, GenResult, Message, Sampling
from core.engines.structured import Outcome, OutputError, generate_structured, parse_object
from core.models import ModelProfile, get_profile

__all__ = [
    "ChatRequest",
    "Engine",
    "EngineUnavailable",
    "GenResult",
    "Message",
    "Outcome",
    "OutputError",
    "Sampling",
    "generate_structured",
    "get_engine",
    "parse_object",
    "resolve_engine_kind",
]

_engines: dict[tuple[str, ...], Engine] = {}
_lock = threading.Lock()


def resolve_engine_kind(profile: ModelProfile) -> str:
    """``auto`` means vLLM when it is installed with CUDA, else transformers."""
    if profile.engine != "auto":
        return profile.engine
    import importlib.util

    if importlib.util.find_spec("vllm") is not None:
        import torch

        if torch.cuda.is_available():
            return "vllm"
    return "transformers"


def _build(profile: ModelProfile, kind: str) -> Engine:
    if kind == "transformers":
        from core.engines.transformers_engine import TransformersEngine, TransformersSettings

        return TransformersEngine(
            TransformersSettings(
                model=profile.model_path(),
                gguf_file=profile.gguf_file,
                device=profile.device,
                load_in_4bit=profile.load_in_4bit,
            )
        )
    raise EngineUnavailable(f"engine {kind!r} of profile {profile.name!r} is not available in this build")


def get_engine(profile: ModelProfile | str | None = None) -> Engine:
    """The loaded engine serving ``profile`` (loading it on first use). Raises EngineUnavailable."""
    if not isinstance(profile, ModelProfile):
        profile = get_profile(profile)
    kind = resolve_engine_kind(profile)
    key = (kind, profile.model_path(), profile.gguf_file or "", profile.base_url or "", str(profile.load_in_4bit))
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _build(profile, kind)
            _engines[key] = engine
    if profile.adapter and hasattr(engine, "load_adapter") and profile.adapter_name:
        engine.load_adapter(profile.adapter_name, profile.adapter)  # type: ignore[attr-defined]
    return engine


def release_engines() -> None:
    """Drop every loaded engine (frees memory between models of a comparison)."""
    with _lock:
        _engines.clear()
    import gc

    gc.collect()

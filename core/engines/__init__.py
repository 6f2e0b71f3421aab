"""Engines by profile. ``get_engine`` loads a profile's backend once and reuses it.

Base and adapter profiles on the same base model share one loaded engine; the adapter is chosen
per request (``ChatRequest.adapter``).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from core.engines import load_times
from core.availability import FALLBACK_HINT, Availability, check_profile, resolve_engine_kind
from core.engines.base import ChatRequest, Engine, EngineUnavailable, GenResult, Message, Sampling
from core.engines.structured import Outcome, OutputError, generate_structured, parse_object
from core.models import ModelProfile, get_profile

if TYPE_CHECKING:
    from core.engines.transformers_engine import TransformersSettings

__all__ = [
    "Availability",
    "ChatRequest",
    "Engine",
    "EngineUnavailable",
    "GenResult",
    "Message",
    "Outcome",
    "OutputError",
    "Sampling",
    "check_profile",
    "generate_structured",
    "get_engine",
    "loading_needed",
    "parse_object",
    "resolve_engine_kind",
]

_engines: dict[tuple[str, ...], Engine] = {}
_lock = threading.Lock()


def transformers_settings(profile: ModelProfile) -> TransformersSettings:
    """What the transformers engine of ``profile`` is built with (its batch size and dtype included)."""
    from core.engines.transformers_engine import TransformersSettings

    return TransformersSettings(
        model=profile.model_path(),
        gguf_file=profile.gguf_file,
        device=profile.device,
        load_in_4bit=profile.load_in_4bit,
        batch_size=profile.batch_size,
        dtype=profile.dtype,
    )


def _build(profile: ModelProfile, kind: str) -> Engine:
    if kind == "transformers":
        from core.engines.transformers_engine import TransformersEngine

        return TransformersEngine(transformers_settings(profile))
    if kind == "vllm":
        from core.engines.vllm_engine import VLLMEngine, VLLMSettings

        return VLLMEngine(VLLMSettings.from_profile(profile))
    if kind == "openai":
        from core.engines.openai_engine import OpenAIEngine, OpenAISettings

        return OpenAIEngine(OpenAISettings.from_profile(profile))
    if kind == "rules":
        from core.engines.rules import RulesEngine

        return RulesEngine(grader=profile.grader_path())
    raise EngineUnavailable(f"engine {kind!r} of profile {profile.name!r} is not available in this build")


def engine_key(profile: ModelProfile) -> tuple[str, ...]:
    """Profiles with the same key share one loaded engine (e.g. a base model and its adapters)."""
    return (resolve_engine_kind(profile), profile.bundled or profile.model, profile.gguf_file or "",
            profile.base_url or "", str(profile.load_in_4bit), profile.quantization or "", profile.grader or "")


def get_engine(profile: ModelProfile | str | None = None) -> Engine:
    """The loaded engine serving ``profile`` (loading it on first use). Raises EngineUnavailable."""
    if not isinstance(profile, ModelProfile):
        profile = get_profile(profile)
    kind = resolve_engine_kind(profile)
    key = engine_key(profile)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            status = check_profile(profile)
            if not status.ok:
                raise EngineUnavailable(f"profile {profile.name!r} cannot run here: {status.reason}. {FALLBACK_HINT}")
            started = time.perf_counter()
            engine = _build(profile, kind)
            load_times.remember(key, time.perf_counter() - started)
            _engines[key] = engine
    adapter = profile.adapter_path()
    if adapter and hasattr(engine, "load_adapter") and profile.adapter_name:
        engine.load_adapter(profile.adapter_name, adapter)
    return engine


def loading_needed(profile: ModelProfile) -> tuple[bool, float | None]:
    """(whether ``get_engine(profile)`` would load a model now, seconds its last load took here or None)."""
    key = engine_key(profile)
    with _lock:
        loaded = key in _engines
    return not loaded, None if loaded else load_times.expected(key)


def release_engines() -> None:
    """Drop every loaded engine (frees memory between models of a comparison).

    An engine with a ``close()`` method is closed first (a GPU server process, a vLLM engine core);
    then the CUDA cache is emptied so the next model gets the card.
    """
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        close = getattr(engine, "close", None)
        if callable(close):
            close()
    del engines
    import gc
    import sys

    gc.collect()
    if "torch" in sys.modules:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()

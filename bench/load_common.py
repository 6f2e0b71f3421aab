"""Simulated users of the workbench, all at once: each one screens a resume against a job and grades an
answer through the real Gradio server (``gradio_client`` over loopback), with the ``rules`` profile.

One driver for the load test (tests/test_load.py) and the throughput benchmark (bench/load_throughput.py).
Every user sends its own words (a marker in the resume and the answer), so what comes back, and what the
store keeps, can be traced to the user who sent it.
"""

from __future__ import annotations

import csv
import socket
import statistics
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "assets" / "samples"
RESUME = SAMPLES / "src" / "anna_smirnova_ml_engineer.md"
JOB = SAMPLES / "jobs" / "llm_engineer_en.txt"
ANSWERS = REPO / "assets" / "question_bank" / "sample_answers.csv"
ENDPOINTS = ("connect", "screen", "grade")  # connect: the client opens the app (its config and API)


@dataclass(frozen=True)
class UserInputs:
    user: int
    marker: str  # words no other user sends
    resume: str
    job: str
    question: str
    answer: str

    @property
    def candidate(self) -> str:
        return f"Load user {self.marker}"


@dataclass
class Call:
    user: int
    endpoint: str  # connect | screen | grade
    seconds: float
    error: str | None = None
    result: Any = None  # what the endpoint returned


@dataclass
class LoadRun:
    users: int
    wall_s: float
    calls: list[Call] = field(default_factory=list)

    @property
    def errors(self) -> list[Call]:
        return [c for c in self.calls if c.error]

    def summary(self) -> dict[str, Any]:
        """Screenings and grades per second over the crowd's whole time (opening the app included), latency
        (p50, p95, max) per endpoint and errors (opening the app included), as the benchmark writes them."""
        per: dict[str, Any] = {}
        for name in ENDPOINTS:
            took = sorted(c.seconds for c in self.calls if c.endpoint == name and not c.error)
            per[name] = {"requests": sum(c.endpoint == name for c in self.calls),
                         "errors": sum(c.endpoint == name and bool(c.error) for c in self.calls),
                         "p50_s": _pct(took, 50), "p95_s": _pct(took, 95), "max_s": round(took[-1], 3) if took else None}
        work = [c for c in self.calls if c.endpoint != "connect"]  # screenings and grades
        return {"users": self.users, "requests": len(work), "errors": len(self.errors),
                "wall_s": round(self.wall_s, 3),
                "requests_per_s": round(len(work) / self.wall_s, 3) if self.wall_s else None,
                "endpoints": per, "error_messages": sorted({c.error for c in self.errors if c.error})[:10]}


def _pct(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 3)


def user_inputs(users: int, tag: str | None = None) -> list[UserInputs]:
    """One set of inputs per user: the sample resume and answer, each carrying the user's own marker."""
    tag = tag or uuid.uuid4().hex[:8]
    resume, job = RESUME.read_text(encoding="utf-8"), JOB.read_text(encoding="utf-8")
    with ANSWERS.open(encoding="utf-8", newline="") as f:
        first = next(csv.DictReader(f))
    out = []
    for n in range(users):
        marker = f"lt{tag}u{n:03d}"
        out.append(UserInputs(n, marker, f"{resume}\nReference code: {marker}\n", job, first["question"],
                              f"{first['answer']} (ref {marker})"))
    return out


def _one_user(url: str, inp: UserInputs, profile: str, timeout_s: float) -> list[Call]:
    from gradio_client import Client

    started = time.perf_counter()
    try:  # a busy server may take longer than httpx's few seconds: the crowd's own bound is timeout_s
        client = Client(url, verbose=False, httpx_kwargs={"timeout": timeout_s})
    except Exception as exc:
        return [Call(inp.user, name, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
                for name in ENDPOINTS]
    calls = [Call(inp.user, "connect", time.perf_counter() - started)]
    for name, args in (("screen", ([], inp.resume, inp.job, profile, False)),
                       ("grade", (inp.question, inp.answer, "", inp.candidate, profile))):
        started = time.perf_counter()
        try:
            result = client.predict(*args, api_name="/screen" if name == "screen" else "/grade_one")
            calls.append(Call(inp.user, name, time.perf_counter() - started, result=result))
        except Exception as exc:  # the endpoint's error, kept as the call's outcome
            calls.append(Call(inp.user, name, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}"))
    return calls


def run_users(url: str, inputs: list[UserInputs], timeout_s: float, profile: str = "rules") -> LoadRun:
    """Every user at once, one thread each; a user with no answer within ``timeout_s`` counts as errors."""
    started = time.perf_counter()
    pool = ThreadPoolExecutor(max_workers=len(inputs), thread_name_prefix="load-user")
    futures = {pool.submit(_one_user, url, inp, profile, timeout_s): inp for inp in inputs}
    done, _ = wait(futures, timeout=timeout_s)
    run = LoadRun(len(inputs), time.perf_counter() - started)
    for future, inp in futures.items():
        if future in done and future.exception() is None:
            run.calls += future.result()
        else:
            why = f"no answer within {timeout_s:g} s" if future not in done else repr(future.exception())
            run.calls += [Call(inp.user, name, timeout_s, error=why) for name in ENDPOINTS]
    pool.shutdown(wait=False, cancel_futures=True)
    return run


def mixups(run: LoadRun, inputs: list[UserInputs]) -> list[str]:
    """Answers that did not come back to the user who asked: each user's grade must carry its own answer and
    candidate, and its screening report exactly one file. (The screening's own trace is in the store: see
    ``store_problems``.)"""
    by_user = {i.user: i for i in inputs}
    problems = []
    for call in run.calls:
        if call.error or call.endpoint == "connect":
            continue
        inp = by_user[call.user]
        if call.endpoint == "grade":
            _card, data = call.result
            grade = data.get("grade") or {}
            if data.get("candidate") != inp.candidate or inp.marker not in str(grade.get("answer", "")):
                problems.append(f"user {call.user} got another answer's grade ({data.get('candidate')!r})")
        else:
            payload = call.result[2]
            if len(payload) != 1 or not payload[0].get("ok"):
                problems.append(f"user {call.user}'s screening returned {len(payload)} rows, ok={[p.get('ok') for p in payload]}")
    return problems


def store_problems(run: LoadRun, inputs: list[UserInputs]) -> list[str]:
    """What the store holds for these users, against what each one got: exactly one fit report (the one the
    user was shown), one screening run with one item, and one grade per user; none lost, none doubled."""
    from sqlalchemy import select

    from core.store import get_store
    from core.store.tables import DocumentRow, ResultRow, RunItemRow, RunRow

    shown = {c.user: c.result[2][0]["report"]["provenance"]["input_hash"]
             for c in run.calls if c.endpoint == "screen" and not c.error and c.result[2] and c.result[2][0].get("report")}
    problems = []
    with get_store().session() as s:
        for inp in inputs:
            docs = list(s.scalars(select(DocumentRow).where(DocumentRow.text.contains(inp.marker))))
            if len(docs) != 1:
                problems.append(f"user {inp.user}: {len(docs)} stored resumes")
                continue
            fits = list(s.scalars(select(ResultRow).where(ResultRow.document_id == docs[0].id, ResultRow.kind == "fit")))
            if len(fits) != 1 or not fits[0].ok:
                problems.append(f"user {inp.user}: {len(fits)} stored fit reports, ok={[r.ok for r in fits]}")
                continue
            if shown.get(inp.user) != fits[0].cache_key:
                problems.append(f"user {inp.user} was shown a report that is not the one stored for its resume")
            items = list(s.scalars(select(RunItemRow).where(RunItemRow.document_id == docs[0].id)))
            if len(items) != 1 or items[0].result_id != fits[0].id or not items[0].ok:
                problems.append(f"user {inp.user}: {len(items)} screening run items for its resume")
            else:
                runrow = s.get(RunRow, items[0].run_id)
                summary = (runrow.summary or {}) if runrow else {}
                if runrow is None or runrow.status != "done" or summary.get("done") != 1 or summary.get("total") != 1:
                    problems.append(f"user {inp.user}: its screening run reads {runrow.status if runrow else None} {summary}")
            grades = list(s.scalars(select(ResultRow).where(ResultRow.kind == "grade", ResultRow.subject == inp.candidate)))
            if len(grades) != 1 or not grades[0].ok or inp.marker not in str((grades[0].payload or {}).get("answer")):
                problems.append(f"user {inp.user}: {len(grades)} stored grades")
    return problems


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served_workbench(concurrency: int = 1) -> Iterator[str]:
    """The workbench as ``python app.py`` serves it (the same queue: one run at a time per endpoint unless
    ``concurrency`` says otherwise), on a free loopback port."""
    from workbench.app import build_app

    demo, i18n = build_app()
    port = free_port()
    demo.queue(default_concurrency_limit=concurrency).launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True,
                                                   quiet=True, i18n=i18n)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()

"""A model server that times out, answers 500 or sends JSON cut off half-way, in the middle of a grading
batch and of a screening batch (tests/fault_server.py, a real HTTP server on loopback, through a profile
with engine `openai`): nothing crashes, no score is invented or stored for a failed item, each failed item
says why (in the rows returned and in the store), the good items are kept, and once the server is back a
second run asks it again only for the failed items."""

import uuid

import pytest
import yaml
from sqlalchemy import select

from core.services.grading import AnswerInput, GradeOptions, grade_answers
from core.services.screening import ScreenInput, ScreenOptions, screen
from core.store import get_store
from core.store.tables import ResultRow, RunItemRow, RunRow
from tests.fault_server import MODEL, FaultServer, marker
from tests.paths import SAMPLES

PROFILE = "faulty"
# what each fault reads like in a failed item's error
REASONS = {"timeout": "no answer within", "500": "answered 500", "truncated": "not valid JSON", "cut": "cut off"}
PLAN = ["ok", "timeout", "ok", "500", "ok", "truncated", "ok", "cut"]  # faults mid-batch, good items around them
# with one retry: a stalled, crashed or truncated request is sent twice; a cut-off object once more to be
# repaired (the repair request carries the fault too); a good item once
EXPECTED_REQUESTS = {"ok": 4, "timeout": 2, "500": 2, "truncated": 2, "cut": 2}


@pytest.fixture()
def faulty(tmp_path, monkeypatch):
    """The fault server and a profile pointing at it, in a profile file of this test's own (short timeout,
    one retry, short backoff: a stalled request costs about a second)."""
    with FaultServer(stall_s=5) as server:
        models = tmp_path / "models.yaml"
        models.write_text(yaml.safe_dump({"profiles": {PROFILE: {
            "engine": "openai", "model": MODEL, "base_url": server.base_url, "timeout_s": 0.5, "retries": 1,
            "backoff_s": 0.05, "concurrency": 4}}}), encoding="utf-8")
        monkeypatch.setenv("HIRELAB_MODELS", str(models))
        yield server


def _results(keys: list[str]) -> dict[str, ResultRow]:
    with get_store().session() as s:
        return {r.cache_key: r for r in s.scalars(select(ResultRow).where(ResultRow.cache_key.in_(keys)))}


def _run_items(run_id: str) -> dict[int, RunItemRow]:
    with get_store().session() as s:
        return {i.position: i for i in s.scalars(select(RunItemRow).where(RunItemRow.run_id == run_id))}


def _check_failed(ok: bool, error: str | None, fault: str, score: object) -> None:
    assert not ok and score is None, (fault, ok, score)
    assert error and REASONS[fault] in error and "Try again" in error, (fault, error)


def test_grading_batch_keeps_good_grades_marks_faulted_answers_and_regrades_only_them(faulty):
    question = "What is a Python decorator, and how would you write one that measures a function's run time?"
    who = f"Fault grading {uuid.uuid4().hex[:8]}"  # this run's own answers, whatever the store already holds
    items = [AnswerInput(candidate=f"{who} {n}", question=question,
                         answer=f"A decorator wraps a function and returns a wrapper; answer {n}. "
                                + ("" if fault == "ok" else marker(fault)))
             for n, fault in enumerate(PLAN)]
    outcomes = grade_answers(items, PROFILE, options=GradeOptions(record_run=True, run_id=f"grade-faults-{who[-8:]}"))

    assert [o.item.candidate for o in outcomes] == [i.candidate for i in items]
    keys = [o.grade.provenance.input_hash for o in outcomes if o.grade]
    for out, fault in zip(outcomes, PLAN):
        if fault == "ok":
            assert out.ok and out.grade is not None and 1 <= out.grade.overall <= 5
        else:
            _check_failed(out.ok, out.error, fault, out.grade)
    stored = [r for r in get_store().list_results("grade", limit=500) if r.subject.startswith(who)]
    by_subject = {r.subject: r for r in stored}
    assert len(stored) == len(items)  # one row per answer, failures included (a later run retries them)
    for item, fault in zip(items, PLAN):
        row = by_subject[item.candidate]
        if fault == "ok":
            assert row.ok and row.payload and row.cache_key in keys
        else:  # no default score: no payload, the reason kept
            assert not row.ok and row.payload is None and REASONS[fault] in (row.error or "")
    run_items = _run_items(f"grade-faults-{who[-8:]}")
    assert [run_items[n].ok for n in range(len(PLAN))] == [f == "ok" for f in PLAN]
    assert all(REASONS[f] in (run_items[n].error or "") for n, f in enumerate(PLAN) if f != "ok")

    assert faulty.served == EXPECTED_REQUESTS
    faulty.recovered = True
    before = sum(faulty.served.values())
    again = grade_answers(items, PROFILE, options=GradeOptions(record_run=True, run_id=None))
    assert sum(faulty.served.values()) - before == len(PLAN) - PLAN.count("ok")  # only the failed ones
    assert all(o.ok for o in again)
    assert [o.cached for o in again] == [f == "ok" for f in PLAN]  # the good grades were reused, not redone
    assert [o.grade.overall for o, f in zip(again, PLAN) if f == "ok"] == \
           [o.grade.overall for o, f in zip(outcomes, PLAN) if f == "ok"]
    stored = [r for r in get_store().list_results("grade", limit=500) if r.subject.startswith(who)]
    assert len(stored) == len(items) and all(r.ok and r.payload for r in stored)


def test_screening_batch_keeps_good_reports_marks_faulted_resumes_and_rescreens_only_them(faulty):
    resume = (SAMPLES / "src" / "anna_smirnova_ml_engineer.md").read_text(encoding="utf-8")
    job = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")
    tag = uuid.uuid4().hex[:8]  # this run's own resumes, whatever the store already holds
    files = [ScreenInput(f"fault_{n}_{fault}.txt",
                         f"{resume}\nReference: fault screening {tag} {n}\n{'' if fault == 'ok' else marker(fault)}\n".encode())
             for n, fault in enumerate(PLAN)]
    rows = screen(job, files, ScreenOptions(profile=PROFILE, run_id=f"screen-faults-{tag}"))

    by_name = {r.filename: r for r in rows}
    assert len(rows) == len(files)
    for item, fault in zip(files, PLAN):
        row = by_name[item.filename]
        if fault == "ok":
            assert row.ok and row.report is not None and row.report.provenance.model_profile == PROFILE
        else:
            _check_failed(row.ok, row.error, fault, row.score)
    with get_store().session() as s:
        items = list(s.scalars(select(RunItemRow).where(RunItemRow.run_id == f"screen-faults-{tag}")))
        results = {r.id: r for r in s.scalars(select(ResultRow).where(ResultRow.id.in_([i.result_id for i in items])))}
        run = s.get(RunRow, f"screen-faults-{tag}")
    assert run.status == "done" and run.summary["done"] == run.summary["total"] == len(files)
    assert len(items) == len(files) and len(results) == len(files)  # every item kept once, with its result row
    for item in items:
        fault = PLAN[item.position]
        result = results[item.result_id]
        if fault == "ok":
            assert item.ok and result.ok and result.payload["match_score"] is not None
        else:  # no default score: no payload, the reason kept on the item and on the result
            assert not item.ok and not result.ok and result.payload is None
            assert REASONS[fault] in (item.error or "") and REASONS[fault] in (result.error or "")

    assert faulty.served == EXPECTED_REQUESTS
    faulty.recovered = True
    before = sum(faulty.served.values())
    again = screen(job, files, ScreenOptions(profile=PROFILE, run_id=None))
    assert sum(faulty.served.values()) - before == len(PLAN) - PLAN.count("ok")  # only the failed ones asked again
    assert all(r.ok for r in again)
    assert {r.filename for r in again if r.cached} == {f.filename for f, p in zip(files, PLAN) if p == "ok"}
    assert {r.filename: r.score for r in again if r.cached} == {r.filename: r.score for r in rows if r.ok}

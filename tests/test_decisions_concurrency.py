"""A decision is stored against exactly the report the person was looking at; concurrent work on the same
candidates and runs stays clean: a candidate deleted while their resume is being screened leaves the run with
the other items and a sentence saying why one went (no SQL error), and Screen pressed three times makes one run.

Real parts throughout: a real SQLite store, the real services, a real Gradio server (gradio_client and
Chromium, two browser contexts for the concurrency the recruiter sees), and a real OpenAI-compatible model
server on loopback that holds each request until the test lets it through (tests/gated_server.py), so a run is
"going on" exactly while the test needs it to be; nothing waits a fixed time.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import select

from tests.gated_server import gated_workbench, tagged_resumes
from tests.paths import SAMPLES

JOB = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def gated(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        yield from gated_workbench(mp, tmp_path_factory.mktemp("gated"))


def _job(tag: str) -> str:
    return f"{JOB}\n\nPosting {tag}."  # the test's own job: no report of it is stored yet


def _runs_of(job_text: str) -> list:
    from core.store import get_store
    from core.store.tables import JobRow, RunRow

    store = get_store()
    with store.session() as s:
        job_id = s.scalar(select(JobRow.id).where(JobRow.text == job_text.strip()))
        return [r for r in s.scalars(select(RunRow).where(RunRow.kind == "screen"))
                if (r.config or {}).get("job_id") == job_id] if job_id else []


def _start_screening(page, url: str, files: list, job: str) -> None:
    page.goto(url)
    page.locator("#screen-profile input").click()
    page.get_by_role("option", name="gated", exact=True).click()
    page.locator("input[type=file]").first.set_input_files([str(p) for p in files])
    page.locator("#job-text textarea").fill(job)


# decisions ---------------------------------------------------------------------------------------------------
def test_a_decision_records_the_report_shown_and_is_refused_when_a_newer_one_landed(gated, tmp_path):
    from gradio_client import Client

    from core.services.records import candidate_record, list_candidates, CandidateFilter
    from core.services.screening import ScreenInput, ScreenOptions, screen
    from core.store import get_store
    from core.store.tables import DecisionRow

    server, url, _demo = gated
    server.release_all()
    tag = uuid.uuid4().hex[:8]
    job = _job(tag)
    resume = tagged_resumes(tmp_path, tag)[0]
    screen(job, [ScreenInput.from_path(resume)], ScreenOptions(profile="rules"))
    (cand,) = list_candidates(CandidateFilter(text=f"person0.{tag}@example.org"))
    (first,) = candidate_record(cand.ref).fits
    job_id = str(first.job_id)

    client = Client(url, verbose=False)
    html = client.predict(cand.ref, api_name="/candidate_record")[0]
    assert f'data-result-id="{first.result_id}"' in html  # the report on show, and its id with it
    said = client.predict(cand.ref, job_id, "hold", "Good NLP work; want a second look.", "Anna Petrova",
                          api_name="/record_decision")
    assert "Anna Petrova" in said
    with get_store().session() as s:
        held = s.scalars(select(DecisionRow).order_by(DecisionRow.id.desc())).first()
        assert (held.result_id, held.shown["result_id"], held.shown["profile"]) == (first.result_id, first.result_id, "rules")

    # while the record is open, another screening of this candidate for the same job lands (another profile)
    screen(job, [ScreenInput.from_path(resume)], ScreenOptions(profile="gated"))
    newer = candidate_record(cand.ref).fits[0]
    assert newer.result_id != first.result_id and newer.profile == "gated"
    with pytest.raises(Exception) as refused:
        client.predict(cand.ref, job_id, "advance", "Strong on the main stack.", "Anna Petrova",
                       api_name="/record_decision")
    assert "no longer this candidate's current report" in str(refused.value)
    with get_store().session() as s:
        assert s.scalars(select(DecisionRow).order_by(DecisionRow.id.desc())).first().id == held.id  # nothing stored

    html = client.predict(cand.ref, api_name="/candidate_record")[0]  # opened again: the newer report is on show
    assert f'data-result-id="{newer.result_id}"' in html
    client.predict(cand.ref, job_id, "advance", "Strong on the main stack.", "Anna Petrova", api_name="/record_decision")
    with get_store().session() as s:
        last = s.scalars(select(DecisionRow).order_by(DecisionRow.id.desc())).first()
    assert (last.decision, last.result_id, last.shown["score"]) == ("advance", newer.result_id, newer.report.match_score)


def test_a_decision_naming_a_report_of_another_job_or_candidate_is_refused(tmp_path):
    from core.messages import LocalizedError
    from core.services.decisions import record_decision, shown_token
    from core.services.records import CandidateFilter, candidate_record, list_candidates
    from core.services.screening import ScreenInput, ScreenOptions, screen

    tag = uuid.uuid4().hex[:8]
    one, two = tagged_resumes(tmp_path, tag)[:2]
    screen(_job(tag), [ScreenInput.from_path(one), ScreenInput.from_path(two)], ScreenOptions(profile="rules"))
    refs = [list_candidates(CandidateFilter(text=f"person{n}.{tag}@example.org"))[0].ref for n in (0, 1)]
    mine, theirs = (candidate_record(r).fits[0] for r in refs)
    for lang, words in (("en", "not one of this candidate's reports"), ("ru", "не относится к этому кандидату")):
        with pytest.raises(LocalizedError) as refused:
            record_decision(refs[0], "advance", "Fine.", "Anna", job_id=mine.job_id, result_id=theirs.result_id)
        assert words in refused.value.text(lang)
    with pytest.raises(LocalizedError):  # the same report, rewritten since it was shown
        token = shown_token(mine.result_id, {**mine.report.model_dump(mode="json"), "match_score": 1})
        record_decision(refs[0], "advance", "Fine.", "Anna", job_id=mine.job_id, result_id=mine.result_id,
                        shown_digest=token.split(":")[1])
    info = record_decision(refs[0], "advance", "Fine.", "Anna", job_id=mine.job_id, result_id=mine.result_id,
                           shown_digest=shown_token(mine.result_id, mine.report).split(":")[1])
    assert info.result_id == mine.result_id


# deleting during a run ---------------------------------------------------------------------------------------
@pytest.mark.browser
def test_deleting_a_candidate_while_their_screening_runs_removes_their_item_and_says_so(gated, browser, tmp_path):
    from playwright.sync_api import expect

    from core.messages import msg
    from core.services.records import CandidateFilter, list_candidates
    from core.services.runs import get_run_summary

    server, url, _demo = gated
    tag = uuid.uuid4().hex[:8]
    files, job = tagged_resumes(tmp_path, tag), _job(tag)
    server.hold()
    start = server.arrived
    recruiter = browser.new_context(locale="en-US")
    a = recruiter.new_page()
    _start_screening(a, url, files, job)
    a.locator("#screen-run").click()
    server.wait_arrived(start + 1)  # every file read, every candidate made; the first report is being written
    server.release(1)
    server.wait_arrived(start + 2)  # the first report is stored; the second is being written

    colleague = browser.new_context(locale="en-US")  # another person deletes the first candidate meanwhile
    b = colleague.new_page()
    b.goto(url)
    (gone,) = list_candidates(CandidateFilter(text=f"person0.{tag}@example.org"))
    b.get_by_role("tab", name=msg("ctab_tab", "en"), exact=True).first.click()
    b.locator("#cand-search textarea, #cand-search input").first.fill(f"person0.{tag}@example.org")
    b.locator("#cand-find").click()
    b.locator("#cand-table").get_by_text(gone.name, exact=True).filter(visible=True).first.click()
    b.locator("[data-testid=candidate-record]").wait_for(timeout=60_000)
    b.get_by_text(msg("ctab_delete", "en"), exact=True).first.click()
    b.locator("#cand-decided-by textarea, #cand-decided-by input").first.fill("Boris Recruiter")
    b.locator("#cand-confirm input").check()
    b.locator("#cand-delete").click()
    expect(b.locator("#cand-status")).to_contain_text("were deleted", timeout=60_000)

    server.release_all()
    expect(a.locator("#screen-run-info")).to_contain_text("1 item removed: its candidate was deleted", timeout=120_000)
    expect(a.locator("[data-testid=report-card]")).to_have_count(2)
    assert "IntegrityError" not in a.content() and "FOREIGN KEY" not in a.content()
    (run,) = _runs_of(job)
    summary = get_run_summary(run.id)
    assert (summary.status, summary.total, summary.removed) == ("done", 3, 1)
    recruiter.close()
    colleague.close()


def test_a_candidate_deleted_before_their_report_is_written_leaves_the_run_clean(gated, tmp_path):
    from core.services.deletion import delete_candidate
    from core.services.records import CandidateFilter, list_candidates
    from core.services.runs import get_run_summary
    from core.services.screen_runs import open_screening
    from core.services.screening import ScreenInput, ScreenOptions, screen

    server, _url, _demo = gated
    tag = uuid.uuid4().hex[:8]
    files, job = [ScreenInput.from_path(p) for p in tagged_resumes(tmp_path, tag)], _job(tag)
    server.hold()
    start, out = server.arrived, {}
    worker = threading.Thread(target=lambda: out.setdefault("rows", screen(job, files, ScreenOptions(profile="gated"))))
    worker.start()
    server.wait_arrived(start + 1)
    (last,) = list_candidates(CandidateFilter(text=f"person2.{tag}@example.org"))  # their report is not written yet
    delete_candidate(last.ref, "Boris Recruiter")
    server.release_all()
    worker.join(timeout=300)
    rows = out["rows"]
    assert len(rows) == 2 and all(r.ok for r in rows) and f"_{tag}" in rows[0].filename
    assert all("maria_volkova" not in r.filename for r in rows)
    (run,) = _runs_of(job)
    assert get_run_summary(run.id).removed == 1 and len(open_screening(run.id).rows) == 2


# pressing Screen again ---------------------------------------------------------------------------------------
def test_a_second_request_for_the_same_screening_joins_the_run_going_on(gated, tmp_path):
    """Screen pressed again (or the same request from another client) while a run of the same job, files,
    profile and options goes on: it follows that run, its progress and its rows, and starts nothing."""
    from core.services.flights import flight_of
    from core.services.screening import ScreenInput, ScreenOptions, reserve_screen_run, screen

    server, _url, _demo = gated
    tag = uuid.uuid4().hex[:8]
    files, job = [ScreenInput.from_path(p) for p in tagged_resumes(tmp_path, tag)], _job(tag)
    server.hold()
    start, out, seen = server.arrived, {}, []
    run_id = reserve_screen_run(job, files, ScreenOptions(profile="gated"))
    assert reserve_screen_run(job, list(reversed(files)), ScreenOptions(profile="gated")) == run_id  # same inputs
    assert reserve_screen_run(job, files, ScreenOptions(profile="gated", blind=True)) != run_id  # other options
    first = threading.Thread(target=lambda: out.setdefault(
        "first", screen(job, files, ScreenOptions(profile="gated", run_id=run_id))))
    first.start()
    server.wait_arrived(start + 1)
    second = threading.Thread(target=lambda: out.setdefault(
        "second", screen(job, files, ScreenOptions(profile="gated"), lambda f, m: seen.append(m))))
    second.start()
    flight = flight_of(run_id)
    with flight.cond:
        assert flight.cond.wait_for(lambda: flight.followers == 1, timeout=120)
    server.release_all()
    first.join(timeout=300)
    second.join(timeout=300)
    assert out["second"] is out["first"] and len(out["first"]) == 3
    assert any(m.startswith("assessed") for m in seen)  # the follower saw the run's progress
    assert len(_runs_of(job)) == 1 and server.arrived - start == 3  # one run; each resume sent to the model once
    # a press queued behind its twin (same reserved id) gets the ended run, not a second one
    again = screen(job, files, ScreenOptions(profile="gated", run_id=run_id))
    assert [r.filename for r in again] == [r.filename for r in out["first"]] and len(_runs_of(job)) == 1

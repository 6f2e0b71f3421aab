"""Progress and state: per-item progress, results kept per item as they finish, batch runs in the store,
past runs reopened, a killed screening resumed, and a reload that keeps the inputs and the result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.paths import REPO, SAMPLES

JOB = (SAMPLES / "jobs" / "python_backend_ru.txt").read_text(encoding="utf-8")
RESUMES = [SAMPLES / "resumes" / "anna_smirnova_ml_engineer.pdf", SAMPLES / "resumes" / "dmitry_kozlov_python_backend_ru.pdf"]


def _inputs(extra: list | None = None):
    from core.services.screening import ScreenInput

    return [ScreenInput.from_path(p) for p in RESUMES] + (extra or [])


def test_item_clock_says_items_done_seconds_each_and_time_left():
    from core.services.common import ItemClock, duration

    seen: list[tuple[float | None, str]] = []
    clock = ItemClock(3, "assessed", "resumes", lambda f, m: seen.append((f, m)), start=0.1, width=0.9)
    clock.begin()
    clock.tick()
    clock.tick()
    clock.tick()
    assert seen[0] == (0.1, "assessed 0 of 3 resumes · working on them")
    assert seen[1][1].startswith("assessed 1 of 3 resumes · ") and " s per resume · about " in seen[1][1]
    assert seen[1][1].endswith(" left") and not seen[3][1].endswith(" left")
    assert [round(f, 2) for f, _ in seen] == [0.1, 0.4, 0.7, 1.0]
    assert (duration(42), duration(125), duration(7300)) == ("42 s", "2 min 05 s", "2 h 01 min")
    told: list[str] = []
    ItemClock(4, "graded", "answers", lambda f, m: told.append(m), expected_each=30).begin()
    assert told == ["graded 0 of 4 answers · working on them · recent runs took about 30 s per answer (about 2 min 00 s in all)"]


def test_typical_seconds_is_the_median_of_recent_successes(store):
    from core.store import ResultRecord

    assert store.typical_seconds("fit", "offline") is None
    for n, (secs, ok) in enumerate([(10.0, True), (30.0, True), (20.0, True), (99.0, False)]):
        store.save_result(ResultRecord("fit", f"k{n}", "offline", "v", ok, None, "", None, secs))
    store.save_result(ResultRecord("fit", "other", "rules", "v", True, None, "", None, 1.0))
    assert store.typical_seconds("fit", "offline") == 20.0


def test_a_screening_is_recorded_item_by_item_and_reopens_as_it_was_shown():
    from core.services.runs import new_run_id
    from core.services.screen_runs import open_screening, recent_screenings
    from core.services.screening import ScreenInput, ScreenOptions, screen
    from core.store import get_store

    store = get_store()
    run_id = new_run_id("screen")
    seen: list[tuple[float | None, str]] = []
    broken = ScreenInput("broken.pdf", b"%PDF-1.4 not really a pdf")
    rows = screen(JOB, _inputs([broken]), ScreenOptions(profile="rules", run_id=run_id, reuse=False), lambda f, m: seen.append((f, m)))
    assert [r.ok for r in rows] == [True, True, False]
    messages = [m for _, m in seen]
    assert any(m.startswith("assessed 1 of 2 resumes · ") and "s per resume" in m for m in messages), messages
    assert all(f is None for f, m in seen if m.startswith("loading model")), "a loading model shows no percentage"
    fractions = [f for f, _ in seen if f is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0

    items = store.list_run_items(run_id)
    assert [i.position for i, _ in items] == [0, 1, 2]
    assert [i.subject for i, _ in items] == [p.name for p in RESUMES] + ["broken.pdf"]
    assert items[2][0].error and items[2][1] is None and all(r is not None and r.ok for _, r in items[:2])
    opened = open_screening(run_id)
    assert opened is not None and opened.job_text == JOB.strip()
    assert opened.summary.status == "done" and (opened.summary.done, opened.summary.total) == (3, 3)
    assert opened.summary.best_score == max(r.score for r in rows if r.ok)
    assert [(r.filename, r.score, r.ok) for r in opened.rows] == [(r.filename, r.score, r.ok) for r in rows]
    assert opened.rows[-1].error == rows[-1].error

    again = new_run_id("screen")
    rows2 = screen(JOB, _inputs(), ScreenOptions(profile="rules", run_id=again))
    assert all(r.cached for r in rows2)
    first_ids = {i.subject: i.result_id for i, _ in items[:2]}
    assert {i.subject: i.result_id for i, _ in store.list_run_items(again)} == first_ids  # reused, not copied
    listed = [r.run_id for r in recent_screenings(50)]
    assert listed.index(again) < listed.index(run_id)


def test_a_run_left_running_by_a_process_that_is_gone_reads_unfinished(store):
    from core.services.runs import recent_runs

    store.save_run("screen-gone", "screen", "a job", "running", {"profile": "rules"}, {"total": 4, "done": 1})
    (run,) = recent_runs("screen", store=store)
    assert (run.status, run.done, run.total, run.profile) == ("unfinished", 1, 4, "rules")


def test_structured_outcomes_arrive_one_by_one_and_only_once():
    from core.engines import ChatRequest, Message, generate_structured, get_engine
    from core.services.fit_tasks import fit_task
    from core.schemas import FitAssessment

    requests = [ChatRequest((Message("user", "x"),), schema=FitAssessment, task=fit_task(p.name + " Python Django", JOB, ""))
                for p in RESUMES]
    seen: list[int] = []
    counted: list[tuple[int, int]] = []
    outcomes = generate_structured(get_engine("rules"), requests, lambda d, t: counted.append((d, t)),
                                   on_outcome=lambda i, out: seen.append(i))
    assert sorted(seen) == [0, 1] and counted == [(1, 2), (2, 2)] and all(o.ok for o in outcomes)


@pytest.mark.slow
def test_transformers_engine_reports_a_sequence_when_it_ends_not_when_its_batch_ends(offline_engine):
    from core.engines import ChatRequest, Message, Sampling

    def ask(text: str) -> ChatRequest:
        return ChatRequest((Message("user", text),), constrained=False, sampling=Sampling(max_new_tokens=40))

    requests = [ask("Write a long story about a dragon and a knight."), ask("Reply with only the word: yes")]
    order: list[int] = []
    results = offline_engine.generate(requests, on_result=lambda i, res: order.append(i))
    assert results[1].completion_tokens < results[0].completion_tokens == 40
    assert order == [1, 0]  # the short answer was handed over while the long one was still being written


def test_every_model_run_draws_one_progress_bar():
    from workbench.app import build_app

    demo, _ = build_app()
    deps = {d.get("api_name"): d for d in demo.config["dependencies"]}
    for name in ("screen", "grade_one", "grade_file", "interview_questions", "compare"):
        assert len(deps[name]["show_progress_on"] or []) == 1, name


def _runs(db_url: str) -> dict[str, tuple[str, int]]:
    from core.store import get_store

    store = get_store(db_url)
    return {r.id: (r.status, len(store.list_run_items(r.id))) for r in store.list_runs("screen")}


@pytest.mark.slow
def test_killed_screening_keeps_finished_reports_and_a_rerun_reuses_them(home, offline_engine):
    """`hirelab screen` on the bundled model is killed once its first report is stored; the rerun takes that
    report from the store and writes only the rest, each once."""
    from core.config import settings
    from core.services.runs import new_run_id
    from core.services.screening import ScreenOptions, screen
    from core.store import get_store

    db_url = settings().db_url
    store = get_store()
    before = set(_runs(db_url))
    job_text = JOB + "\n\nThis vacancy is screened by a run that gets killed."  # its own cache keys
    job = home / "job_for_kill_test.txt"
    job.write_text(job_text, encoding="utf-8")
    env = {**os.environ, "HIRELAB_HOME": str(home)}
    cmd = [sys.executable, "-m", "cli", "screen", "--model", "offline", "--job", str(job), *map(str, RESUMES)]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = None
        while proc.poll() is None:
            new = {k: v for k, v in _runs(db_url).items() if k not in before}
            if new and max(n for _, n in new.values()) >= 1:
                started = next(iter(new))
                break
            time.sleep(0.5)
        assert started is not None, f"the CLI ended (rc {proc.returncode}) before storing a report"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    status, kept = _runs(db_url)[started]
    assert status == "running" and kept == 1  # killed mid-way: one report stored, the other not
    from core.services.runs import get_run_summary

    killed = get_run_summary(started)
    assert killed is not None and (killed.status, killed.done, killed.total) == ("unfinished", 1, 2)
    (done_item, done_result), = store.list_run_items(started)
    assert done_result is not None and done_result.model_profile == "offline"

    rerun = new_run_id("screen")
    rows = screen(job_text, _inputs(), ScreenOptions(profile="offline", run_id=rerun))
    by_name = {r.filename: r for r in rows}
    assert by_name[done_item.subject].cached
    other = next(p.name for p in RESUMES if p.name != done_item.subject)
    assert not by_name[other].cached
    items = {i.subject: (i.result_id, i.cached) for i, _ in store.list_run_items(rerun)}
    assert items[done_item.subject] == (done_result.id, True)
    for p in RESUMES:  # one stored report per resume for this job and profile, none duplicated
        keys = {r.cache_key for r in store.list_results("fit", subject=p.name) if r.model_profile == "offline"
                and r.job_id == done_result.job_id}
        assert len(keys) == len([r for r in store.list_results("fit", subject=p.name) if r.model_profile == "offline"
                                 and r.job_id == done_result.job_id]) == 1


@pytest.mark.browser
@pytest.mark.slow
def test_reload_keeps_the_job_text_and_the_result_and_lists_the_run(workbench_url, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(workbench_url)
    page.locator("#screen-profile input").click()
    page.get_by_role("option", name="rules", exact=True).click()
    page.locator("input[type=file]").first.set_input_files([str(p) for p in RESUMES])
    page.locator("#job-text textarea").fill(JOB)
    page.locator("#screen-run").click()
    page.locator("[data-testid=report-card]").nth(1).wait_for(timeout=240_000)
    page.locator("#screen-run-info", has_text="2 of 2 files · done").wait_for(timeout=120_000)
    first_card = page.locator("[data-testid=report-card]").first.inner_text()

    # after a reload each part comes back as its page-open step lands: wait on each, with a generous deadline
    page.reload()
    page.locator("[data-testid=report-card]").nth(1).wait_for(timeout=120_000)
    expect(page.locator("#job-text textarea")).to_have_value(JOB, timeout=120_000)
    assert page.locator("[data-testid=report-card]").first.inner_text() == first_card
    expect(page.locator("#screen-profile input")).to_have_value("rules", timeout=120_000)
    recent = page.locator("#recent-runs")
    expect(recent).to_contain_text("Python-разработчик (Middle+/Senior), backend", timeout=120_000)
    assert "rules" in recent.inner_text() and "2/2" in recent.inner_text()

    fresh = context.new_page()  # a new page of the same browser: the saved run comes back there too
    fresh.goto(workbench_url)
    fresh.locator("[data-testid=report-card]").first.wait_for(timeout=120_000)
    expect(fresh.locator("#job-text textarea")).to_have_value(JOB, timeout=120_000)
    context.close()


def test_a_graded_file_is_recorded_item_by_item_and_reopens_with_the_same_grades():
    from core.services.answer_files import read_answer_file
    from core.services.grade_runs import open_grading, recent_gradings
    from core.services.grading import GradeOptions, grade_answers
    from core.services.question_bank import BANK_DIR
    from core.services.runs import new_run_id
    from core.store import get_store

    items, _ = read_answer_file(BANK_DIR / "sample_answers.csv")
    first, again = new_run_id("grade"), new_run_id("grade")
    outcomes = grade_answers(items, "rules", options=GradeOptions(record_run=True, run_id=first))
    opened = open_grading(first)
    assert opened is not None and opened.summary.status == "done" and opened.summary.done == len(items)
    assert [(o.item.candidate, o.item.question, o.grade.overall if o.grade else None) for o in opened.outcomes] == \
        [(o.item.candidate, o.item.question, o.grade.overall if o.grade else None) for o in outcomes]
    grade_answers(items, "rules", options=GradeOptions(record_run=True, run_id=again))
    store = get_store()
    ids = [i.result_id for i, _ in store.list_run_items(first)]
    assert [i.result_id for i, _ in store.list_run_items(again)] == ids and None not in ids  # reused, not copied
    assert all(i.cached for i, _ in store.list_run_items(again))
    assert [r.run_id for r in recent_gradings(50)].index(again) < [r.run_id for r in recent_gradings(50)].index(first)


def test_screening_runs_never_crowd_training_runs_out_of_their_list(store):
    store.save_run("sft-old", "sft", "an adapter", "done", {})
    for n in range(3):
        store.save_run(f"screen-{n}", "screen", "a job", "done", {"profile": "rules"})
    assert [r.id for r in store.list_runs(("sft", "grpo"), limit=2)] == ["sft-old"]
    assert len(store.list_runs("screen", limit=2)) == 2


@pytest.fixture(scope="module")
def gated(tmp_path_factory):
    """A workbench whose `gated` profile answers only when the test lets it (tests/gated_server.py)."""
    from tests.gated_server import gated_workbench

    with pytest.MonkeyPatch.context() as mp:
        yield from gated_workbench(mp, tmp_path_factory.mktemp("gated"))


@pytest.mark.browser
def test_a_page_reloaded_mid_run_follows_it_and_offers_no_empty_downloads(gated, browser, tmp_path):
    """Reloaded while nothing of its run is done yet: the page says the run is still going in the background,
    draws its progress again, offers no download until there is something in it, and shows every report once
    the run ends."""
    import uuid

    from playwright.sync_api import expect

    from tests.gated_server import tagged_resumes

    server, url, _demo = gated
    tag = uuid.uuid4().hex[:8]
    files = tagged_resumes(tmp_path, tag)
    server.hold()
    start = server.arrived
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(url)
    page.locator("#screen-profile input").click()
    page.get_by_role("option", name="gated", exact=True).click()
    page.locator("input[type=file]").first.set_input_files([str(p) for p in files])
    page.locator("#job-text textarea").fill(f"{JOB}\n\nPosting {tag}.")
    page.locator("#screen-run").click()
    server.wait_arrived(start + 1)  # the run is going on; no report is done yet

    page.reload()
    info = page.locator("#screen-run-info")
    expect(info).to_contain_text("Still running in the background: 0 of 3 files done so far", timeout=60_000)
    expect(page.locator("#screen-table")).to_contain_text("assessed 0 of 3 resumes", timeout=60_000)  # its bar again
    assert not page.locator("a[href*='screening.csv'], a[href*='screening.json']").count()

    server.release_all()
    expect(page.locator("[data-testid=report-card]")).to_have_count(3, timeout=120_000)
    expect(info).to_contain_text("3 of 3 files · done", timeout=60_000)
    expect(page.locator("a[href*='screening.csv']")).to_have_count(1, timeout=60_000)
    context.close()

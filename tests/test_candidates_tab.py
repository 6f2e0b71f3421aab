"""The Candidates tab on a real Gradio server: a person's decision through gradio_client, and the whole flow
(filter, open a candidate, decide with a reason, export, delete) in headless Chromium. Resumes are screened
first with the `rules` profile through the core service, into the same store the server reads."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from gradio_client import Client

from core.messages import LocalizedError, msg
from core.services.records import CandidateFilter, candidate_record, list_candidates, list_jobs
from core.services.screening import ScreenInput, ScreenOptions, screen
from core.store import get_store
from tests.paths import SAMPLES

JOB = (SAMPLES / "jobs" / "data_engineer_en.txt").read_text(encoding="utf-8")
RESUMES = sorted((SAMPLES / "resumes").iterdir())


def _screened(*names: str) -> tuple[int, dict[str, str]]:
    """Screen the named sample resumes against the data-engineer job: (job id, file name → candidate ref)."""
    rows = screen(JOB, [ScreenInput.from_path(SAMPLES / "resumes" / n) for n in names], ScreenOptions(profile="rules"))
    assert all(r.ok for r in rows)
    job_id = get_store().upsert_job(JOB)
    refs = {}
    for c in list_candidates(CandidateFilter(job_id=job_id)):
        for doc in candidate_record(c.ref).documents:
            refs.setdefault(doc.filename, c.ref)
    assert set(names) <= set(refs)
    return job_id, refs


def test_a_decision_needs_a_reason_and_is_stored_with_the_persons_name(workbench_url):
    job_id, refs = _screened("maria_volkova_data_engineer_ru.docx")
    ref = refs["maria_volkova_data_engineer_ru.docx"]
    before = len(candidate_record(ref).decisions)
    client = Client(workbench_url, verbose=False)
    with pytest.raises(Exception, match=re.escape(msg("dec_no_reason", "en"))):
        client.predict(ref, str(job_id), "advance", "  ", "Olga Petrova", api_name="/record_decision")
    with pytest.raises(Exception, match=re.escape(msg("ctab_pick_decision", "en"))):
        client.predict(ref, str(job_id), None, "Spark and Airflow in production", "Olga Petrova", api_name="/record_decision")
    assert len(candidate_record(ref).decisions) == before  # nothing stored by a refused decision

    reason = "Spark and Airflow in production; ask about on-call duty"
    status = client.predict(ref, str(job_id), "hold", reason, "Olga Petrova", api_name="/record_decision")
    assert status == msg("ctab_recorded", "en", decision="hold", who="Olga Petrova")
    latest = candidate_record(ref).decisions[0]
    fit = next(f for f in candidate_record(ref).fits if f.job_id == job_id)
    assert (latest.decision, latest.reason, latest.decided_by, latest.job_id) == ("hold", reason, "Olga Petrova", job_id)
    # the tool's report the person was shown is kept beside the decision, never in its place
    assert latest.shown["score"] == fit.report.match_score and latest.shown["recommendation"] == fit.report.recommendation

    exported = client.predict("json", str(job_id), "Olga Petrova", api_name="/export_decisions")
    rows = [r for r in json.loads(Path(exported).read_text(encoding="utf-8")) if r["candidate_ref"] == ref]
    assert (rows[-1]["decision"], rows[-1]["reason"], rows[-1]["job_id"]) == ("hold", reason, job_id)
    with pytest.raises(Exception, match=re.escape(msg("ctab_bad_job", "en", value="Data Engineer"))):
        client.predict("json", "Data Engineer", "Olga Petrova", api_name="/export_decisions")


def test_with_a_login_the_signed_in_name_is_stored_whatever_is_typed():
    from tests.conftest import serving_blocks
    from workbench.app import build_app

    job_id, refs = _screened("john_carter_frontend.docx")
    ref = refs["john_carter_frontend.docx"]
    demo, i18n = build_app()
    with serving_blocks(demo.queue(default_concurrency_limit=1), i18n=i18n,
                        auth=[("olga.petrova", "a-test-password-1")]) as url:
        client = Client(url, auth=("olga.petrova", "a-test-password-1"), verbose=False)
        client.predict(ref, str(job_id), "reject", "Frontend only: no data pipelines", "someone else",
                       api_name="/record_decision")
    assert candidate_record(ref).decisions[0].decided_by == "olga.petrova"


@pytest.mark.browser
@pytest.mark.slow
def test_browser_filter_open_decide_export_and_delete(workbench_url, browser):
    reason = "Strong Python; no Spark or Airflow yet, revisit after the ML team's opening"
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(workbench_url)
        page.locator("#screen-run").wait_for(timeout=60_000)
        # screened while the page is open: the tab reads the store again when it is opened
        job_id, refs = _screened(*(p.name for p in RESUMES))
        ref = refs["anna_smirnova_ml_engineer.pdf"]
        name = candidate_record(ref).name
        job = next(j for j in list_jobs() if j.id == job_id)
        page.get_by_role("tab", name=msg("ctab_tab", "en"), exact=True).first.click()
        page.locator("#cand-job input").click()
        page.get_by_role("option", name=f"{job.title} · {msg('ctab_screened_n', 'en', n=job.screened)}").first.click()
        table = page.locator("#cand-table")
        row = table.get_by_text(name, exact=True).filter(visible=True)  # (the table also keeps hidden copies of cells)
        row.first.wait_for(timeout=30_000)
        page.locator("#cand-search textarea, #cand-search input").first.fill(name.split()[0])
        page.locator("#cand-find").click()
        row.first.click()  # picking a row opens the whole record

        record = page.locator("[data-testid=candidate-record]")
        record.wait_for(timeout=30_000)
        assert name in record.locator("h2").inner_text()
        assert job.title in record.locator("[data-testid=fit-job]").first.inner_text()
        assert "/100" in record.locator("[data-testid=report-card]").first.inner_text()
        assert "anna_smirnova_ml_engineer.pdf" in record.locator("[data-testid=cand-documents]").inner_text()
        # a person decides: nothing is chosen for them
        assert not page.locator("#cand-decision input:checked").count()
        page.locator("#cand-record-decision").click()
        page.get_by_text(msg("ctab_pick_decision", "en")).first.wait_for(timeout=30_000)
        page.locator("#cand-decision").get_by_label(msg("dec_hold", "en"), exact=True).check()
        page.locator("#cand-reason textarea").fill(reason)
        page.locator("#cand-decided-by textarea, #cand-decided-by input").first.fill("Olga Petrova")
        page.locator("#cand-record-decision").click()
        history = page.locator("[data-testid=decision-history]")
        history.get_by_text(reason).wait_for(timeout=30_000)
        assert "Olga Petrova" in history.inner_text() and msg("dec_hold", "en") in history.inner_text()

        page.get_by_text(msg("ctab_export", "en"), exact=True).first.click()
        page.locator("#cand-export").click()
        link = page.locator("#cand-exported a").first
        link.wait_for(timeout=30_000)
        download = page.request.get(urljoin(workbench_url, link.get_attribute("href")))  # what the person downloads
        rows = [r for r in csv.DictReader(io.StringIO(download.text())) if r["candidate_ref"] == ref]
        assert [(r["decision"], r["reason"], r["decided_by"]) for r in rows] == [("hold", reason, "Olga Petrova")]

        page.get_by_text(msg("ctab_delete", "en"), exact=True).first.click()
        page.locator("#cand-delete").click()  # not confirmed yet: refused, nothing deleted
        page.get_by_text(msg("ctab_confirm_first", "en")).first.wait_for(timeout=30_000)
        assert candidate_record(ref).name == name
        page.locator("#cand-confirm input").check()
        page.locator("#cand-delete").click()
        page.locator("#cand-status").get_by_text(msg("ctab_deleted", "en", name=name)).wait_for(timeout=30_000)
        row.first.wait_for(state="detached", timeout=30_000)  # the list is searched again
        assert not page.locator("[data-testid=candidate-record]").count()
    finally:
        context.close()
    assert ref not in {c.ref for c in list_candidates(CandidateFilter(job_id=job_id))}


def test_a_person_merges_two_records_of_one_candidate_and_splits_a_document_off(workbench_url):
    """Through the tab's API: two different sample people merged into one record (as a person would fix a
    duplicate), then the merged document split off again; each step lands in the audit log with the name."""
    from core.services.audit import list_audit

    job_id, refs = _screened("anna_smirnova_ml_engineer.pdf", "john_carter_frontend.docx")
    keep, other = refs["anna_smirnova_ml_engineer.pdf"], refs["john_carter_frontend.docx"]
    assert keep != other
    client = Client(workbench_url, verbose=False)
    with pytest.raises(Exception, match=re.escape(msg("id_err_same", "en", ref=keep))):
        client.predict(keep, keep, "Olga Petrova", api_name="/merge_candidates")
    status = client.predict(keep, other, "Olga Petrova", api_name="/merge_candidates")
    assert status.startswith(msg("ctab_merged", "en", other=other, ref=keep, links=0).split(" (")[0])
    record = candidate_record(keep)
    assert {d.filename for d in record.documents} >= {"anna_smirnova_ml_engineer.pdf", "john_carter_frontend.docx"}
    with pytest.raises(LocalizedError, match="No candidate with reference"):
        candidate_record(other)  # the duplicate record is gone

    status = client.predict(keep, "john_carter_frontend.docx", "Olga Petrova", api_name="/split_document")
    new_ref = status.rsplit(" ", 1)[-1].rstrip(".")
    assert status == msg("ctab_split_done", "en", document="john_carter_frontend.docx", ref=new_ref)
    assert [d.filename for d in candidate_record(new_ref).documents] == ["john_carter_frontend.docx"]
    assert "john_carter_frontend.docx" not in {d.filename for d in candidate_record(keep).documents}
    actions = [(a.action, a.actor) for a in list_audit(limit=20)]
    assert ("merge", "Olga Petrova") in actions and ("split", "Olga Petrova") in actions

"""Demo visitors are isolated: each sees, opens, deletes, decides on and sends interview links for only what they
made; the sample data is shared and read-only; the team (outside demo mode) sees everything as before.

At the service layer with two visitor ids, then on a real demo server (HIRELAB_DEMO=1, in-memory store) with two
gradio_client clients (each its own Gradio session) and with two Chromium contexts (each its own browser storage)."""

from __future__ import annotations

import re
import uuid

import pytest

from core.messages import LocalizedError, msg
from core.services.owners import NotYours, new_visitor_id, request_owner
from tests.paths import SAMPLES

JOB = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")


def _resume(name: str) -> tuple[str, str]:
    """A resume nobody else has (a fresh e-mail), and the e-mail."""
    email = f"{name.split()[0].lower()}.{uuid.uuid4().hex[:10]}@example.org"
    return (f"{name}\n{email}, +7 916 {uuid.uuid4().int % 900 + 100} 12 34\nML engineer, 5 years of experience.\n"
            "Python, PyTorch, Hugging Face Transformers, LoRA fine-tuning, RAG with FAISS, FastAPI, Docker.\n"), email


def _screen_as(owner: str, text: str) -> str:
    """Screen one pasted resume as ``owner`` with rules; the ref of the candidate it made."""
    from core.services.records import CandidateFilter, list_candidates
    from core.services.screening import ScreenInput, ScreenOptions, screen

    email = CandidateFilter(text=text.splitlines()[1].split(",")[0])
    before = {c.ref for c in list_candidates(email, owner=owner)}
    rows = screen(JOB, [ScreenInput("pasted_resume.txt", text.encode("utf-8"))], ScreenOptions(profile="rules", owner=owner))
    assert rows[0].ok
    [made] = {c.ref for c in list_candidates(email, owner=owner)} - before
    return made


# the services ---------------------------------------------------------------------------------------------------
def test_the_owner_of_a_request_is_the_team_outside_demo_and_a_random_visitor_in_it():
    visitor = new_visitor_id()
    assert re.fullmatch(r"v[0-9a-f]{32}", visitor) and new_visitor_id() != visitor
    assert request_owner(False, visitor, "session-1") == ""  # a team server: everything is the team's, as before
    assert request_owner(True, visitor, "session-1") == visitor
    by_session = request_owner(True, None, "session-1")  # an API client that sends no id: its Gradio session
    assert by_session == request_owner(True, "not-an-id", "session-1") != request_owner(True, None, "session-2")
    assert len(by_session) <= 64 and "session-1" not in by_session
    assert request_owner(True, "", None) != request_owner(True, "", None)  # nothing at all: nobody's


def test_services_give_each_visitor_only_their_own_records_runs_and_links():
    from core.services import interviews as iv
    from core.services.decisions import list_decisions, record_decision
    from core.services.deletion import delete_candidate
    from core.services.records import CandidateFilter, RecordsError, candidate_record, list_candidates, list_jobs
    from core.services.screen_runs import open_screening, recent_screenings

    a, b = new_visitor_id(), new_visitor_id()
    text, email = _resume("Zofia Lindqvist")
    ref_a = _screen_as(a, text)
    mine = CandidateFilter(text=email)
    # B sees nothing of A's: not in the list, the record, the jobs' counts, the runs, the decisions
    assert list_candidates(mine, owner=b) == []
    with pytest.raises(RecordsError):
        candidate_record(ref_a, owner=b)
    run_a = next(r for r in recent_screenings(50, owner=a) if r.config.get("files") == 1)
    assert run_a.run_id not in {r.run_id for r in recent_screenings(50, owner=b)}
    assert open_screening(run_a.run_id, owner=b) is None and open_screening(run_a.run_id, owner=a) is not None
    # B can change nothing of A's, and is told so in their language
    for attempt in (lambda: delete_candidate(ref_a, "Bob", owner=b),
                    lambda: record_decision(ref_a, "reject", "not a fit", "Bob", owner=b),
                    lambda: iv.create_interview(iv.set_questions("python_developer/design", "en"), ref_a, owner=b)):
        with pytest.raises(NotYours) as refused:
            attempt()
        assert str(refused.value) == msg("own_not_yours", "en", ref=ref_a)
        assert refused.value.text("ru") == msg("own_not_yours", "ru", ref=ref_a) and "не из ваших" in refused.value.text("ru")
    # A can: a decision, and a link B cannot list or read
    b_counts = {j.id: (j.advanced, j.decided) for j in list_jobs(owner=b)}  # the samples' (other tests decide on them)
    record_decision(ref_a, "advance", "strong RAG work", "Alice", owner=a)
    link = iv.create_interview(iv.set_questions("python_developer/design", "en"), ref_a, owner=a)
    assert link.token in {i.token for i in iv.list_interviews(owner=a)}
    assert link.token not in {i.token for i in iv.list_interviews(owner=b)}
    assert iv.find_interview(link.token, owner=b) is None and iv.find_interview(link.token, owner=a) is not None
    assert ref_a not in {d.candidate_ref for d, _ in list_decisions(owner=b)}
    job = next(j for j in list_jobs(owner=a) if j.title.startswith("LLM Engineer"))
    assert job.advanced >= 1 and {j.id: (j.advanced, j.decided) for j in list_jobs(owner=b)} == b_counts
    # a link sent by name makes B's own record, never A's
    named = iv.create_interview(iv.set_questions("python_developer/design", "en"), "Zofia Lindqvist", owner=b)
    assert named.candidate_ref != ref_a and candidate_record(named.candidate_ref, owner=b).name == "Zofia Lindqvist"

    # B screens the very same resume: B's own record; deleting it leaves A's whole
    ref_b = _screen_as(b, text)
    assert ref_b != ref_a and [c.ref for c in list_candidates(mine, owner=b)] == [ref_b]
    delete_candidate(ref_b, "Bob", owner=b)
    kept = candidate_record(ref_a, owner=a)
    assert kept.documents and kept.fits and kept.decisions and kept.interviews
    assert open_screening(run_a.run_id, owner=a).rows[0].report is not None
    # the team (owner "") sees every record, as a team server always did
    assert ref_a in {c.ref for c in list_candidates(mine)}
    delete_candidate(ref_a, "Alice", owner=a)
    assert list_candidates(mine) == []


def test_samples_are_shared_read_only():
    from core.services.decisions import record_decision
    from core.services.deletion import delete_candidate
    from core.services.records import CandidateFilter, candidate_record, list_candidates

    text, email = _resume("Ilse Marquardt")
    sample = _screen_as("", text)  # made by the server itself, as the demo's sample screening is
    visitor = new_visitor_id()
    assert [c.ref for c in list_candidates(CandidateFilter(text=email), owner=visitor)] == [sample]
    assert candidate_record(sample, owner=visitor).fits  # readable
    for attempt in (lambda: delete_candidate(sample, "Bob", owner=visitor),
                    lambda: record_decision(sample, "reject", "no", "Bob", owner=visitor)):
        with pytest.raises(LocalizedError) as refused:
            attempt()
        assert str(refused.value) == msg("own_sample", "en", ref=sample)
    # the visitor screening the same resume gets a record of their own; the sample keeps its document
    own = _screen_as(visitor, text)
    assert own != sample
    delete_candidate(own, "Bob", owner=visitor)
    assert candidate_record(sample, owner=visitor).documents and candidate_record(sample).fits
    delete_candidate(sample, "team")


# a real demo server -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_server():
    """The product's server (workbench and interview page) in demo mode, open, with its in-memory store."""
    from workbench.server import serve

    with pytest.MonkeyPatch.context() as mp:
        for name in ("SPACE_ID", "HIRELAB_USERS", "HIRELAB_USERS_FILE", "HIRELAB_HOSTED"):
            mp.delenv(name, raising=False)
        mp.setenv("HIRELAB_DEMO", "1")
        served = serve("127.0.0.1", 0, block=False, quiet=True)
        try:
            yield served.url
        finally:
            served.server.force_exit = True
            served.close()


def _listed(client, email: str) -> list[list]:
    table, _pick = client.predict("", 0, 100, "any", False, email, api_name="/candidates")
    return table["data"]


def test_two_api_clients_of_the_demo_see_only_their_own(demo_server):
    from gradio_client import Client

    from core.services.records import CandidateFilter, list_candidates

    alice, bob = Client(demo_server, verbose=False), Client(demo_server, verbose=False)
    text, email = _resume("Ragnhild Solberg")
    alice.predict([], text, JOB, "rules", False, api_name="/screen")
    [made] = list_candidates(CandidateFilter(text=email))  # the server's own store: this process, in memory
    ref = made.ref
    assert [row[3] for row in _listed(alice, email)] == ["Ragnhild Solberg"]
    assert _listed(bob, email) == []
    with pytest.raises(Exception, match=re.escape(msg("rec_not_found", "en", ref=ref))):
        bob.predict(ref, api_name="/candidate_record")
    with pytest.raises(Exception, match=re.escape(msg("rec_not_found", "en", ref=ref))):  # not there, for B
        bob.predict(ref, True, "Bob", api_name="/delete_candidate")
    with pytest.raises(Exception, match=re.escape(msg("own_not_yours", "en", ref=ref))):
        bob.predict("python_developer/design", ref, "en", 30, 24, "rules", api_name="/interview_create")
    url, _ = alice.predict("python_developer/design", ref, "en", 30, 24, "rules", api_name="/interview_create")
    alice_links, _ = alice.predict(api_name="/interview_list")
    bob_links, _ = bob.predict(api_name="/interview_list")
    token = url.split("token=", 1)[1]
    assert any(token in row[-1] for row in alice_links["data"])
    assert not any(token in str(row) for row in bob_links["data"])
    assert bob.predict(token, api_name="/interview_answers")["data"] == []
    record, *_ = alice.predict(ref, api_name="/candidate_record")
    assert "Ragnhild Solberg" in record and email in record
    assert list_candidates(CandidateFilter(text=email))  # B's refused deletion left it there
    alice.predict(ref, True, "Alice", api_name="/delete_candidate")
    assert list_candidates(CandidateFilter(text=email)) == []


@pytest.mark.browser
def test_two_browsers_of_the_demo_see_only_their_own_candidates(demo_server, browser):
    from playwright.sync_api import expect

    text, email = _resume("Henrikke Aasen")
    one, two = browser.new_context(), browser.new_context()
    try:
        a = one.new_page()
        a.goto(demo_server)
        a.locator("[data-testid=report-card]").first.wait_for(timeout=120_000)  # the sample screening on show
        a.locator("#screen-pasted textarea").fill(text)
        a.locator("#screen-run").click()
        a.locator("[data-testid=report-card]", has_text="pasted_resume.txt").first.wait_for(timeout=120_000)
        a.reload()  # the visitor id lives in the browser: after a reload A is still A
        a.get_by_role("tab", name="Candidates").click()
        a.locator("#cand-table", has_text="Henrikke Aasen").wait_for(timeout=60_000)

        b = two.new_page()
        b.goto(demo_server)
        b.get_by_role("tab", name="Candidates").click()
        b.locator("#cand-table", has_text="Anna Smirnova").wait_for(timeout=60_000)  # the shared samples
        assert "Henrikke Aasen" not in b.locator("#cand-table").inner_text()
        b.locator("#cand-search textarea").fill(email)
        b.locator("#cand-find").click()
        expect(b.locator("#cand-table")).not_to_contain_text("Anna Smirnova", timeout=60_000)  # the search ran
        assert "Henrikke Aasen" not in b.locator("#cand-table").inner_text()
    finally:
        one.close()
        two.close()

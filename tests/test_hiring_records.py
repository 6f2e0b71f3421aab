"""Hiring records on a real store: screening makes candidates, people decide, exports are safe, deletion leaves
nothing, the audit log holds no personal data, retention, and an old database upgraded in place.

Screening is real (profile ``rules`` on the sample resumes); the store is a real SQLite file, and a real
PostgreSQL server where Debian's package can start one.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.paths import SAMPLES

ANNA = SAMPLES / "resumes" / "anna_smirnova_ml_engineer.pdf"
JOHN = SAMPLES / "resumes" / "john_carter_frontend.docx"
JOB = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")
JOB_2 = (SAMPLES / "jobs" / "data_engineer_en.txt").read_text(encoding="utf-8")


@pytest.fixture()
def records(store, tmp_path, monkeypatch):
    """A fresh store (and HIRELAB_HOME) that screening writes to, with Anna and John screened for one job."""
    monkeypatch.setenv("HIRELAB_DB_URL", store.url)
    monkeypatch.setenv("HIRELAB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HIRELAB_RETENTION_DAYS", raising=False)
    rows = _screen(JOB, ANNA, JOHN)
    assert all(r.ok for r in rows), [r.error for r in rows]
    return store


def _screen(job: str, *paths: Path):
    from core.services.screening import ScreenInput, ScreenOptions, screen

    return screen(job, [ScreenInput.from_path(p) for p in paths], ScreenOptions(profile="rules"))


def _ref(store, name: str) -> str:
    from core.services.records import list_candidates

    [found] = [c for c in list_candidates(store=store) if c.name == name]
    return found.ref


def _count(store, table) -> int:
    with store.session() as s:
        return len(list(s.scalars(select(table))))


def _texts(store) -> list[tuple[str, str]]:
    """Every stored text and JSON value of every table, as (table, text)."""
    from core.store.tables import Base

    out = []
    with store.session() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)).mappings():
                for value in row.values():
                    if isinstance(value, (dict, list)):
                        out.append((table.name, json.dumps(value, ensure_ascii=False)))
                    elif isinstance(value, str):
                        out.append((table.name, value))
    return out


def test_screening_finds_or_creates_candidates_and_links_their_reports(records):
    from core.services.records import CandidateFilter, candidate_record, list_candidates, list_jobs
    from core.store.tables import CandidateLinkRow

    found = {c.name: c for c in list_candidates(store=records)}
    assert set(found) == {"Anna Smirnova", "John Carter"}  # names from the resumes, not file names
    anna = candidate_record(found["Anna Smirnova"].ref, store=records)
    assert anna.email == "anna.smirnova@example.com"
    assert [d.filename for d in anna.documents] == [ANNA.name]
    assert len(anna.fits) == 1 and anna.fits[0].job_title == found["Anna Smirnova"].jobs[0]
    assert anna.fits[0].report.match_score == found["Anna Smirnova"].best_score
    assert found["Anna Smirnova"].decision is None  # the tool's recommendation is never a decision
    links = _count(records, CandidateLinkRow)

    _screen(JOB, ANNA, JOHN)  # the same files again: the same candidates, no duplicate links
    assert len(list_candidates(store=records)) == 2 and _count(records, CandidateLinkRow) == links

    _screen(JOB_2, ANNA)  # another job: the same candidate, now screened for two jobs
    again = candidate_record(found["Anna Smirnova"].ref, store=records)
    assert len(again.fits) == 2 and len(again.documents) == 1
    jobs = {j.title: j for j in list_jobs(store=records)}
    assert len(jobs) == 2 and sorted(j.screened for j in jobs.values()) == [1, 2]
    job2 = next(j for j in jobs.values() if j.screened == 1)
    assert [c.name for c in list_candidates(CandidateFilter(job_id=job2.id), store=records)] == ["Anna Smirnova"]
    low = list_candidates(CandidateFilter(max_score=found["John Carter"].best_score), store=records)
    assert "John Carter" in [c.name for c in low] and "Anna Smirnova" not in [c.name for c in low]


def test_a_decision_needs_a_reason_and_a_name(records):
    from core.services.decisions import DecisionError, record_decision
    from core.services.records import RecordsError
    from core.store.tables import DecisionRow

    ref = _ref(records, "Anna Smirnova")
    for decision, reason, by in (("advance", "", "Olga"), ("advance", "   ", "Olga"), ("advance", "strong NLP", ""),
                                 ("maybe", "strong NLP", "Olga")):
        with pytest.raises(DecisionError) as err:
            record_decision(ref, decision, reason, by, store=records)
        assert err.value.text("ru") != str(err.value)  # said in Russian too
    with pytest.raises(RecordsError):
        record_decision("c-no-such", "advance", "strong NLP", "Olga", store=records)
    assert _count(records, DecisionRow) == 0


def test_a_decision_keeps_what_the_person_was_shown(records):
    from core.services.decisions import record_decision
    from core.services.records import CandidateFilter, candidate_record, list_candidates

    ref = _ref(records, "John Carter")
    fit = candidate_record(ref, store=records).fits[0]
    info = record_decision(ref, "reject", "No NLP work in the resume", "Olga Petrova", store=records)
    assert (info.decision, info.decided_by, info.job_id) == ("reject", "Olga Petrova", fit.job_id)
    assert info.shown["score"] == fit.report.match_score
    assert info.shown["recommendation"] == fit.report.recommendation
    assert info.shown["profile"] == "rules" and info.shown["prompt_version"] == fit.report.provenance.prompt_version
    assert [c.name for c in list_candidates(CandidateFilter(decision="reject"), store=records)] == ["John Carter"]
    assert [c.name for c in list_candidates(CandidateFilter(decision="none"), store=records)] == ["Anna Smirnova"]
    assert candidate_record(ref, store=records).decisions[0].reason == "No NLP work in the resume"


def test_decision_export_neutralises_formulas(records, tmp_path):
    from core.services.audit import list_audit
    from core.services.decisions import export_decisions, record_decision

    formula = '=HYPERLINK("http://evil.example","click")'
    record_decision(_ref(records, "Anna Smirnova"), "advance", formula, "Olga", store=records)
    record_decision(_ref(records, "John Carter"), "hold", "@SUM(A1:A2) and -1", "+Olga", store=records)
    path = export_decisions("csv", "Olga", out_dir=tmp_path, store=records)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {r["reason"] for r in rows} == {"'" + formula, "'@SUM(A1:A2) and -1"}
    assert "'+Olga" in {r["decided_by"] for r in rows}
    assert not any(v[:1] in "=+-@" for r in rows for v in r.values() if v)
    data = json.loads(export_decisions("json", "Olga", out_dir=tmp_path, store=records).read_text(encoding="utf-8"))
    assert formula in {r["reason"] for r in data}  # JSON keeps the text as written
    exports = list_audit(action="export", store=records)
    assert [e.detail["format"] for e in exports] == ["json", "csv"] and exports[0].actor == "Olga"


def test_deleting_a_candidate_leaves_no_trace_and_a_pii_free_tombstone(records):
    from core.services.audit import list_audit
    from core.services.decisions import export_decisions, record_decision
    from core.services.deletion import delete_candidate
    from core.services.grading import AnswerInput, grade_answers
    from core.services.questions import interview_questions
    from core.services.records import RecordsError, candidate_record
    from core.store.tables import DocumentRow

    ref = _ref(records, "Anna Smirnova")
    anna = candidate_record(ref, store=records)
    with records.session() as s:
        doc = s.get(DocumentRow, anna.documents[0].id)
        doc_text, doc_sha = doc.text, doc.sha256
    graded = grade_answers([AnswerInput(candidate="anna SMIRNOVA", question="What is a transformer's attention?",
                                        answer="Attention weighs every token against the others to mix context.")],
                           "rules")
    assert graded[0].ok
    from core.documents import Document

    stored = Document(filename="anna.pdf", sha256=doc_sha, media_type="application/pdf", text=doc_text, pages=1,
                      language="en", engine="pymupdf")
    assert interview_questions(stored, JOB, "rules", candidate=ANNA.name).ok
    record_decision(ref, "advance", "Strong NLP background", "Olga", store=records)
    export = export_decisions("csv", "Olga", store=records)  # under HIRELAB_HOME: a stored file naming her
    full = candidate_record(ref, store=records)
    assert len(full.grades) == 1 and len(full.questions) == 1 and len(full.decisions) == 1

    report = delete_candidate(ref, "Olga", store=records)
    assert report.documents == 1 and report.decisions == 1 and report.results >= 3 and report.files == 1
    assert not export.exists()
    needles = ["smirnova", anna.email.lower(), ANNA.name.lower(), doc_sha]
    left = [(t, text[:80]) for t, text in _texts(records) if any(n in text.lower() for n in needles)]
    assert left == []
    with pytest.raises(RecordsError):
        candidate_record(ref, store=records)
    assert candidate_record(_ref(records, "John Carter"), store=records).fits  # the other candidate is untouched

    log = list_audit(store=records)
    actions = {e.action for e in log}
    assert {"screen", "grade", "questions", "decision", "export", "delete"} <= actions
    [tomb] = [e for e in log if e.action == "delete"]
    assert tomb.candidate_ref == ref and tomb.detail["documents"] == 1 and tomb.actor == "Olga"
    screens = [e for e in log if e.action == "screen" and e.candidate_ref == ref]
    assert screens and all(e.model_profile == "rules" and len(e.input_hash) == 64 and e.run_id for e in screens)


def test_retention_deletes_only_candidates_not_updated_for_that_long(records, monkeypatch):
    from core.services.audit import list_audit
    from core.services.deletion import apply_retention
    from core.services.records import list_candidates
    from core.store.tables import CandidateRow

    assert apply_retention(store=records) == 0  # off unless set
    old = _ref(records, "John Carter")
    with records.session() as s:
        row = s.scalar(select(CandidateRow).where(CandidateRow.ref == old))
        s.execute(CandidateRow.__table__.update().where(CandidateRow.id == row.id)
                  .values(updated_at=datetime.now(timezone.utc) - timedelta(days=40)))
    assert apply_retention(60, store=records) == 0
    monkeypatch.setenv("HIRELAB_RETENTION_DAYS", "30")
    assert apply_retention(store=records) == 1
    assert [c.name for c in list_candidates(store=records)] == ["Anna Smirnova"]
    assert [e.candidate_ref for e in list_audit(action="retention_delete", store=records)] == [old]


def test_cli_decide_refuses_without_reason_and_lists_candidates(records):
    from typer.testing import CliRunner

    from cli import app

    runner = CliRunner()
    ref = _ref(records, "Anna Smirnova")
    refused = runner.invoke(app, ["decide", ref, "advance", "--by", "Olga"])
    assert refused.exit_code == 2 and "reason" in refused.output
    done = runner.invoke(app, ["decide", ref, "advance", "--reason", "Strong NLP", "--by", "Olga"])
    assert done.exit_code == 0, done.output
    listed = [json.loads(line) for line in runner.invoke(app, ["candidates", "--json"]).output.splitlines()]
    assert {c["name"]: c["decision"] for c in listed} == {"Anna Smirnova": "advance", "John Carter": None}
    log = [json.loads(line) for line in runner.invoke(app, ["audit", "--json", "--limit", "1"]).output.splitlines()]
    assert log[0]["action"] == "decision" and log[0]["candidate_ref"] == ref


def test_upgrade_from_0002_keeps_the_data(tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from core.services.records import list_candidates, list_jobs
    from core.store import Store
    from core.store.db import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        now = datetime.now(timezone.utc)
        conn.execute(text("INSERT INTO jobs (id, sha256, title, text, created_at) VALUES (7, 'j', 'Old job', 'x', :at)"),
                     {"at": now})
        conn.execute(text("INSERT INTO runs (id, kind, name, status, config, summary, path, created_at, updated_at) "
                          "VALUES ('r1', 'screen', 'Old job', 'done', '{}', '{}', '', :at, :at)"), {"at": now})
    engine.dispose()
    store = Store(url)  # opening applies the later migrations
    assert [(j.id, j.title) for j in list_jobs(store=store)] == [(7, "Old job")]
    assert store.get_run("r1").name == "Old job"
    assert list_candidates(store=store) == []


def test_records_round_trip_on_postgresql(monkeypatch, tmp_path):
    from tests.pg_cluster import pg_url

    from core.services.decisions import record_decision
    from core.services.deletion import delete_candidate
    from core.services.records import candidate_record, list_candidates
    from core.store import db, get_store

    with pg_url() as url:
        store = get_store(url)  # migrations run on PostgreSQL; screening below writes through the same store
        monkeypatch.setenv("HIRELAB_DB_URL", url)
        monkeypatch.setenv("HIRELAB_HOME", str(tmp_path / "home"))
        assert all(r.ok for r in _screen(JOB, ANNA))
        [anna] = list_candidates(store=store)
        assert anna.name == "Anna Smirnova" and anna.best_score is not None
        info = record_decision(anna.ref, "advance", "Strong NLP background", "Olga", store=store)
        assert info.shown["score"] == anna.best_score
        assert candidate_record(anna.ref, store=store).decisions[0].decided_by == "Olga"
        delete_candidate(anna.ref, "Olga", store=store)
        assert list_candidates(store=store) == []
        assert not [t for t, text in _texts(store) if "smirnova" in text.lower()]
        db._stores.pop(url, None)
        store.engine.dispose()

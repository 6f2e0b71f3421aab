"""Interview questions from a resume (+ job): question bank path (rules), bundled model path, quote checks, CLI."""

import json

import pytest
from typer.testing import CliRunner

from cli import app
from core.documents import DocFlag, Document
from core.schemas import Provenance, QuestionDraft, QuestionSet
from core.schemas.questions import QUESTION_KINDS
from core.services.question_bank import load_bank
from core.services.questions import QuestionsError, interview_questions
from tests.paths import SAMPLES

SRC = SAMPLES / "src"
ANNA = (SRC / "anna_smirnova_ml_engineer.md").read_text(encoding="utf-8")
DMITRY = (SRC / "dmitry_kozlov_python_backend_ru.md").read_text(encoding="utf-8")
JOB_RU = (SAMPLES / "jobs" / "python_backend_ru.txt").read_text(encoding="utf-8")
JOB_WITH_GAP = "Backend engineer. Requirements: Python, PostgreSQL, Celery for background jobs, Redis caching."


def resume(text: str, name: str = "resume.txt", flags: tuple[DocFlag, ...] = ()) -> Document:
    """A resume as the questions service takes it: a Document, here straight from its text."""
    import hashlib

    return Document(filename=name, sha256=hashlib.sha256(text.encode()).hexdigest(), media_type="text/plain",
                    text=text, pages=1, language="en", engine="text", flags=list(flags))


def test_question_bank_has_both_sets_blocks_roles_and_both_languages():
    bank = load_bank()
    sets = {s.id: s for s in bank.sets}
    assert {"python_developer", "llm_engineer"} <= set(sets)
    assert [b.id for b in sets["llm_engineer"].blocks] == ["fundamentals", "practical", "production"]
    assert {r.id for r in bank.roles} == {"data_engineer", "ml_ops", "product_manager"}
    for q in bank.questions():
        assert q.question.en != q.question.ru and q.reference.en != q.reference.ru and len(q.reference.en) > 100
    assert bank.match("  what is THE gil, and when would you use threads, asyncio or multiprocessing in python? ")[0].id == "py-gil-concurrency"


def test_rules_profile_ties_every_question_to_the_resume_or_a_job_gap():
    out = interview_questions(resume(ANNA), JOB_WITH_GAP, "rules", candidate="Anna")
    assert out.ok, out.error
    qs = out.questions
    assert [q.kind for q in qs.questions] == list(QUESTION_KINDS)
    assert qs.unverified_quotes == 0 and all(q.verified for q in qs.questions)
    gaps = [q for q in qs.questions if q.basis == "job_gap"]
    assert gaps and all(q.quote in JOB_WITH_GAP for q in gaps)  # Anna's resume has no Celery: a gap question
    assert all(q.quote in ANNA for q in qs.questions if q.basis == "resume")
    assert all(len(q.strong_answer) > 80 for q in qs.questions)
    assert qs.provenance.engine == "question-bank" and qs.language == "en"
    again = interview_questions(resume(ANNA), JOB_WITH_GAP, "rules", candidate="Anna")
    assert again.cached and again.questions.questions == qs.questions


def test_the_set_names_the_resumes_hidden_text_and_defaults_to_its_file_name():
    flag = DocFlag(kind="hidden_text", snippet="Ignore previous instructions")
    out = interview_questions(resume(ANNA, "anna.pdf", (flag,)), JOB_WITH_GAP, "rules")
    assert out.ok and out.questions.document_flags == ["hidden_text"] and out.questions.candidate == "anna.pdf"
    assert interview_questions(resume(ANNA), JOB_WITH_GAP, "rules").questions.document_flags == []  # same text, no flag


def test_russian_job_gives_russian_questions():
    out = interview_questions(resume(DMITRY), JOB_RU, "rules")
    assert out.ok and out.questions.language == "ru"
    assert all(any("а" <= ch <= "я" for ch in q.question.lower()) for q in out.questions.questions)


def test_quotes_are_checked_against_their_source():
    prov = Provenance(model_profile="x", engine="x", prompt_version="x", input_hash="x", seconds=0)
    drafts = [QuestionDraft(kind="framework", question="How did you use FastAPI there?", basis="resume",
                            quote="Deployed models with FastAPI", strong_answer="Explains async endpoints."),
              QuestionDraft(kind="database", question="Tell me about MongoDB sharding.", basis="resume",
                            quote="ran MongoDB clusters for 5 years", strong_answer="Explains shard keys."),
              QuestionDraft(kind="system_design", question="How would you add Celery?", basis="job_gap",
                            quote="Celery for background jobs", strong_answer="Explains queues and retries.")]
    qs = QuestionSet.from_drafts(drafts, ANNA, JOB_WITH_GAP, "Anna", prov)
    assert [q.verified for q in qs.questions] == [True, False, True] and qs.unverified_quotes == 1


def test_too_short_resume_and_unknown_profile_are_refused_with_advice():
    with pytest.raises(QuestionsError, match="too short"):
        interview_questions(resume("John, Python"), "", "rules")
    with pytest.raises(QuestionsError, match="known profiles"):
        interview_questions(resume(ANNA), "", "no-such-profile")


@pytest.mark.slow
def test_bundled_model_writes_schema_valid_checked_questions(offline_engine):
    out = interview_questions(resume(ANNA), JOB_WITH_GAP, "offline", candidate="Anna")
    assert out.ok, out.error
    qs = out.questions
    assert [q.kind for q in qs.questions] == list(QUESTION_KINDS)
    assert qs.provenance.engine == "transformers" and out.raw.strip().startswith("{")
    assert qs.unverified_quotes == sum(not q.verified for q in qs.questions)
    for q in qs.questions:  # a quote marked verified is really in its source
        if q.verified:
            source = ANNA if q.basis == "resume" else JOB_WITH_GAP
            assert q.quote.lower().strip(" .,;:!?\"'()[]-") in " ".join(source.lower().split())


def test_cli_questions_prints_the_set_and_writes_json(tmp_path):
    out = tmp_path / "q.json"
    result = CliRunner().invoke(app, ["questions", str(SAMPLES / "resumes" / "anna_smirnova_ml_engineer.pdf"),
                                      "--job", str(SAMPLES / "jobs" / "llm_engineer_en.txt"), "--model", "rules",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "[system_design]" in result.stdout and "strong answer:" in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["questions"]) == 5 and data["candidate"] == "anna_smirnova_ml_engineer.pdf"
    bad = CliRunner().invoke(app, ["questions", str(tmp_path / "nope.pdf"), "--model", "rules"])
    assert bad.exit_code == 2 and "cannot be opened" in bad.output

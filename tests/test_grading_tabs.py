"""The "Score answers" and "Interview questions" tabs on the real Gradio workbench, through gradio_client."""

import csv

import pytest
from gradio_client import Client, handle_file

from tests.paths import SAMPLES
from workbench.tabs.grading import TABLE_COLUMNS

BAD_ROW_FILE = (
    "candidate,question,answer,human_score\n"
    "Tab Tester,What is a Python decorator?,A function that wraps another function to add behaviour.,4\n"
    "Tab Tester,,an answer with no question,2\n"
    "Tab Tester,What is a Python decorator?,Roses are red and violets are blue.,0\n"
)


@pytest.fixture(scope="module")
def client(workbench_url):
    return Client(workbench_url, verbose=False)


def test_bank_question_fills_the_form(client):
    question, reference = client.predict("llm-peft-lora|ru", api_name="/grade_bank_question")
    assert "QLoRA" in question and "LoRA" in reference and "низкоранговую" in reference


def test_score_one_answer_with_rules_shows_criterion_cards(client):
    card, payload = client.predict("What is a Python decorator?", "A decorator wraps a function to add behaviour with the @ syntax.",
                                   "", "Tab Single", "rules", api_name="/grade_one")
    assert payload["ok"] and payload["grade"]["provenance"]["model_profile"] == "rules"
    assert card.count('class="hl-crit"') == 3 and "Technical correctness" in card
    assert f'{payload["grade"]["overall"]:.2f}/5' in card


@pytest.mark.slow
def test_score_one_answer_with_the_bundled_model(client, offline_engine):
    from core.services.grading import AnswerInput, grade_answers

    question, answer = "What does an index cost in a database?", "An index speeds up reads but slows down writes and takes disk space."
    own = grade_answers([AnswerInput(candidate="Tab Offline", question=question, answer=answer)], "offline")[0]
    assert own.ok, own.error
    card, payload = client.predict(question, answer, "", "Tab Offline", "offline", api_name="/grade_one")
    assert payload["ok"], payload["error"]
    assert payload["grade"]["provenance"]["engine"] == "transformers" and 'data-testid="grade-card"' in card
    assert payload["grade"]["overall"] == own.grade.overall  # the grade stored just above, not another one


def test_empty_question_is_refused_with_a_message(client):
    with pytest.raises(Exception, match="question is required"):
        client.predict("", "some answer", "", "", "rules", api_name="/grade_one")


def test_batch_file_reports_bad_row_grades_the_rest_and_exports(client, tmp_path):
    src = tmp_path / "answers.csv"
    src.write_text(BAD_ROW_FILE, encoding="utf-8")
    table, notes, cards, downloads, pick, summary, means = client.predict(handle_file(str(src)), "rules", api_name="/grade_file")
    assert len(table["data"]) == 2 and "row 3" in notes and "question is empty" in notes
    good, poem = (dict(zip(TABLE_COLUMNS, row)) for row in table["data"])
    assert float(good["overall"]) > float(poem["overall"])  # the real answer above the poem
    assert table["headers"][:2] == ["Overall", "Verdict"]  # the score first, human column names
    assert cards.count('data-testid="grade-card"') == 2
    csv_path = next(d for d in downloads if str(d).endswith(".csv"))
    assert [r["candidate"] for r in csv.DictReader(open(csv_path, encoding="utf-8"))] == ["Tab Tester", "Tab Tester"]
    assert pick["value"] == "Tab Tester" and "Tab Tester answered 2 questions" in summary
    assert [row[0] for row in means["data"]][-1] == "Overall"

    summary2, means2 = client.predict("Tab Tester", api_name="/candidate_view")  # from the store
    assert summary2 == summary and means2["data"] == means["data"]


def test_sample_file_scores_two_candidates(client):
    path = client.predict(api_name="/grade_sample_file")
    table, notes, _cards, _downloads, pick, _summary, _means = client.predict(handle_file(path), "rules", api_name="/grade_file")
    candidates = {dict(zip(TABLE_COLUMNS, row))["candidate"] for row in table["data"]}
    assert notes == "" and candidates == {"Alex Morgan", "Мария Иванова"}
    assert {"Alex Morgan", "Мария Иванова"} <= {c[0] for c in pick["choices"]}


def test_interview_questions_tab_with_rules(client):
    resume, job = client.predict(api_name="/questions_sample")
    cards, payload, download = client.predict(handle_file(resume), "", job, "rules", "auto", api_name="/interview_questions")
    assert cards.count('data-testid="question-card"') == 5 and "System design" in cards
    assert payload["unverified_quotes"] == 0 and download.endswith(".json") and "unverified-note" not in cards
    ru_cards, ru_payload, _ = client.predict(handle_file(resume), "", job, "rules", "ru", api_name="/interview_questions")
    assert ru_payload["language"] == "ru" and "Проектирование" in ru_cards


def test_interview_questions_tab_explains_a_missing_resume(client):
    with pytest.raises(Exception, match="resume text is empty"):
        client.predict(None, "", "", "rules", "auto", api_name="/interview_questions")


@pytest.mark.slow
def test_interview_questions_tab_with_the_bundled_model(client, offline_engine):
    anna = (SAMPLES / "src" / "anna_smirnova_ml_engineer.md").read_text(encoding="utf-8")
    job = "Backend engineer. Requirements: Python, PostgreSQL, Celery for background jobs, Redis caching."
    cards, payload, _ = client.predict(None, anna, job, "offline", "auto", api_name="/interview_questions")
    # same input as test_questions: the stored set is reused when both run in one session
    assert len(payload["questions"]) == 5 and payload["provenance"]["engine"] == "transformers"
    assert cards.count('data-testid="question-card"') == 5
    assert ('data-testid="unverified-note"' in cards) == (payload["unverified_quotes"] > 0)

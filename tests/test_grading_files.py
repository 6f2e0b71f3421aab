"""Batch answer files, the tag wire format, the candidate view, exports and the `hirelab grade` command."""

import csv
import io
import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from cli import app
from core.schemas import AnswerGrade, CriterionScore, Provenance, parse_tag_format, to_tag_format
from core.schemas.grade import TagFormatError
from core.services.answer_files import AnswerFileError, read_answer_bytes, read_answer_file
from core.services.candidates import candidate_view, stored_view
from core.services.grade_export import CSV_COLUMNS, outcomes_to_csv
from core.services.grading import grade_answers

CSV_WITH_BAD_ROWS = (
    "candidate,question,answer,reference,human_score\n"
    "Ann,What is a Python decorator?,A function that wraps another function to add behaviour.,,4\n"
    "Ann,,An answer without its question,,3\n"  # row 3: no question
    "Ann,What is the GIL?,A lock in CPython that lets one thread run bytecode at a time.,,high\n"  # row 4: score not a number
    "Bob,What is RAG?,Retrieval of relevant chunks put into the prompt.,,7\n"  # row 5: out of scale
    'Bob,"What is an index?","It speeds up lookups",extra,2,oops\n'  # row 6: too many cells
    "Bob,What is an index?,A data structure that speeds up lookups at the cost of writes.,,\"<reasoning>Right, brief.</reasoning><score>3.5</score>\"\n"
)


def grade_of(overall_scores: tuple[int, int, int], question: str, candidate: str = "Ann") -> AnswerGrade:
    tc, da, ac = overall_scores
    prov = Provenance(model_profile="rules", engine="rules", prompt_version="rules", input_hash="x", seconds=0.0,
                      created_at=datetime.now(timezone.utc))
    return AnswerGrade(reasoning="r", verdict="weak", technical_correctness=CriterionScore(score=tc, explanation="e"),
                       depth_of_analysis=CriterionScore(score=da, explanation="e"),
                       accuracy_of_analysis=CriterionScore(score=ac, explanation="e"),
                       question=question, answer="a", candidate=candidate, provenance=prov)


def test_csv_with_malformed_rows_reports_each_and_keeps_the_rest():
    items, errors = read_answer_bytes(CSV_WITH_BAD_ROWS.encode(), "answers.csv")
    assert [i.candidate for i in items] == ["Ann", "Bob"]
    assert items[0].human_score == 4.0
    assert items[1].human_score == 3.5 and items[1].human_reasoning == "Right, brief."  # tag format imported
    by_row = {e.row: e.message for e in errors}
    assert set(by_row) == {3, 4, 5, 6}
    assert "question is empty" in by_row[3]
    assert "not a number" in by_row[4]
    assert "outside 0–5" in by_row[5]
    assert "6 cells but the header has 5" in by_row[6]


def test_jsonl_xlsx_and_russian_headers(tmp_path):
    jsonl = tmp_path / "answers.jsonl"
    jsonl.write_text('{"question": "Что такое GIL?", "answer": "Глобальная блокировка интерпретатора.", "score": "4,5"}\n'
                     "{not json}\n"
                     '["a list"]\n', encoding="utf-8")
    items, errors = read_answer_file(jsonl)
    assert len(items) == 1 and items[0].human_score == 4.5
    assert [e.row for e in errors] == [2, 3] and "not valid JSON" in errors[0].message

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Кандидат", "Вопрос", "Ответ", "Эталон", "Оценка"])
    sheet.append(["Мария", "Что такое индекс?", "Структура для быстрого поиска.", None, 4])
    sheet.append([None, None, None, None, None])  # blank rows are skipped silently
    sheet.append(["Мария", "Что такое транзакция?", None, None, 1])  # an empty answer is graded, not dropped
    xlsx = tmp_path / "answers.xlsx"
    book.save(xlsx)
    items, errors = read_answer_file(xlsx)
    assert not errors and [i.candidate for i in items] == ["Мария", "Мария"]
    assert items[0].question == "Что такое индекс?" and items[1].answer == ""


def test_unusable_files_say_what_is_wrong(tmp_path):
    with pytest.raises(AnswerFileError, match="no answer column .*found columns: question, text"):
        read_answer_bytes(b"question,text\nq,a\n", "x.csv")
    with pytest.raises(AnswerFileError, match="empty"):
        read_answer_bytes(b"  \n", "x.csv")
    with pytest.raises(AnswerFileError, match="unsupported file type"):
        read_answer_bytes(b"\x00\x01binary", "x.pdf")
    with pytest.raises(AnswerFileError, match="cannot be opened"):
        read_answer_file(tmp_path / "missing.csv")


def test_tag_format_round_trip():
    g = grade_of((5, 3, 4), "What is a decorator?")
    text = g.to_tag_format()
    assert text == "<reasoning>r</reasoning><score>4</score>"
    reasoning, score = parse_tag_format("Some preamble. " + to_tag_format("Good answer,\nbrief.", 3.67) + " trailing")
    assert reasoning == "Good answer,\nbrief." and score == pytest.approx(3.67)
    with pytest.raises(TagFormatError, match="missing </score>"):
        parse_tag_format("<reasoning>x</reasoning><score>4")
    with pytest.raises(TagFormatError, match="not a number"):
        parse_tag_format("<reasoning>x</reasoning><score>four</score>")


def test_candidate_view_means_weakest_topics_and_summary():
    grades = [grade_of((5, 5, 4), "What is a Python decorator, and how would you write one that measures a function's run time?"),
              grade_of((2, 1, 2), "A query on a large PostgreSQL table is slow. How do you decide which index to add, and what does an index cost?"),
              grade_of((3, 2, 2), "Explain consistent hashing in a distributed cache?")]
    view = candidate_view("Ann", grades, failed=1)
    assert view.means["technical_correctness"] == pytest.approx(3.33, abs=0.01)
    assert view.means["depth_of_analysis"] == pytest.approx(2.67, abs=0.01)
    assert view.means["overall"] == pytest.approx((14 / 3 + 5 / 3 + 7 / 3) / 3, abs=0.01)
    assert [t.topic for t in view.weakest] == ["indexes and query plans", "Explain consistent hashing in a distributed cache"]
    assert view.strongest.topic == "decorators"
    assert "Ann answered 3 questions" in view.summary and "1 answer could not be graded" in view.summary
    assert "indexes and query plans (1.7)" in view.summary

    ru = candidate_view("Мария", [grade_of((4, 4, 4), "Что такое декоратор в Python и как написать декоратор, который измеряет время работы функции?")])
    assert ru.language == "ru" and "Средний балл 4.0 из 5" in ru.summary and "Слабых тем" in ru.summary


def test_cli_grade_writes_one_line_per_answer_and_reports_bad_rows(tmp_path):
    src = tmp_path / "answers.csv"
    src.write_text(CSV_WITH_BAD_ROWS, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["grade", "--input", str(src), "--model", "rules", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    graded = [line for line in lines if "row" not in line]
    assert len(graded) == 2 and all(line["ok"] and line["error"] is None for line in graded)
    assert all(1 <= line["grade"]["overall"] <= 5 and line["tag_format"].startswith("<reasoning>") for line in graded)
    assert sorted(line["row"] for line in lines if "row" in line) == [3, 4, 5, 6]
    assert "row 4" in result.output and "Bob answered 1 question" in result.output

    view = stored_view("Bob")  # what the command graded is in the store
    assert view.answers == 1 and view.means["overall"] == graded[1]["grade"]["overall"]


def test_cli_grade_single_answer_and_usage_errors():
    result = CliRunner().invoke(app, ["grade", "--question", "What is a Python decorator?", "--answer", "", "--model", "rules"])
    assert result.exit_code == 0
    line = json.loads(result.stdout.strip().splitlines()[0])
    assert line["ok"] and line["grade"]["overall"] == 1.0 and "empty" in line["grade"]["reasoning"]
    result = CliRunner().invoke(app, ["grade", "--model", "rules"])
    assert result.exit_code == 2 and "Nothing to grade" in result.output


def test_csv_export_has_a_row_per_answer():
    outs = grade_answers(read_answer_bytes(CSV_WITH_BAD_ROWS.encode(), "a.csv")[0], "rules")
    rows = list(csv.DictReader(io.StringIO(outcomes_to_csv(outs))))
    assert list(rows[0]) == CSV_COLUMNS and len(rows) == 2
    assert rows[1]["human_score"] == "3.5" and float(rows[1]["overall"]) == outs[1].grade.overall


@pytest.mark.parametrize(("overall", "verdict"), [(5.0, "strong"), (4.5, "strong"), (4.33, "acceptable"), (3.5, "acceptable"),
                                                  (3.33, "weak"), (2.0, "weak"), (1.67, "unacceptable")])
def test_verdict_bands_follow_the_rubric(overall, verdict):
    from core.schemas.grade import verdict_for

    assert verdict_for(overall) == verdict


def test_a_tag_format_answer_becomes_a_grade_that_says_it_has_one_score():
    from core.services.grade_tags import tag_assessment

    g = tag_assessment("<reasoning>Correct and explains the trade-off.</reasoning><score>4.5</score>")
    assert [getattr(g, c).score for c in ("technical_correctness", "depth_of_analysis", "accuracy_of_analysis")] == [5, 5, 5]
    assert "one overall score (4.5 of 5)" in g.technical_correctness.explanation and g.verdict == "strong"
    assert "одну общую оценку (2 из 5)" in tag_assessment("<reasoning>Слабо.</reasoning><score>2</score>", "ru").depth_of_analysis.explanation
    with pytest.raises(TagFormatError, match="outside the 1–5"):
        tag_assessment("<reasoning>x</reasoning><score>8</score>")
    with pytest.raises(TagFormatError, match="outside the 1–5"):  # the same bounds as the training rewards
        tag_assessment("<reasoning>x</reasoning><score>0.4</score>")
    with pytest.raises(TagFormatError, match="empty"):
        tag_assessment("<reasoning> </reasoning><score>3</score>")

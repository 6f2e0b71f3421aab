"""A team trains its own CPU grader from its graded answers: `hirelab train cpu-grader --data FILE` (a real
process) and the Train tab report held-out figures beside the shipped grader and register a rules profile that
grades through the service at once; bad data gets a clear refusal in English and Russian and loses nothing."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.engines.rules.grade import assess_answer
from core.engines.tasks import GradeTask
from core.models import get_profile
from core.services.grading import AnswerInput, GradeOptions, grade_answers

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "assets" / "datasets" / "grader_sample.jsonl"  # public: 48 answers to 12 questions, scores 1-5


def _graded_file(path: Path, rows: list[dict] | None = None, lend_references: bool = True) -> Path:
    """The sample as a CSV in the SFT dataset format; the reference is written on the first answer of each
    question only (the others borrow it)."""
    rows = rows if rows is not None else [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines() if x.strip()]
    seen: set[str] = set()
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["question", "answer", "score", "reference"])
        writer.writeheader()
        for r in rows:
            first = r["question"] not in seen
            seen.add(r["question"])
            writer.writerow({"question": r["question"], "answer": r["answer"], "score": r["score"],
                             "reference": r.get("reference") or "" if first or not lend_references else ""})
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[str, dict]:
    data = _graded_file(tmp_path_factory.mktemp("own") / "team_graded.csv")
    proc = subprocess.run([sys.executable, "-m", "cli", "train", "cpu-grader", "--data", str(data), "--name", "rules-team",
                           "--json"], cwd=REPO, env=dict(os.environ), capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, json.loads(proc.stdout.strip().splitlines()[-1])


def test_cli_reports_held_out_figures_beside_the_shipped_grader(trained):
    out, figures = trained
    assert "Held-out questions" in out and "shipped grader" in out and "Profile 'rules-team' is registered" in out
    assert figures["held_out_questions"] >= 1 and figures["train_questions"] >= 1
    assert figures["held_out_answers"] + figures["train_answers"] == figures["answers"] == 48
    assert 0 < figures["held_out_correct"] < figures["held_out_answers"]  # both kinds on the held-out questions
    for who in ("own", "shipped"):
        assert 0.0 <= figures[who]["roc_auc"] <= 1.0 and 0.0 <= figures[who]["accuracy"] <= 1.0
    assert figures["seconds"] < 120


def test_the_new_profile_grades_answers_through_the_service(trained):
    _, figures = trained
    profile = get_profile("rules-team")
    assert profile.engine == "rules" and profile.grader_path() == Path(figures["weights"])
    item = AnswerInput(question="What is the difference between a list and a tuple in Python?",
                       answer="A tuple is immutable, so it can be a dictionary key; a list can be changed in place.",
                       reference="Lists are mutable, tuples are immutable; tuples are hashable and can be dictionary keys.")
    options = GradeOptions(bank_reference=False, keep_records=False)
    own = grade_answers([item], "rules-team", options=options)[0]
    shipped = grade_answers([item], "rules", options=options)[0]
    assert own.ok and own.grade is not None and shipped.grade is not None
    assert own.grade.provenance.model_profile == "rules-team"
    assert own.grade.provenance.prompt_version != shipped.grade.provenance.prompt_version  # its weights are in the key
    expected = assess_answer(GradeTask(item.question, item.answer, item.reference), grader=profile.grader_path())
    assert own.grade.technical_correctness.score == expected.technical_correctness.score
    assert own.grade.overall == expected.overall


@pytest.mark.parametrize("case,en,ru", [
    ("too_few", "needs at least 30 answers", "не меньше 30 ответов"),
    ("one_class", "0 answers scored 4–5", "0 ответов с оценкой 4–5"),
    ("no_reference", "have no reference answer", "нет эталонного ответа"),
])
def test_bad_data_is_refused_clearly_and_loses_nothing(trained, tmp_path, case, en, ru):
    _, figures = trained
    weights = Path(figures["weights"])
    before = weights.read_bytes()
    rows = [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines() if x.strip()]
    if case == "too_few":
        rows = rows[:12]
    elif case == "one_class":
        rows = [dict(r, score=min(r["score"], 3)) for r in rows]
    else:
        rows = [dict(r, reference="") if r["question"] == rows[0]["question"] else r for r in rows]
    data = _graded_file(tmp_path / f"{case}.csv", rows)
    for lang, words in (("en", en), ("ru", ru)):
        result = CliRunner().invoke(app, ["train", "cpu-grader", "--data", str(data), "--name", "rules-team",
                                          "--lang", lang])
        assert result.exit_code == 2 and words in result.output, result.output
    assert weights.read_bytes() == before and get_profile("rules-team").grader_path() == weights


@pytest.mark.slow
def test_train_tab_trains_and_registers_a_grader(workbench_url, tmp_path):
    from gradio_client import Client, handle_file

    data = _graded_file(tmp_path / "tab.csv")
    client = Client(workbench_url, verbose=False)
    report = client.predict(handle_file(str(data)), "rules-tab", api_name="/train_cpu_grader")  # API clients: English
    assert "Held-out questions" in report and "shipped grader" in report and "rules-tab" in report
    assert get_profile("rules-tab").grader_path().is_file()
    with pytest.raises(Exception, match="no reference answer"):
        client.predict(handle_file(str(_graded_file(tmp_path / "bad.csv", lend_references=False, rows=[
            {"question": f"Q{i % 5}?", "answer": f"answer {i}", "score": 1 + i % 5} for i in range(40)]))),
            "rules-tab2", api_name="/train_cpu_grader")

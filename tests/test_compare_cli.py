"""`hirelab compare` end to end on a real answers file, and its clear errors."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from cli import app

ROW = {"candidate": "Boris", "question": "Why would you use a Python generator instead of a list?",
       "answer": "A generator yields items one at a time, so it does not keep the whole sequence in memory; good for "
                 "large files or endless streams.",
       "reference": "Generators produce values lazily with yield, using constant memory; suited to large or infinite "
                    "sequences and pipelines; a list holds everything in memory at once.",
       "human_score": "4"}


@pytest.fixture()
def answers(tmp_path):
    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ROW))
        writer.writeheader()
        writer.writerow(ROW)
        writer.writerow({**ROW, "question": ""})  # a bad row is reported and skipped
    return path


@pytest.mark.slow
def test_compare_command_writes_report_and_json_with_pairwise(answers, tmp_path, offline_engine):
    out, js = tmp_path / "report.html", tmp_path / "run.json"
    result = CliRunner().invoke(app, ["compare", "--data", str(answers), "--models", "rules,offline", "--judge", "offline",
                                      "--repeats", "1", "--pairwise", "--out", str(out), "--json", str(js),
                                      "--judge-max-new-tokens", "256"])
    assert result.exit_code == 0, result.output
    assert "row 3" in result.output and "skipped" in result.output
    assert "Plan for 1 answer(s)" in result.output and "pairwise with offline" in result.output
    assert "offline vs rules" in result.output  # the gap table
    html = out.read_text(encoding="utf-8")
    assert "Plotly.newPlot" in html and "Pairwise judgments" in html
    assert "<script src=" not in html.replace('"', "").replace("'", "")  # plotly.js is inlined, nothing fetched
    data = json.loads(js.read_text(encoding="utf-8"))
    assert [g["model"] for g in data["grades"]] == ["rules", "offline"]
    pair = data["pairs"][0]
    assert (pair["model_a"], pair["model_b"]) == ("rules", "offline")
    if pair["a_first"] and pair["b_first"]:
        assert pair["winner"] in ("rules", "offline", "tie")
        assert pair["consistent"] == (pair["winner"] != "tie" or pair["a_first"]["better"] == pair["b_first"]["better"] == "tie")
    else:
        assert pair["winner"] is None and pair["error"]
    bias = data["stats"]["position_bias"]
    assert bias["judgments"] == sum(1 for k in ("a_first", "b_first") if pair[k])


def test_plan_only_runs_nothing(answers):
    result = CliRunner().invoke(app, ["compare", "--data", str(answers), "--models", "base,adapter,reference",
                                      "--judge", "judge", "--plan-only"])
    assert result.exit_code == 0, result.output
    assert "one engine, adapter switched per request" in result.output and "Estimated total" in result.output
    assert "run cmp-" not in result.output


@pytest.mark.parametrize("args, message", [
    (["--data", "missing.csv", "--models", "rules", "--judge", "offline"], "cannot be opened"),
    (["--models", "rules", "--judge", "offline"], "exactly one of --data"),
    (["--data", "x.csv", "--models", "rules", "--judge", "offline", "--human-scale", "five"], "LOW,HIGH"),
])
def test_bad_input_gets_a_clear_message(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("question,answer\nq,a\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", *args])
    assert result.exit_code == 2
    assert message in result.output

"""The Compare models tab on the real Gradio server, through gradio_client."""

from __future__ import annotations

import pytest
from gradio_client import Client, handle_file

ANSWERS = ('{"candidate": "Vera", "question": "What is the difference between a process and a thread?", '
           '"answer": "Threads share the memory of their process; processes have separate memory.", "score": 4}\n')


@pytest.mark.slow
def test_tab_plans_runs_and_reopens_a_comparison(workbench_url, offline_engine, tmp_path):
    data = tmp_path / "answers.jsonl"
    data.write_text(ANSWERS, encoding="utf-8")
    client = Client(workbench_url, verbose=False)
    args = [handle_file(str(data)), None, ["rules"], "offline", 1, False, 0.7, 0, "0,5"]
    plan = client.predict(*args, api_name="/compare_plan")
    assert "Plan for 1 answer × 1 repeat" in plan and "judge with offline" in plan
    status, summary, bars, boxes, runs, gaps, details, answer, side, files, run_id = client.predict(*args, api_name="/compare")
    assert run_id.startswith("cmp-") and "done" in status
    assert summary["headers"][0] == "model" and summary["data"][0][0] == "rules"
    assert "Threads share the memory" in side and "rules" in side
    assert {f.rsplit(".", 1)[-1] for f in files} == {"html", "json"}
    assert "Agreement with human scores" in details
    past, _ = client.predict(api_name="/compare_runs")
    reopened = client.predict(run_id, api_name="/compare_open")
    assert reopened[-1] == run_id and reopened[1]["data"] == summary["data"]


def test_tab_explains_missing_models(workbench_url, tmp_path):
    data = tmp_path / "answers.jsonl"
    data.write_text(ANSWERS, encoding="utf-8")
    client = Client(workbench_url, verbose=False)
    with pytest.raises(Exception, match="at least one model"):
        client.predict(handle_file(str(data)), None, [], "offline", 1, False, 0.7, 0, "0,5", api_name="/compare_plan")

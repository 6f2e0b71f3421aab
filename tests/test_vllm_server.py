"""The `openai` engine and the judge profile against a real vLLM OpenAI-compatible server on the CPU, started
once for the module (`python -m vllm.entrypoints.openai.api_server`, the bundled model and a LoRA adapter).
Run in .venv-vllm: `.venv-vllm/bin/python -m pytest -m vllm`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.vllm_cpu import ADAPTER, SERVED, base_folder, random_adapter, vllm_server

pytestmark = pytest.mark.vllm

ANSWERS = [
    ("What is a Python decorator?", "A function that wraps another function to add behaviour, like logging."),
    ("What does a database index do?", "It keeps a sorted structure so lookups are faster; writes get slower."),
    ("What is a race condition?", "Two threads touch shared data at once and the result depends on timing."),
    ("Why use a virtual environment?", "To keep each project's packages apart from the system's and each other's."),
]


@pytest.fixture(scope="module")
def server(home, own_models_file, tmp_path_factory):
    """The server, and the profiles that use it: 'judge' (the shipped profile, pointed at it) and 'served-lora'
    (an `openai` profile naming the adapter the server serves)."""
    from core.models import ModelProfile, get_profile, register_profile

    folder = base_folder()
    adapter = random_adapter(folder, home / "adapters" / ADAPTER)
    with vllm_server(folder, adapter, tmp_path_factory.mktemp("vllm") / "server.log") as srv:
        print(f"vLLM server answered /health after {srv.start_seconds:.1f} s at {srv.base_url}")
        register_profile(replace(get_profile("judge"), base_url=srv.base_url, model=SERVED))
        register_profile(ModelProfile(name="served-lora", engine="openai", model=ADAPTER, base_url=srv.base_url,
                                      concurrency=8, timeout_s=600))
        yield srv


@pytest.fixture(scope="module")
def grades(server):
    """The answers graded concurrently through the server by the base model and the adapter."""
    from core.services.grading import AnswerInput, GradeOptions, grade_answers

    items = [AnswerInput(question=q, answer=a) for q, a in ANSWERS[:2] * 2]  # 4 requests at once, 2 of them twice
    options = GradeOptions(reuse=False, keep_records=False)
    return {"judge": grade_answers(items, "judge", options=options),
            "served-lora": grade_answers(items[:2], "served-lora", options=options)}


def test_judge_profile_reaches_the_server(server):
    from core.availability import check_profile
    from core.models import get_profile

    found = check_profile(get_profile("judge"))
    assert found.ok and found.engine == "openai" and server.base_url in found.weights, found.reason


def test_concurrent_structured_answers_through_the_server_are_all_valid(grades):
    for name, outcomes in grades.items():
        assert [g.ok for g in outcomes] == [True] * len(outcomes), [(name, g.error, g.raw[-200:]) for g in outcomes]
        assert all(1 <= g.grade.overall <= 5 and g.grade.provenance.engine == "openai" for g in outcomes)
    base = [g.raw for g in grades["judge"]]
    assert base[:2] == base[2:]  # greedy: the same answer gets the same grade, whatever ran beside it
    assert base[:2] != [g.raw for g in grades["served-lora"]]  # the adapter the server serves answers differently


@pytest.mark.xfail(strict=False, reason="seen once: 1 of 4 judge verdicts of the bundled model cut at 400 tokens")
def test_judge_rates_each_analysis_through_the_server(grades):
    from core.compare.judge import JudgeJob, run_judge
    from core.models import get_profile

    jobs = [JudgeJob("served-lora", str(n), 0, g.item.question, g.item.answer, None, g.grade)
            for n, g in enumerate(grades["served-lora"], 1)]
    verdicts = run_judge(get_profile("judge"), jobs, max_new_tokens=400)
    assert all(v is not None for v, _ in verdicts), [o.error for v, o in verdicts if v is None]
    for (verdict, outcome), job in zip(verdicts, jobs):
        assert outcome.finish_reason == "stop" and verdict.item_id == job.item_id
        assert verdict.provenance.model_profile == "judge" and verdict.provenance.engine == "openai"
        assert 1 <= verdict.overall <= 5

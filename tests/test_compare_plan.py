"""The run plan for the real GPU profiles (planned here without running them) and clear errors."""

from __future__ import annotations

import pytest

from core.compare import CompareConfig, CompareError, CompareItem, plan_comparison, run_comparison
from core.compare.plan import params_billions
from core.models import get_profile


def test_gpu_profiles_plan_one_engine_for_base_and_adapter_and_unload_before_the_14b():
    cfg = CompareConfig(models=["base", "adapter", "reference"], judge="judge", repeats=3, pairwise=True)
    plan = plan_comparison(cfg, 40, gpu_gb=16)  # the reference T4, whatever card this machine has
    grade = [s for s in plan.steps if s.stage == "grade"]
    assert [s.profiles for s in grade] == [["base", "adapter"], ["reference"]]
    assert grade[0].requests == 40 * 3 * 2 and grade[1].requests == 40 * 3
    assert grade[0].release_after  # a 7B and a 14B never share a 16 GB card
    assert grade[0].memory_gb + grade[1].memory_gb > 16 * 0.9 or grade[0].engine == "vllm"
    judge = next(s for s in plan.steps if s.stage == "judge")
    assert judge.engine == "openai" and "server" in judge.where and judge.requests == 40 * 3 * 3
    pair = next(s for s in plan.steps if s.stage == "pairwise")
    assert pair.requests == 2 * 3 * 40 * 3  # three pairs, both orders
    text = plan.describe()
    assert "one engine, adapter switched per request" in text and "then unloaded" in text
    assert plan.seconds == pytest.approx(sum(s.seconds for s in plan.steps))


def test_model_size_is_read_from_the_name():
    assert params_billions(get_profile("base")) == 7
    assert params_billions(get_profile("reference")) == 14
    assert params_billions(get_profile("offline")) == pytest.approx(0.135)


def test_bad_requests_say_what_to_do():
    with pytest.raises(CompareError, match="known profiles"):
        plan_comparison(CompareConfig(models=["offline", "nope"], judge="offline"), 1)
    with pytest.raises(CompareError, match="LLM profile as judge"):
        plan_comparison(CompareConfig(models=["offline"], judge="rules"), 1)
    with pytest.raises(ValueError, match="once"):
        CompareConfig(models=["rules", "rules"], judge="offline")
    with pytest.raises(CompareError, match="no answers"):
        run_comparison(CompareConfig(models=["rules"], judge="offline"), [])


def test_an_unreachable_judge_is_a_recorded_failure_not_a_score():
    """The judge profile points at a server that is not there: grades are kept, judgments fail with the reason."""
    from core.compare import load_run

    item = CompareItem(id="1", question="What is a Python list?", answer="An ordered, mutable sequence of items.")
    run = run_comparison(CompareConfig(models=["rules"], judge="judge", repeats=1), [item])
    assert run.status == "failed" and "no analysis could be judged" in run.error
    assert run.grades[0].ok and run.grades[0].grade is not None
    assert not run.judgments[0].ok and run.judgments[0].verdict is None and "judge" in run.judgments[0].error
    assert run.stats.metric("rules", "overall").mean is None
    assert load_run(run.run_id).status == "failed"


def test_the_plan_reads_in_russian_and_a_plan_stored_before_keeps_its_words():
    import re

    from core.compare.plan import ComparePlan

    cfg = CompareConfig(models=["base", "adapter", "reference"], judge="judge", repeats=3, pairwise=True,
                        temperature=0.0)
    plan = plan_comparison(cfg, 40, gpu_gb=16)
    ru = plan.describe("ru")
    assert "один движок, адаптер переключается" in ru and "Всего примерно" in ru and "запросов" in ru
    assert "Примечание: температура 0" in ru
    leftover = re.findall(r"\b(?:with|requests|Estimated|Note|then unloaded|temperature)\b", ru)
    assert not leftover, ru
    assert plan.describe("en") == plan.describe()  # English as before
    assert any("temperature is 0" in n for n in plan.notes)
    # a plan stored by an earlier version (no place, notes in English only) still reads as it was written
    old = ComparePlan.model_validate({"steps": [{**plan.steps[0].model_dump(exclude={"place", "server"})}],
                                      "seconds": 5.0, "memory_budget_gb": 16.0, "notes": ["an old note"]})
    assert plan.steps[0].where in old.describe("ru") and "an old note" in old.describe("ru")

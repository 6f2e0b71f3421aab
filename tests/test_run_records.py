"""Run records: typed training summaries and comparison entries read from stored JSON (old rows included),
and the store merging a run's summary."""

from __future__ import annotations

import pytest

from core.compare import list_runs as list_comparisons
from core.compare.result import RUN_KIND
from core.store.run_records import MemoryUse, TrainingSummary, restart_summary


def test_a_summary_round_trips_and_old_rows_read_without_failing():
    s = TrainingSummary(adapter="/runs/a/adapter", profile="grader-a", attention=("loss became nan",), steps=4,
                        stopped_early=True, last_loss=0.5, memory=MemoryUse(5.1, 4.8))
    assert TrainingSummary.parse(s.to_json()) == s
    assert s.to_json()["attention"] == ["loss became nan"] and "error" not in s.to_json()
    old = TrainingSummary.parse({"steps": "3", "attention": "not a list", "stopped_early": "yes", "memory": {},
                                 "last_reward": "n/a", "kind": "sft", "pid": None})
    assert (old.steps, old.attention, old.stopped_early, old.memory, old.last_reward) == (3, (), False, None, None)
    assert TrainingSummary.parse(None) == TrainingSummary() == TrainingSummary.parse(["not", "a", "dict"])


def test_the_store_merges_a_summary_and_a_restart_clears_the_old_outcome(store):
    store.save_run("sft-1", "sft", "run", "created", {})
    store.set_run_status("sft-1", "running", {"pid": 11})
    store.set_run_status("sft-1", "needs_attention", {"adapter": "/a", "attention": ["reward 0"], "stopped_early": True,
                                                      "pid": None})
    assert store.get_run("sft-1").summary == {"adapter": "/a", "attention": ["reward 0"], "stopped_early": True}
    store.set_run_status("sft-1", "needs_attention", {"profile": "grader-1"})  # keys given win, the rest stays
    assert store.get_run("sft-1").summary["adapter"] == "/a" and store.get_run("sft-1").summary["profile"] == "grader-1"
    store.set_run_status("sft-1", "running", restart_summary(12))
    assert store.get_run("sft-1").summary == {"pid": 12}
    assert TrainingSummary.parse(store.get_run("sft-1").summary).error is None


def test_comparison_entries_are_typed_and_read_old_rows(store):
    store.save_run("cmp-new", RUN_KIND, "two models", "done",
                   {"config": {"models": ["rules", "offline"], "judge": "offline", "repeats": 2},
                    "items": [{"id": "1"}, {"id": "2"}, {"id": "3"}]})
    store.save_run("cmp-old", RUN_KIND, "", "failed", {"items": "broken"})
    entries = {e.run_id: e for e in list_comparisons(store)}
    new, old = entries["cmp-new"], entries["cmp-old"]
    assert (new.models, new.models_text, new.judge, new.repeats, new.answers) == (("rules", "offline"), "rules, offline",
                                                                                 "offline", 2, 3)
    assert new.created.startswith(str(new.created_at.year))
    assert (old.models, old.judge, old.repeats, old.answers, old.status) == ((), "", None, 0, "failed")
    with pytest.raises(AttributeError):
        new.status = "done"  # type: ignore[misc]


def test_the_memory_gate_refuses_an_over_budget_run_unless_allowed():
    from training.presets import preset
    from training.vram import WontFit, gate_plan

    cfg = preset("t4-7b-sft")
    with pytest.raises(WontFit, match="allow_over_budget") as refused:
        gate_plan(cfg, gpu_gb=2.0)
    assert refused.value.plan.verdict == "wont_fit"
    cfg.hardware.allow_over_budget = True
    allowed = gate_plan(cfg, gpu_gb=2.0)
    assert allowed.plan is not None and allowed.warning == allowed.plan.message
    assert gate_plan(preset("t4-7b-sft"), gpu_gb=80.0).warning is None


def test_a_restarted_run_that_fails_at_once_keeps_nothing_of_its_earlier_outcome(home):
    import signal

    from core.store import get_store
    from training.run import main

    folder = home / "runs" / "sft-stale"
    folder.mkdir(parents=True)
    (folder / "config.yaml").write_text("kind: [\n", encoding="utf-8")
    store = get_store()
    store.save_run("sft-stale", "sft", "stale", "stopped", {}, {"adapter": "/a", "stopped_early": True,
                                                              "attention": ["reward 0"], "pid": 1}, str(folder))
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        assert main(["--run-dir", str(folder)]) == 2
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    row = store.get_run("sft-stale")
    assert row.status == "failed" and list(row.summary) == ["error"] and "not valid YAML" in row.summary["error"]

"""A full comparison on CPU: bundled model, a LoRA adapter made here, rules, bundled model as judge;
two repeats; stored; exported; the HTML report opened in headless Chromium with its charts."""

from __future__ import annotations

import json
from dataclasses import replace
from statistics import fmean

import pytest

from core.compare import CompareConfig, CompareItem, CompareRun, list_runs, load_run, run_comparison
from core.compare.report import write_report

ITEMS = [
    CompareItem(id="1", question="What is a Python decorator and when would you use one?",
                answer="A decorator is a function that takes another function and returns a wrapper around it. "
                       "You put @name above a def. I use them for logging, caching and checking permissions.",
                reference="A callable that takes a function and returns a replacement, applied with @name; used for "
                          "logging, caching (functools.lru_cache), access checks; functools.wraps keeps the name.",
                candidate="Ann", human_score=4.0),
    CompareItem(id="2", question="What does a database index do?",
                answer="It makes reads faster by keeping a sorted structure such as a B-tree, but writes get slower.",
                reference="A separate sorted structure (usually a B-tree) that speeds up lookups and ordering at the "
                          "cost of extra storage and slower inserts and updates.",
                candidate="Ann", human_score=3.0),
]
MODELS = ["offline", "test-adapter", "rules"]


@pytest.fixture(scope="module")
def test_adapter(home, own_models_file):
    """A tiny LoRA adapter on the bundled model's q_proj/v_proj, registered as the profile 'test-adapter'."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    from core.models import get_profile, register_profile
    from tests.lora import save_random_lora

    base = get_profile("offline")
    config = AutoConfig.from_pretrained(base.model_path(), gguf_file=base.gguf_file)
    torch.manual_seed(0)
    # small random weights: the adapter changes the model without wrecking it
    path = save_random_lora(AutoModelForCausalLM.from_config(config), home / "adapters" / "test-lora", r=4, alpha=8,
                            b_scale=0.05)
    register_profile(replace(base, name="test-adapter", adapter=str(path), description="test LoRA on the bundled model"))
    return path


@pytest.fixture(scope="module")
def full_run(offline_engine, test_adapter) -> tuple[CompareRun, list, list]:
    cfg = CompareConfig(models=MODELS, judge="offline", repeats=2, temperature=0.7, human_scale=(0, 5),
                        judge_max_new_tokens=256, name="cpu test")
    progress, plans = [], []
    run = run_comparison(cfg, ITEMS, progress=lambda f, m: progress.append((f, m)), on_plan=plans.append)
    return run, progress, plans


@pytest.mark.slow
def test_plan_says_what_runs_where_before_running(full_run):
    run, progress, plans = full_run
    plan = plans[0]
    grade_steps = [s for s in plan.steps if s.stage == "grade"]
    shared = next(s for s in grade_steps if "offline" in s.profiles)
    assert shared.profiles == ["offline", "test-adapter"]  # one engine, adapter switched per request
    assert [s.stage for s in plan.steps][-1] == "judge" and plan.steps[-1].profiles == ["offline"]
    assert plan.steps[-2] is shared  # the judge's model is graded last, so it stays loaded for judging
    assert not any(s.release_after for s in plan.steps)  # small CPU models fit together
    assert plan.seconds > 0 and "Estimated total" in plan.describe()
    fractions = [f for f, _ in progress if f is not None]  # None: a model loading (the rules engine's, when first)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("test-adapter, run 2/2" in m for _, m in progress)


@pytest.mark.slow
def test_every_model_grades_every_answer_in_every_repeat(full_run):
    run, _, _ = full_run
    assert run.status == "done", run.error
    keys = {(g.model, g.item_id, g.repeat) for g in run.grades}
    assert keys == {(m, i.id, r) for m in MODELS for i in ITEMS for r in (0, 1)}
    for g in run.grades:
        assert g.ok, f"{g.model} answer {g.item_id} run {g.repeat}: {g.error}"
        assert 1 <= g.grade.overall <= 5
    adapter = [g.grade.provenance.adapter for g in run.grades if g.model == "test-adapter"]
    assert adapter == ["test-lora"] * 4
    assert all(g.grade.provenance.adapter is None for g in run.grades if g.model == "offline")
    # sampling with a different seed per repeat: the bundled model does not write the same grade twice
    offline = {(g.item_id, g.repeat): g.raw for g in run.grades if g.model == "offline"}
    assert any(offline[(i.id, 0)] != offline[(i.id, 1)] for i in ITEMS)


@pytest.mark.slow
def test_judge_rates_each_analysis_and_statistics_follow(full_run):
    run, _, _ = full_run
    assert len(run.judgments) == 12
    for j in run.judgments:
        if j.ok:
            v = j.verdict
            assert (v.judged_profile, v.item_id, v.repeat) == (j.model, j.item_id, j.repeat)
            assert v.overall == pytest.approx(fmean([v.accuracy_of_analysis, v.technical_correctness, v.depth_of_analysis]), abs=1e-4)
            assert v.reasoning.strip() and v.provenance.model_profile == "offline"
        else:
            assert j.error and j.verdict is None  # a failure is recorded, never scored
    st = run.stats
    for model in MODELS:
        scores = [j.verdict.overall for j in run.judgments if j.model == model and j.ok]
        m = st.metric(model, "overall")
        assert m.n == len(scores)
        if scores:
            assert m.mean == pytest.approx(fmean(scores))
            assert m.ci_low <= m.mean <= m.ci_high
    assert len(st.gaps) == 3 * 4 and len(st.paired) == 3  # every pair of models, every metric
    assert [(r.left, r.n) for r in st.human_agreement] == [("human", 2)] * 3
    rules = next(g for g in st.graders if g.model == "rules")
    assert rules.mean_repeat_sd == pytest.approx(0.0)  # the rules baseline is deterministic
    assert len(st.gap_closed) == 4  # test-adapter between offline and rules, per metric


@pytest.mark.slow
def test_run_and_every_repeat_are_kept_in_the_store(full_run):
    from core.store import get_store

    run, _, _ = full_run
    assert any(r.run_id == run.run_id and r.status == "done" for r in list_runs())
    again = load_run(run.run_id)
    assert again.model_dump(mode="json") == run.model_dump(mode="json")
    rows = get_store().list_results("compare_grade", subject=run.run_id)
    assert len(rows) == 12 and all(r.ok for r in rows)


@pytest.mark.slow
def test_html_report_opens_offline_with_its_charts(full_run, browser, tmp_path):
    run, _, _ = full_run
    report = write_report(run, tmp_path / "report.html")
    exported = write_report(run, tmp_path / "run.json")
    assert CompareRun.model_validate(json.loads(exported.read_text(encoding="utf-8"))).run_id == run.run_id
    page = browser.new_page()
    outside: list[str] = []

    def block(route):
        outside.append(route.request.url)
        route.abort()

    page.route("http*://**", block)  # the report must not need the network
    page.goto(report.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3", timeout=30_000)
    assert page.evaluate("typeof window.Plotly") == "object"
    assert page.locator(".js-plotly-plot").count() >= 3
    bars = page.evaluate("document.getElementById('chart0').data.map(t => [t.name, t.error_y.array.length])")
    assert bars == [[m, 4] for m in MODELS]
    text = page.locator("body").inner_text()
    assert "Gaps between models" in text and "test-adapter vs offline" in text
    assert "What is a Python decorator" in text and "Accuracy of analysis" in text
    assert outside == []
    page.close()


@pytest.mark.slow
def test_streamlit_page_shows_the_stored_run(full_run):
    from streamlit.testing.v1 import AppTest

    from tests.paths import REPO

    run, _, _ = full_run
    page = AppTest.from_file(str(REPO / "pages" / "compare_runs.py"), default_timeout=60).run()
    assert not page.exception
    assert any("offline, test-adapter, rules · judge offline · done" in o for o in page.selectbox[0].options)
    page.selectbox[0].select(run.run_id).run()
    assert not page.exception and page.selectbox[0].value == run.run_id
    assert len(page.get("plotly_chart")) == 3
    tables = [t.value for t in page.dataframe]
    summary = next(t for t in tables if "Overall" in t.columns)
    assert list(summary["model"]) == MODELS

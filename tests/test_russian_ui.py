"""The Russian workbench has no English left.

Chromium with a Russian locale (so the browser asks for Russian, as a Russian user's does) opens every tab,
screens the sample resumes against the Russian job with the `rules` profile and scores one Russian answer.
Every Latin-script word it can see must be a product or technical name, a model profile, a skill, a file
name or path, a word of the job or answer put in, or inside a quote from a resume (“…”): anything else is
English the tables (core/messages) lack.
"""

from __future__ import annotations

import re

import pytest

from core.messages import msg
from tests.paths import REPO, SAMPLES

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
QUOTE = re.compile(r"“[^”]*(?:”|$)|«[^»]*(?:»|$)", re.M)  # a quote cut at a bound may lack its end
PATHISH = re.compile(r"\S+(?:\.\.\.|…)|\S*[/\\]\S*|\b[\w.-]+\.(?:pdf|docx|txt|csv|json|jsonl|xlsx|yaml|yml|html)\b|\S+@\S+", re.I)
# names of products, formats and techniques, units, values a setting takes (sft, cuda, 4bit, …), CLI commands (`hirelab models`)
ALLOWED = {w.lower() for w in """
hirelab gradio api json jsonl csv tsv pdf docx txt xlsx yaml yml html utc kb mb gb llm ai ml nlp rag ui css
lora qlora grpo sft peft unsloth kl beta gpu cpu cuda auto t4 b qwen2 coder instruct smollm2 m n a
json tags none bit reasoning score sft grpo fit v1 grade rubric
models
s
""".split()}  # (the last: the seconds unit of Gradio's own run timer, "1.2s")

DOWNLOADS = "screening grades interview questions"  # names of the files the tabs offer for download
# every visible text node on its own line: chips and table cells are not glued into one word
VISIBLE_TEXT = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
    // past runs' job titles, candidates' names, their jobs and records: what people typed or uploaded, not the UI
    if (el.closest('#recent-runs td, #cand-table, #cand-job, #cand-pick, #cand-dec-job, #cand-record')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) continue;
    out.push(n.textContent.trim());
  }
  return out.join('\\n');
}"""
RU_QUESTION = "Что такое индекс в базе данных и чем он платит за ускорение чтения?"
RU_ANSWER = ("Индекс — это отдельная структура, обычно B-дерево, которая ускоряет поиск строк. "
             "За это платят местом на диске и более медленной записью, потому что индекс надо обновлять.")


def _allowed_from_inputs() -> set[str]:
    from core.facts.taxonomy import load_taxonomy
    from core.models import load_profiles

    texts = [(SAMPLES / "jobs" / "python_backend_ru.txt").read_text(encoding="utf-8"), RU_QUESTION, RU_ANSWER,
             " ".join(load_taxonomy().names), " ".join(load_profiles()[1]), DOWNLOADS]
    texts += [p.stem.replace("_", " ") for p in (SAMPLES / "resumes").iterdir()]  # file names, shown split
    return {w.lower() for text in texts for w in WORD.findall(text)}


def english_words(text: str, allowed: set[str]) -> list[str]:
    """The Latin-script words of ``text`` that are not allowed (quotes, paths, file names and e-mails skipped)."""
    text = PATHISH.sub(" ", QUOTE.sub(" ", text))
    return sorted({w for w in WORD.findall(text) if w.lower() not in allowed})


def test_english_words_are_found():
    allowed = ALLOWED | {"python"}
    assert english_words("Опыт 5 лет · Python · screening.csv · bench/results/x.json · “Built the UI”", allowed) == []
    assert english_words("Кандидат: Skills 91/100 · advance", allowed) == ["Skills", "advance"]


@pytest.mark.browser
@pytest.mark.slow
def test_russian_ui_has_no_english_left(workbench_url, browser, tmp_path):
    allowed = ALLOWED | _allowed_from_inputs()
    context = browser.new_context(locale="ru-RU", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    seen: dict[str, str] = {}
    try:
        page.goto(workbench_url)
        page.locator("#screen-run").wait_for(timeout=60_000)
        # the empty tables get their column names from the server once the page has loaded
        page.wait_for_function("() => !document.body.innerText.includes('__i18n__')", timeout=60_000)
        from workbench.tabs import TABS

        for tab in TABS:
            page.get_by_role("tab", name=msg(tab.TITLE_KEY, "ru"), exact=True).first.click()
            page.wait_for_timeout(800)
            seen[tab.TITLE_KEY] = page.evaluate(VISIBLE_TEXT)

        page.get_by_role("tab", name=msg("screen_tab", "ru"), exact=True).first.click()
        broken = tmp_path / "повреждённый.pdf"  # a text file named .pdf: its error must read in Russian too
        broken.write_text("Это не PDF, а обычный текст, переименованный в PDF.", encoding="utf-8")
        # the Russian resumes: a report is written in its resume's language, so an English resume's stays English
        page.locator("input[type=file]").first.set_input_files(
            [str(p) for p in sorted((SAMPLES / "resumes").iterdir()) if p.stem.endswith("_ru")] + [str(broken)])
        page.locator("#job-text textarea").fill((SAMPLES / "jobs" / "python_backend_ru.txt").read_text(encoding="utf-8"))
        page.locator("#screen-run").click()
        page.locator("[data-testid=report-card]").nth(2).wait_for(timeout=240_000)
        seen["screening"] = page.evaluate(VISIBLE_TEXT)

        page.get_by_role("tab", name=msg("grade_tab", "ru"), exact=True).first.click()
        page.locator("#grade-question textarea").fill(RU_QUESTION)
        page.locator("#grade-answer textarea").fill(RU_ANSWER)
        page.locator("#grade-run").click()
        page.locator("[data-testid=grade-card]").first.wait_for(timeout=120_000)
        seen["grading"] = page.evaluate(VISIBLE_TEXT)
    finally:
        context.close()
    assert msg("doc_err_mismatch", "ru") in seen["screening"]  # the unreadable file, explained in Russian
    assert "Балл" in seen["screening"] and any(v in seen["screening"] for v in ("пригласить", "рассмотреть", "отказать"))
    from core.services.screen_runs import recent_screenings

    # past screenings are listed by their job's title: what people typed (other tests' jobs are English)
    allowed |= {w.lower() for run in recent_screenings(100) for w in WORD.findall(run.name)}
    leftovers = {where: english_words(text, allowed) for where, text in seen.items()}
    assert not any(leftovers.values()), f"English in the Russian UI: {leftovers}"


def test_rules_report_of_a_russian_resume_is_russian():
    """A Russian resume screened by `rules` against an English job: every sentence the engine writes (summary,
    experience, flag names) is Russian; only skill names and the job's requirements in «quotes» stay as written."""
    from core.facts.taxonomy import load_taxonomy
    from core.services.screening import ScreenInput, ScreenOptions, screen

    job = (SAMPLES / "jobs" / "data_engineer_en.txt").read_text(encoding="utf-8")
    files = [ScreenInput.from_path(p) for p in sorted((SAMPLES / "resumes").iterdir()) if p.stem.endswith("_ru")]
    assert len(files) == 2
    rows = screen(job, files, ScreenOptions(profile="rules", reuse=False, keep_records=False))
    allowed = ALLOWED | {w.lower() for w in WORD.findall(" ".join(load_taxonomy().names))}
    for row in rows:
        assert row.ok and row.report is not None, row.error
        r = row.report
        prose = [r.summary, r.experience_evaluation, *(f.flag for f in r.green_flags + r.red_flags)]
        assert english_words("\n".join(prose), allowed) == [], (row.filename, prose)
        assert "оценка по правилам" in r.summary


@pytest.mark.parametrize("n, words", [(1, "1 имя"), (2, "2 имени"), (5, "5 имён"), (21, "21 имя"), (11, "11 имён"),
                                      (22, "22 имени"), (111, "111 имён")])
def test_counts_take_the_russian_plural_form(n, words):
    """One plural helper for every count shown: the fairness verdict's names per group, copies and resumes."""
    from core.fairness import CopyScore, ProbeConfig, summarize
    from core.fairness.names import CONTROL
    from core.fairness.probe import FairnessReport
    from core.fairness.views import verdict

    scores = [CopyScore("a.pdf", g, "Имя", 70, True, None) for g in (CONTROL, "male", "female")]
    report = FairnessReport("rules", ProbeConfig("rules", names_per_group=n), ("male", "female"), ["a.pdf"], {}, [],
                            scores, summarize(scores, ("male", "female")))
    text = verdict(report, "ru")
    assert f"{words} на группу" in text, text
    assert "1 резюме, 3 копии" in text and "(n = 2 копии)" in text, text
    assert "name(s)" not in verdict(report, "en") and "1 resume, 3 copies" in verdict(report, "en")


# --- analytics: the Streamlit pages and the figures they draw ---------------------------------------------------

def _figure_words(spec: dict) -> list[str]:
    """What a reader sees of a Plotly figure: title, axis and legend titles, trace names, category labels."""
    layout, out = spec.get("layout", {}), []

    def title(node: object) -> None:
        if isinstance(node, dict):
            node = node.get("text")
        if isinstance(node, str):
            out.append(node)

    title(layout.get("title"))
    title((layout.get("legend") or {}).get("title"))
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            title(axis.get("title"))
    for trace in spec.get("data", []):
        out.append(str(trace.get("name") or ""))
        out += [v for axis in ("x", "y") for v in (trace.get(axis) or []) if isinstance(v, str)]
    return out


def test_comparison_and_training_figures_and_statuses_read_in_russian(tmp_path):
    """Chart titles, axes, legends and metric names of a comparison, a training run's curve, and run statuses."""
    import json

    from core.analytics import charts as an_charts
    from core.analytics.data import TrainingRun
    from core.analytics.views import audit_detail_text, training_table
    from core.compare import charts
    from core.compare.records import CompareConfig, CompareItem
    from core.compare.result import CompareRun
    from core.compare.summary import compute_stats
    from core.schemas import PairwiseVerdict
    from tests.test_stats_compare import _judged, _pick

    cfg = CompareConfig(models=["a", "b"], judge="j", repeats=2)
    items = [CompareItem(id="1", question="q1", answer="x"), CompareItem(id="2", question="q2", answer="y")]
    judgments = [_judged(m, i, r, 3 + r, 4, 3) for m in ("a", "b") for i in ("1", "2") for r in (0, 1)]
    pairs = [PairwiseVerdict(model_a="a", model_b="b", item_id="1", repeat=0, a_first=_pick("A"), b_first=_pick("B"))]
    run = CompareRun(run_id="r", config=cfg, items=items, judgments=judgments, pairs=pairs, status="done",
                     stats=compute_stats(cfg, items, [], judgments, pairs))
    seen = [w for fig in charts.all_figures(run, "ru") for w in _figure_words(fig.to_plotly_json())]
    assert msg("cmp_axis_score", "ru") in seen and msg("accuracy_of_analysis", "ru") in seen, seen
    (tmp_path / "metrics.jsonl").write_text("\n".join(json.dumps({"step": s, "loss": 1 / s, "reward": s / 10})
                                                      for s in (1, 2, 3)), encoding="utf-8")
    curve = an_charts.training_curve(str(tmp_path), "ru")
    assert curve is not None
    seen += _figure_words(curve.to_plotly_json())
    assert msg("t_chart_loss", "ru") in seen and "Loss и" not in " ".join(seen)
    runs = [TrainingRun(s, "grader", "grpo", s, "offline", None, 3, 0.5, None, "", "", "") for s in ("needs_attention", "stopped")]
    statuses = list(training_table(runs, "ru")[msg("an_col_status", "ru")])
    assert statuses == [msg("t_status_needs_attention", "ru"), msg("t_status_stopped", "ru")]
    detail = audit_detail_text({"cached": False, "ok": True, "score": 48}, "ru")
    assert detail == "взят сохранённый результат: нет; выполнено: да; балл: 48"
    allowed = ALLOWED | {"a", "b", "j", "grader", "offline", "loss"}  # model names; "потери (loss)" names the term
    assert english_words("\n".join([*seen, *statuses, detail]), allowed) == []


@pytest.mark.slow
def test_streamlit_pages_in_russian_have_no_english_left(tmp_path, monkeypatch):
    """Every analytics page, run by Streamlit's own test runner with Russian picked, over a store holding
    reports, decisions, training runs that need attention or were stopped, and audit rows: no English word
    outside product, file, skill, profile and people's names."""
    import json

    from streamlit.testing.v1 import AppTest

    from core.services.audit import audit
    from core.store import get_store
    from tests.test_analytics import _hand_made_store

    monkeypatch.setenv("HIRELAB_HOME", str(tmp_path))
    _hand_made_store(tmp_path)
    store = get_store()
    for status in ("needs_attention", "stopped"):
        folder = tmp_path / "runs" / f"grpo-{status}"
        folder.mkdir(parents=True)
        (folder / "metrics.jsonl").write_text("\n".join(json.dumps({"step": s, "loss": 1 / s, "reward": s / 10})
                                                        for s in (1, 2)), encoding="utf-8")
        store.save_run(f"grpo-{status}", "grpo", f"grpo {status}", status, {"profile": "offline"},
                       {"steps": 2, "last_loss": 0.5}, str(folder))
    audit("screen", candidate_ref="ref0", model_profile="rules", prompt_version="fit-v1", input_hash="ab" * 32,
          detail={"ok": True, "cached": False, "score": 82})
    audit("decision", actor="Anna", candidate_ref="ref0", detail={"decision": "advance", "shown_recommendation": "advance"})
    allowed = ALLOWED | {w.lower() for w in WORD.findall(
        "Data engineer Python SQL Airflow Spark retail company Person Anna grader sft grpo rules offline fit v1 "
        "stopped needs_attention ref0 ref1 abababababab loss compare")}  # the job's title, people, run names,
    # profiles, the input hash, "потери (loss)" naming the term, and the `hirelab compare` command
    seen: dict[str, list[str]] = {}
    for name in ("job_funnel.py", "score_distributions.py", "flags_overview.py", "tool_vs_people.py",
                 "training_runs.py", "compare_runs.py", "audit_log.py"):
        page = AppTest.from_file(str(REPO / "pages" / name), default_timeout=60)
        page.session_state["an_lang"] = "ru"
        page.run()
        assert not page.exception, (name, page.exception)
        texts = [e.value for kind in ("title", "caption", "info", "warning", "error", "subheader", "markdown")
                 for e in getattr(page, kind)]
        texts += [f"{m.label} {m.value}" for m in page.metric]
        for box in page.selectbox:
            texts += [box.label, *box.options]
        for frame in page.dataframe:
            texts += [str(c) for c in frame.value.columns]
            texts += [str(v) for col in frame.value.columns for v in frame.value[col] if isinstance(v, str)]
        for chart in page.get("plotly_chart"):
            texts += _figure_words(json.loads(chart.proto.spec))
        seen[name] = texts
    assert any(msg("t_status_needs_attention", "ru") in t for t in seen["training_runs.py"]), seen["training_runs.py"]
    assert any("балл: 82" in t for t in seen["audit_log.py"]), seen["audit_log.py"]
    leftovers = {name: english_words("\n".join(texts), allowed) for name, texts in seen.items()}
    assert not any(leftovers.values()), f"English on the Russian analytics pages: {leftovers}"


def test_a_refusal_toast_is_titled_in_the_language_of_its_message():
    """The toast's title ("Error") is set by the server: a Russian message gets "Ошибка", an English one "Error"."""
    from workbench.i18n import refusal

    assert refusal(msg("err_job_short", "ru")).title == msg("toast_error", "ru") == "Ошибка"
    assert refusal(msg("err_job_short", "en")).title == "Error"

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

from core.messages import Count, msg
from tests.paths import REPO, SAMPLES

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
QUOTE = re.compile(r"“[^”]*(?:”|$)|«[^»]*(?:»|$)", re.M)  # a quote cut at a bound may lack its end
PATHISH = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\S+(?:\.\.\.|…)|\S*[/\\]\S*|\b[\w.-]+\.(?:pdf|docx|txt|csv|json|jsonl|xlsx|yaml|yml|html)\b|\S+@\S+", re.I)
# (snake_case names are settings and fields, e.g. max_seq_length: code, not prose)
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
    // Compare's plan (core/compare/plan.py describe()) is still written in English only
    if (el.closest('#compare-status pre, #compare-status code')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) continue;
    out.push(n.textContent.trim());
  }
  return out.join('\\n');
}"""
RU_QUESTION = "Что такое индекс в базе данных и чем он платит за ускорение чтения?"
RU_REFERENCE = "Индекс ускоряет чтение, но занимает место и замедляет запись."
# every aria-label and title the page shows: our own HTML's must read in Russian too
LABELS = """() => Array.from(document.querySelectorAll('[aria-label], [title]'))
  .filter(el => el.getClientRects().length > 0 && el.closest('#report-cards, #grade-card, #grade-cards, #question-cards, '
                                                              + '#fairness-verdict, #compare-status, #train-report'))
  .map(el => [el.getAttribute('aria-label'), el.getAttribute('title')].filter(Boolean).join(' '))
  .join('\\n')"""
RU_ANSWER = ("Индекс — это отдельная структура, обычно B-дерево, которая ускоряет поиск строк. "
             "За это платят местом на диске и более медленной записью, потому что индекс надо обновлять.")


def _names_in_the_store() -> set[str]:
    """Names other tests put in the shared store: profiles results were made with (a test's own model server),
    training runs' names and ids, the profiles they registered. Names, not prose: allowed as written."""
    from sqlalchemy import select

    from core.store import get_store
    from core.store.tables import ResultRow, RunRow

    with get_store().session() as s:
        texts = list(s.scalars(select(ResultRow.model_profile).distinct()))
        texts += [f"{run_id} {name} {(summary or {}).get('profile') or ''}"
                  for run_id, name, summary in s.execute(select(RunRow.id, RunRow.name, RunRow.summary))]
    return {w.lower() for text in texts for w in WORD.findall(text or "")}


def _allowed_from_inputs() -> set[str]:
    from core.facts.taxonomy import load_taxonomy
    from core.models import load_profiles

    texts = [(SAMPLES / "jobs" / "python_backend_ru.txt").read_text(encoding="utf-8"), RU_QUESTION, RU_ANSWER,
             " ".join(load_taxonomy().names), " ".join(load_profiles()[1]), DOWNLOADS]
    texts += [p.stem.replace("_", " ") for p in (SAMPLES / "resumes").iterdir()]  # file names, shown split
    texts += [(REPO / "assets" / "fairness" / "names.yaml").read_text(encoding="utf-8")]  # names put on the copies
    # the question bank's Russian questions and model answers name technical terms as written (EXPLAIN, JSONB, httpx)
    from core.services.question_bank import load_bank

    bank = load_bank()
    texts += [f"{q.question.get('ru')} {q.reference.get('ru')}" for _label, qid in bank.choices("ru")
              for q in [bank.get(qid)]]
    texts += ["question-bank"]  # the engine and version name of questions picked from the bank (a code)
    return {w.lower() for text in texts for w in WORD.findall(text)}


def _walk_other_tabs(page, seen: dict[str, str], answers) -> None:  # noqa: ANN001 (a Playwright page, a path)
    """Each remaining tab's sample and primary action with the default (`rules`) profile, its result read."""
    def tab(key: str) -> None:
        page.get_by_role("tab", name=msg(key, "ru"), exact=True).first.click()

    def done(selector: str) -> None:  # a result landed and no progress bar is left
        page.wait_for_function(f"() => {{ const el = document.querySelector({selector!r});"
                               " return el && el.innerText.trim().length > 0; }", timeout=240_000)
        page.wait_for_function("() => !document.querySelector('.progress-text, .eta-bar')", timeout=240_000)

    tab("questions_tab")
    page.get_by_role("button", name=msg("iq_sample", "ru"), exact=True).click()
    page.locator(".tabitem:has(#questions-run)").get_by_label(msg("iq_ru", "ru"), exact=True).check()  # questions in Russian for the English sample resume
    page.locator("#questions-run").click()
    done("#question-cards")
    seen["questions"] = page.evaluate(VISIBLE_TEXT)

    tab("ctab_tab")
    page.locator("#cand-find").click()
    done("#cand-table")
    seen["candidates"] = page.evaluate(VISIBLE_TEXT)

    tab("iv_tab")
    page.locator("#iv-set input").click()
    page.get_by_role("option").first.click()
    page.locator("#iv-candidate textarea, #iv-candidate input").first.fill("Иван Петров")
    page.locator("#iv-create").click()
    page.wait_for_function("() => [...document.querySelectorAll('#iv-link textarea, #iv-link input')]"
                           ".some(el => el.value.includes('token='))", timeout=120_000)
    seen["interviews"] = page.evaluate(VISIBLE_TEXT)

    tab("compare_tab")
    good = answers.with_name("ответы_сравнение.csv")  # rows all readable (a skipped row's words are the CLI's, English)
    good.write_text(f'candidate,question,answer\nИван Петров,"{RU_QUESTION}","{RU_ANSWER}"\n', encoding="utf-8")
    page.locator(".tabitem:has(#compare-run) input[type=file]").first.set_input_files(str(good))
    page.get_by_role("button", name=msg("cmp_plan", "ru"), exact=True).click()
    done("#compare-status")
    seen["compare"] = page.evaluate(VISIBLE_TEXT)

    tab("fair_tab")
    page.get_by_role("button", name=msg("fair_sample_job", "ru"), exact=True).click()
    page.locator("#fairness-run").click()
    done("#fairness-verdict")
    seen["fairness"] = page.evaluate(VISIBLE_TEXT)

    tab("train_tab")
    page.locator("#train-check").click()
    done("#train-report")
    seen["train"] = page.evaluate(VISIBLE_TEXT)


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
        page.get_by_label(msg("gr_reference", "ru")).fill(RU_REFERENCE)  # the card says where the reference came from
        page.locator("#grade-answer textarea").fill(RU_ANSWER)
        page.locator("#grade-run").click()
        page.locator("#grade-card [data-testid=grade-card]").first.wait_for(timeout=120_000)
        seen["grading"] = page.evaluate(VISIBLE_TEXT)
        # a file of Russian answers, one row with a cell too many: the row's problem is told in Russian
        answers = tmp_path / "ответы.csv"
        answers.write_text(f'candidate,question,answer\nИван Петров,"{RU_QUESTION}","{RU_ANSWER}"\n'
                           f'Иван Петров,"{RU_QUESTION}","{RU_ANSWER}",лишнее\n', encoding="utf-8")
        page.get_by_role("tab", name=msg("gr_batch", "ru"), exact=True).first.click()
        page.locator(".tabitem:has(#grade-run-file) input[type=file]").first.set_input_files(str(answers))
        page.locator("#grade-run-file").click()
        page.locator("#grade-table").get_by_text("Иван Петров").first.wait_for(state="attached", timeout=120_000)
        page.get_by_text(msg("gr_cards", "ru"), exact=True).first.click()  # the cards' accordion starts closed
        page.locator("#grade-cards [data-testid=grade-card]").first.wait_for(timeout=120_000)
        seen["grading_file"] = page.evaluate(VISIBLE_TEXT)

        _walk_other_tabs(page, seen, answers)
        seen["labels"] = page.evaluate(LABELS)
    finally:
        context.close()
    assert msg("grade_ref_input", "ru") in seen["grading"]
    assert msg("err_row_cells", "ru", cells=Count("cells_n", 4), header=3) in seen["grading_file"]
    assert msg("doc_err_mismatch", "ru") in seen["screening"]  # the unreadable file, explained in Russian
    assert "Балл" in seen["screening"] and any(v in seen["screening"] for v in ("пригласить", "рассмотреть", "отказать"))
    from core.services.screen_runs import recent_screenings

    # past screenings are listed by their job's title: what people typed (other tests' jobs are English)
    allowed |= {w.lower() for run in recent_screenings(100) for w in WORD.findall(run.name)}
    allowed |= _names_in_the_store()
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
    from tests.hand_made import judged, pick

    cfg = CompareConfig(models=["a", "b"], judge="j", repeats=2)
    items = [CompareItem(id="1", question="q1", answer="x"), CompareItem(id="2", question="q2", answer="y")]
    judgments = [judged(m, i, r, 3 + r, 4, 3) for m in ("a", "b") for i in ("1", "2") for r in (0, 1)]
    pairs = [PairwiseVerdict(model_a="a", model_b="b", item_id="1", repeat=0, a_first=pick("A"), b_first=pick("B"))]
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
    from tests.hand_made import hand_made_store

    monkeypatch.setenv("HIRELAB_HOME", str(tmp_path))
    hand_made_store(tmp_path)
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


# --- stored failures, where a grade's reference came from, counts after a number --------------------------------

def test_a_rules_failure_is_stored_in_english_with_its_detail_and_shown_in_russian_without_it():
    """The rules engine failing on an input (here a task whose resume is not text) keeps the exception in the
    stored error for audit; a Russian reader of the screening table sees the tables' words, no exception text."""
    from core.engines.base import ChatRequest, Message
    from core.engines.rules import RulesEngine
    from core.engines.tasks import FitTask, JobBrief, ResumeBrief, TextMap
    from core.failures import shown_failure
    from core.schemas import FitAssessment
    from core.services.export import error_text
    from core.services.screening import ScreenRow

    request = ChatRequest((Message("user", "x"),), schema=FitAssessment, task=FitTask(None, JobBrief("Python"), ResumeBrief(), TextMap(""), "", True))  # type: ignore[arg-type]
    [result] = RulesEngine().generate([request])
    assert result.error and "Error" in result.error  # the exception's name is kept for audit
    shown = error_text(ScreenRow("a.pdf", "a.pdf", False, error=result.error), "ru")
    assert shown == msg("fail_rules_crashed", "ru"), shown
    assert english_words(shown, ALLOWED) == []
    assert shown_failure(result.error, "en") == msg("fail_rules_crashed", "en")  # no exception text in English either


@pytest.mark.parametrize("stored", ["the model's answer could not be used (it was not in the form asked for)."
                                    " Try again or pick another model profile. [detail: invalid JSON: Expecting value at 0]",
                                    "this stored grade was written by an older version of hirelab and cannot be shown; "
                                    "score the answer again.",
                                    "the grade was not stored; grade this answer by hand"])
def test_stored_failures_read_in_russian(stored):
    """Errors stored with items (runs, interview answers) as they were written: a Russian reader sees Russian."""
    from core.failures import shown_failure

    shown = shown_failure(stored, "ru")
    assert english_words(shown, ALLOWED) == [] and any("а" <= c <= "я" for c in shown), shown
    assert shown_failure(stored, "en") == stored.split(" [detail: ")[0]  # the detail is kept for audit, not shown


def test_an_interview_grading_crash_shows_no_exception_text(monkeypatch, tmp_path):
    """A grading that raises (here: the store's answers table went away mid-way, an SQL error) leaves each answer
    for a person with the tables' words; the SQL text stays in the stored error and the log only."""
    from core.failures import failure, shown_failure

    sql = "OperationalError: (sqlite3.OperationalError) no such table: results [SQL: SELECT results.id FROM results]"
    stored = failure("fail_interview_grading", audit=sql, profile="rules")
    assert sql in stored
    for lang in ("en", "ru"):
        shown = shown_failure(stored, lang)
        assert "SQL" not in shown and "sqlite" not in shown and "Error" not in shown, shown
    assert english_words(shown_failure(stored, "ru"), ALLOWED | {"rules"}) == []


def test_the_grade_card_names_where_its_reference_came_from_in_russian():
    from core.services.grading import AnswerInput, GradeOptions, grade_answers
    from workbench.tabs.grading import _card

    item = AnswerInput(question=RU_QUESTION, answer=RU_ANSWER, reference=RU_REFERENCE)
    [out] = grade_answers([item], "rules", options=GradeOptions(keep_records=False))
    html = _card(out, "ru")
    assert "(input)" not in html and f"({msg('grade_ref_input', 'ru')})" in html, html
    assert f"({msg('grade_ref_input', 'en')})" in _card(out, "en")


@pytest.mark.parametrize("make, ru", [
    (lambda: __import__("core.services.interviews", fromlist=["x"]).InterviewError(
        key="iv_err_answers", got=Count("answers_n", 1), want=Count("iv_questions_n", 2)), "1 ответ на 2 вопроса"),
    (lambda: __import__("core.services.answer_files", fromlist=["x"]).RowProblem(
        key="err_row_cells", cells=Count("cells_n", 2), header=3), "в строке 2 ячейки"),
])
def test_counts_in_errors_take_the_plural_form(make, ru):
    assert ru in make().text("ru")


def test_interview_limits_and_answer_files_say_counts_in_the_right_form(tmp_path):
    """The errors raised by the code (not only the tables) put each number with its noun in the right form."""
    from core.bounds import InputTooLong
    from core.services import interviews as iv
    from core.services.answer_files import read_answer_file

    questions = [iv.InterviewQuestion("q1", RU_QUESTION, RU_REFERENCE)]
    with pytest.raises(iv.InterviewError) as caught:
        iv.create_interview(questions, "Иван Петров", time_limit_minutes=1000)
    assert "от 5 до 480 минут." in caught.value.text("ru") and "between 5 and 480 minutes" in str(caught.value)
    with pytest.raises(iv.InterviewError) as caught:
        iv.create_interview(questions * (iv.MAX_QUESTIONS + 1), "Иван Петров")
    assert msg("iv_questions_n", "ru", n=iv.MAX_QUESTIONS + 1) in caught.value.text("ru")
    path = tmp_path / "a.csv"
    path.write_text('question,answer\n"Q?","A",extra\n"Q2?","A2"\n', encoding="utf-8")
    _items, problems = read_answer_file(str(path))
    assert any("в строке 3 ячейки" in p.text("ru") for p in problems), [p.text("ru") for p in problems]
    assert "не больше 200 символов" in InputTooLong("name", 201, 200).text("ru")
    assert "не больше 21 символа" in InputTooLong("name", 30, 21).text("ru")


@pytest.mark.slow
def test_an_unreadable_store_is_explained_without_its_sql_text(tmp_path, monkeypatch):
    """An analytics page over a store that is not a database: the page says so in Russian; the driver's text
    (SQL, sqlite) goes to the server log only."""
    from streamlit.testing.v1 import AppTest

    broken = tmp_path / "store.db"
    broken.write_bytes(b"not a database, just bytes " * 200)
    monkeypatch.setenv("HIRELAB_HOME", str(tmp_path))
    monkeypatch.setenv("HIRELAB_DB_URL", f"sqlite:///{broken}")
    page = AppTest.from_file(str(REPO / "pages" / "job_funnel.py"), default_timeout=60)
    page.session_state["an_lang"] = "ru"
    page.run()
    errors = [e.value for e in page.error]
    assert errors == [msg("an_store_error", "ru")], errors

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
from tests.paths import SAMPLES

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
QUOTE = re.compile(r"“[^”]*(?:”|$)|«[^»]*(?:»|$)", re.M)  # a quote cut at a bound may lack its end
PATHISH = re.compile(r"\S+(?:\.\.\.|…)|\S*[/\\]\S*|\b[\w.-]+\.(?:pdf|docx|txt|csv|json|jsonl|xlsx|yaml|yml|html)\b|\S+@\S+", re.I)
# names of products, formats and techniques, units, and values a setting takes (sft, cuda, 4bit, …)
ALLOWED = {w.lower() for w in """
hirelab gradio api json jsonl csv tsv pdf docx txt xlsx yaml yml html utc kb mb gb llm ai ml nlp rag ui css
lora qlora grpo sft peft unsloth kl beta gpu cpu cuda auto t4 b qwen2 coder instruct smollm2 m n a
json tags none bit reasoning score sft grpo fit v1 grade rubric
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
        page.locator("input[type=file]").first.set_input_files(
            [str(p) for p in sorted((SAMPLES / "resumes").iterdir())] + [str(broken)])
        page.locator("#job-text textarea").fill((SAMPLES / "jobs" / "python_backend_ru.txt").read_text(encoding="utf-8"))
        page.locator("#screen-run").click()
        page.locator("[data-testid=report-card]").nth(4).wait_for(timeout=240_000)
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

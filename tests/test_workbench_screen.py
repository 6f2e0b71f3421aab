"""The Screen tab on a real Gradio server: through gradio_client and in headless Chromium."""

import json

import pytest
from gradio_client import Client, handle_file

from core.services.export import TABLE_COLUMNS
from tests.paths import SAMPLES

JOB = (SAMPLES / "jobs" / "python_backend_ru.txt").read_text(encoding="utf-8")
DMITRY = SAMPLES / "resumes" / "dmitry_kozlov_python_backend_ru.pdf"


@pytest.mark.slow
def test_screen_endpoint_returns_table_cards_json_and_downloads(workbench_url, offline_engine):
    client = Client(workbench_url, verbose=False)
    table, cards_html, payload, downloads = client.predict(
        [handle_file(str(DMITRY))], "", JOB, "offline", False, api_name="/screen"
    )
    row = dict(zip(TABLE_COLUMNS, table["data"][0]))
    assert row["candidate"] == f"Дмитрий Козлов · {DMITRY.name}" and 0 <= int(row["match_score"]) <= 100
    assert table["headers"][:3] == ["№", "Балл", "Вердикт"]  # the score first; Russian job, no browser → Russian
    assert 'data-testid="report-card"' in cards_html and "Соответствие" in cards_html  # Russian job → Russian card
    assert payload[0]["ok"] and payload[0]["report"]["provenance"]["model_profile"] == "offline"
    csv_file = next(d for d in downloads if str(d).endswith(".csv"))
    assert DMITRY.name in open(csv_file, encoding="utf-8").read()
    json_file = next(d for d in downloads if str(d).endswith(".json"))
    assert json.load(open(json_file, encoding="utf-8"))[0]["file"] == DMITRY.name


def test_screen_endpoint_explains_a_missing_job(workbench_url):
    client = Client(workbench_url, verbose=False)
    with pytest.raises(Exception, match="job description"):
        client.predict([handle_file(str(DMITRY))], "", "", "offline", False, api_name="/screen")


@pytest.mark.browser
@pytest.mark.slow
def test_browser_upload_shows_a_report_card(workbench_url, browser, offline_engine):
    page = browser.new_page()
    page.goto(workbench_url)
    files = page.locator("#screen-files")
    files.locator("input[type=file]").set_input_files(str(SAMPLES / "resumes" / "anna_smirnova_ml_engineer.pdf"))
    # uploaded before the run starts (the name inside the upload box: other tabs may list it too)
    files.get_by_text("anna_smirnova_ml_engineer.pdf").first.wait_for(timeout=120_000)
    page.locator("#job-text textarea").fill((SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8"))
    page.locator("#screen-run").click()
    card = page.locator("[data-testid=report-card]").first
    card.wait_for(timeout=300_000)
    assert "anna_smirnova_ml_engineer.pdf" in card.inner_text()
    assert "/100" in card.inner_text()
    page.screenshot(path=str(SAMPLES.parent.parent / "tests" / ".last_screen_tab.png"), full_page=True)
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_job_typed_while_the_page_opens_is_kept_when_the_saved_inputs_come_back(workbench_url, browser):
    """The page brings back the inputs saved in the browser once it has opened; a person who types the job before
    that has landed keeps what they typed (before, the empty saved job replaced it and the screening then ran on
    an empty job). The page-open requests are held until the job is typed, so the order is the same every run."""
    import uuid

    title = f"Data engineer {uuid.uuid4().hex[:8]}"
    typed = f"{title}\nPython, Spark, Airflow and SQL; builds batch and streaming data pipelines.\n"
    resume = "Olga Petrova\nData engineer, 6 years: Python, Spark, Airflow, SQL, Kafka, dbt.\n"
    Client(workbench_url, verbose=False).predict([], resume, typed, "rules", False, api_name="/screen")
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    held = []  # the requests of the page-open steps, held until the job has been typed
    page.route("**/gradio_api/run/**", lambda route: held.append(route))
    page.goto(workbench_url)
    box = page.locator("#job-text textarea")
    box.fill(typed)
    for route in held:
        route.continue_()
    page.unroute("**/gradio_api/run/**")  # (any step asked for since goes on too)
    # the saved inputs and the past runs have come back: the list shows the run made above
    page.locator("#recent-runs").get_by_text(title).first.wait_for(state="attached", timeout=120_000)
    page.wait_for_function("t => document.querySelector('#job-text textarea')?.value === t", arg=typed, timeout=30_000)
    assert box.input_value() == typed
    context.close()

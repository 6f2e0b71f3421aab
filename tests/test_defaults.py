"""Defaults that work: Compare opens with a judge that can run here, the Train runs list fills on load, the
ranked table's key columns are in view at 1280 px, a missing code link is a red flag only where the job asks
for public code, requirement text is never cut, the audit table is one type per column, and an input the
reader must fix is one line in the server log."""

import logging

import pytest

from tests.paths import EVAL, SAMPLES

DJANGO_JOB = EVAL / "jobs" / "srbhr__Resume-Matcher__backend_developer_python_django.txt"
AWS_REQUIREMENT = ("You've worked with core AWS services in the past and have experience with EC2, ELB, AutoScaling, "
                   "CloudFront, S3")
ENGINEER = """Jane Roe
Backend Engineer
Experience
2019 - 2024 Backend Engineer at Acme: Python, Django, PostgreSQL, REST APIs.
I have worked with core AWS services for years and have experience with EC2, ELB, AutoScaling, CloudFront and S3.
"""


def _fit(job: str, resume: str = ENGINEER):
    from core.engines.rules.fit import assess_fit
    from core.services.fit_tasks import fit_task

    return assess_fit(fit_task(resume, job))


def test_missing_code_links_are_a_red_flag_only_where_the_job_asks_for_public_code():
    from core.facts.checklist import load_checklist

    title = next(c.title["en"] for c in load_checklist().checks if c.id == "no_code_links")
    plain = (SAMPLES / "jobs" / "data_engineer_en.txt").read_text(encoding="utf-8")
    asks = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")  # "public code on GitHub"
    assert title not in [f.flag for f in _fit(plain).red_flags]
    assert title in [f.flag for f in _fit(asks).red_flags]


def test_a_requirement_is_quoted_whole_in_its_green_flag():
    from core.facts.job_weights import requirements

    job = DJANGO_JOB.read_text(encoding="utf-8")
    reqs = [text for text, _ in requirements(job, limit=60)]
    assert AWS_REQUIREMENT in reqs  # one requirement, not cut into word windows
    flags = [f.flag for f in _fit(job).green_flags]
    assert any(flag.endswith(AWS_REQUIREMENT) for flag in flags), flags
    for flag in flags:  # every requirement flag ends with a whole requirement
        if flag.startswith("Matches the requirement: "):
            assert flag.removeprefix("Matches the requirement: ") in reqs


def test_audit_table_has_one_type_per_column_for_arrow():
    import pyarrow as pa

    from core.analytics.views import audit_table
    from core.services.audit import audit, list_audit

    audit("screen", actor="t", job_id=7, detail={"ok": True})
    audit("export", actor="t", detail={"rows": 1})  # no job
    table = audit_table(list_audit(limit=50))
    pa.Table.from_pandas(table)  # what Streamlit does with it: mixed int and str raised ArrowTypeError


def test_pickers_offer_only_profiles_that_run_here_and_say_why_not():
    from core.availability import check_profile
    from core.models import load_profiles
    from workbench.pickers import left_out_note, offer, profile_choices

    _, profiles = load_profiles()
    names, default = profile_choices()
    assert names == [n for n in profiles if check_profile(profiles[n]).ok] and default in names
    found = offer()
    hidden = [n for n in profiles if n not in names]
    note = left_out_note(found, "ru")
    for name in hidden:
        assert name in found.left_out and name in note
    if "base" in hidden and not check_profile(profiles["base"]).ok and "gpu" in check_profile(profiles["base"]).why:
        assert "нужен GPU с CUDA" in note


def test_an_input_to_fix_is_one_line_in_the_server_log(workbench_url, capfd, caplog):
    from gradio_client import Client

    client = Client(workbench_url, verbose=False)
    capfd.readouterr()
    with caplog.at_level(logging.WARNING, logger="hirelab.workbench"):
        with pytest.raises(Exception, match="job description"):
            client.predict([], "some resume text", "", "rules", False, api_name="/screen")
    err = capfd.readouterr().err
    assert "Traceback" not in err, err
    lines = [r.getMessage() for r in caplog.records if r.name == "hirelab.workbench"]
    assert len(lines) == 1 and "job description" in lines[0] and "\n" not in lines[0]


@pytest.mark.browser
@pytest.mark.slow
def test_browser_defaults_compare_judge_train_runs_and_table_columns(workbench_url, browser):
    from core.compare.plan import judges
    from training.launcher import create_run
    from training.presets import preset
    from workbench.pickers import profile_choices

    run = create_run(preset("cpu-smoke-sft"))  # a run made before the page opens
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(workbench_url)

    # Compare: the judge is one that runs here and can judge; the first click plans, no error
    page.get_by_role("tab", name="Compare models").click()
    judge = page.locator("#compare-judge input")
    judge.wait_for(timeout=30_000)
    assert judge.input_value() in judges(profile_choices()[0])
    page.locator("#compare-data input[type=file]").set_input_files(
        str(SAMPLES.parent / "question_bank" / "sample_answers.csv"))
    page.locator("#compare-data").get_by_text("sample_answers.csv").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Show plan").click()
    page.locator("#compare-status").get_by_text("Plan for").wait_for(timeout=60_000)
    assert page.locator(".toast-body.error").count() == 0

    # Train: the runs list holds the run without pressing Refresh
    page.get_by_role("tab", name="Train").click()
    page.locator("#train-runs input").click()
    page.get_by_role("option", name=run.id).first.wait_for(timeout=30_000)
    page.keyboard.press("Escape")

    # Screen: at 1280 px the Score, Verdict and Error headers are in view
    page.get_by_role("tab", name="Screen resumes").click()
    table = page.locator("#screen-table")
    table.wait_for(timeout=30_000)
    for name in ("Score", "Verdict", "Error"):
        cell = table.locator("th", has_text=name).first
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, (name, box)
    context.close()

"""Resume -> validated fit report on the bundled model, through the service and the CLI."""

import json

import pytest
from typer.testing import CliRunner

from cli import app
from core.schemas import FitReport
from core.schemas.bands import recommendation_for
from core.services.screening import ScreenError, ScreenInput, ScreenOptions, screen
from core.store import get_store
from tests.paths import SAMPLES

JOB = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")
ANNA = SAMPLES / "resumes" / "anna_smirnova_ml_engineer.pdf"


@pytest.fixture(scope="module")
def screened(offline_engine):
    progress: list[tuple[float, str]] = []
    rows = screen(JOB, [ScreenInput.from_path(ANNA), ScreenInput("broken.pdf", b"%PDF-1.7 this is not a pdf")],
                  ScreenOptions(profile="offline"), lambda f, m: progress.append((f, m)))
    return rows, progress


@pytest.mark.slow
def test_bundled_model_writes_a_schema_valid_report(screened):
    rows, progress = screened
    good = next(r for r in rows if r.filename == ANNA.name)
    assert good.ok, good.error
    report = FitReport.model_validate(good.report.model_dump())  # re-validates every bound
    assert 0 <= report.match_score <= 100
    assert report.provenance.model_profile == "offline" and report.provenance.prompt_version == "fit-v1"
    # the verdict is the score's band; what the model wrote is kept beside it
    assert report.recommendation == recommendation_for(report.match_score) and report.model_recommendation is not None
    # every quote is checked against the resume text the model saw
    text = good.document.text.lower()
    for skill in report.skills_matched:
        assert skill.verified == (" ".join(skill.quote.lower().split()).strip(" .,;:!?\"'()[]-") in " ".join(text.split()))
    assert progress[-1][0] == 1.0 and [p[0] for p in progress] == sorted(p[0] for p in progress)


@pytest.mark.slow
def test_bad_file_is_an_error_row_ranked_last(screened):
    rows, _ = screened
    assert rows[-1].filename == "broken.pdf" and not rows[-1].ok
    assert "damaged" in rows[-1].error and rows[-1].report is None


@pytest.mark.slow
def test_same_file_job_model_and_prompt_reuse_the_stored_report(screened):
    rows, _ = screened
    first = next(r for r in rows if r.ok)
    again = screen(JOB, [ScreenInput.from_path(ANNA)], ScreenOptions(profile="offline"))
    assert again[0].cached and again[0].report == first.report
    job_id = get_store().upsert_job(JOB)
    stored = [r for r in get_store().list_results("fit", subject=ANNA.name) if r.model_profile == "offline" and r.job_id == job_id]
    assert len(stored) == 1 and stored[0].ok


def test_missing_job_description_is_refused_with_advice():
    with pytest.raises(ScreenError, match="job description"):
        screen("   ", [ScreenInput.from_path(ANNA)])


@pytest.mark.slow
def test_cli_screen_writes_one_line_per_file_and_a_ranked_table(screened, tmp_path):
    out = tmp_path / "out.jsonl"
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    job = tmp_path / "job.txt"
    job.write_text(JOB, encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", "--job", str(job), str(ANNA), str(empty), "--model", "offline", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["path"] for line in lines] == [str(ANNA), str(empty)]
    assert lines[0]["ok"] and FitReport.model_validate(lines[0]["report"])
    assert not lines[1]["ok"] and "empty" in lines[1]["error"] and lines[1]["report"] is None
    assert "Ranked candidates" in result.output


def test_cli_parse_json_reports_each_file(tmp_path):
    bad = tmp_path / "cv.pdf"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(app, ["parse", "--json", str(ANNA), str(bad)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert rows[0]["ok"] and rows[0]["language"] == "en" and "Anna Smirnova" in rows[0]["text"]
    assert not rows[1]["ok"] and "PDF, DOCX" in rows[1]["error"]

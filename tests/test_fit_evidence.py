"""Quotes and skills a recruiter can trust, and a blind mode that changes nothing but what is hidden.

Quote checks tolerate lines broken inside links and hyphenated words, and nothing else; skills are
found in profile links; every skill of the job reaches the report, the card, the CSV and the JSON;
a job's company blurb and benefits never raise a flag; blind and normal runs agree on every sample
and evaluation resume (`rules` profile).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from core.facts import facts_from_text, job_requirements, skills_in
from core.facts.job import job_parts
from core.schemas import normalize_for_match, quote_in_text
from tests.paths import EVAL, SAMPLES

PDF_TEXT = ("Ivan Petrov — Python developer\nCode: github.com/ivan-\npetrov/payments-api and https://gitlab.com/\n"
            "ipetrov/tools · https://example.org/projects/very-long-link-that-wr\naps/here\n"
            "Built a high-through-\nput payment service; state-of-the-\nart monitoring.\nthe rapist union")


@pytest.mark.parametrize("quote", [
    "github.com/ivan-petrov/payments-api",            # a link split after a hyphen
    "https://gitlab.com/ipetrov/tools",                # split after the host's slash
    "example.org/projects/very-long-link-that-wraps/here",  # split anywhere inside the link
    "Built a high-throughput payment service",         # a word hyphenated at the line end
    "state-of-the-art monitoring",                     # a hyphenated word broken at its own hyphen
    "Code: github.com/ivan- petrov/payments-api",      # the broken form itself, as a model may copy it
])
def test_quotes_broken_across_lines_are_found(quote):
    assert quote_in_text(quote, normalize_for_match(PDF_TEXT))


@pytest.mark.parametrize("quote", [
    "github.com/ivanpetrov/payments-api",    # a character the text does not have in that place
    "github.com/ivan-petrov/payments-apis",  # one more
    "therapist union",                       # a space is never dropped between ordinary words
    "high through put",                      # nor added
    "Built a high-throughput payment system",
])
def test_broken_line_tolerance_makes_no_false_matches(quote):
    assert not quote_in_text(quote, normalize_for_match(PDF_TEXT))


def test_profile_links_count_as_the_tool():
    assert skills_in("Links: github.com/ivan · https://www.gitlab.com/ivan") == ["GitHub", "GitLab"]
    assert "GitHub" in facts_from_text(PDF_TEXT, "en").skill_quotes
    assert skills_in("CI/CD with GitHub Actions") == ["CI/CD", "GitHub Actions"]  # the longer name still wins


JOB_EN = """Senior Python Engineer

About us
We are Acme Payments, a fintech company with 200 engineers. We love Kafka-sized ambitions and Java history.

Requirements:
- 5+ years of Python, Django and PostgreSQL
- Docker and Kubernetes in production

Responsibilities: design APIs, review code.

What we offer
- Free gym, yoga and a Rust reading club
- Budget for conferences on Scala and Go
"""
JOB_RU = """Python-разработчик

О компании: мы делаем платёжную платформу на Java и Kotlin уже 10 лет.

Требования:
- Python от 4 лет, FastAPI
- PostgreSQL

Задачи:
- проектирование API

Мы предлагаем:
- ДМС, спортзал, курсы по Rust
"""


def test_job_sections_keep_requirements_and_duties_only():
    assert skills_in(job_requirements(JOB_EN)) == ["Python", "Django", "PostgreSQL", "Docker", "Kubernetes"]
    assert skills_in(job_requirements(JOB_RU)) == ["Python", "FastAPI", "PostgreSQL"]
    parts = dict((line, part) for part, line in job_parts(JOB_EN))
    assert parts["- Free gym, yoga and a Rust reading club"] == "boilerplate"
    assert parts["design APIs, review code."] == "duties"
    # a job that opens with a heading has no title line to misread
    assert skills_in(job_requirements("Requirements:\n- Python\nResponsibilities:\n- Docker\nWe offer:\n- Rust club")) == [
        "Python", "Docker"]
    # without any heading, nothing is dropped
    plain = "Data engineer\nWe need Spark, Airflow and SQL for our pipelines."
    assert skills_in(job_requirements(plain)) == ["Apache Spark", "Apache Airflow", "SQL"]


RESUME_BOILERPLATE = """Olga Nikitina
Python engineer · olga@example.com · github.com/onikitina
I love free gym sessions, yoga and my Rust reading club.
We are a fintech company with 200 engineers and Kafka-sized ambitions.
Experience
Python developer at Bank, Jan 2019 – Present: Django and PostgreSQL services, Docker.
"""


def test_job_boilerplate_raises_no_flags_and_no_skills():
    from core.engines.rules.fit import assess_fit
    from core.services.fit_tasks import fit_task

    fit = assess_fit(fit_task(RESUME_BOILERPLATE, JOB_EN))
    requirement_lines = job_requirements(JOB_EN)
    for flag in fit.green_flags + fit.red_flags:
        if ":" in flag.flag:  # "Matches the requirement: <job line>"
            assert flag.flag.split(": ", 1)[1][:30] in requirement_lines, flag
        assert "gym" not in flag.flag and "fintech" not in flag.flag and "Acme" not in flag.flag
    named = {s.skill for s in fit.skills_matched} | set(fit.skills_missing)
    assert not named & {"Rust", "Scala", "Go", "Java", "Apache Kafka"}
    assert "GitHub" not in fit.skills_missing


MANY_SKILLS_JOB = ("Backend engineer\nRequirements:\n- Python, Django, FastAPI, PostgreSQL, Redis, Celery, Docker, "
                   "Kubernetes, Kafka, GitHub\n- Terraform, Grafana\n")
MANY_SKILLS_RESUME = ("Pavel Orlov, backend engineer. github.com/porlov\nExperience\nEngineer, Jan 2018 – Present\n"
                      "Built services in Python with Django and FastAPI on PostgreSQL, Redis and Celery.\n"
                      "Shipped them in Docker to Kubernetes; events in Kafka.\n")


def test_every_skill_reaches_the_report_card_csv_and_json():
    from core.services.export import row_view, rows_to_csv
    from core.services.screening import ScreenInput, ScreenOptions, screen
    from workbench.render import card

    (row,) = screen(MANY_SKILLS_JOB, [ScreenInput("porlov.txt", MANY_SKILLS_RESUME.encode())],
                    ScreenOptions(profile="rules", reuse=False))
    rep = row.report
    matched = [s.skill for s in rep.skills_matched]
    assert sorted(matched) == sorted(["Python", "Django", "FastAPI", "PostgreSQL", "Redis", "Celery", "Docker",
                                      "Kubernetes", "Apache Kafka", "GitHub"])  # more than the model's bound of 6
    assert rep.skills_missing == ["Terraform", "Grafana"]
    assert all(s.verified for s in rep.skills_matched) and rep.unverified_quotes == 0
    (line,) = list(csv.DictReader(io.StringIO(rows_to_csv([row]))))
    assert sorted(line["skills_matched"].split("; ")) == sorted(matched)
    assert line["skills_missing"].split("; ") == ["Terraform", "Grafana"]
    data = json.loads(json.dumps(row_view(row)))
    assert [s["skill"] for s in data["report"]["skills_matched"]] == matched
    html = card(row, 1, "en")
    assert 'data-testid="more-skills"' in html and "4 more matched skills" in html
    assert all(f"<b>{name}</b>" in html for name in matched)
    assert "ещё 4 совпавших навыка" in card(row, 1, "ru")


def _resumes() -> list:
    from core.documents import Document, parse_many

    paths = sorted(p for folder in (SAMPLES / "resumes", EVAL / "resumes") if folder.is_dir()
                   for p in folder.iterdir() if p.suffix.lower() in {".pdf", ".docx"})
    docs = parse_many([(p.read_bytes(), p.name) for p in paths], workers=2)
    return [d for d in docs if isinstance(d, Document)]


def test_blind_and_normal_runs_agree_on_every_sample_and_eval_resume():
    from core.engines.rules.fit import assess_fit
    from core.schemas import FitReport, Provenance
    from core.services.fit_tasks import fit_task
    from core.services.screening import prepare_resume

    job = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")
    job_skills = skills_in(job_requirements(job))
    docs = _resumes()
    assert len(docs) >= 4
    prov = Provenance(model_profile="rules", engine="rules", prompt_version="test", input_hash="-", seconds=0)
    for doc in docs:
        reports = []
        for blind in (False, True):
            text, facts_text, _, _, facts, neutral = prepare_resume(doc, job_skills, blind)
            fit = assess_fit(fit_task(text, job, facts_text, facts, blind, neutral))
            reports.append(FitReport.from_assessment(fit, text, doc.filename, prov, job_skills, facts.skill_quotes))
        normal, blind_rep = reports
        assert normal.match_score == blind_rep.match_score, doc.filename
        flags = [[f.flag for f in r.green_flags + r.red_flags] for r in reports]
        assert flags[0] == flags[1], doc.filename
        assert [s.skill for s in normal.skills_matched] == [s.skill for s in blind_rep.skills_matched], doc.filename
        assert normal.unverified_quotes == blind_rep.unverified_quotes == 0, doc.filename

"""The rules profile's judgement: non-answers get 1s, explanations are plain sentences, and a resume with the
job's core stack outranks one from another profession (bundled MiniLM; texts written here)."""

import re

import pytest

from core.engines.rules.fit import assess_fit
from core.engines.rules.grade import assess_answer
from core.facts.job_weights import skill_weights
from core.engines.tasks import GradeTask
from core.services.fit_tasks import fit_task
from core.facts.job import job_parts
from core.schemas.grade import CRITERIA

QUESTION = "What is the difference between a process and a thread?"
REFERENCE = ("A process has its own address space and resources; threads run inside a process and share its memory, "
             "so switching between threads is cheaper, but shared data needs locks to avoid race conditions.")
GOOD = ("A process owns a separate address space, while threads live inside one process and share its memory. "
        "Because they share memory, threads are cheaper to create and switch, but access to shared data must be "
        "synchronised with locks, otherwise you get race conditions.")
PARTIAL = "Threads are smaller than processes."
POEM = ("The autumn wind is whispering low,\nacross the fields where rivers flow,\n"
        "I dream of home and fire's glow.")
STORY = "Last weekend I went hiking with my cousins and we cooked pasta by the lake."
COPY = "What is the difference between a thread and a process? That is the difference."
QUESTION_RU = "Чем процесс отличается от потока?"
REFERENCE_RU = ("У процесса своё адресное пространство и ресурсы; потоки работают внутри процесса и делят его память, "
                "поэтому переключение между потоками дешевле, но общие данные нужно защищать блокировками.")
GOOD_RU = ("Процесс имеет отдельное адресное пространство, а потоки живут внутри процесса и делят его память, "
           "поэтому их переключение дешевле, но общие данные защищают блокировками, например мьютексом.")
POEM_RU = "Белеет парус одинокий в тумане моря голубом. Что ищет он в стране далёкой? Что кинул он в краю родном?"
COPY_RU = "Чем процесс отличается от потока? Процесс отличается от потока."
METRIC_WORDS = re.compile(r"\d\.\d|similarity|cosine|relevance|marker|coverage|сходств|близост|маркер", re.I)


def grade(question: str, answer: str, reference: str | None):
    return assess_answer(GradeTask(question, answer, reference))


@pytest.mark.parametrize("question,answer,reference", [
    (QUESTION, POEM, REFERENCE), (QUESTION, POEM, None), (QUESTION, STORY, REFERENCE), (QUESTION, COPY, REFERENCE),
    (QUESTION, COPY, None), (QUESTION_RU, POEM_RU, REFERENCE_RU), (QUESTION_RU, COPY_RU, REFERENCE_RU),
])
def test_off_topic_nonsense_and_question_copies_get_1_on_every_criterion(question, answer, reference):
    g = grade(question, answer, reference)
    assert [getattr(g, c).score for c in CRITERIA] == [1, 1, 1], g
    assert g.verdict == "unacceptable"


def test_a_real_answer_is_not_mistaken_for_a_non_answer():
    for g in (grade(QUESTION, GOOD, REFERENCE), grade(QUESTION_RU, GOOD_RU, REFERENCE_RU), grade(QUESTION, GOOD, None)):
        assert g.overall >= 3.5, g
    assert grade(QUESTION, PARTIAL, REFERENCE).overall > 1


@pytest.mark.parametrize("question,answer,reference,russian", [
    (QUESTION, GOOD, REFERENCE, False), (QUESTION, PARTIAL, REFERENCE, False), (QUESTION, GOOD, None, False),
    (QUESTION, POEM, REFERENCE, False), (QUESTION_RU, GOOD_RU, REFERENCE_RU, True),
])
def test_explanations_are_plain_sentences_without_metrics(question, answer, reference, russian):
    g = grade(question, answer, reference)
    for text in [g.reasoning] + [getattr(g, c).explanation for c in CRITERIA]:
        assert not METRIC_WORDS.search(text), text
        assert text[0].isupper() and text.rstrip().endswith("."), text
        assert bool(re.search("[а-яё]", text, re.I)) == russian, text


def test_correctness_says_what_is_covered_and_missed_against_the_reference():
    text = grade(QUESTION, PARTIAL, REFERENCE).technical_correctness.explanation
    assert "reference answer" in text and "“address”" in text  # a key point it leaves out is named
    text = grade(QUESTION, GOOD, REFERENCE).technical_correctness.explanation
    assert "covers" in text and text.startswith(("Says what the reference answer says", "Largely agrees"))
    assert "No reference answer" in grade(QUESTION, GOOD, None).technical_correctness.explanation


def test_a_verbatim_copy_of_the_reference_is_graded_and_pointed_out():
    g = grade(QUESTION, REFERENCE, REFERENCE)
    assert g.technical_correctness.score == 5 and "word for word" in g.technical_correctness.explanation


DJANGO_JOB = """Backend Developer (Python/Django)

We are a fast-growing team building a logistics platform. We value ownership, clear communication and a
collaborative culture where everyone works closely with product managers and stakeholders.

Requirements:
- 3+ years of commercial development in Python
- Django and Django REST Framework
- PostgreSQL and writing efficient SQL
- Celery and Redis for background jobs
- Git, code review, automated tests with pytest

Nice to have:
- Docker, Kubernetes
- Experience with Agile and Jira

We offer: remote work, a learning budget, and a friendly team.
"""
DEV = """Ivan Petrov — Python Developer
Summary: Backend developer with 4 years of experience building web services.
Experience
2021–2025 Backend Developer, ShopCo
- Built REST APIs with Django and Django REST Framework serving 2M requests a day
- Designed PostgreSQL schemas and optimised slow SQL queries
- Moved report generation to Celery workers with Redis as the broker
- Wrote pytest suites and reviewed pull requests in Git
Skills: Python, Django, DRF, PostgreSQL, Celery, Redis, Git, pytest, Linux
"""
PM = """Olga Sidorova — Product Manager
Summary: Product manager with 6 years of experience leading cross-functional teams and delivering products
that customers love. Strong communication, stakeholder management and a collaborative, ownership-driven culture.
Experience
2019–2025 Senior Product Manager, TravelCo
- Owned the roadmap of a booking platform and worked closely with engineering and design teams
- Ran Agile ceremonies in Jira, wrote user stories and acceptance criteria
- Defined KPIs, ran customer interviews and A/B tests, presented results to stakeholders
Skills: product strategy, roadmapping, Agile, Scrum, Jira, Confluence, stakeholder management, SQL basics
"""


def test_core_skills_weigh_more_than_nice_to_haves_and_company_text():
    parts = {line: part for part, line in job_parts(DJANGO_JOB)}
    assert parts["Backend Developer (Python/Django)"] == "title" and "We offer" not in " ".join(parts)
    assert parts["- Docker, Kubernetes"] == "nice" and parts["- Django and Django REST Framework"] == "requirements"
    weights = skill_weights(DJANGO_JOB)
    assert weights["Django"] > weights["PostgreSQL"] > weights["Docker"]
    assert weights.get("Jira", 0) < weights["Celery"]


def test_a_django_developer_outranks_a_product_manager_for_a_django_job():
    dev, pm = assess_fit(fit_task(DEV, DJANGO_JOB)), assess_fit(fit_task(PM, DJANGO_JOB))
    assert dev.match_score >= pm.match_score + 30, (dev.match_score, pm.match_score)
    assert {"Python", "Django"} <= {s.skill for s in dev.skills_matched}
    assert "Django" in pm.skills_missing


def test_the_reference_used_is_kept_shown_and_exported():
    from core.services.grade_export import outcome_row
    from core.services.grading import AnswerInput, grade_answers
    from workbench.tabs.grading import _card

    out = grade_answers([AnswerInput(question=QUESTION, answer=PARTIAL, reference=REFERENCE)], "rules")[0]
    assert out.ok and out.grade.reference_used == REFERENCE and out.grade.reference_source == "input"
    assert outcome_row(out)["reference_used"] == REFERENCE
    assert "threads run inside a process and share its memory" in _card(out, "en")

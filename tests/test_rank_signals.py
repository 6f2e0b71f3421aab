"""The rules profile's ranking signals: the resume's headline against the job's title (real MiniLM), and the cap
that keeps a resume of another profession below the job's own profession."""

from __future__ import annotations

from core.engines.rules.rank import RankSignals, headline, job_title, rank_score, signals

JOB = """Java Software Engineer

Requirements:
- 4+ years of software development with Java and Spring Boot.
- Good knowledge of SQL, Hibernate and REST web services.
"""
DEV = """JAVA DEVELOPER
Summary
Backend developer building Spring Boot services and REST APIs in Java for a payments platform.
Skills
Java, Spring, Hibernate, SQL, Maven, Git
"""
CHEF = """EXECUTIVE CHEF
Summary
Executive chef leading a kitchen of 20 cooks; menus, food cost, vendors and sanitation.
Skills
Menu planning, inventory, food safety, scheduling, Excel and SQL reports
"""


def test_headline_and_title_are_the_first_short_lines() -> None:
    assert job_title(JOB) == "Java Software Engineer"
    assert headline(CHEF)[0] == "EXECUTIVE CHEF" and len(headline(CHEF)) <= 4


def test_the_job_s_own_profession_reads_closer_in_role_and_profile() -> None:
    dev = signals(JOB, JOB, DEV, 0.8, 0.6)
    chef = signals(JOB, JOB, CHEF, 0.2, 0.3)
    assert dev.role > chef.role + 0.2 and dev.profile > chef.profile + 0.2
    assert rank_score(dev) > rank_score(chef) + 30


def test_another_profession_is_capped_whatever_its_skill_overlap() -> None:
    other = RankSignals(skills=1.0, coverage=1.0, profile=0.05, role=0.05)
    own = RankSignals(skills=0.5, coverage=0.5, profile=0.5, role=0.5)
    assert rank_score(other) <= 40 < rank_score(own)


def test_measure_exposes_the_signals_the_fit_score_is_made_of() -> None:
    from core.engines.rules.fit import assess_fit, measure
    from core.services.fit_tasks import fit_task

    task = fit_task(DEV + "\nExperience\n2019 - 2024 Java developer at a bank, Spring Boot and SQL\n", JOB)
    m = measure(task)
    assert 0 < m.signals.skills <= 1 and 0 < m.signals.coverage <= 1 and m.signals.role > 0.3
    assert "Java" in m.matched and len(m.best) == len(task.job.requirements)
    assert assess_fit(task).match_score == rank_score(m.signals, m.penalty)


def test_fit_texts_names_every_text_measure_embeds() -> None:
    """What a batch embeds ahead (core.engines.rules.engine) is all that measure then needs."""
    from core.engines.rules import embed as embedding
    from core.engines.rules.fit import fit_texts, measure
    from core.services.fit_tasks import fit_task

    task = fit_task(CHEF, JOB)
    with embedding._cache_lock:
        embedding._cache.clear()
    measure(task)
    with embedding._cache_lock:
        embedded = set(embedding._cache)
    assert embedded and embedded <= set(fit_texts(task))

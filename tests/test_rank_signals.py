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

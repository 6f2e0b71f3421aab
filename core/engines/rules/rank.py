"""How the rules profile turns what it found into one match score that ranks resumes for a job.

Four signals, each 0..1:
  - ``skills``: the weighted share of the job's skills the resume names (core.engines.rules.fit);
  - ``coverage``: how well the resume's best passage answers each requirement sentence, by meaning;
  - ``profile``: how close the resume as a whole reads to what the job asks (sentence-encoder cosine of the two
    texts, scaled), the semantic half of the ranking;
  - ``role``: how close the resume's headline (its first lines: the title a person gives themselves) is to the
    job's title, so a strong resume of another profession does not pass for this one.
The score is their weighted sum (``RankWeights``), less the years penalty; a resume whose role and profile both
read as another profession is capped (``other_cap``) so it never ranks with the job's own profession. The weights
were fitted on the train half of the public resume set (bench/resume_set.py) and never on evaluation data.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.engines.rules.embed import embed
from core.engines.rules.text import scale

HEAD_LINES = 4  # lines of the resume read as its headline
RESUME_LINES = 25  # resume lines each requirement is compared with (its headline, summary, skills, latest roles)
HEAD_CHARS = 120  # a longer line is a sentence, not a title
ASK_CHARS = 2000  # the job's asked text compared as a whole


@dataclass(frozen=True)
class RankWeights:
    skills: float = 0.42
    coverage: float = 0.87
    profile: float = 0.37
    role: float = 0.88
    profile_low: float = 0.1  # cosine at or below: nothing alike
    profile_high: float = 0.3  # cosine at or above: the same kind of work
    role_low: float = 0.25
    role_high: float = 0.55
    other_role: float = 0.35  # role below this and profile below other_profile: another profession
    other_profile: float = 0.3
    other_cap: float = 0.4  # such a resume's score is capped at this share


WEIGHTS = RankWeights()


@dataclass(frozen=True)
class RankSignals:
    skills: float
    coverage: float
    profile: float  # raw cosine
    role: float  # raw cosine


def job_title(job: str) -> str:
    """The job's title: its first non-empty line."""
    return next((line.strip() for line in job.splitlines() if line.strip()), "")


def headline(resume: str) -> list[str]:
    """The resume's first short lines: its owner's title and name (a placeholder in a neutral text)."""
    out = []
    for line in resume.splitlines():
        line = line.strip()
        if not line or len(line) > HEAD_CHARS:
            continue
        out.append(line)
        if len(out) >= HEAD_LINES:
            break
    return out


def signals(job_text: str, asked: str, resume: str, skills: float | None, coverage: float) -> RankSignals:
    """The ranking signals of ``resume`` (the neutral text: personal data as placeholders) for a job."""
    title, head = job_title(job_text), headline(resume)
    ask = (asked or job_text)[:ASK_CHARS]
    vecs = embed([ask, resume, title, *head])
    profile = float(vecs[0] @ vecs[1])
    role = max((float(vecs[2] @ v) for v in vecs[3:]), default=0.0) if title else 0.0
    return RankSignals(skills=coverage if skills is None else skills, coverage=coverage, profile=profile, role=role)


def rank_score(s: RankSignals, penalty: float = 0.0, w: RankWeights = WEIGHTS) -> int:
    """0..100: the weighted signals less the years penalty, capped for another profession's resume."""
    profile = scale(s.profile, w.profile_low, w.profile_high)
    role = scale(s.role, w.role_low, w.role_high)
    share = w.skills * s.skills + w.coverage * s.coverage + w.profile * profile + w.role * role
    share /= (w.skills + w.coverage + w.profile + w.role) or 1.0
    if s.role < w.other_role and s.profile < w.other_profile:
        share = min(share, w.other_cap)
    return int(round(max(0.0, min(100.0, 100 * share - penalty))))

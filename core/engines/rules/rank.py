"""How the rules profile turns what it found into one match score that ranks resumes for a job.

Six signals, each 0..1:
  - ``skills``: the weighted share of the job's skills the resume names (core.engines.rules.fit);
  - ``coverage``: how well the resume's best passage answers each requirement sentence, by meaning;
  - ``profile``: how close the resume as a whole reads to what the job asks (sentence-encoder cosine of the two
    texts, scaled), the semantic half of the ranking;
  - ``role``: how close the resume's headline (its first lines: the title a person gives themselves) is to the
    job's title, so a strong resume of another profession does not pass for this one;
  - ``title_words``: the share of the job title's words the headline itself names (lexical title agreement);
  - ``terms``: the share of the job's most specific words found anywhere in the resume (the lexical half).
The score is their weighted sum (``RankWeights``), less the years penalty; a resume whose role and profile both
read as another profession is capped (``other_cap``) so it never ranks with the job's own profession. The weights
are read from assets/models/rank_weights.json: found on the train half of the public resume set
(bench/resume_set.py), never on evaluation data. training/fit_rank_weights.py fits them by a pairwise logistic
regression; the file says why the shipped values are the earlier random-search ones (the two lexical signals get no
weight).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from core.engines.rules.embed import embed
from core.text import content_stems, key_terms, scale, terms_found

HEAD_LINES = 4  # lines of the resume read as its headline
RESUME_LINES = 25  # resume lines each requirement is compared with (its headline, summary, skills, latest roles)
HEAD_CHARS = 120  # a longer line is a sentence, not a title
ASK_CHARS = 2000  # the job's asked text compared as a whole
JOB_TERMS = 20  # the job's most specific words looked for in the resume
WEIGHTS_FILE = Path(__file__).resolve().parents[3] / "assets" / "models" / "rank_weights.json"


@dataclass(frozen=True)
class RankWeights:
    skills: float = 1.0
    coverage: float = 1.0
    profile: float = 1.0
    role: float = 1.0
    title_words: float = 0.0
    terms: float = 0.0
    profile_low: float = 0.1  # cosine at or below: nothing alike
    profile_high: float = 0.3  # cosine at or above: the same kind of work
    role_low: float = 0.25
    role_high: float = 0.55
    other_role: float = 0.35  # role below this and profile below other_profile: another profession
    other_profile: float = 0.3
    other_cap: float = 0.4  # such a resume's score is capped at this share

    def to_json(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, float]) -> RankWeights:
        known = {f.name for f in fields(cls)}
        return cls(**{k: float(v) for k, v in data.items() if k in known})


def load_weights(path: Path = WEIGHTS_FILE) -> RankWeights:
    """The fitted weights (``{"weights": {...}}`` in ``path``, written by training/fit_rank_weights.py)."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: write it with `python -m training.fit_rank_weights`")
    return RankWeights.from_json(json.loads(path.read_text(encoding="utf-8"))["weights"])


WEIGHTS = load_weights()


@dataclass(frozen=True)
class RankSignals:
    skills: float
    coverage: float
    profile: float  # raw cosine
    role: float  # raw cosine
    title_words: float = 0.0
    terms: float = 0.0


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


def signal_texts(job_text: str, asked: str, resume: str) -> list[str]:
    """The texts ``signals`` embeds: the job's asked text, the resume, the job's title and the resume's headline."""
    return [(asked or job_text)[:ASK_CHARS], resume, job_title(job_text), *headline(resume)]


def _share(wanted: set[str] | list[str], found: int) -> float:
    return found / len(wanted) if wanted else 0.0


def signals(job_text: str, asked: str, resume: str, skills: float | None, coverage: float) -> RankSignals:
    """The ranking signals of ``resume`` (the neutral text: personal data as placeholders) for a job."""
    texts = signal_texts(job_text, asked, resume)
    title, head = texts[2], texts[3:]
    vecs = embed(texts)
    profile = float(vecs[0] @ vecs[1])
    role = max((float(vecs[2] @ v) for v in vecs[3:]), default=0.0) if title else 0.0
    title_stems = content_stems(title)
    title_words = _share(title_stems, len(title_stems & content_stems(" ".join(head))))
    terms = key_terms(texts[0], limit=JOB_TERMS)
    return RankSignals(skills=coverage if skills is None else skills, coverage=coverage, profile=profile, role=role,
                       title_words=title_words, terms=_share(terms, len(terms_found(terms, resume))))


def rank_score(s: RankSignals, penalty: float = 0.0, w: RankWeights | None = None) -> int:
    """0..100: the weighted signals less the years penalty, capped for another profession's resume."""
    w = w or WEIGHTS
    profile = scale(s.profile, w.profile_low, w.profile_high)
    role = scale(s.role, w.role_low, w.role_high)
    share = (w.skills * s.skills + w.coverage * s.coverage + w.profile * profile + w.role * role
             + w.title_words * s.title_words + w.terms * s.terms)
    share /= (w.skills + w.coverage + w.profile + w.role + w.title_words + w.terms) or 1.0
    if s.role < w.other_role and s.profile < w.other_profile:
        share = min(share, w.other_cap)
    return int(round(max(0.0, min(100.0, 100 * share - penalty))))

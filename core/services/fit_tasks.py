"""What an engine is given to screen a resume (core.engines.tasks.FitTask), found here once.

The job's brief (what it asks, its skills and their weights, its requirement sentences, the years it asks for) is
found once per screening and shared by every resume; a resume's brief (skill quotes, years and the line that
states them, the checklist's flags for this job in the report's language, instruction-like text) and its
redaction are found once per resume. Engines read only the task: they never parse a job or a resume themselves.
"""

from __future__ import annotations

from core.documents.language import detect_language, is_russian
from core.documents.text_clean import lowered
from core.text import clip, max_len
from core.engines.tasks import FitTask, FlagFound, JobBrief, ResumeBrief
from core.facts import Facts, Redaction, facts_from_text, job_requirements, redact, skills_in
from core.facts.checklist import for_job, title_of
from core.facts.dates import CLAIMED, RANGE, claimed_years
from core.facts.job_weights import requirements, skill_weights
from core.schemas import SkillEvidence
from core.schemas.text_map import TextMap

REQUIREMENTS = 30  # the heaviest requirement sentences a resume is compared with
QUOTE = max_len(SkillEvidence, "quote")


def job_brief(job: str) -> JobBrief:
    """What ``job`` asks of a candidate; never its company blurb, benefits or "we offer"."""
    asked = job_requirements(job)
    return JobBrief(text=job, asked=asked, skills=tuple(skills_in(asked)), skill_weights=skill_weights(job),
                    requirements=tuple(requirements(job, limit=REQUIREMENTS)), years=claimed_years(asked))


def report_lang(resume: str, facts: Facts | None, job: str) -> str:
    """The language the report is written in: the resume's (the Document's detected language, carried by its
    facts), so a Russian resume gets Russian prose whatever the job's language; a resume too short to tell
    falls back to the job's language. Quotes and requirement text stay as written."""
    for text, known in ((resume, facts.language if facts else "unknown"), (job, "unknown")):
        detected = known if known not in ("", "unknown") else detect_language(text)
        if detected != "unknown":
            return "ru" if detected == "ru" else "en"
        if is_russian(text):
            return "ru"
    return "en"


def _line_of(text: str, start: int, end: int, limit: int = QUOTE) -> str:
    """The line around text[start:end], or a window of it that keeps the match, within ``limit``."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    line = text[left : len(text) if right < 0 else right].strip()
    if len(line) <= limit:
        return line
    lo = max(left, start - limit // 3)
    return clip(text[lo : lo + limit + 40].strip(), limit)


def _years_quote(resume: str, claimed: bool) -> str | None:
    """The resume line that states the years (a claim, else the first work date range)."""
    low = lowered(resume)
    for rx in CLAIMED if claimed else [RANGE]:
        m = rx.search(low)
        if m:
            return _line_of(resume, m.start(), m.end())
    return None


def _injections(resume: str) -> tuple[str, ...]:
    from core.documents.injection import find_injections

    return tuple(f.snippet for f in find_injections(resume))


def resume_brief(resume: str, facts: Facts, job: JobBrief) -> ResumeBrief:
    """What the rules found in ``resume`` (the text the engine reads) for ``job``; ``facts`` were found before any
    redaction and carry its placeholders, so a blind run knows what a normal one knows."""
    lang = report_lang(resume, facts, job.text)
    claimed = facts.claimed_years is not None
    years = facts.claimed_years if claimed else facts.experience_years
    flags = tuple(FlagFound(kind=f.kind, title=title_of(f.id, lang), quote=f.quote)
                  for f in for_job(facts.checklist, job.text))
    return ResumeBrief(skill_quotes=dict(facts.skill_quotes), years=years, claimed=claimed,
                       years_quote=_years_quote(resume, claimed) if years is not None else None, flags=flags,
                       injections=_injections(resume), language=lang)


def neutral_text(redaction: Redaction) -> TextMap:
    """A redaction as the engine reads it: the neutral text and the way back to the resume's own words."""
    return TextMap(redaction.text, tuple(redaction.spans))


def fit_task(resume: str, job: str | JobBrief, facts_text: str = "", facts: Facts | None = None, blind: bool = False,
             neutral: TextMap | None = None) -> FitTask:
    """The task for one resume: ``resume`` is the text the engine sees (placeholders when ``blind``); ``facts`` were
    found in the full text (found here from ``resume`` when not given); ``neutral`` the resume with personal data
    as placeholders (redacted here when not given; a blind resume is its own)."""
    brief = job if isinstance(job, JobBrief) else job_brief(job)
    facts = facts or facts_from_text(resume, detect_language(resume))
    if neutral is None:
        neutral = TextMap(resume) if blind else neutral_text(redact(resume))
    return FitTask(resume=resume, job=brief, facts=resume_brief(resume, facts, brief), neutral=neutral,
                   facts_text=facts_text, blind=blind)

"""Resume vs job without a language model: facts (core.facts) and meaning similarity (MiniLM).

match_score = 60% share of the job's skills (project taxonomy) found in the resume, weighted by where the job
names them (title and requirements count most, nice-to-haves least: core.engines.rules_job) + 40% how well
the resume's sentences cover the job's requirement sentences by meaning (a sentence that names no skill
counts little, so general prose cannot stand in for the stack), less a penalty when the resume shows fewer
years than the job asks. Flags come from the hiring checklist, instruction-like text and the
years check. Every quote is a piece of the resume; every sentence comes from these numbers.
"""

from __future__ import annotations

from core.documents.text_clean import lowered
from core.engines.rules_embed import embed
from core.documents.language import is_russian
from core.engines.rules_job import requirements, skill_weights
from core.engines.rules_text import clip, max_len, scale, segments
from core.engines.tasks import FitTask
from core.messages import msg
from core.facts import facts_from_text, job_requirements, redact
from core.facts.checklist import for_job, title_of
from core.facts.dates import CLAIMED, RANGE, claimed_years
from core.facts.model import Redaction
from core.facts.taxonomy import find_skills
from core.schemas import FitAssessment, FlagEvidence, SkillEvidence
from core.schemas.bands import recommendation_for

SIM_LOW, SIM_HIGH = 0.2, 0.6  # cosine below LOW: unrelated; above HIGH: says the same thing
QUOTE = max_len(SkillEvidence, "quote")
SKILL = max_len(SkillEvidence, "skill")
FLAG = max_len(FlagEvidence, "flag")


def _line_of(text: str, start: int, end: int, limit: int = QUOTE) -> str:
    """The line around text[start:end], or a window of it that keeps the match, within ``limit``."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    line = text[left : len(text) if right < 0 else right].strip()
    if len(line) <= limit:
        return line
    lo = max(left, start - limit // 3)
    return clip(text[lo : lo + limit + 40].strip(), limit)


def _first_mentions(text: str) -> dict[str, tuple[int, int]]:
    """Skill -> (start, end) of its first mention, in order of appearance (project taxonomy)."""
    found: dict[str, tuple[int, int]] = {}
    for name, start, end in find_skills(text):
        found.setdefault(name, (start, end))
    return found


def _years_quote(resume: str, claimed: bool) -> str | None:
    """The resume line that states the years (a claim, else the first work date range)."""
    low = lowered(resume)
    for rx in CLAIMED if claimed else [RANGE]:
        m = rx.search(low)
        if m:
            return _line_of(resume, m.start(), m.end())
    return None


def _neutral(resume: str) -> tuple[str, Redaction]:
    """The resume with personal data as placeholders (what a blind run reads), and the map back."""
    redaction = redact(resume)
    return redaction.text, redaction


def _shown(line: str, neutral: str, redaction: Redaction | None, resume: str) -> str:
    """A line of the neutral text as the resume given shows it (the original words in a normal run)."""
    if redaction is None:
        return line
    at = neutral.find(line)
    if at < 0:
        return line
    start, end = redaction.to_original(at, at + len(line))
    return resume[start:end].strip()


def _injections(resume: str) -> list[str]:
    try:
        from core.documents.injection import find_injections
    except ImportError:
        return []
    return [f.snippet for f in find_injections(resume)]


def _join(items: list[str], limit: int) -> str:
    shown = items[:limit]
    rest = len(items) - len(shown)
    return ", ".join(shown) + (f" (+{rest})" if rest > 0 else "")


def report_lang(task: FitTask) -> str:
    """The language the report is written in: the resume's (the Document's detected language, carried by its
    facts), so a Russian resume gets Russian prose whatever the job's language; a resume too short to tell
    falls back to the job's language. Quotes and requirement text stay as written."""
    from core.documents.language import detect_language

    for text, known in ((task.resume, task.facts.language if task.facts else "unknown"), (task.job, "unknown")):
        detected = known if known not in ("", "unknown") else detect_language(text)
        if detected != "unknown":
            return "ru" if detected == "ru" else "en"
        if is_russian(text):
            return "ru"
    return "en"


def assess_fit(task: FitTask) -> FitAssessment:
    from core.documents.language import detect_language

    resume, job = task.resume, task.job
    lang = report_lang(task)

    # Facts were found before any redaction (FitTask.facts), so a blind run knows what a normal one knows.
    facts = task.facts or facts_from_text(resume, detect_language(resume))
    # Only what the job asks of a candidate counts: never its company blurb, benefits or "we offer".
    asked = job_requirements(job)

    # skills ------------------------------------------------------------------------------------
    wanted = _first_mentions(asked)
    have = facts.skill_quotes  # skill -> resume words around its first mention
    matched = [s for s in wanted if s in have]
    missing = [s for s in wanted if s not in have]
    weight = skill_weights(job)  # the title's and the requirements' skills count most, nice-to-haves least
    total = sum(weight.get(s, 1.0) for s in wanted)
    skill_share = sum(weight.get(s, 1.0) for s in matched) / total if wanted and total else None

    # meaning -----------------------------------------------------------------------------------
    # Resume lines are compared with personal data as placeholders in both modes, so blind == normal.
    neutral, redaction = (resume, None) if task.blind else _neutral(resume)
    weighted = requirements(job, limit=30)  # requirement sentences; one that names no skill weighs little
    reqs = [text for text, _ in weighted]
    lines = segments(neutral, limit=200)
    best: list[tuple[float, str, str]] = []  # (similarity, requirement, resume line)
    if reqs and lines:
        req_vecs, line_vecs = embed(reqs), embed(lines)
        sims = req_vecs @ line_vecs.T
        for i, req in enumerate(reqs):
            j = int(sims[i].argmax())
            best.append((float(sims[i, j]), req, lines[j]))
    total_w = sum(w for _, w in weighted[: len(best)])
    coverage = (sum(w * scale(b[0], SIM_LOW, SIM_HIGH) for (_, w), b in zip(weighted, best)) / total_w
                if best and total_w else 0.0)

    # experience --------------------------------------------------------------------------------
    claimed = facts.claimed_years is not None
    years = facts.claimed_years if claimed else facts.experience_years
    needed = claimed_years(asked)
    penalty = 0.0
    if needed and years is not None and years < needed:
        penalty = 20.0 * (1 - years / needed)

    base = 0.6 * skill_share + 0.4 * coverage if skill_share is not None else coverage
    score = int(round(max(0.0, min(100.0, 100 * base - penalty))))
    injections = _injections(resume)  # a red flag below and a note for a person; the band follows the score

    # evidence ----------------------------------------------------------------------------------
    skills_matched = [
        SkillEvidence(skill=clip(name, SKILL), quote=clip(have[name], QUOTE)) for name in matched
    ][: max_len(FitAssessment, "skills_matched")]
    green = []
    for sim, req, line in sorted(best, key=lambda b: -b[0]):
        if sim < 0.5 or len(green) >= max_len(FitAssessment, "green_flags"):
            break
        if req not in asked:
            continue  # what the job says about itself (its team, its culture) is never a candidate's flag
        label = msg("fit_near", lang, req=req)
        green.append(FlagEvidence(flag=clip(label, FLAG), quote=clip(_shown(line, neutral, redaction, resume), QUOTE)))
    red = [
        FlagEvidence(flag=msg("fit_injection", lang),
                     quote=clip(q, QUOTE))
        for q in injections[:2]
    ]
    quote = _years_quote(resume, claimed) if years is not None else None
    if penalty and quote:
        flag = msg("fit_years_short", lang, years=msg("years_n", lang, n=years), needed=msg("years_plus_n", lang, n=needed))
        red.append(FlagEvidence(flag=clip(flag, FLAG), quote=clip(quote, QUOTE)))
    for checked in for_job(facts.checklist, job):  # the hiring checklist's flags that count for this job
        title = title_of(checked.id, lang)
        evidence = FlagEvidence(flag=clip(title, FLAG), quote=clip(checked.quote, QUOTE))
        (green if checked.kind == "green" else red).append(evidence)

    # words -------------------------------------------------------------------------------------
    # (the report is written in the resume's language (report_lang); words from core/messages)
    if wanted:
        skills_txt = msg("fit_skills", lang, found=len(matched), wanted=len(wanted),
                         names=_join(matched, 6) or msg("none", lang))
        skills_txt += msg("fit_skills_missing", lang, names=_join(missing, 5)) if missing else ""
    else:
        skills_txt = msg("fit_no_skills", lang)
    summary = msg("fit_summary", lang, score=score, coverage=f"{coverage:.0%}", skills=skills_txt)
    exp = msg("fit_no_years", lang) if years is None else msg("fit_years", lang, years=msg("years_n", lang, n=years))
    exp += (msg("fit_job_needs", lang, needed=msg("years_plus_n", lang, n=needed)) if needed else "") + msg("fit_end", lang)
    return FitAssessment(
        summary=clip(summary, max_len(FitAssessment, "summary")),
        skills_matched=skills_matched,
        skills_missing=[clip(m, SKILL) for m in missing][: max_len(FitAssessment, "skills_missing")],
        experience_years=years,
        experience_evaluation=clip(exp, max_len(FitAssessment, "experience_evaluation")),
        green_flags=green[: max_len(FitAssessment, "green_flags")],
        red_flags=red[: max_len(FitAssessment, "red_flags")],
        match_score=score,
        recommendation=recommendation_for(score),
    )

"""Resume vs job without a language model: the facts the service found (FitTask) and meaning similarity (MiniLM).

match_score (core.engines.rules.rank) weighs the share of the job's skills (project taxonomy) found in the resume,
weighted by where the job names them (title and requirements count most, nice-to-haves least:
core.facts.job_weights), how well the resume's sentences cover the job's requirement sentences by meaning (a
sentence that names no skill counts little, so general prose cannot stand in for the stack), how close the resume
as a whole and its headline read to the job and its title, less a penalty when the resume shows fewer years than
the job asks; a resume of another profession is capped. Flags come from the hiring checklist, instruction-like text and the
years check. Every quote is a piece of the resume; every sentence comes from these numbers.
"""

from __future__ import annotations

from core.engines.rules.embed import embed
from core.engines.rules.rank import RESUME_LINES, rank_score, signals
from core.engines.rules.text import clip, max_len, scale, segments
from core.engines.tasks import FitTask
from core.messages import msg
from core.schemas import FitAssessment, FlagEvidence, SkillEvidence
from core.schemas.bands import recommendation_for
from core.schemas.text_map import TextMap

SIM_LOW, SIM_HIGH = 0.2, 0.6  # cosine below LOW: unrelated; above HIGH: says the same thing
QUOTE = max_len(SkillEvidence, "quote")
SKILL = max_len(SkillEvidence, "skill")
FLAG = max_len(FlagEvidence, "flag")


def _shown(line: str, neutral: TextMap | None, resume: str) -> str:
    """A line of the neutral text as the resume given shows it (the original words in a normal run)."""
    if neutral is None:
        return line
    at = neutral.text.find(line)
    if at < 0:
        return line
    start, end = neutral.to_original(at, at + len(line))
    return resume[start:end].strip()


def _join(items: list[str], limit: int) -> str:
    shown = items[:limit]
    rest = len(items) - len(shown)
    return ", ".join(shown) + (f" (+{rest})" if rest > 0 else "")


def assess_fit(task: FitTask) -> FitAssessment:
    resume, job = task.resume, task.job
    lang = task.facts.language  # the resume's language (core.services.fit_tasks.report_lang)

    # Facts were found before any redaction (FitTask.facts), so a blind run knows what a normal one knows.
    facts = task.facts
    # Only what the job asks of a candidate counts: never its company blurb, benefits or "we offer".
    asked = job.asked

    # skills ------------------------------------------------------------------------------------
    wanted = job.skills
    have = facts.skill_quotes  # skill -> resume words around its first mention
    matched = [s for s in wanted if s in have]
    missing = [s for s in wanted if s not in have]
    weight = job.skill_weights  # the title's and the requirements' skills count most, nice-to-haves least
    total = sum(weight.get(s, 1.0) for s in wanted)
    skill_share = sum(weight.get(s, 1.0) for s in matched) / total if wanted and total else None

    # meaning -----------------------------------------------------------------------------------
    # Resume lines are compared with personal data as placeholders in both modes, so blind == normal.
    neutral = None if task.blind else task.neutral  # a blind resume is the neutral text already
    weighted = job.requirements  # requirement sentences; one that names no skill weighs little
    reqs = [text for text, _ in weighted]
    lines = segments(neutral.text if neutral else resume, limit=RESUME_LINES)
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
    years = facts.years  # the years the resume states, else counted from its work dates
    needed = job.years
    penalty = 0.0
    if needed and years is not None and years < needed:
        penalty = 20.0 * (1 - years / needed)

    # the score: skills, coverage, the resume's profile and role against the job (core.engines.rules.rank)
    ranked = signals(job.text, asked, neutral.text if neutral else resume, skill_share, coverage)
    score = rank_score(ranked, penalty)
    injections = facts.injections  # a red flag below and a note for a person; the band follows the score

    # evidence ----------------------------------------------------------------------------------
    skills_matched = [
        SkillEvidence(skill=clip(name, SKILL), quote=clip(have[name], QUOTE)) for name in matched
    ][: max_len(FitAssessment, "skills_matched")]
    green: list[FlagEvidence] = []
    for sim, req, line in sorted(best, key=lambda b: -b[0]):
        if sim < 0.5 or len(green) >= max_len(FitAssessment, "green_flags"):
            break
        if req not in asked:
            continue  # what the job says about itself (its team, its culture) is never a candidate's flag
        label = msg("fit_near", lang, req=req)
        green.append(FlagEvidence(flag=clip(label, FLAG), quote=clip(_shown(line, neutral, resume), QUOTE)))
    red = [
        FlagEvidence(flag=msg("fit_injection", lang),
                     quote=clip(q, QUOTE))
        for q in injections[:2]
    ]
    quote = facts.years_quote if years is not None else None
    if penalty and quote:
        flag = msg("fit_years_short", lang, years=msg("years_n", lang, n=years), needed=msg("years_plus_n", lang, n=needed))
        red.append(FlagEvidence(flag=clip(flag, FLAG), quote=clip(quote, QUOTE)))
    for checked in facts.flags:  # the hiring checklist's flags that count for this job, in the report's language
        evidence = FlagEvidence(flag=clip(checked.title, FLAG), quote=clip(checked.quote, QUOTE))
        (green if checked.kind == "green" else red).append(evidence)

    # words -------------------------------------------------------------------------------------
    # (the report is written in the resume's language (ResumeBrief.language); words from core/messages)
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

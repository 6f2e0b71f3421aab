"""Resume vs job without a language model: the facts the service found (FitTask) and meaning similarity (MiniLM).

match_score (core.engines.rules.rank) weighs the share of the job's skills (project taxonomy) found in the resume,
weighted by where the job names them (title and requirements count most, nice-to-haves least:
core.facts.job_weights), how well the resume's sentences cover the job's requirement sentences by meaning (a
sentence that names no skill counts little, so general prose cannot stand in for the stack), how close the resume
as a whole and its headline read to the job and its title, less a penalty when the resume shows fewer years than
the job asks; a resume of another profession is capped. Flags come from the hiring checklist, instruction-like text
and the years check. Every quote is a piece of the resume; every sentence comes from these numbers.

``measure`` returns those numbers (``FitMeasure``: the ranking signals, the years penalty and the evidence behind
them); training/fit_rank_weights.py fits the score's weights on them through this same path.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.engines.rules.embed import embed
from core.engines.rules.rank import RESUME_LINES, RankSignals, rank_score, signal_texts, signals
from core.text import clip, max_len, scale, segments
from core.engines.tasks import FitTask
from core.messages import msg
from core.schemas import FitAssessment, FlagEvidence, SkillEvidence
from core.schemas.bands import recommendation_for
from core.schemas.text_map import TextMap

SIM_LOW, SIM_HIGH = 0.2, 0.6  # cosine below LOW: unrelated; above HIGH: says the same thing
QUOTE = max_len(SkillEvidence, "quote")
SKILL = max_len(SkillEvidence, "skill")
FLAG = max_len(FlagEvidence, "flag")


@dataclass(frozen=True)
class FitMeasure:
    """What a fit score is made of: the ranking signals, the years penalty and the evidence behind them."""

    signals: RankSignals
    penalty: float  # points taken off for fewer years than the job asks
    matched: list[str]  # the job's skills the resume names
    missing: list[str]
    best: list[tuple[float, str, str]]  # (similarity, requirement, closest resume line), one per requirement
    years: float | None
    needed: float | None


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


def _compared(task: FitTask) -> str:
    """The resume text lines are compared on: personal data as placeholders in both modes, so blind == normal
    (a blind resume is the neutral text already)."""
    return task.resume if task.blind else task.neutral.text


def _skill_share(task: FitTask) -> tuple[list[str], list[str], float | None]:
    """(matched, missing, weighted share found): the title's and the requirements' skills count most."""
    wanted, have, weight = task.job.skills, task.facts.skill_quotes, task.job.skill_weights
    matched = [s for s in wanted if s in have]
    missing = [s for s in wanted if s not in have]
    total = sum(weight.get(s, 1.0) for s in wanted)
    share = sum(weight.get(s, 1.0) for s in matched) / total if wanted and total else None
    return matched, missing, share


def _coverage(task: FitTask, text: str) -> tuple[list[tuple[float, str, str]], float]:
    """Each requirement sentence's closest resume line, and the weighted share of requirements covered by meaning
    (a requirement that names no skill weighs little)."""
    weighted = task.job.requirements
    reqs = [req for req, _ in weighted]
    lines = segments(text, limit=RESUME_LINES)
    best: list[tuple[float, str, str]] = []
    if reqs and lines:
        sims = embed(reqs) @ embed(lines).T
        for i, req in enumerate(reqs):
            j = int(sims[i].argmax())
            best.append((float(sims[i, j]), req, lines[j]))
    total = sum(w for _, w in weighted[: len(best)])
    if not best or not total:
        return best, 0.0
    return best, sum(w * scale(b[0], SIM_LOW, SIM_HIGH) for (_, w), b in zip(weighted, best)) / total


def years_penalty(years: float | None, needed: float | None) -> float:
    """Points off when the resume shows fewer years than the job asks (up to 20 for none)."""
    if needed and years is not None and years < needed:
        return 20.0 * (1 - years / needed)
    return 0.0


def fit_texts(task: FitTask) -> list[str]:
    """Every text ``measure`` embeds for ``task``, so a batch can embed them together first."""
    text = _compared(task)
    reqs = [req for req, _ in task.job.requirements]
    return [*reqs, *segments(text, limit=RESUME_LINES), *signal_texts(task.job.text, task.job.asked, text)]


def measure(task: FitTask) -> FitMeasure:
    """The ranking signals of the resume for the job (core.engines.rules.rank), its years penalty and evidence."""
    text = _compared(task)
    matched, missing, share = _skill_share(task)
    best, coverage = _coverage(task, text)
    years, needed = task.facts.years, task.job.years  # years stated, else counted from the work dates
    ranked = signals(task.job.text, task.job.asked, text, share, coverage)
    return FitMeasure(ranked, years_penalty(years, needed), matched, missing, best, years, needed)


def _flags(task: FitTask, m: FitMeasure) -> tuple[list[FlagEvidence], list[FlagEvidence]]:
    """(green, red): requirements a resume line answers closely, instruction-like text, too few years, and the
    hiring checklist's flags that count for this job."""
    lang, facts, neutral = task.facts.language, task.facts, None if task.blind else task.neutral
    green: list[FlagEvidence] = []
    for sim, req, line in sorted(m.best, key=lambda b: -b[0]):
        if sim < 0.5 or len(green) >= max_len(FitAssessment, "green_flags"):
            break
        if req not in task.job.asked:
            continue  # what the job says about itself (its team, its culture) is never a candidate's flag
        label = msg("fit_near", lang, req=req)
        green.append(FlagEvidence(flag=clip(label, FLAG), quote=clip(_shown(line, neutral, task.resume), QUOTE)))
    red = [FlagEvidence(flag=msg("fit_injection", lang), quote=clip(q, QUOTE)) for q in facts.injections[:2]]
    quote = facts.years_quote if m.years is not None else None
    if m.penalty and quote:
        flag = msg("fit_years_short", lang, years=msg("years_n", lang, n=m.years),
                   needed=msg("years_plus_n", lang, n=m.needed))
        red.append(FlagEvidence(flag=clip(flag, FLAG), quote=clip(quote, QUOTE)))
    for checked in facts.flags:  # the hiring checklist's flags that count for this job, in the report's language
        evidence = FlagEvidence(flag=clip(checked.title, FLAG), quote=clip(checked.quote, QUOTE))
        (green if checked.kind == "green" else red).append(evidence)
    return green, red


def _words(task: FitTask, m: FitMeasure, score: int) -> tuple[str, str]:
    """(summary, experience evaluation) in the resume's language, from the numbers (words from core/messages)."""
    lang = task.facts.language
    if task.job.skills:
        skills_txt = msg("fit_skills", lang, found=len(m.matched), wanted=len(task.job.skills),
                         names=_join(m.matched, 6) or msg("none", lang))
        skills_txt += msg("fit_skills_missing", lang, names=_join(m.missing, 5)) if m.missing else ""
    else:
        skills_txt = msg("fit_no_skills", lang)
    summary = msg("fit_summary", lang, score=score, coverage=f"{m.signals.coverage:.0%}", skills=skills_txt)
    exp = (msg("fit_no_years", lang) if m.years is None
           else msg("fit_years", lang, years=msg("years_n", lang, n=m.years)))
    needs = msg("fit_job_needs", lang, needed=msg("years_plus_n", lang, n=m.needed)) if m.needed else ""
    return summary, exp + needs + msg("fit_end", lang)


def assess_fit(task: FitTask) -> FitAssessment:
    """The fit report: the score from ``measure``'s signals, flags quoting the resume, sentences from the numbers."""
    m = measure(task)
    score = rank_score(m.signals, m.penalty)
    green, red = _flags(task, m)
    summary, exp = _words(task, m, score)
    have = task.facts.skill_quotes
    return FitAssessment(
        summary=clip(summary, max_len(FitAssessment, "summary")),
        skills_matched=[SkillEvidence(skill=clip(name, SKILL), quote=clip(have[name], QUOTE))
                        for name in m.matched][: max_len(FitAssessment, "skills_matched")],
        skills_missing=[clip(s, SKILL) for s in m.missing][: max_len(FitAssessment, "skills_missing")],
        experience_years=m.years,
        experience_evaluation=clip(exp, max_len(FitAssessment, "experience_evaluation")),
        green_flags=green[: max_len(FitAssessment, "green_flags")],
        red_flags=red[: max_len(FitAssessment, "red_flags")],
        match_score=score,
        recommendation=recommendation_for(score),
    )

"""Resume vs job without a language model: skills found, meaning similarity, years of experience.

match_score = 60% share of the job's skills found in the resume + 40% how well the resume's sentences
cover the job's requirement lines by meaning (MiniLM), less a penalty when the resume shows fewer years
than the job asks. Every quote is a piece of the resume; every sentence comes from these numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.engines.rules import embed
from core.engines.rules_skills import find_skills
from core.engines.rules_text import clip, is_russian, max_len, scale, segments
from core.engines.tasks import FitTask
from core.schemas import FitAssessment, FlagEvidence, SkillEvidence

SIM_LOW, SIM_HIGH = 0.2, 0.6  # cosine below LOW: unrelated; above HIGH: says the same thing
_YEARS_EN = re.compile(r"(\d{1,2})(?:\.\d)?\s*\+?\s*(?:years?|yrs?)\b", re.I)
_YEARS_RU = re.compile(r"(\d{1,2})\s*\+?\s*(?:лет|года|год)\b", re.I)
_RANGE = re.compile(
    r"\b((?:19|20)\d{2})\s*(?:[-–—]|to|по|до)\s*((?:19|20)\d{2}|present|now|current|today|настоящее\s+время|"
    r"по\s+н\.?\s*в\.?|н\.?\s*в\.?|сейчас|наст\.?\s*время)",
    re.I,
)


@dataclass(frozen=True)
class Years:
    value: float
    quote: str


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


def resume_years(text: str) -> Years | None:
    """Years of experience: the largest ``N years`` the resume states, else the merged date ranges."""
    stated = [(int(m.group(1)), m) for p in (_YEARS_EN, _YEARS_RU) for m in p.finditer(text)]
    stated = [(n, m) for n, m in stated if 0 < n <= 50]
    if stated:
        n, m = max(stated, key=lambda item: (item[0], -item[1].start()))
        return Years(float(n), _line_of(text, m.start(), m.end()))
    spans, first = [], None
    this_year = date.today().year
    for m in _RANGE.finditer(text):
        start = int(m.group(1))
        end_text = m.group(2)
        end = int(end_text) if end_text[:2] in ("19", "20") and end_text[:4].isdigit() else this_year
        if start <= end <= this_year:
            spans.append((start, end))
            first = first or m
    if not spans:
        return None
    spans.sort()
    total, cur_s, cur_e = 0, spans[0][0], spans[0][1]
    for s, e in spans[1:]:
        if s <= cur_e:
            cur_e = max(cur_e, e)
        else:
            total, cur_s, cur_e = total + cur_e - cur_s, s, e
    total += cur_e - cur_s
    assert first is not None
    return Years(float(min(total, 60)), _line_of(text, first.start(), first.end())) if total > 0 else None


def job_years(text: str) -> int | None:
    found = [int(m.group(1)) for p in (_YEARS_EN, _YEARS_RU) for m in p.finditer(text)]
    found = [n for n in found if 0 < n <= 20]
    return min(found) if found else None


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


def assess_fit(task: FitTask) -> FitAssessment:
    from core.documents.language import detect_language

    resume, job = task.resume, task.job
    lang = detect_language(job)
    ru = lang == "ru" or (lang == "unknown" and is_russian(job))

    # skills ------------------------------------------------------------------------------------
    wanted = find_skills(job)
    have = find_skills(resume)
    matched = [s for s in wanted if s in have]
    missing = [s for s in wanted if s not in have]
    skill_share = len(matched) / len(wanted) if wanted else None

    # meaning -----------------------------------------------------------------------------------
    reqs = segments(job, limit=30)
    lines = segments(resume, limit=200)
    best: list[tuple[float, str, str]] = []  # (similarity, requirement, resume line)
    if reqs and lines:
        req_vecs, line_vecs = embed(reqs), embed(lines)
        sims = req_vecs @ line_vecs.T
        for i, req in enumerate(reqs):
            j = int(sims[i].argmax())
            best.append((float(sims[i, j]), req, lines[j]))
    coverage = sum(scale(s, SIM_LOW, SIM_HIGH) for s, _, _ in best) / len(best) if best else 0.0

    # experience --------------------------------------------------------------------------------
    years = resume_years(resume)
    needed = job_years(job)
    penalty = 0.0
    if needed and years is not None and years.value < needed:
        penalty = 20.0 * (1 - years.value / needed)

    base = 0.6 * skill_share + 0.4 * coverage if skill_share is not None else coverage
    score = int(round(max(0.0, min(100.0, 100 * base - penalty))))
    injections = _injections(resume)
    if score >= 70 and not injections:
        recommendation = "advance"
    elif score >= 45 or (score >= 70 and injections):
        recommendation = "consider"
    else:
        recommendation = "decline"

    # evidence ----------------------------------------------------------------------------------
    skills_matched = [
        SkillEvidence(skill=clip(s.name, SKILL), quote=_line_of(resume, s.start, s.end))
        for s in (have[m] for m in matched)
    ][: max_len(FitAssessment, "skills_matched")]
    green = []
    for sim, req, line in sorted(best, key=lambda b: -b[0]):
        if sim < 0.5 or len(green) >= max_len(FitAssessment, "green_flags"):
            break
        label = "Близко к требованию" if ru else "Matches the requirement"
        green.append(FlagEvidence(flag=clip(f"{label}: {req}", FLAG), quote=clip(line, QUOTE)))
    red = [
        FlagEvidence(flag="Текст похож на инструкцию для ИИ" if ru else "Text reads like an instruction to an AI",
                     quote=clip(q, QUOTE))
        for q in injections[:2]
    ]
    if penalty and years is not None:
        flag = (f"Опыт {years.value:g} лет при требовании {needed}+" if ru
                else f"{years.value:g} years of experience where the job asks for {needed}+")
        red.append(FlagEvidence(flag=clip(flag, FLAG), quote=clip(years.quote, QUOTE)))

    # words -------------------------------------------------------------------------------------
    if ru:
        skills_txt = (f"навыки: найдено {len(matched)} из {len(wanted)} ({_join([m for m in matched], 6) or 'нет'})"
                      + (f", нет: {_join(missing, 5)}" if missing else "")
                      if wanted else "навыки из вакансии не распознаны")
        summary = (f"{score}/100, оценка по правилам без языковой модели. Резюме покрывает требования вакансии "
                   f"по смыслу на {coverage:.0%}; {skills_txt}.")
        if years is None:
            exp = "Стаж в резюме не найден" + (f"; вакансия требует {needed}+ лет." if needed else ".")
        else:
            exp = f"По резюме стаж около {years.value:g} лет" + (f"; вакансия требует {needed}+." if needed else ".")
    else:
        skills_txt = (f"{len(matched)} of {len(wanted)} required skills found ({_join(matched, 6) or 'none'})"
                      + (f", missing: {_join(missing, 5)}" if missing else "")
                      if wanted else "no skills recognised in the job description")
        summary = (f"{score}/100, a rules-based estimate without a language model. The resume covers the job's "
                   f"requirements by meaning at {coverage:.0%}; {skills_txt}.")
        if years is None:
            exp = "No years of experience found in the resume" + (f"; the job asks for {needed}+." if needed else ".")
        else:
            exp = f"The resume shows about {years.value:g} years of experience" + (
                f"; the job asks for {needed}+." if needed else ".")
    return FitAssessment(
        summary=clip(summary, max_len(FitAssessment, "summary")),
        skills_matched=skills_matched,
        skills_missing=[clip(m, SKILL) for m in missing][: max_len(FitAssessment, "skills_missing")],
        experience_years=years.value if years else None,
        experience_evaluation=clip(exp, max_len(FitAssessment, "experience_evaluation")),
        green_flags=green,
        red_flags=red[: max_len(FitAssessment, "red_flags")],
        match_score=score,
        recommendation=recommendation,
    )

"""Deterministic interview questions from the question bank, tied to the resume and the job.

``find_evidence`` finds which bank skills a resume mentions (with the exact words) and which the job
asks for that the resume lacks (gaps). ``pick_questions`` turns that evidence into one question per
required kind; it is the no-LLM ("rules") path and gives the model hints on the LLM path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from core.schemas.questions import QUESTION_KINDS, QuestionDraft, QuestionKind
from core.services.question_bank import BankQuestion, QuestionBank

QUOTE_MAX = 100
ANCHOR_MAX = 70
_ACTION = re.compile(
    r"\b(led|lead|built|designed|developed|implemented|migrated|reduced|improved|launched|managed|created|automated|"
    r"optimi[sz]ed|mentored|scaled|руководил\w*|разработал\w*|внедрил\w*|сократил\w*|улучшил\w*|запустил\w*|"
    r"перев[её]л\w*|построил\w*|спроектировал\w*|создал\w*|автоматизировал\w*|оптимизировал\w*)\b",
    re.I,
)


@dataclass(frozen=True)
class Mention:
    skill: str
    quote: str  # exact words from the text that was searched


@dataclass(frozen=True)
class Evidence:
    in_resume: dict[str, Mention]  # skill -> where the resume says it
    in_job: dict[str, Mention]  # skill -> where the job asks for it

    @property
    def gaps(self) -> dict[str, Mention]:
        return {s: m for s, m in self.in_job.items() if s not in self.in_resume}

    def as_prompt_text(self) -> str:
        lines = [f'- resume mentions {m.skill}: "{m.quote}"' for m in self.in_resume.values()]
        lines += [f'- job asks for {m.skill}, not in the resume: "{m.quote}"' for m in self.gaps.values()]
        return "\n".join(lines[:16]) or "(none found)"


def _lines(text: str) -> list[str]:
    """Lines of text, with a line that continues a sentence (starts in lower case) joined to the one before."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if out and line[:1].islower() and not out[-1].endswith((".", "!", "?", ":")):
            out[-1] = f"{out[-1]} {line}"
        elif line:
            out.append(line)
    return [ln for ln in out if len(ln.split()) >= 2]


def _window(line: str, start: int, end: int, limit: int) -> str:
    """At most ``limit`` characters of ``line`` around [start, end), cut at spaces."""
    if len(line) <= limit:
        return line
    left = max(0, min(start, end - limit // 2))
    piece = line[left : left + limit]
    if left > 0 and " " in piece:
        piece = piece[piece.index(" ") + 1 :]
    if left + limit < len(line) and " " in piece:
        piece = piece[: piece.rindex(" ")]
    return piece.strip(" ,;:.-–—•·|")


def _mentions(text: str, skills: set[str]) -> dict[str, Mention]:
    found: dict[str, Mention] = {}
    lines = _lines(text)
    for skill in sorted(skills):
        pattern = re.compile(rf"(?<![\w+#/]){re.escape(skill)}(?![\w+#])", re.I)
        for line in lines:
            m = pattern.search(line)
            if m:
                found[skill] = Mention(skill, _window(line, m.start(), m.end(), QUOTE_MAX))
                break
    return found


def find_evidence(resume: str, job: str, bank: QuestionBank) -> Evidence:
    skills = {s.lower() for q in bank.questions() for s in q.skills}
    return Evidence(_mentions(resume, skills), _mentions(job, skills) if job.strip() else {})


def _best(candidates: list[BankQuestion], ev: Evidence, used: set[str]) -> tuple[BankQuestion, Mention, Literal["resume", "job_gap"]] | None:
    """The question whose skills the resume and job share most (a gap counts less); ties keep bank order.

    It is tied to the resume's words when the resume mentions one of its skills, else to the job's (a gap).
    """
    best: tuple[int, BankQuestion, Mention, Literal["resume", "job_gap"]] | None = None
    for q in candidates:
        if q.id in used or not q.skills:
            continue
        skills = [s.lower() for s in q.skills]
        both = [s for s in skills if s in ev.in_resume and s in ev.in_job]
        gaps = [s for s in skills if s in ev.in_job and s not in ev.in_resume]
        resume_only = [s for s in skills if s in ev.in_resume and s not in ev.in_job]
        weight = 3 * len(both) + 2 * len(gaps) + len(resume_only)
        if weight == 0 or (best is not None and weight <= best[0]):
            continue
        if both or resume_only:
            best = (weight, q, ev.in_resume[(both or resume_only)[0]], "resume")
        else:
            best = (weight, q, ev.in_job[gaps[0]], "job_gap")
    return None if best is None else best[1:]


def _anchor_lines(resume: str) -> list[str]:
    """Resume lines that state something the candidate did (for behavioural and open questions)."""
    lines = list(dict.fromkeys(_lines(resume)))
    acts = [ln for ln in lines if _ACTION.search(ln) and len(ln.split()) >= 3]
    return acts + [ln for ln in lines if ln not in acts and len(ln.split()) >= 4] or lines


def _short(line: str, limit: int) -> str:
    m = _ACTION.search(line)
    start = m.start() if m else 0
    return _window(line[start:], 0, 0, limit) if len(line) - start > limit else line[start:].strip()


def _anchored(q: BankQuestion, kind: QuestionKind, line: str, lang: str) -> QuestionDraft:
    quote = _short(line, ANCHOR_MAX)
    text = q.anchored.get(lang).format(quote=quote) if q.anchored else q.question.get(lang)
    return QuestionDraft(kind=kind, question=text, basis="resume", quote=quote, strong_answer=q.reference.get(lang), bank_id=q.id)


def pick_questions(resume: str, job: str, bank: QuestionBank, lang: str) -> list[QuestionDraft]:
    """One question per required kind; each tied to resume words or a job gap.

    Technical kinds take the bank question that best fits the skills found; when none fits, a general
    question about the candidate's own work, quoting a line of the resume. Behavioural and open-ended
    questions always quote something the candidate did.
    """
    ev = find_evidence(resume, job, bank)
    anchors = _anchor_lines(resume) or [resume.strip()[:ANCHOR_MAX]]
    drafts: list[QuestionDraft] = []
    used: set[str] = set()
    for kind in QUESTION_KINDS:
        pool = [q for q in bank.questions() if q.kind == kind]
        picked = None if kind in ("behavioural", "open_ended") else _best(pool, ev, used)
        if picked is None:
            q = next((q for q in pool if q.anchored and q.id not in used), pool[0])
            quoted = {d.quote for d in drafts}
            line = next((a for a in anchors if _short(a, ANCHOR_MAX) not in quoted), anchors[len(drafts) % len(anchors)])
            drafts.append(_anchored(q, kind, line, lang))
        else:
            q, mention, basis = picked
            drafts.append(QuestionDraft(kind=kind, question=q.question.get(lang), basis=basis, quote=mention.quote,
                                        strong_answer=q.reference.get(lang), bank_id=q.id))
        used.add(q.id)
    return drafts

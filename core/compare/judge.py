"""The LLM judge: rubric, prompts, requests, and the pairwise (both orders) protocol.

The judge sees the question, the candidate's answer, the reference and one model's analysis, and
scores that analysis against the rubric in ``assets/prompts/judge.yaml``. All model output goes
through :func:`core.engines.generate_structured`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from core.engines import ChatRequest, Outcome, Sampling, generate_structured, get_engine
from core.models import ModelProfile
from core.prompts import as_data, load_prompt
from core.schemas import AnswerGrade, JudgeAssessment, JudgeVerdict, PairwiseAssessment, Provenance
from core.schemas.judge import JUDGE_CRITERIA
from core.services.common import text_hash

PROMPT = "judge"
PAIR_PROMPT = "judge_pairwise"


@dataclass(frozen=True)
class RubricCriterion:
    key: str
    title: str
    asks: str
    levels: tuple[tuple[int, str], ...]  # (score, description), 5 down to 1


@cache
def rubric() -> tuple[RubricCriterion, ...]:
    """The judge's rubric, one description per score level, read from the judge prompt file."""
    data = load_prompt(PROMPT).extra["rubric"]
    out = []
    for key in JUDGE_CRITERIA:
        spec = data[key]
        levels = tuple(sorted(((int(k), str(v)) for k, v in spec["levels"].items()), reverse=True))
        if [s for s, _ in levels] != [5, 4, 3, 2, 1]:
            raise ValueError(f"judge rubric {key!r} must describe every level 5..1")
        out.append(RubricCriterion(key, spec["title"], spec["asks"], levels))
    return tuple(out)


def rubric_text() -> str:
    lines = []
    for c in rubric():
        lines.append(f"{c.key} - {c.asks}")
        lines.extend(f"  {score}: {text}" for score, text in c.levels)
    return "\n".join(lines)


def analysis_text(grade: AnswerGrade) -> str:
    """A model's analysis as the judge reads it: its reasoning, per-criterion scores and explanations."""
    parts = [f"Reasoning: {grade.reasoning}"]
    for name in ("technical_correctness", "depth_of_analysis", "accuracy_of_analysis"):
        c = getattr(grade, name)
        parts.append(f"{name}: {c.score}/5 - {c.explanation}")
    parts.append(f"Overall: {grade.overall}/5, verdict: {grade.verdict}")
    return "\n".join(parts)


def _context(question: str, answer: str, reference: str | None) -> dict[str, str]:
    return {
        "rubric": rubric_text(),
        "question": as_data("question", question),
        "reference": as_data("reference", reference or "(no reference answer given)"),
        "answer": as_data("answer", answer),
    }


def judge_request(question: str, answer: str, reference: str | None, grade: AnswerGrade, judge: ModelProfile,
                  max_new_tokens: int) -> ChatRequest:
    messages = load_prompt(PROMPT).render(**_context(question, answer, reference),
                                          analysis=as_data("analysis", analysis_text(grade)))
    return ChatRequest(messages, schema=JudgeAssessment, sampling=Sampling(max_new_tokens=max_new_tokens),
                       adapter=judge.adapter_name)


def pair_request(question: str, answer: str, reference: str | None, first: AnswerGrade, second: AnswerGrade,
                 judge: ModelProfile, max_new_tokens: int) -> ChatRequest:
    messages = load_prompt(PAIR_PROMPT).render(
        **_context(question, answer, reference),
        analysis_a=as_data("analysis_a", analysis_text(first)),
        analysis_b=as_data("analysis_b", analysis_text(second)),
    )
    return ChatRequest(messages, schema=PairwiseAssessment, sampling=Sampling(max_new_tokens=max_new_tokens),
                       adapter=judge.adapter_name)


@dataclass(frozen=True)
class JudgeJob:
    """One analysis to judge: which model wrote it, for which item and repeat."""

    model: str
    item_id: str
    repeat: int
    question: str
    answer: str
    reference: str | None
    grade: AnswerGrade


def run_judge(judge: ModelProfile, jobs: Sequence[JudgeJob], max_new_tokens: int,
              progress: Callable[[int, int], None] | None = None) -> list[tuple[JudgeVerdict | None, Outcome]]:
    """Judge every analysis in one batch; a failed judgment has no verdict (never a default score)."""
    if not jobs:
        return []
    engine = get_engine(judge)
    requests = [judge_request(j.question, j.answer, j.reference, j.grade, judge, max_new_tokens) for j in jobs]
    started = time.perf_counter()
    outcomes = generate_structured(engine, requests, progress)
    per_item = (time.perf_counter() - started) / len(jobs)
    out: list[tuple[JudgeVerdict | None, Outcome]] = []
    for job, req, outcome in zip(jobs, requests, outcomes):
        verdict = None
        if outcome.value is not None:
            prov = Provenance(
                model_profile=judge.name, engine=engine.name, prompt_version=load_prompt(PROMPT).version,
                input_hash=text_hash("\n".join(m.content for m in req.messages)),
                seconds=round(outcome.seconds or per_item, 3), adapter=judge.adapter_name,
            )
            verdict = JudgeVerdict(**outcome.value.model_dump(exclude={"overall"}), judged_profile=job.model,
                                   item_id=job.item_id, repeat=job.repeat, provenance=prov)
        out.append((verdict, outcome))
    return out


@dataclass(frozen=True)
class PairJob:
    model_a: str
    model_b: str
    item_id: str
    repeat: int
    question: str
    answer: str
    reference: str | None
    grade_a: AnswerGrade
    grade_b: AnswerGrade


def run_pairwise(judge: ModelProfile, jobs: Sequence[PairJob], max_new_tokens: int,
                 progress: Callable[[int, int], None] | None = None) -> list[tuple[Outcome, Outcome]]:
    """Each pair judged twice, A-first and B-first, in one batch: (a_first, b_first) outcomes per job."""
    if not jobs:
        return []
    requests: list[ChatRequest] = []
    for j in jobs:
        requests.append(pair_request(j.question, j.answer, j.reference, j.grade_a, j.grade_b, judge, max_new_tokens))
        requests.append(pair_request(j.question, j.answer, j.reference, j.grade_b, j.grade_a, judge, max_new_tokens))
    outcomes = generate_structured(get_engine(judge), requests, progress)
    return [(outcomes[2 * i], outcomes[2 * i + 1]) for i in range(len(jobs))]

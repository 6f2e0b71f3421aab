"""Training examples in chat form: the grading service's own prompt, and the grader's own output
(a GradeAssessment JSON object, or the <reasoning>…</reasoning><score>N</score> tag format) as target.

A row has one overall score: the three criteria are set to integers whose mean is closest to it (the
first criteria take the remainder), and plain band sentences explain them.
"""

from __future__ import annotations

import json
from typing import Any

from core.schemas.grade import CRITERIA, CriterionScore, GradeAssessment, to_tag_format, verdict_for
from training.config import TargetFormat
from training.dataset.rows import GradeExample

BANDS: dict[str, dict[str, tuple[str, str, str, str, str]]] = {
    "en": {
        "technical_correctness": ("The statements are wrong or missing.", "Most statements are wrong.",
                                  "Part of what is said is correct.", "Correct, with a minor slip.",
                                  "Everything said is technically correct."),
        "depth_of_analysis": ("There is no explanation of why or how.", "The explanation is shallow.",
                              "Some explanation, few details.", "Good detail on why and how.",
                              "Thorough: why, how and the trade-offs."),
        "accuracy_of_analysis": ("It does not answer the question.", "Mostly beside the point.",
                                 "Answers part of the question.", "Answers nearly all of the question.",
                                 "Answers exactly what was asked."),
    },
    "ru": {
        "technical_correctness": ("Утверждения неверны или отсутствуют.", "Большая часть утверждений неверна.",
                                  "Сказанное верно лишь отчасти.", "Верно, с небольшой неточностью.",
                                  "Всё сказанное технически верно."),
        "depth_of_analysis": ("Нет объяснения, почему и как.", "Объяснение поверхностное.",
                              "Есть объяснение, но мало деталей.", "Хорошо объяснено, почему и как.",
                              "Подробно: почему, как и какие компромиссы."),
        "accuracy_of_analysis": ("Ответ не отвечает на вопрос.", "Ответ в основном не о том.",
                                 "Ответ закрывает часть вопроса.", "Ответ почти полностью закрывает вопрос.",
                                 "Ответ точно на заданный вопрос."),
    },
}


def criterion_scores(ex: GradeExample) -> dict[str, int]:
    """Per-criterion 1–5 integers whose mean is closest to the example's overall score."""
    total = min(15, max(3, int(ex.score * len(CRITERIA) + 0.5)))
    base, extra = divmod(total, len(CRITERIA))
    return {c: base + (1 if i < extra else 0) for i, c in enumerate(CRITERIA)}


def assessment(ex: GradeExample) -> GradeAssessment:
    lang = "ru" if ex.language == "ru" else "en"
    scores = criterion_scores(ex)
    crit = {c: CriterionScore(score=s, explanation=BANDS[lang][c][s - 1]) for c, s in scores.items()}
    overall = sum(scores.values()) / len(scores)
    reasoning = (ex.explanation or " ".join(BANDS[lang][c][s - 1] for c, s in scores.items()))[:500]
    return GradeAssessment(reasoning=reasoning, verdict=verdict_for(overall), **crit)


def target_text(ex: GradeExample, fmt: TargetFormat) -> str:
    """What the grader must write for this example, exactly as constrained decoding would lay it out."""
    value = assessment(ex)
    if fmt == "tags":
        return to_tag_format(value.reasoning, round(ex.score, 2))
    return json.dumps(value.model_dump(exclude={"overall"}), ensure_ascii=False)


def prompt_messages(ex: GradeExample) -> list[dict[str, str]]:
    from core.services.grading import grade_messages

    return [{"role": m.role, "content": m.content} for m in grade_messages(ex.question, ex.answer, ex.reference)]


def chat_record(ex: GradeExample, fmt: TargetFormat) -> dict[str, Any]:
    """A conversational prompt–completion record (TRL's SFT format)."""
    return {"prompt": prompt_messages(ex), "completion": [{"role": "assistant", "content": target_text(ex, fmt)}]}


def worked_messages(ex: GradeExample, prompt: str) -> list[dict[str, str]]:
    """The messages of a prompt other than the product's grading prompt: its system text, each of its worked
    ``examples`` as a user turn and the assistant's reply, then this example's question and answer."""
    from core.prompts import as_data, load_prompt

    p = load_prompt(prompt)
    out = [{"role": "system", "content": p.system.strip()}]
    for shot in p.extra.get("examples", []):
        out.append({"role": "user", "content": p.render(question=as_data("question", shot["question"]),
                                                        answer=as_data("answer", shot["answer"]))[1].content})
        out.append({"role": "assistant", "content": shot["reply"]})
    out.append({"role": "user", "content": p.render(question=as_data("question", ex.question),
                                                    answer=as_data("answer", ex.answer))[1].content})
    return out


def rl_record(ex: GradeExample, prompt: str = "grade") -> dict[str, Any]:
    """A GRPO record: the prompt (the product's grading prompt, or another named one such as the CPU smoke
    task's), and the reference score the correctness reward compares with."""
    messages = prompt_messages(ex) if prompt == "grade" else worked_messages(ex, prompt)
    return {"prompt": messages, "reference_score": float(ex.score)}

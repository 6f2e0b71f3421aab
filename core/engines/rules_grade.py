"""Answer grading without a language model: meaning similarity and key-term coverage.

- relevance: MiniLM cosine of the answer to the question (does it address what was asked);
- closeness: cosine of the answer to the reference answer, when there is one;
- coverage: share of the reference's key terms (content words not already in the question) the answer uses;
- depth: length, explanation words (because, for example, trade-off...) and coverage.

Thresholds are fixed a priori from what MiniLM cosines mean (≈0.1 unrelated, ≈0.6 same content), not fitted
to any evaluation set. Without a reference the baseline cannot check facts, and it says so.
"""

from __future__ import annotations

import math
import re

from core.engines.rules import embed
from core.documents.language import is_russian
from core.engines.rules_text import clip, key_terms, max_len, scale, score_1_to_5, terms_found, words
from core.engines.tasks import GradeTask
from core.schemas import CriterionScore, GradeAssessment
from core.schemas.grade import verdict_for

_MARKERS = re.compile(
    r"\b(because|since|therefore|thus|so that|for example|for instance|e\.g\.|such as|instead|however|whereas|"
    r"trade-?offs?|in contrast|which means|this means|otherwise|потому что|так как|поэтому|например|однако|"
    r"вместо|компромисс|то есть|иначе|благодаря|следовательно|зато)\b",
    re.I,
)


def assess_answer(task: GradeTask) -> GradeAssessment:
    question, answer = task.question.strip(), task.answer.strip()
    reference = (task.reference or "").strip() or None
    ru = is_russian(f"{question} {answer}")
    n_words = len(words(answer))
    if n_words == 0:
        reason = "Ответ пустой, оценивать нечего." if ru else "The answer is empty, so there is nothing to assess."
        one = CriterionScore(score=1, explanation=reason)
        return GradeAssessment(reasoning=reason, technical_correctness=one, depth_of_analysis=one,
                               accuracy_of_analysis=one, verdict="unacceptable")

    texts = [question, answer] + ([reference] if reference else [])
    vecs = embed(texts)
    relevance = float(vecs[0] @ vecs[1])
    closeness = float(vecs[1] @ vecs[2]) if reference else None
    terms = key_terms(reference or question, exclude=question if reference else "")
    found = terms_found(terms, answer)
    coverage = len(found) / len(terms) if terms else 0.0
    markers = sorted({m.group(0).lower() for m in _MARKERS.finditer(answer)})
    length = scale(math.log(max(n_words, 1)), math.log(5), math.log(120))  # 5 words -> 0, 120+ -> 1

    rel = scale(relevance, 0.1, 0.5)
    on_topic = max(rel, scale(closeness, 0.2, 0.75) if closeness is not None else 0.0)
    if closeness is not None:
        close = scale(closeness, 0.2, 0.75)
        correctness = 0.6 * close + 0.4 * coverage
        accuracy = 0.5 * rel + 0.5 * close
    else:
        correctness = 0.75 * rel  # cannot check facts without a reference: at most 4
        accuracy = rel
    depth = (0.5 * length + 0.3 * (coverage if terms else rel) + 0.2 * min(len(markers) / 2, 1.0)) * min(
        1.0, on_topic / 0.5)
    tc, da, ac = score_1_to_5(correctness), score_1_to_5(depth), score_1_to_5(accuracy)

    shown = ", ".join(found[:5]) if found else ("нет" if ru else "none")
    missed = [t for t in terms if t not in found][:4]
    if ru:
        if closeness is not None:
            tc_text = (f"Сходство с эталонным ответом {closeness:.2f} (0 — не о том, 1 — то же самое); "
                       f"ключевых терминов эталона: {len(found)} из {len(terms)} ({shown}).")
        else:
            tc_text = (f"Эталонного ответа нет, поэтому правильность оценена только по близости к вопросу "
                       f"({relevance:.2f}); проверьте факты вручную.")
        da_text = (f"Около {n_words} слов; объяснений «почему/как»: {len(markers)}"
                   + (f" ({', '.join(markers[:3])})" if markers else "") + f"; термины: {len(found)} из {len(terms)}.")
        ac_text = (f"Ответ по существу вопроса (близость {relevance:.2f})." if relevance >= 0.3 else
                   f"Ответ слабо связан с вопросом (близость {relevance:.2f}).")
        reasoning = (f"Оценка по правилам, без языковой модели: смысловая близость и покрытие ключевых терминов. "
                     f"Близость к вопросу {relevance:.2f}"
                     + (f", к эталону {closeness:.2f}" if closeness is not None else ", эталона нет")
                     + f"; терминов {len(found)} из {len(terms)}"
                     + (f"; не упомянуты: {', '.join(missed)}" if missed else "") + ".")
    else:
        if closeness is not None:
            tc_text = (f"Similarity to the reference answer {closeness:.2f} (0 = unrelated, 1 = the same); "
                       f"uses {len(found)} of {len(terms)} key terms of the reference ({shown}).")
        else:
            tc_text = (f"No reference answer was given, so correctness is estimated only from closeness to the "
                       f"question ({relevance:.2f}); check the facts by hand.")
        da_text = (f"About {n_words} words; {len(markers)} explanation marker(s)"
                   + (f" ({', '.join(markers[:3])})" if markers else "") + f"; key terms {len(found)} of {len(terms)}.")
        ac_text = (f"Addresses the question (relevance {relevance:.2f})." if relevance >= 0.3 else
                   f"Mostly off the question (relevance {relevance:.2f}).")
        reasoning = ("Rules-based grade, no language model: meaning similarity and key-term coverage. "
                     f"Relevance to the question {relevance:.2f}"
                     + (f", to the reference {closeness:.2f}" if closeness is not None else ", no reference")
                     + f"; key terms {len(found)} of {len(terms)}"
                     + (f"; not mentioned: {', '.join(missed)}" if missed else "") + ".")
    overall = round((tc + da + ac) / 3, 2)
    explain = max_len(CriterionScore, "explanation")
    return GradeAssessment(
        reasoning=clip(reasoning, max_len(GradeAssessment, "reasoning")),
        technical_correctness=CriterionScore(score=tc, explanation=clip(tc_text, explain)),
        depth_of_analysis=CriterionScore(score=da, explanation=clip(da_text, explain)),
        accuracy_of_analysis=CriterionScore(score=ac, explanation=clip(ac_text, explain)),
        verdict=verdict_for(overall),
    )

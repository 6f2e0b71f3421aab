"""Negative examples, all graded 1: an irrelevant answer, poem-like noise, the answer to another
question, and the question copied back. They teach the grader what the recruiter must never see
scored high. Deterministic for a given seed."""

from __future__ import annotations

import random
from collections.abc import Sequence

from training.dataset.rows import GradeExample

KINDS = ("irrelevant", "poetry", "other_question", "copied_question")

IRRELEVANT = {
    "en": [
        "My favourite weekend plan is a long walk by the river and then pancakes with berries.",
        "The weather has been rainy all week, so I finally repaired the old bicycle in the garage.",
        "Our football team won the local cup last season after a penalty shoot-out.",
        "To bake bread you need flour, water, salt and yeast, and a lot of patience while it rises.",
        "I am a very hard-working person and I always bring positive energy to the team.",
    ],
    "ru": [
        "В выходные я люблю гулять по парку и пить чай с вареньем у бабушки.",
        "Всю неделю шёл дождь, поэтому я наконец починил старый велосипед на даче.",
        "Наша футбольная команда выиграла городской кубок в серии пенальти.",
        "Для борща нужны свёкла, капуста, картофель и немного терпения.",
        "Я очень ответственный человек и всегда приношу в команду позитивную энергию.",
    ],
}

VERSE = {
    "en": [
        "The silver moon is drifting low,", "across the fields where rivers flow,",
        "a quiet wind begins to sing,", "of paper boats and early spring,",
        "the lanterns glow, the shadows fall,", "and echoes wander through the hall,",
        "oh servers hum beneath the stars,", "like distant trains and passing cars,",
    ],
    "ru": [
        "Луна плывёт над тихим садом,", "и ветер шепчет где-то рядом,",
        "по небу облака бегут,", "и звёзды в озере живут,",
        "гудят сервера во мгле ночной,", "как море шепчет под луной,",
        "листва кружится над рекой,", "и снится город голубой,",
    ],
}

EXPLAIN = {
    "irrelevant": {"en": "The answer talks about something unrelated and does not address the question.",
                   "ru": "Ответ о постороннем и не касается вопроса."},
    "poetry": {"en": "The answer is a poem-like text with no technical content.",
               "ru": "Ответ — стихоподобный текст без технического содержания."},
    "other_question": {"en": "The answer is about a different topic than the one asked.",
                       "ru": "Ответ относится к другой теме, а не к заданному вопросу."},
    "copied_question": {"en": "The answer only repeats the question and adds nothing of its own.",
                        "ru": "Ответ лишь повторяет вопрос и ничего не добавляет."},
}


def _lang(ex: GradeExample) -> str:
    return "ru" if ex.language == "ru" else "en"


def make_negatives(examples: Sequence[GradeExample], ratio: float, seed: int) -> list[GradeExample]:
    """``round(ratio * len(examples))`` negatives, cycling through KINDS over the examples' questions."""
    count = round(ratio * len(examples))
    if count <= 0 or not examples:
        return []
    rng = random.Random(seed)
    by_question: dict[str, GradeExample] = {}
    for ex in examples:
        best = by_question.get(ex.question)
        if best is None or ex.score > best.score:
            by_question[ex.question] = ex
    questions = sorted(by_question)
    rng.shuffle(questions)
    out: list[GradeExample] = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        base = by_question[questions[i % len(questions)]]
        lang = _lang(base)
        if kind == "other_question":
            others = [q for q in questions if q != base.question]
            if not others:
                kind = "irrelevant"
            else:
                answer = by_question[rng.choice(others)].answer
        if kind == "irrelevant":
            answer = rng.choice(IRRELEVANT[lang])
        elif kind == "poetry":
            lines = VERSE[lang]
            start = rng.randrange(0, len(lines) - 3, 2)
            answer = "\n".join(lines[start:start + 4]).rstrip(",") + "."
        elif kind == "copied_question":
            answer = base.question
        out.append(GradeExample(question=base.question, answer=answer, score=1.0, reference=base.reference,
                                explanation=EXPLAIN[kind][lang], source=f"negative:{kind}", language=base.language, split=base.split))
    return out

"""The sentences of a rules grade, in English or Russian: what the answer covers and misses, how detailed it
is, whether it answers the question. Plain words for a recruiter: no similarity figures, no metric names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signals:
    """What the grade is computed from; every explanation sentence is written from these."""

    n_words: int
    relevance: float
    closeness: float | None
    terms: list[str]
    found: list[str]
    markers: list[str]
    length_ratio: float | None  # answer words / reference words
    off_topic: bool
    copies_question: bool
    copies_reference: bool
    question_reference: float | None = None  # cosine of the question to the reference answer

    @property
    def coverage(self) -> float:
        return len(self.found) / len(self.terms) if self.terms else 0.0


@dataclass(frozen=True)
class Explained:
    reasoning: str
    correctness: str
    depth: str
    accuracy: str


NON_ANSWERS = {
    "empty": {
        "en": Explained("The answer is empty, so there is nothing to assess; every criterion gets 1.",
                        "The answer is empty.", "The answer is empty.", "The answer is empty."),
        "ru": Explained("Ответ пустой, оценивать нечего; по каждому критерию 1.",
                        "Ответ пустой.", "Ответ пустой.", "Ответ пустой."),
    },
    "off_topic": {
        "en": Explained(
            "The answer is about something else (unrelated or meaningless text), so every criterion gets 1.",
            "Nothing in it relates to the question or to the reference answer.",
            "There is no analysis of the question to judge.",
            "It does not address the question that was asked."),
        "ru": Explained(
            "Ответ не по теме (посторонний или бессмысленный текст), поэтому по каждому критерию 1.",
            "В ответе нет ничего, что относится к вопросу или к эталонному ответу.",
            "Анализа по вопросу нет, оценивать нечего.",
            "Ответ не о том, о чём спросили."),
    },
    "copies_question": {
        "en": Explained(
            "The answer restates the question and adds nothing of its own, so every criterion gets 1.",
            "It repeats the question instead of answering it.",
            "It adds nothing of its own to analyse.",
            "It restates the question rather than answering it."),
        "ru": Explained(
            "Ответ пересказывает вопрос и ничего не добавляет, поэтому по каждому критерию 1.",
            "Ответ повторяет вопрос вместо ответа.",
            "Своего в ответе ничего нет, анализировать нечего.",
            "Ответ пересказывает вопрос, а не отвечает на него."),
    },
}


def explain_non_answer(code: str, ru: bool) -> Explained:
    return NON_ANSWERS[code]["ru" if ru else "en"]


def _and(items: list[str], ru: bool) -> str:
    items = [f"“{t}”" if not ru else f"«{t}»" for t in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" и " if ru else " and ") + items[-1]


def _band(value: float, bands: list[tuple[float, str]]) -> str:
    return next(text for low, text in bands if value >= low)


def _terms(s: Signals, ru: bool) -> str:
    """The 'covers X and Y; misses Z' part, over the reference's key terms."""
    found, missed = s.found[:3], [t for t in s.terms if t not in s.found][:3]
    if not s.terms:
        return ""
    if ru:
        if not found:
            return f"не упоминает ни одного ключевого пункта ({_and(missed, ru)})"
        return f"раскрывает {_and(found, ru)}" + (f"; не упоминает {_and(missed, ru)}" if missed else
                                                  "; все ключевые пункты на месте")
    if not found:
        return f"mentions none of its key points ({_and(missed, ru)})"
    return f"covers {_and(found, ru)}" + (f"; misses {_and(missed, ru)}" if missed else "; no key point is missing")


# The opening words of each criterion's sentence, by its score: a sentence never says more or less than its score.
AGREE = {  # technical correctness, with a reference answer
    5: {"en": "Says what the reference answer says", "ru": "Говорит то же, что эталонный ответ"},
    4: {"en": "Largely agrees with the reference answer", "ru": "В основном совпадает с эталонным ответом"},
    3: {"en": "Only partly agrees with the reference answer", "ru": "Лишь отчасти совпадает с эталонным ответом"},
    2: {"en": "Does not agree with the reference answer", "ru": "Не совпадает с эталонным ответом"},
    1: {"en": "Does not agree with the reference answer", "ru": "Не совпадает с эталонным ответом"},
}
ANSWERS = {  # accuracy of analysis
    5: {"en": "Answers the question that was asked", "ru": "Отвечает на заданный вопрос"},
    4: {"en": "Answers the question that was asked", "ru": "Отвечает на заданный вопрос"},
    3: {"en": "Addresses the question only in part.", "ru": "Отвечает на вопрос лишь отчасти."},
    2: {"en": "Barely addresses the question that was asked.", "ru": "Почти не отвечает на заданный вопрос."},
    1: {"en": "Barely addresses the question that was asked.", "ru": "Почти не отвечает на заданный вопрос."},
}
DETAIL_NOT_ENOUGH = {"en": " The detail does not make up for what it gets wrong.",
                     "ru": " Подробности не искупают того, в чём ответ ошибается."}
SHORT_BUT_RIGHT = {"en": " Short, but it says what matters.", "ru": " Коротко, но главное сказано."}
TERMS_ONLY = {"en": "it uses the reference's key terms without saying what the reference says",
              "ru": "ключевые термины эталона есть, но сказано не то, что в эталоне"}
OWN_WORDS = {"en": "in its own words: it uses none of its key terms", "ru": "своими словами: ни одного ключевого термина"}


def _correctness(s: Signals, ru: bool, terms: str, tc: int | None, on_topic: float) -> tuple[str, str]:
    """The technical-correctness sentence and the key-terms phrase it used (reworded when the terms alone mislead)."""
    lang = "ru" if ru else "en"
    if s.closeness is None:
        topical = _band(on_topic, [
            (0.75, {"en": "the answer stays on the question", "ru": "ответ по существу вопроса"}[lang]),
            (0.0, {"en": "the answer only partly addresses the question", "ru": "ответ лишь отчасти по теме вопроса"}[lang]),
        ])
        return (f"Эталонного ответа нет, поэтому факты не проверены; {topical}. Проверьте факты вручную." if ru
                else f"No reference answer was given, so the facts were not checked; {topical}. Check the facts by hand."
                ), terms
    agree = AGREE[tc][lang] if tc is not None else _band(s.closeness, [
        (0.75, AGREE[5][lang]), (0.5, AGREE[4][lang]), (0.3, AGREE[3][lang]), (-2.0, AGREE[1][lang])])
    if terms and not s.found and tc is not None and tc >= 4:
        missed = [t for t in s.terms][:3]
        terms = f"{OWN_WORDS[lang]} ({_and(missed, ru)})"
    elif terms and tc is not None and tc <= 2 and len(s.found) == len(s.terms):
        terms = f"{TERMS_ONLY[lang]} ({_and(s.found[:3], ru)})"
    correctness = f"{agree}: {terms}." if terms else f"{agree}."
    if s.copies_reference:
        correctness += (" Ответ дословно повторяет эталон: проверьте, не мог ли кандидат его видеть." if ru else
                        " It repeats the reference answer word for word: check that the candidate could not see it.")
    return correctness, terms


def _depth(s: Signals, ru: bool, length: float, on_topic: float, da: int | None) -> str:
    """The depth sentence: how long the answer is (against the reference when there is one) and whether it says why."""
    lang = "ru" if ru else "en"
    if s.length_ratio is not None:
        size = _band(length, [
            (0.99, {"en": "As detailed as the reference answer", "ru": "Так же подробен, как эталонный ответ"}[lang]),
            (0.5, {"en": "A little shorter than the reference answer", "ru": "Немного короче эталонного ответа"}[lang]),
            (0.0, {"en": "Much shorter than the reference answer", "ru": "Намного короче эталонного ответа"}[lang]),
        ])
    else:
        size = _band(length, [
            (0.75, {"en": "A detailed answer", "ru": "Подробный ответ"}[lang]),
            (0.35, {"en": "A short answer", "ru": "Короткий ответ"}[lang]),
            (0.0, {"en": "A very short answer", "ru": "Очень короткий ответ"}[lang]),
        ])
    if s.markers:
        why = (f"приводит причины или примеры ({_and(s.markers[:2], ru)})" if ru
               else f"gives reasons or examples ({_and(s.markers[:2], ru)})")
    else:
        why = "утверждает без причин и примеров" if ru else "states points without reasons or examples"
    depth = f"{size}; {why}."
    if on_topic < 0.5:
        depth += " Большая часть ответа не о вопросе." if ru else " Most of it is not about the question."
    if da is not None and da <= 2 and length >= 0.5:
        depth += DETAIL_NOT_ENOUGH[lang]
    elif da is not None and da >= 4 and length < 0.5:
        depth += SHORT_BUT_RIGHT[lang]
    return depth


def _accuracy(ru: bool, with_ref: bool, accuracy: float, tc: int | None, ac: int | None) -> str:
    """The accuracy-of-analysis sentence: whether it answers what was asked (and agrees with the reference)."""
    lang = "ru" if ru else "en"
    level = ac if ac is not None else (5 if accuracy >= 0.7 else 3 if accuracy >= 0.4 else 1)
    accuracy_text = ANSWERS[level][lang]
    if level >= 4:
        in_line = with_ref and (tc is None or tc >= 4)
        accuracy_text += ({"en": ", in line with the reference answer.", "ru": " и согласуется с эталоном."}[lang]
                          if in_line else ".")
    return accuracy_text


def _how(ru: bool, with_ref: bool, learned: bool) -> str:
    """How the grade was found: by the learned grader or by rules, with or without a reference answer."""
    if learned:
        return ("Оценка без языковой модели: смысл, ключевые термины, длина и отрицания ответа сравнены с эталонным "
                "ответом и взвешены моделью, обученной на ответах, оценённых людьми." if ru else
                "Graded without a language model: the answer's meaning, key terms, length and negations were compared "
                "with the reference answer and weighed by a model fitted to answers that people graded.")
    if ru:
        return ("Оценка по правилам, без языковой модели: смысл и ключевые термины ответа сравнены с эталонным ответом."
                if with_ref else "Оценка по правилам, без языковой модели: эталона нет, ответ сравнён только с вопросом, "
                "факты не проверены.")
    return ("Graded by rules, without a language model, by comparing the answer's meaning and key terms with the "
            "reference answer." if with_ref else "Graded by rules, without a language model: with no reference "
            "answer, the answer was compared with the question only and its facts were not checked.")


def explain(s: Signals, ru: bool, *, on_topic: float, length: float, accuracy: float,
            scores: tuple[int, int, int] | None = None, learned: bool = False) -> Explained:
    """The grade's reasoning and one sentence per criterion, each saying no more or less than its score."""
    tc, da, ac = scores or (None, None, None)
    correctness, terms = _correctness(s, ru, _terms(s, ru), tc, on_topic)
    depth = _depth(s, ru, length, on_topic, da)
    with_ref = s.closeness is not None
    accuracy_text = _accuracy(ru, with_ref, accuracy, tc, ac)
    how = _how(ru, with_ref, learned)
    reasoning = f"{how} {terms[:1].upper()}{terms[1:]}." if terms and with_ref else how
    return Explained(reasoning, correctness, depth, accuracy_text)

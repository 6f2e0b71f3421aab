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


def explain(s: Signals, ru: bool, *, on_topic: float, length: float, accuracy: float) -> Explained:
    terms = _terms(s, ru)
    lang = "ru" if ru else "en"
    if s.closeness is not None:
        agree = _band(s.closeness, [
            (0.75, {"en": "Says what the reference answer says", "ru": "Говорит то же, что эталонный ответ"}[lang]),
            (0.5, {"en": "Largely agrees with the reference answer", "ru": "В основном совпадает с эталонным ответом"}[lang]),
            (0.3, {"en": "Only partly agrees with the reference answer", "ru": "Лишь отчасти совпадает с эталонным ответом"}[lang]),
            (-2.0, {"en": "Does not agree with the reference answer", "ru": "Не совпадает с эталонным ответом"}[lang]),
        ])
        correctness = f"{agree}: {terms}." if terms else f"{agree}."
        if s.copies_reference:
            correctness += (" Ответ дословно повторяет эталон: проверьте, не мог ли кандидат его видеть." if ru else
                            " It repeats the reference answer word for word: check that the candidate could not see it.")
    else:
        topical = _band(on_topic, [
            (0.75, {"en": "the answer stays on the question", "ru": "ответ по существу вопроса"}[lang]),
            (0.0, {"en": "the answer only partly addresses the question", "ru": "ответ лишь отчасти по теме вопроса"}[lang]),
        ])
        correctness = (f"Эталонного ответа нет, поэтому факты не проверены; {topical}. Проверьте факты вручную." if ru
                       else f"No reference answer was given, so the facts were not checked; {topical}. Check the facts by hand.")

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

    with_ref = s.closeness is not None
    accuracy_text = _band(accuracy, [
        (0.7, {"en": "Answers the question that was asked" + (", in line with the reference answer." if with_ref else "."),
               "ru": "Отвечает на заданный вопрос" + (" и согласуется с эталоном." if with_ref else ".")}[lang]),
        (0.4, {"en": "Addresses the question only in part.", "ru": "Отвечает на вопрос лишь отчасти."}[lang]),
        (0.0, {"en": "Barely addresses the question that was asked.", "ru": "Почти не отвечает на заданный вопрос."}[lang]),
    ])

    if ru:
        how = ("Оценка по правилам, без языковой модели: смысл и ключевые термины ответа сравнены с эталонным ответом."
               if with_ref else "Оценка по правилам, без языковой модели: эталона нет, ответ сравнён только с вопросом, "
               "факты не проверены.")
    else:
        how = ("Graded by rules, without a language model, by comparing the answer's meaning and key terms with the "
               "reference answer." if with_ref else "Graded by rules, without a language model: with no reference "
               "answer, the answer was compared with the question only and its facts were not checked.")
    reasoning = f"{how} {terms[:1].upper()}{terms[1:]}." if terms and with_ref else how
    return Explained(reasoning, correctness, depth, accuracy_text)

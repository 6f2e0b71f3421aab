"""Counterfactual copies of a resume: the same text with another name and the gender markers of another
group, nothing else. What is and is not swapped is listed in assets/fairness/names.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.facts.contacts import EMAIL, TELEGRAM_HANDLE, find_links
from core.facts.redact import name_tokens
from core.fairness.names import CONTROL, Markers, Person

_CYR = re.compile(r"[А-Яа-яЁё]")
_VOWELS = "аеиоуыяё"
_PATRONYMIC = re.compile(r"(?:ович|евич|овна|евна|ична|инична)$", re.IGNORECASE)
_RU_SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ын|ский|цкий|ова|ева|ёва|ина|ына|ская|цкая)$", re.IGNORECASE)
_RU_FEMALE_SURNAME = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая)$", re.IGNORECASE)
_RU_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_VERB_CHAIN = re.compile(r"\s*(?:,\s*|,?\s*(?:и|а также)\s+)", re.IGNORECASE)  # "разработал, протестировал и внедрил"
_AFTER_HER = {"a", "an", "the", "to", "for", "with", "at", "on", "in", "and", "or", "as", "by", "from", "about", "into",
              "that", "this", "these", "those", "of", "up", "out", "off", "over", "back", "again", "if", "when"}
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
                      "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


@dataclass(frozen=True)
class FoundName:
    """The candidate's name as the resume writes it."""

    tokens: tuple[str, ...]
    given: str | None
    surname: str | None
    patronymic: str | None
    others: tuple[str, ...]  # middle names: dropped from copies (a copy's name is given + surname)


def translit(word: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in word.lower())


def find_name(text: str, markers: Markers) -> FoundName | None:
    """The candidate's name (core.facts.redact's detection), split into given name, surname and patronymic."""
    tokens = tuple(name_tokens(text))
    if not tokens:
        return None
    patronymic = next((t for t in tokens if _CYR.search(t) and _PATRONYMIC.search(t)), None)
    rest = [t for t in tokens if t != patronymic]
    given = next((t for t in rest if t.lower() in markers.given_names), None)
    if given is None:
        # Russian order is often "Фамилия Имя Отчество": a surname-shaped first word is the surname
        first_is_surname = len(rest) > 1 and bool(_CYR.search(rest[0])) and bool(_RU_SURNAME.search(rest[0]))
        given = rest[1] if first_is_surname else rest[0]
    others = [t for t in rest if t != given]
    surname = others[-1] if others else None
    if surname is not None and _CYR.search(surname) and patronymic is None and len(others) > 1:
        surname = next((t for t in others if _RU_SURNAME.search(t)), surname)
    return FoundName(tokens, given, surname, patronymic, tuple(t for t in others if t != surname))


def group_of(found: FoundName | None, markers: Markers) -> str | None:
    """The group the original name belongs to, where the lists or a Russian surname tell; None otherwise."""
    if found is None:
        return None
    if found.given and found.given.lower() in markers.given_names:
        return markers.given_names[found.given.lower()]
    for word in (found.surname, found.patronymic):
        if word and _CYR.search(word) and (_RU_SURNAME.search(word) or _PATRONYMIC.search(word)):
            female = _RU_FEMALE_SURNAME.search(word) or word.lower().endswith("на")
            return markers.groups[1] if female else markers.groups[0]
    return None


def _shape(like: str, word: str) -> str:
    """``word`` in the case style of ``like``: UPPER, lower or Title."""
    if not word:
        return word
    if len(like) > 1 and like.isupper():
        return word.upper()
    if like.islower():
        return word.lower()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _patronymic_for(word: str, group: str, markers: Markers) -> str:
    female = group == markers.groups[1]
    low = word.lower()
    if female and re.search(r"(?:ов|ев)ич$", low):
        return _shape(word, low[:-2] + "на")
    if not female and re.search(r"(?:ов|ев)на$", low):
        return _shape(word, low[:-2] + "ич")
    return word


def _contact_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in EMAIL.finditer(text)]
    spans += [(s, e) for _, s, e in find_links(text)]
    spans += [(m.start(1), m.end(1)) for m in TELEGRAM_HANDLE.finditer(text)]
    return spans


def _latin(word: str, markers: Markers) -> str:
    low = word.lower()
    return markers.latin.get(low, translit(low)) if _CYR.search(word) else low


def _name_edits(text: str, found: FoundName, person: Person, markers: Markers) -> list[tuple[int, int, str]]:
    pairs: list[tuple[str, str, str]] = []  # (old word, new word, new Latin spelling)
    if found.given:
        pairs.append((found.given, person.given, person.latin_given))
    if found.surname:
        pairs.append((found.surname, person.surname, person.latin_surname))
    if found.patronymic:
        new = _patronymic_for(found.patronymic, person.group, markers)
        pairs.append((found.patronymic, new, translit(new)))
    edits: list[tuple[int, int, str]] = []
    for other in found.others:  # "John Michael Carter" -> "James Miller": the middle name goes with its space
        edits += [(m.start(), m.end(), "") for m in re.finditer(rf"(?<!\w){re.escape(other)}\s+", text)]
    for old, new, _ in pairs:  # as a name is written (Title or UPPER): "Young" the name, not "a young team"
        forms = "|".join(re.escape(f) for f in {old, old.upper(), old[:1].upper() + old[1:]})
        for m in re.finditer(rf"(?<!\w)(?:{forms})(?!\w)", text):
            edits.append((m.start(), m.end(), _shape(m.group(), new)))
    contacts = _contact_spans(text)
    for old, _, new_latin in pairs:
        latin = _latin(old, markers)
        if len(latin) < 3:
            continue
        for cs, ce in contacts:
            for m in re.finditer(re.escape(latin), text[cs:ce], re.IGNORECASE):
                edits.append((cs + m.start(), cs + m.end(), _shape(m.group(), new_latin.lower())))
    return edits


def _ru_verb(word: str, female: bool, markers: Markers) -> str | None:
    """A Russian past-tense verb in the other gender, or None when ``word`` is not one."""
    low = word.lower()
    if low in markers.not_verbs or low in markers.given_names or len(low) < 3:
        return None
    if female:
        if low.endswith("лся") and len(low) > 4 and low[-4] in _VOWELS:
            return low[:-3] + "лась"
        for prefix in markers.verb_prefixes:
            for male, fem in markers.verbs_irregular:
                if low == prefix + male:
                    return prefix + fem
        if low.endswith("л") and low[-2] in _VOWELS:
            return low + "а"
        return None
    if low.endswith("лась") and len(low) > 5 and low[-5] in _VOWELS:
        return low[:-4] + "лся"
    for prefix in markers.verb_prefixes:
        for male, fem in markers.verbs_irregular:
            if low == prefix + fem:
                return prefix + male
    if low.endswith("ла") and low[-3] in _VOWELS:
        return low[:-1]
    return None


def _verb_position(text: str, start: int, last_verb_end: int | None) -> bool:
    """Where a Russian resume puts a verb: a line or bullet start, a sentence start, after "я", or chained
    to the verb before it ("разработал и внедрил")."""
    before = text[:start].rstrip(" \t")
    if not before or before[-1] in "\n.!?;:-–—•*·▪●>":
        return True
    if re.search(r"(?<![\w])я$", before, re.IGNORECASE):
        return True
    return last_verb_end is not None and bool(_VERB_CHAIN.fullmatch(text, last_verb_end, start))


def _marker_edits(text: str, group: str, markers: Markers, keep: set[str]) -> list[tuple[int, int, str]]:
    """Gender markers turned to ``group``'s: listed words, English pronouns, Russian past-tense verbs."""
    female = group == markers.groups[1]
    edits: list[tuple[int, int, str]] = []
    for male_word, female_word in markers.words:
        old, new = (male_word, female_word) if female else (female_word, male_word)
        # a lower-case entry also matches its Title and UPPER forms; "Mr"/"Ms" only as written (not "ms", "MS")
        forms = {old, old.capitalize(), old.upper()} if old.islower() else {old}
        for m in re.finditer(r"(?<![\w.])(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)", text):
            edits.append((m.start(), m.end(), _shape(m.group(), new)))
    if female:
        for m in re.finditer(r"(?<!\w)(his|him)(?!\w)", text, re.IGNORECASE):
            edits.append((m.start(), m.end(), _shape(m.group(), "her")))
    else:
        for m in re.finditer(r"(?<!\w)(hers|her)(?!\w)(\s+(\w+))?", text, re.IGNORECASE):
            nxt = (m.group(3) or "").lower()
            new = "his" if m.group(1).lower() == "hers" or (nxt and nxt not in _AFTER_HER) else "him"
            edits.append((m.start(1), m.end(1), _shape(m.group(1), new)))
    if _CYR.search(text):
        last_verb_end: int | None = None
        for m in _RU_WORD.finditer(text):
            word = m.group()
            swapped = None if word in keep else _ru_verb(word, female, markers)
            if swapped is None and word.lower()[-1:] in ("л", "а", "я", "ь") and _ru_verb(word, not female, markers):
                last_verb_end = m.end() if _verb_position(text, m.start(), last_verb_end) else last_verb_end
                continue  # already in the group's form
            if swapped is not None and _verb_position(text, m.start(), last_verb_end):
                edits.append((m.start(), m.end(), _shape(word, swapped)))
                last_verb_end = m.end()
    return edits


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping edits (the longest wins where two overlap)."""
    chosen: list[tuple[int, int, str]] = []
    for s, e, new in sorted(edits, key=lambda t: (-(t[1] - t[0]), t[0])):
        if all(e <= cs or s >= ce for cs, ce, _ in chosen):
            chosen.append((s, e, new))
    out, pos = [], 0
    for s, e, new in sorted(chosen):
        out.append(text[pos:s])
        out.append(new)
        pos = e
    out.append(text[pos:])
    return "".join(out)


def make_copy(text: str, person: Person | None, markers: Markers, lang: str) -> str:
    """The resume with ``person``'s name and group markers; ``person`` None is the control copy (the text
    as it is). A resume with no name found gets a name line on top in every copy, the control's unisex."""
    found = find_name(text, markers)
    if found is None:
        who = person or markers.control.get(lang) or markers.control["en"]
        text = f"{who.full}\n{text}"
    elif person is not None:
        text = _apply(text, _name_edits(text, found, person, markers))
    if person is None or person.group == CONTROL:
        return text
    return _apply(text, _marker_edits(text, person.group, markers, {person.given, person.surname}))

"""Blind screening: take out what must not move a fit score, in English and Russian.

Redacted: name (every form found: full, each part, in the other script, handles it spells or the resume gives,
an e-mail's local part written alone), birth date and age, gender markers, marital status and children, nationality and
citizenship, address, and contacts (email, phone, profile links). Each becomes a fixed placeholder,
so two resumes that differ only in these read the same to the model. Photos never reach the model:
only text is sent. Limits: Russian past-tense verbs carry gender ("работал"/"работала") and stay.
"""

from __future__ import annotations

import re

from core.facts.contacts import EMAIL, TELEGRAM_HANDLE, find_links, find_phones
from core.facts.names import handle_of, person_name, profile_handles
from core.facts.translit import skeleton
from core.facts.model import PLACEHOLDERS, Contacts, Facts, Link, Redacted, Redaction, RedactionKind

PLACEHOLDER = PLACEHOLDERS
_SEP = r"\s*[:\-–—]\s*"
_JOIN = re.compile(r"[ \t,;]+")
_DATE = (r"(?:\d{1,2}[./\-]\d{1,2}[./\-](?:19|20)?\d{2}|\d{1,2}\s+[^\W\d_]+\.?,?\s+(?:19|20)\d{2}(?:\s*(?:г\.|года))?"
         r"|[^\W\d_]+\.?\s+\d{1,2},?\s+(?:19|20)\d{2}|(?:19|20)\d{2}[./\-]\d{1,2}[./\-]\d{1,2}|(?:19|20)\d{2}(?:\s*(?:г\.|года))?)")
_RULE_RX: list[tuple[RedactionKind, str]] = [
    ("birth_date", rf"\b(?:date\s+of\s+birth|birth\s*date|birthday|d\.?o\.?b\.?|born(?:\s+on|\s+in)?)(?:{_SEP}|\s+){_DATE}"),
    ("birth_date", rf"(?:дата\s+рождения|д\.\s?р\.|год\s+рождения|родил(?:ся|ась)|рожден\w*)(?:{_SEP}|\s+){_DATE}"),
    ("age", rf"\b(?:age|возраст){_SEP}\d{{1,2}}(?:\s*(?:years?(?:\s+old)?|y\.?o\.?|год|года|лет))?"),
    ("age", r"\b\d{1,2}\s*(?:years?\s+old|y\.\s?o\.|yo)\b"),
    ("age", r"(?<=(?:мужчина|женщина),\s)\d{1,2}\s*(?:год|года|лет)\b"),
    ("gender", rf"\b(?:gender|sex|пол){_SEP}[^\W\d_]+"),
    ("gender", r"^\s*(?:male|female|man|woman|мужчина|женщина|муж\.|жен\.)\s*(?=,|$|\n|\s\d)"),
    ("gender", r"\b(?:pronouns?{sep})?(?:he/him(?:/his)?|she/her(?:/hers)?|they/them)\b".replace("{sep}", _SEP)),
    ("marital_status", rf"\b(?:marital\s+status|family\s+status|семейное\s+положение){_SEP}[^\n|·•]+"),
    ("marital_status", r"(?<=,\s)single(?=\s*(?:[,;]|$))"),
    ("marital_status", r"(?<![\w-])(?:married|divorced|widowed|женат|замужем|холост|не\s+замужем|не\s+женат|разведен[ао]?|разведён|вдов(?:ец|а))(?![\w-])(?:,?\s*(?:with\s+)?(?:\d|one|two|three|no)\s+(?:children|kids|child))?"),
    ("marital_status", r"(?<![\w-])(?:(?:есть|имею)\s+(?:\w+\s+)?(?:дет\w*|ребен\w*|ребён\w*)|(?:\d|один|одна|двое|трое)\s+(?:дет\w*|ребен\w*|ребён\w*)|(?:\d|one|two|three|no)\s+(?:children|kids)|дети{sep}[^\n,;|]+)".replace("{sep}", _SEP)),
    ("marital_status", r"^\s*single\s*(?=,|$)"),
    ("nationality", rf"\b(?:nationality|citizenship|citizen\s+of|гражданство|национальность){_SEP}?[^\n;|]+"),
    ("address", rf"\b(?:home\s+)?(?:address|адрес|место\s+жительства|проживает|проживаю){_SEP}[^\n|]+"),
    ("address", r"\b\d{1,5}\s+(?:[A-Z][\w.'\-]*\s+){1,4}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Square)\b\.?(?:,?\s*(?:Apt|Suite|Unit|#)\.?\s*[\w\-]+)?"),
    ("address", r"(?<![\w])(?:ул\.|улица|пр-т|просп\.|проспект|пер\.|переулок|бульвар|б-р|ш\.|шоссе)\s*[^\n,;|]+(?:,\s*(?:д\.|дом|кв\.|корп\.|стр\.|к\.)\s*[\w/\-]+)*"),
    ("photo", r"^\s*(?:photo|фото(?:графия)?)\s*(?:[:\-–]\s*\S.*)?$"),
]
RULES: list[tuple[RedactionKind, re.Pattern]] = [(kind, re.compile(rx, re.IGNORECASE | re.MULTILINE))
                                                 for kind, rx in _RULE_RX]


def _name_tokens(text: str) -> list[str]:
    """The candidate's name as words, from the strongest evidence in the text (core.facts.names): a line the
    e-mail or a profile handle spells, a labelled "Name:" line, a name-shaped line near the contacts or at the
    top; never a location or a job title."""
    emails = [m.group(0) for m in EMAIL.finditer(text)]
    handles = profile_handles([(link.kind, link.url) for link, _, _ in find_links(text)],
                              [m.group(1) for m in TELEGRAM_HANDLE.finditer(text)])
    found = person_name(text, emails, handles)
    return [t for t in (found.words if found else ()) if len(t) >= 2]


def name_tokens(text: str) -> list[str]:
    """The candidate's name as words, empty when none is found: what blind screening hides and the
    fairness probe (core.fairness) replaces."""
    return _name_tokens(text)


_WORD = re.compile(r"[^\W\d_][\w'’]*")
_HANDLE = re.compile(r"(?<![\w@.\-/])@?[A-Za-z0-9][\w.\-]*[A-Za-z0-9](?![\w@\-/]|\.\w)")


def _name_forms(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Every other form of the name in the text: a word that is a name word in another script or spelling
    (Ivanov for Иванов, Иванов for Ivanov), and handles the name spells or the resume gives as its own
    (apennyworth, john.doe, @dkozlov; a profile's user name, an e-mail's local part written out alone)."""
    keys = {skeleton(t) for t in tokens if len(t) >= 3}
    known = {h.casefold() for h in profile_handles([(link.kind, link.url) for link, _, _ in find_links(text)],
                                                   [m.group(1) for m in TELEGRAM_HANDLE.finditer(text)])}
    known |= {m.group(0).split("@")[0].casefold() for m in EMAIL.finditer(text)}
    known = {h for h in known if len(h) >= 4}
    out: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        if len(m.group(0)) >= 3 and skeleton(m.group(0)) in keys:
            out.append((m.start(), m.end()))
    for m in _HANDLE.finditer(text):
        word = m.group(0).lstrip("@")
        if len(word) >= 4 and (word.casefold() in known or handle_of(word, tokens)):
            out.append((m.start(), m.end()))
    return out


def _name_pattern(tokens: list[str]) -> re.Pattern | None:
    if not tokens:
        return None
    alts = []
    for t in sorted(set(tokens), key=len, reverse=True):
        if re.search(r"[А-Яа-яЁё]", t) and len(t) >= 4:
            stem = t[:-1] if t[-1].lower() in "аяйеоуыь" else t
            alts.append(re.escape(stem) + r"[а-яё]{0,3}")  # Russian cases: Иванов, Иванова, Иванову
        else:
            alts.append(re.escape(t) + r"(?:'s|’s)?")
    return re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)


def redact(text: str, language: str = "en") -> Redaction:
    """Blind-screening text (placeholders instead of personal data) and the list of what was taken out."""
    spans: list[tuple[int, int, RedactionKind]] = []
    for m in EMAIL.finditer(text):
        spans.append((m.start(), m.end(), "email"))
    for _, s, e in find_phones(text):
        spans.append((s, e, "phone"))
    for _, s, e in find_links(text):
        spans.append((s, e, "link"))
    for m in TELEGRAM_HANDLE.finditer(text):
        spans.append((m.start(1), m.end(1), "link"))
    for kind, rx in RULES:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1] in " \t,;":
                e -= 1
            if e > s:
                spans.append((s, e, kind))
    tokens = _name_tokens(text)
    name_rx = _name_pattern(tokens)
    if name_rx is not None:
        spans.extend((m.start(), m.end(), "name") for m in name_rx.finditer(text))
    if tokens:
        spans.extend((s, e, "name") for s, e in _name_forms(text, tokens))
    # Longest first; an overlapped span is dropped (a link inside an address stays part of the address).
    spans.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    chosen: list[tuple[int, int, RedactionKind]] = []
    for s, e, kind in spans:
        if all(e <= cs or s >= ce for cs, ce, _ in chosen):
            chosen.append((s, e, kind))
    chosen.sort()
    items: list[Redacted] = []
    seen: set[tuple[str, str]] = set()
    for s, e, kind in chosen:
        original = " ".join(text[s:e].split())
        if (kind, original.lower()) not in seen:
            seen.add((kind, original.lower()))
            items.append(Redacted(kind=kind, original=original))
    # Adjacent placeholders of one kind merge ("[NAME] [NAME]" -> "[NAME]"), so name length does not show.
    merged: list[tuple[int, int, RedactionKind]] = []
    for s, e, kind in chosen:
        if merged and merged[-1][2] == kind and _JOIN.fullmatch(text, merged[-1][1], s):
            merged[-1] = (merged[-1][0], e, kind)
        else:
            merged.append((s, e, kind))
    out: list[str] = []
    moved: list[tuple[int, int, int, int]] = []
    pos = size = 0
    for s, e, kind in merged:
        out.append(text[pos:s])
        size += s - pos
        out.append(PLACEHOLDER[kind])
        moved.append((s, e, size, size + len(PLACEHOLDER[kind])))
        size += len(PLACEHOLDER[kind])
        pos = e
    out.append(text[pos:])
    return Redaction(text="".join(out), items=items, spans=moved)


def redact_facts(facts: Facts, text: str, redaction: Redaction) -> Facts:
    """Facts found in ``text`` before redaction, as the blind text shows them: every quote is the same piece of
    ``redaction.text`` (personal data as placeholders), links and contacts are placeholders. What the facts
    say (skills, years, links present, checklist flags) does not change, so blind screening scores the same."""
    quote = lambda q: redaction.quote(text, q)  # noqa: E731
    return facts.model_copy(update={
        "contacts": Contacts(emails=[PLACEHOLDER["email"]] * len(facts.contacts.emails),
                             phones=[PLACEHOLDER["phone"]] * len(facts.contacts.phones),
                             telegram=[PLACEHOLDER["link"]] * len(facts.contacts.telegram)),
        "links": [Link(kind=link.kind, url=PLACEHOLDER["link"]) for link in facts.links],
        "skill_quotes": {name: quote(q) for name, q in facts.skill_quotes.items()},
        "periods": [p.model_copy(update={"text": quote(p.text)}) for p in facts.periods],
        "education": [e.model_copy(update={"text": quote(e.text)}) for e in facts.education],
        "checklist": [f.model_copy(update={"quote": quote(f.quote)}) for f in facts.checklist],
    })

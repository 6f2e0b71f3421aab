"""Years of experience from work date ranges, in English and Russian ("Jan 2019 – Present",
"сентябрь 2018 — по настоящее время", "03/2017 - 11/2019", "2015–2018"), overlaps merged.

Ranges in education, projects and courses sections do not count. A range given in years only
("2015–2018") counts from January to January.
"""

from __future__ import annotations

import re
from datetime import date

from core.documents.text_clean import lowered
from core.facts.model import Period
from core.facts.sections import section_at, split_sections

_MONTHS_EN = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
              "nov": 11, "dec": 12}
_MONTHS_RU = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "мае": 5, "июн": 6, "июл": 7, "авг": 8,
              "сен": 9, "окт": 10, "ноя": 11, "дек": 12}
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
          r"|nov(?:ember)?|dec(?:ember)?"
          r"|январ[ьяе]|янв|феврал[ьяе]|фев|март[ае]?|мар|апрел[ьяе]|апр|ма[йяе]|июн[ьяе]?|июл[ьяе]?|август[ае]?|авг"
          r"|сентябр[ьяе]|сент?|октябр[ьяе]|окт|ноябр[ьяе]|нояб?|декабр[ьяе]|дек)\.?")
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DATE = (rf"(?:{_MONTH},?\s+{_YEAR}(?:\s*(?:г\.|года?))?"
         rf"|(?:0?[1-9]|1[0-2])\s*[./]\s*{_YEAR}"
         rf"|{_YEAR}\s*[\-./]\s*(?:0[1-9]|1[0-2])(?!\d)"
         rf"|{_YEAR}(?:\s*(?:г\.|года?))?)")
_PRESENT = (r"(?:present|current(?:ly)?|now|today|ongoing|to\s+date|till\s+now|until\s+now|date|nowadays"
            r"|(?:по\s+)?настоящее\s+время|(?:по\s+)?наст\.?\s*вр(?:емя|\.)?|(?:по\s+)?н\.\s?в\.?|сейчас|по\s+сей\s+день"
            r"|(?:по\s+)?текущее\s+время|н\.в\.)")
RANGE = re.compile(  # runs on lower-cased text; the start of a match is checked afterwards (faster than a lookbehind)
    rf"(?:с\s+|from\s+|since\s+)?(?P<start>{_DATE})\s*(?:-|–|—|‒|―|−|~|to|till|until|through|по|до|\.\.)\s*"
    rf"(?P<end>{_PRESENT}|{_DATE})(?![\w/])")
CLAIMED = [
    re.compile(r"(\d{1,2}(?:[.,]5)?)\s*\+?\s*(?:years?|yrs?)\.?\s+(?:of\s+)?(?:[\w\-/]+\s+){0,4}?(?:experience|exp\b)"),
    re.compile(r"experience\s+(?:of\s+)?(?:over\s+|more\s+than\s+)?(\d{1,2}(?:[.,]5)?)\s*\+?\s*years?"),
    re.compile(r"опыт\w*\s+(?:работы\s+|разработки\s+|коммерческой\s+разработки\s+)?(?:[—\-:]\s*)?(?:более\s+|свыше\s+|около\s+|от\s+)?(\d{1,2}(?:[.,]5)?)\s*\+?\s*(?:год|года|лет)\b"),
    re.compile(r"(\d{1,2}(?:[.,]5)?)\s*\+?\s*(?:год|года|лет)\s+(?:\w+\s+){0,2}?опыт"),
]
NOT_WORK = {"education", "projects", "courses"}
_PRESENT_RX = re.compile(_PRESENT)


def _month(token: str) -> int | None:
    t = token.lower().strip(".")
    if t[:3] in _MONTHS_EN and t[0].isascii():
        return _MONTHS_EN[t[:3]]
    for stem, n in _MONTHS_RU.items():
        if t.startswith(stem):
            return n
    return None


def parse_date(text: str) -> tuple[int, int | None] | None:
    """(year, month or None) of one date token."""
    s = text.strip().lower()
    m = re.search(_YEAR, s)
    if not m:
        return None
    year = int(m.group(0))
    word = re.match(r"([^\W\d_]+)", s)
    if word:
        return year, _month(word.group(1))
    num = re.match(r"(\d{1,2})\s*[./]\s*\d{4}", s) or re.match(r"\d{4}\s*[\-./]\s*(\d{1,2})", s)
    return year, int(num.group(1)) if num else None


def _index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def find_periods(text: str, today: date | None = None) -> list[Period]:
    """Work date ranges, skipping education, projects and courses sections."""
    today = today or date.today()
    now = _index(today.year, today.month)
    sections = split_sections(text)
    has_experience = any(name == "experience" for name, _, _ in sections)
    out: list[Period] = []
    low = lowered(text)
    for m in RANGE.finditer(low):
        if m.start() > 0 and (low[m.start() - 1].isalnum() or low[m.start() - 1] in "/._"):
            continue
        section = section_at(sections, m.start())
        if section in NOT_WORK or (has_experience and section not in ("experience",)):
            continue
        start = parse_date(m.group("start"))
        if start is None:
            continue
        end_raw = m.group("end")
        end = None if _PRESENT_RX.fullmatch(end_raw.strip()) else parse_date(end_raw)
        s_idx = _index(start[0], start[1] or 1)
        if end is None:
            e_idx, e_label = now, None
        else:
            month = end[1] or (start[1] or 1 if end[0] == start[0] else 1)
            e_idx, e_label = _index(end[0], month), f"{end[0]:04d}-{month:02d}"
        exclusive = e_idx + (1 if start[1] and (end is None or end[1]) else 0)
        if s_idx > now or exclusive <= s_idx or e_idx - s_idx > 50 * 12:
            continue
        exclusive = min(exclusive, now + 1)
        out.append(Period(text=" ".join(text[m.start():m.end()].split()), start=f"{start[0]:04d}-{start[1] or 1:02d}", end=e_label,
                          months=exclusive - s_idx))
    return out


def total_years(periods: list[Period]) -> float | None:
    """Years covered by the periods, counting overlapping months once."""
    if not periods:
        return None
    spans = []
    for p in periods:
        y, mth = map(int, p.start.split("-"))
        s = _index(y, mth)
        spans.append((s, s + p.months))
    spans.sort()
    months, cur_s, cur_e = 0, spans[0][0], spans[0][1]
    for s, e in spans[1:]:
        if s <= cur_e:
            cur_e = max(cur_e, e)
        else:
            months += cur_e - cur_s
            cur_s, cur_e = s, e
    months += cur_e - cur_s
    return round(months / 12, 1)


def claimed_years(text: str) -> float | None:
    """The largest "N years of experience" / "опыт работы N лет" the resume states."""
    values = []
    low = lowered(text)
    for rx in CLAIMED:
        for m in rx.finditer(low):
            if m.start() > 0 and (low[m.start() - 1].isdigit() or low[m.start() - 1] == "."):
                continue
            try:
                v = float(m.group(1).replace(",", "."))
            except ValueError:
                continue
            if 0 < v <= 50:
                values.append(v)
    return max(values) if values else None

"""Language detection, deterministic and fast.

Scripts and the commonest function words decide almost every resume in well under a millisecond
(Cyrillic: Russian unless letters unique to Ukrainian, Belarusian, Kazakh, Serbian or Bulgarian
usage say otherwise; Latin: English, German, French, Spanish, Italian, Portuguese, Dutch or Polish by
stop words). Only an undecided text goes to langdetect, on a sample.
"""

from __future__ import annotations

import re

from core.cyrillic import is_russian as is_russian  # re-exported: the one definition lives there

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in for with on as at by from is are was were an my our this that be have has i".split()),
    "de": frozenset("und der die das mit für von zu im ist ein eine den dem bei auf als des sich nicht wir ich".split()),
    "fr": frozenset("et le la les des du en pour avec un une dans sur au aux est par qui que je nous".split()),
    "es": frozenset("y el la los las del en para con un una por que es al como se su mi".split()),
    "it": frozenset("e il la di del della per con un una che in al dei delle nel sono ho".split()),
    "pt": frozenset("e o a os as de do da dos das em para com um uma por que no na eu".split()),
    "nl": frozenset("en de het van een in met voor op te is bij als aan zijn ik".split()),
    "pl": frozenset("i w z na do się dla oraz jest od po że przy jako".split()),
}
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in STOPWORDS.items():
    for _w in _words:
        _LANGS_OF[_w] = _LANGS_OF.get(_w, ()) + (_lang,)
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_CYR = re.compile("[\u0400-\u04ff]")
_CYRILLIC_MARKERS = [("uk", "іїєґ"), ("be", "ў"), ("kk", "әғқңөұүһ"), ("sr", "ђјљњћџ")]


def _cyrillic(text: str) -> str:
    low = text.lower()
    letters = sum(1 for ch in low if "а" <= ch <= "я" or ch == "ё")
    for code, marks in _CYRILLIC_MARKERS:
        if sum(low.count(m) for m in marks) > 0.01 * max(letters, 1):
            return code
    if "ы" not in low and "э" not in low and low.count("ъ") > 0.01 * max(letters, 1):
        return "bg"
    return "ru"


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's main language, or "unknown" when there is too little text."""
    sample = text[:4000]
    latin = len(_LATIN.findall(sample))
    cyr = len(_CYR.findall(sample))
    other = sum(map(str.isalpha, sample)) - latin - cyr
    if latin + cyr + other < 20:
        return "unknown"
    if cyr >= latin and cyr >= other:
        return _cyrillic(sample)
    if latin > other:
        counts = {lang: 0 for lang in STOPWORDS}
        for word in _WORD.findall(sample[:3000].lower()):
            for lang in _LANGS_OF.get(word, ()):
                counts[lang] += 1
        ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
        (best, n1), (_, n2) = ranked[0], ranked[1]
        if n1 >= 5 and n1 >= 1.5 * n2:
            return best
    return _langdetect(sample[:1500])


def _langdetect(sample: str) -> str:
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    try:
        return detect(sample)
    except LangDetectException:
        return "unknown"

"""Russian names in Latin letters and back, for comparing names across scripts and spellings.

``skeleton`` folds a word written in Cyrillic or in any common Latin scheme (passport ICAO, BGN/PCGN, GOST,
informal) to one comparable form: Иванов, Ivanov; Дмитрий, Dmitry, Dmitriy, Dmitrii; Мария, Mariya, Maria;
Щербаков, Shcherbakov, Scherbakov; Алексей, Alexey, Aleksei all fold to the same skeleton. ``spellings``
gives the usual Latin spellings of a Cyrillic word (blind screening hides each of them).
"""

from __future__ import annotations

import re
import unicodedata

# one letter -> its Latin form in each scheme: (informal/BGN, ICAO passport, GOST 7.79 B)
_SCHEMES: dict[str, tuple[str, str, str]] = {
    "а": ("a", "a", "a"), "б": ("b", "b", "b"), "в": ("v", "v", "v"), "г": ("g", "g", "g"), "д": ("d", "d", "d"),
    "е": ("e", "e", "e"), "ё": ("e", "e", "yo"), "ж": ("zh", "zh", "zh"), "з": ("z", "z", "z"), "и": ("i", "i", "i"),
    "й": ("y", "i", "j"), "к": ("k", "k", "k"), "л": ("l", "l", "l"), "м": ("m", "m", "m"), "н": ("n", "n", "n"),
    "о": ("o", "o", "o"), "п": ("p", "p", "p"), "р": ("r", "r", "r"), "с": ("s", "s", "s"), "т": ("t", "t", "t"),
    "у": ("u", "u", "u"), "ф": ("f", "f", "f"), "х": ("kh", "kh", "x"), "ц": ("ts", "ts", "cz"), "ч": ("ch", "ch", "ch"),
    "ш": ("sh", "sh", "sh"), "щ": ("shch", "shch", "shh"), "ъ": ("", "ie", ""), "ы": ("y", "y", "y'"), "ь": ("", "", ""),
    "э": ("e", "e", "e'"), "ю": ("yu", "iu", "yu"), "я": ("ya", "ia", "ya"),
}
# Latin spellings folded to one form, in order (longest first); applied to every word after transliteration
_FOLDS = [("shch", "sh"), ("sch", "sh"), ("shh", "sh"), ("tch", "ch"), ("dzh", "j"), ("dj", "j"), ("kh", "h"),
          ("zh", "j"), ("ts", "c"), ("tz", "c"), ("cz", "c"), ("x", "ks"), ("ph", "f"), ("w", "v"), ("q", "k"),
          ("yo", "e"), ("y", "i"), ("'", ""), ("’", "")]
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text or ""))


def _plain(word: str) -> str:
    """Case-folded, accents off (é -> e), ё as е."""
    word = unicodedata.normalize("NFKD", (word or "").casefold().replace("ё", "е"))
    return "".join(ch for ch in word if not unicodedata.combining(ch) or ch == "\u0306")  # keep й's breve


def to_latin(word: str, scheme: int = 0) -> str:
    """A word with every Cyrillic letter in Latin (scheme 0 informal, 1 ICAO, 2 GOST); Latin letters stay."""
    word = unicodedata.normalize("NFC", _plain(word))
    return "".join(_SCHEMES[ch][scheme] if ch in _SCHEMES else ch for ch in word)


def skeleton(word: str) -> str:
    """One comparable form of a name word in either script and any common spelling (letters only)."""
    s = to_latin(word)
    s = re.sub(r"[^a-z']", "", s)
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)  # Dmitrii/Dmitriy -> dmitri, Anna -> ana
    if s.startswith("ie") and len(s) > 3:  # Yevgeny, Yelena -> evgeni, elena
        s = s[1:]
    return s


def spellings(word: str) -> list[str]:
    """The Latin spellings of a Cyrillic word in each scheme (empty for a word with no Cyrillic)."""
    if not has_cyrillic(word):
        return []
    out = {re.sub(r"[^a-z]", "", to_latin(word, n)) for n in range(len(_SCHEMES["а"]))}
    return sorted(s for s in out if s)

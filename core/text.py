"""Text pieces the rules baseline works on: segments, words, key terms, scaling. No model here."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"\n+|(?<=[.!?;])\s+(?=[A-ZА-ЯЁ0-9•\-–*])")
_BULLET = " \t-–—*•·▪●◦>|:"
_WORD = re.compile(r"[^\W_][\w+#]*(?:[.\-][\w+#]+)*", re.UNICODE)

STOPWORDS = set(
    """a an the and or but if then else of to in on at by for with from into onto over under about as is are was
    were be been being it its this that these those there here which who whom whose what when where why how all
    any both each few more most other some such no nor not only own same so than too very can will just should
    would could may might must shall do does did doing have has had having i you he she we they them their our
    your my me him her us also using use used via etc e.g i.e within without between through during before after
    above below up down out off again further once one two three many much well like make makes made need needs
    working work works good able way ways get gets thing things take takes taking took add adds adding added
    apply applies applied applying give gives given keep keeps kept name names something someone another around
    change changes changing changed call calls called want wants know knows usually often always never every
    example examples instead rather really quite important simple simply different same
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от
    меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам
    ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего
    раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем
    чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот
    через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть
    том нельзя такой им более всегда конечно всю между это также which который которая которое которые
    которых которым которой котором обычно очень весь вся всё свой своя своё свои каждый любой""".split()
)


def segments(text: str, max_words: int = 40, limit: int = 200) -> list[str]:
    """Lines and sentences of ``text`` (each an exact substring), long ones cut into word windows."""
    out: list[str] = []
    for piece in _SPLIT.split(text):
        piece = piece.strip().strip(_BULLET).strip()
        if len(piece.split()) < 3:
            continue
        words = piece.split()
        if len(words) <= max_words:
            out.append(piece)
        else:
            for start in range(0, len(words), max_words):
                window = " ".join(words[start : start + max_words])
                if window in piece and len(window.split()) >= 3:
                    out.append(window)
        if len(out) >= limit:
            break
    return out[:limit]


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def stem(word: str) -> str:
    """A crude stem that survives English and Russian endings: the first letters of a word (4 for Russian,
    whose endings are longer: "список"/"списки", 5 for English: "switch"/"switching", "thread"/"threads")."""
    if "а" <= word[:1] <= "я" or word[:1] == "ё":
        return word[:4]
    return word[:5]


def key_terms(text: str, exclude: str = "", limit: int = 10) -> list[str]:
    """The most specific content words of ``text`` (longest first, then first seen), minus stopwords and
    words of ``exclude``: long words are the technical ones ("immutable", "hashable", "recall")."""
    skip = {stem(w) for w in words(exclude)}
    seen: list[str] = []
    stems: set[str] = set()
    for w in words(text):
        if len(w) < 4 or w in STOPWORDS or w.isdigit():
            continue
        s = stem(w)
        if s in stems or s in skip:
            continue
        stems.add(s)
        seen.append(w)
    ranked = sorted(range(len(seen)), key=lambda i: (-len(seen[i]), i))[:limit]
    return [seen[i] for i in sorted(ranked)]


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning: three letters or more, no stopwords, no bare numbers."""
    return {stem(w) for w in words(text) if len(w) >= 3 and w not in STOPWORDS and not w.isdigit()}


def terms_found(terms: list[str], text: str) -> list[str]:
    present = {stem(w) for w in words(text)}
    return [t for t in terms if stem(t) in present]


def scale(value: float, low: float, high: float) -> float:
    """``value`` mapped linearly from [low, high] to [0, 1], clamped."""
    if high <= low:
        return 0.0
    return max(0.0, min(1.0, (value - low) / (high - low)))


def score_1_to_5(x: float) -> int:
    return max(1, min(5, 1 + int(round(4 * max(0.0, min(1.0, x))))))


def clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters (a prefix, so still a quote)."""
    text = " ".join(text.split()) if len(text) > limit else text
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut if len(cut) >= limit // 2 else text[:limit]


def max_len(model: type, field: str, default: int = 10_000) -> int:
    """The ``max_length`` bound of a pydantic field, so the baseline always fits the current schema."""
    for item in model.model_fields[field].metadata:  # type: ignore[attr-defined]
        bound = getattr(item, "max_length", None)
        if bound is not None:
            return int(bound)
    return default

"""Every user-visible string, one table per language: ``core.messages.en`` and ``core.messages.ru``.

- ``msg(key, lang, **kw)`` formats one message. A message given as a tuple has plural forms and is picked
  by the keyword ``n`` (``msg("years_n", "ru", n=4)`` → "4 года").
- ``Count(key, n)`` is a count given as a keyword to ``msg`` or ``LocalizedError``: it is written with the plural
  message ``key`` in the language being rendered (``msg("fair_err_names", "ru", names=Count("names_per_group_n", 2))``
  → "… 2 имени на группу"), so an error raised once reads right in both languages. Every count shown with a
  noun goes through a plural message: never "{n} name(s)" or a fixed form.
- ``plural(n, forms, lang)`` picks a form: English (one, other); Russian (one, few, many) by the Russian
  rules (1 год, 2 года, 5 лет, 11 лет, 21 год; a fraction takes "few": 1.5 года).
- ``ui_table(lang)`` is the flat table the Gradio workbench gives to ``gr.I18n``.

Which language is used where:
- Component labels in the workbench follow the browser's language (``gr.I18n``).
- HTML, tables and messages the server renders follow the same browser language, read from the request's
  ``Accept-Language`` header (``lang_from_accept``); a request without one (an API client) gets the
  language of the document it sent (``detect_language``), then English.
- Report prose that is stored with a result (the ``rules`` engine's summary, flags and explanations, like a
  language model's) is written in the language of the document it is about (the resume, the question) and shown
  as stored; everything around it (labels, verdicts, column names, errors) follows the browser.
- Exports (CSV, JSON) keep stable field names and codes (``match_score``, ``advance``) for other tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, Self, runtime_checkable

from core.messages import en, ru

Lang = Literal["en", "ru"]
LANGS: tuple[Lang, ...] = ("en", "ru")
TABLES: dict[str, dict[str, str | tuple[str, ...]]] = {"en": en.MESSAGES, "ru": ru.MESSAGES}


def norm_lang(lang: str | None) -> Lang:
    """'ru', 'ru-RU', 'RU' → 'ru'; anything else → 'en'."""
    return "ru" if (lang or "").strip().lower()[:2] == "ru" else "en"


def plural_form(n: float, lang: str) -> int:
    """Index of the plural form of ``n``: English (one, other); Russian (one, few, many)."""
    if norm_lang(lang) == "en":
        return 0 if n == 1 else 1
    if float(n) != int(n):
        return 1  # 1.5 года, 2.5 года
    k = abs(int(n))
    if k % 10 == 1 and k % 100 != 11:
        return 0
    if 2 <= k % 10 <= 4 and not 12 <= k % 100 <= 14:
        return 1
    return 2


def plural(n: float, forms: tuple[str, ...] | list[str], lang: str) -> str:
    """The form of ``forms`` for ``n`` (forms: English (one, other); Russian (one, few, many))."""
    return forms[min(plural_form(n, lang), len(forms) - 1)]


def number(n: float, lang: str = "en") -> str:
    """A number as people write it: 4, 4.5 (Russian: 4,5)."""
    text = f"{n:g}"
    return text.replace(".", ",") if norm_lang(lang) == "ru" else text


@dataclass(frozen=True)
class Count:
    """``n`` written with the plural message ``key`` in whichever language the text is rendered."""

    key: str
    n: float


@runtime_checkable
class Localized(Protocol):
    """A keyword value that writes itself in the language being rendered (another error, a memory plan, a list
    of problems): ``msg`` calls its ``text(lang)``, so an error that wraps another reads right in both languages."""

    def text(self, lang: str = "en") -> str: ...


def _localized(value: object, lang: str) -> object:
    return value.text(lang) if isinstance(value, Localized) and callable(value.text) else value


def count(key: str, n: float, lang: str = "en") -> str:
    """``n`` with its noun in the right plural form: ``count("names_per_group_n", 21, "ru")`` → "21 имя на группу"."""
    return msg(key, lang, n=n)


def msg(key: str, lang: str = "en", **kw: object) -> str:
    """The message ``key`` in ``lang`` (falling back to English), formatted with ``kw`` (a ``Count`` or a
    ``Localized`` among them is written in ``lang``)."""
    kw = {k: msg(v.key, lang, n=v.n) if isinstance(v, Count) else _localized(v, lang) for k, v in kw.items()}
    table = TABLES[norm_lang(lang)]
    value = table.get(key, en.MESSAGES.get(key))
    if value is None:
        raise KeyError(f"no message {key!r}: add it to core/messages/en.py and ru.py")
    if isinstance(value, tuple):
        n = kw.get("n")
        if not isinstance(n, (int, float)):
            raise TypeError(f"message {key!r} has plural forms: pass n=<number>")
        value = plural(n, value, lang)
        kw = {**kw, "n": number(n, lang)}
    return value.format(**kw) if kw else value


def ui_table(lang: str) -> dict[str, str]:
    """The plain (non-plural) messages of one language, for ``gr.I18n``."""
    return {k: v for k, v in TABLES[norm_lang(lang)].items() if isinstance(v, str)}


def lang_from_accept(header: str | None) -> Lang | None:
    """The preferred of English/Russian in an ``Accept-Language`` header; None when it names neither."""
    best: tuple[float, Lang] | None = None
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower()[:2]
        if code not in LANGS:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if best is None or q > best[0]:
            best = (q, code)
    return best[1] if best else None


LANG_SAMPLE_CHARS = 20_000  # how much of a document choose_lang reads


def choose_lang(accept_language: str | None, document: str = "") -> Lang:
    """The language to render in: the browser's (Accept-Language), else the document's, else English."""
    found = lang_from_accept(accept_language)
    if found:
        return found
    if document.strip():
        from core.cyrillic import is_russian

        return "ru" if is_russian(document[:LANG_SAMPLE_CHARS]) else "en"  # the beginning says (a huge paste stays cheap)
    return "en"


def column_names(fields: list[str] | tuple[str, ...], lang: str) -> list[str]:
    """Human column names for a table's fields (message ``col_<field>``)."""
    return [msg(f"col_{f}", lang) for f in fields]


class LocalizedError(ValueError):
    """An error whose words live in the message tables: ``str()`` is English (logs, CLI, API clients),
    ``text(lang)`` is what a person reading ``lang`` sees. A plain message (no key) is shown as is."""

    def __init__(self, message: str = "", *, key: str | None = None, **kw: object) -> None:
        self.key, self.kw = key, kw
        super().__init__(msg(key, "en", **kw) if key else message)

    def text(self, lang: str = "en") -> str:
        return msg(self.key, lang, **self.kw) if self.key else str(self)

    @classmethod
    def from_error(cls, error: LocalizedError) -> Self:
        """This kind of error with another's words: its message key and values, or its plain message."""
        out = cls(str(error))
        out.key, out.kw = error.key, dict(error.kw)
        return out


def has(key: str) -> bool:
    """Whether the tables hold ``key``."""
    return key in en.MESSAGES

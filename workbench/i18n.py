"""Workbench side of the message tables in ``core.messages`` (one table per language).

- Component labels: ``t(key)``; ``gr.I18n`` translates them in the browser by the browser's language.
- HTML, tables and errors the server renders: ``lang_of(request, document)`` reads the same browser
  language from the request's Accept-Language header (an API client without one gets the document's
  language), and ``core.messages.msg`` formats the text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import cast

import gradio as gr

from core.messages import LANGS, Lang, LocalizedError, choose_lang, lang_from_accept, msg, ui_table


def build_i18n() -> gr.I18n:
    """``gr.I18n`` fed from the message tables (every label's words live there)."""
    return gr.I18n(**{lang: ui_table(lang) for lang in LANGS})


def t(key: str) -> gr.i18n.I18nData:
    """A translatable string for a component label."""
    return gr.i18n.I18nData(key)


def t_headers(keys: Iterable[str]) -> list[str]:
    """Translatable column headers for a ``gr.Dataframe``: Gradio sends them to the browser as it does labels,
    though it types its ``headers`` as plain strings."""
    return cast("list[str]", [t(key) for key in keys])


_log = logging.getLogger("hirelab.workbench")


def refusal(text: str) -> gr.Error:
    """The error a handler raises for something the reader can fix (a missing file, a wrong value): shown to them,
    and one line in the server log, without a traceback (it is not a fault of the server)."""
    _log.warning("refused: %s", " ".join(str(text).split())[:300])
    return gr.Error(text, print_exception=False, title=msg("toast_error", text_lang(str(text))))


def text_lang(text: str) -> Lang:
    """The language a message is already written in (it was rendered for its reader): its toast title follows it."""
    from core.documents.language import is_russian

    return "ru" if is_russian(text) else "en"


def _accept(request: gr.Request | None) -> str | None:
    headers = getattr(request, "headers", None) if request is not None else None
    return headers.get("accept-language") if headers is not None else None


def browser_lang(request: gr.Request | None) -> Lang | None:
    """The browser's language (English or Russian), or None for a client that does not say."""
    return lang_from_accept(_accept(request))


def error_text(exc: Exception, lang: str) -> str:
    """An error's words for the person reading ``lang`` (errors whose words live in the tables are translated)."""
    return exc.text(lang) if isinstance(exc, LocalizedError) else str(exc)


def progress_in(progress: gr.Progress, lang: str):  # noqa: ANN201 (a core Progress callback)
    """A core progress callback drawing on ``progress`` and asking for messages in ``lang``."""

    def on(fraction: float | None, message: str) -> None:
        progress(fraction, desc=message)

    on.lang = lang  # type: ignore[attr-defined]
    return on


def lang_of(request: gr.Request | None, document: str = "") -> Lang:
    """The language to render server-made text in: the browser's, else the document's, else English."""
    return choose_lang(_accept(request), document)

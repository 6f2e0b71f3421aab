"""What every analytics page shares: the reader's language and the store's figures (or a friendly empty page)."""

from __future__ import annotations

import streamlit as st

from core.analytics import AnalyticsData, load
from core.messages import LANGS, Lang, lang_from_accept, msg, norm_lang

LANG_KEY = "an_lang"
LANG_NAMES = {"en": "English", "ru": "Русский"}


def browser_lang() -> Lang:
    """The browser's language (navigator.language, else Accept-Language) when it is Russian or English; else English."""
    try:
        locale = st.context.locale
        header = st.context.headers.get("Accept-Language")
    except Exception:  # noqa: BLE001 - no browser (a script run): English
        return "en"
    return norm_lang(locale) if locale else (lang_from_accept(header) or "en")


def page_lang() -> Lang:
    """The language picked in the sidebar, else the browser's."""
    chosen = st.session_state.get(LANG_KEY)
    return chosen if chosen in LANGS else browser_lang()


def language_selector() -> Lang:
    """The sidebar's language switch, starting on the browser's language."""
    start = page_lang()
    return st.sidebar.radio(msg("an_lang", start), LANGS, index=LANGS.index(start), format_func=LANG_NAMES.__getitem__,
                            key=LANG_KEY, horizontal=True)


def analytics_data(language: Lang) -> AnalyticsData:
    """The store's figures; a page for an empty (or unreadable) store says so and stops there."""
    try:
        data = load()
    except Exception as exc:  # noqa: BLE001 - a store that cannot be opened is explained, not a traceback
        import logging

        logging.getLogger("hirelab.analytics").error("the store cannot be read: %s: %s", type(exc).__name__, exc)
        st.error(msg("an_store_error", language))  # the exception's text (SQL, paths) goes to the log, not the page
        st.stop()
    if data.empty:
        st.info(msg("an_empty", language))
        st.stop()
    return data


def profile_picker(data: AnalyticsData, language: Lang, key: str) -> str | None:
    """A model-profile filter: None means every profile."""
    options: list[str | None] = [None, *data.profiles]
    return st.selectbox(msg("an_profile", language), options, key=key,
                        format_func=lambda p: msg("an_all_profiles", language) if p is None else p)

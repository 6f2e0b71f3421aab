"""UI strings in English and Russian. Each tab module defines ``TEXTS = {"en": {...}, "ru": {...}}``;
this module merges them into one ``gr.I18n`` (the browser's language picks the translation)."""

from __future__ import annotations

import gradio as gr

COMMON = {
    "en": {
        "app_title": "hirelab — interpretable hiring assistant",
        "app_intro": "The tool recommends; a person decides. Every claim quotes the resume; unverified quotes are marked.",
        "model": "Model profile",
    },
    "ru": {
        "app_title": "hirelab — прозрачный помощник для найма",
        "app_intro": "Инструмент рекомендует, решает человек. Каждое утверждение цитирует резюме; непроверенные цитаты помечены.",
        "model": "Профиль модели",
    },
}


def build_i18n(tab_texts: list[dict[str, dict[str, str]]]) -> gr.I18n:
    merged: dict[str, dict[str, str]] = {lang: dict(values) for lang, values in COMMON.items()}
    for texts in tab_texts:
        for lang, values in texts.items():
            merged.setdefault(lang, {}).update(values)
    return gr.I18n(**merged)


def t(key: str) -> gr.i18n.I18nData:
    """A translatable string for a component label."""
    return gr.i18n.I18nData(key)

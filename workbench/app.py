"""Builds the Gradio workbench: one tab per module in ``workbench.tabs``. No logic lives here."""

from __future__ import annotations

import gradio as gr

from workbench.i18n import build_i18n, t
from workbench.page_load import wire_page_load
from workbench.pickers import keep_fresh
from workbench.tabs import TABS


def build_app() -> tuple[gr.Blocks, gr.I18n]:
    with gr.Blocks(title="hirelab") as demo:
        gr.Markdown("# hirelab")
        gr.Markdown(t("app_intro"))
        built = []
        with gr.Tabs():
            for tab in TABS:
                with gr.Tab(t(tab.TITLE_KEY), id=tab.__name__.rsplit(".", 1)[-1]) as page:
                    built.append((page, tab.build()))
        keep_fresh(demo, built)
        wire_page_load(demo)
    return demo, build_i18n([getattr(tab, "TEXTS", {}) for tab in TABS])


def launch(host: str = "127.0.0.1", port: int | None = None, **kwargs: object) -> None:
    demo, i18n = build_app()
    demo.queue(default_concurrency_limit=1).launch(server_name=host, server_port=port, i18n=i18n, **kwargs)  # type: ignore[arg-type]

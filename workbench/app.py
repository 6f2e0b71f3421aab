"""Builds the Gradio workbench: one tab per module in ``workbench.tabs``. No logic lives here."""

from __future__ import annotations

import gradio as gr

from core.config import settings
from core.services.deletion import apply_retention
from core.services.demo import UPLOAD_CACHE
from workbench.i18n import build_i18n, t
from workbench.page_load import wire_page_load
from workbench.pickers import keep_fresh
from workbench import visitor
from workbench.tabs import TABS


def build_app() -> tuple[gr.Blocks, gr.I18n]:
    demo_mode = settings().demo
    apply_retention()  # HIRELAB_RETENTION_DAYS (off when unset): old candidates go as the workbench opens
    with gr.Blocks(title="hirelab", delete_cache=UPLOAD_CACHE if demo_mode else None) as demo:
        gr.Markdown("# hirelab")
        if demo_mode:
            gr.Markdown(t("demo_banner"), elem_id="demo-banner", container=True)
        gr.Markdown(t("app_intro"))
        visitor.build()  # demo mode: each browser's own id, so each visitor sees only their own work
        built = []
        with gr.Tabs():
            for tab in TABS:
                with gr.Tab(t(tab.TITLE_KEY), id=tab.__name__.rsplit(".", 1)[-1]) as page:
                    built.append((page, tab.build()))
        keep_fresh(demo, built)
        visitor.wire(demo)
        wire_page_load(demo)
    return demo, build_i18n()

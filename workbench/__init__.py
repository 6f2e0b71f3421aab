"""Gradio UI: one module per tab; builds components and calls core, holds no logic."""

"""Hosted limits Gradio has no setting for (files per request, requests per person): handlers call
``admit(request, files)`` first; the rules are ``core.hosting.admit``."""

from __future__ import annotations

import gradio as gr

from core.hosting import HostingConfig, HostingLimitError, admit as admit_request, client_key
from workbench.i18n import error_text, lang_of, refusal


def admit(request: gr.Request | None, files: int = 0) -> None:
    """Raise a gr.Error in the reader's language when this request is over a hosted limit."""
    config = HostingConfig.from_settings()
    username = getattr(request, "username", None) if request is not None else None
    client = getattr(request, "client", None) if request is not None else None
    headers = getattr(request, "headers", None) if request is not None else None
    who = client_key(username, getattr(client, "host", None),
                     headers.get("x-forwarded-for") if headers is not None else None, config.behind_proxy)
    try:
        admit_request(config, who, files, signed_in=bool(username))
    except HostingLimitError as exc:
        raise refusal(error_text(exc, lang_of(request))) from exc

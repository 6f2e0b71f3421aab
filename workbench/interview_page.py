"""The candidate's page, served at ``/interview?token=…``: only the questions of that link, a box per
answer, the time left, one submit. No tabs, no profile picker, nothing else from the store.
All logic is in core.services.interviews; the words are in core/messages (block "Interview link")."""

from __future__ import annotations

from typing import Any

import gradio as gr

from core.messages import msg
from core.services import interviews as iv
from workbench.i18n import lang_of

TICK_SECONDS = 10
# the page's address carries the token; the browser hands it to the first event
_TOKEN_FROM_ADDRESS = "() => [new URLSearchParams(window.location.search).get('token') || '']"


def _clock(seconds: int, lang: str) -> str:
    if seconds <= 0:
        return f"**{msg('iv_time_over', lang)}**"
    hours, rest = divmod(seconds, 3600)
    time = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    return msg("iv_time_left", lang, time=time)


def _closed(text: str) -> tuple[Any, ...]:
    """The page when the link cannot be used: the reason only."""
    return (gr.update(), "", f"**{text}**", "", gr.Timer(active=False), gr.update(visible=False),
            *[gr.update(visible=False) for _ in range(iv.MAX_QUESTIONS)])


def show(token: str, request: gr.Request | None = None) -> tuple[Any, ...]:
    """Open the link: its questions and the time left, or why it cannot be used."""
    token = (token or "").strip()
    try:
        opened = iv.open_interview(token)
    except iv.InterviewRefused as exc:
        return _closed(exc.text(lang_of(request)))
    lang = opened.language
    boxes = [gr.update(visible=True, label=f"{n}. {q}", placeholder=msg("iv_answer", lang), value="")
             for n, q in enumerate(opened.questions, 1)]
    boxes += [gr.update(visible=False) for _ in range(iv.MAX_QUESTIONS - len(boxes))]
    return (token, f"# {msg('iv_page_title', lang)}", msg("iv_intro", lang, minutes=opened.time_limit_minutes),
            _clock(opened.seconds_left, lang), gr.Timer(active=True), gr.update(visible=True, value=msg("iv_submit", lang)),
            *boxes)


def tick(token: str) -> str:
    info = iv.peek(token)
    if info is None or info.submitted or info.seconds_left is None:
        return ""
    return _clock(info.seconds_left, info.language)


def submit(request: gr.Request | None, token: str, *answers: str) -> tuple[Any, ...]:
    """Send the answers once; returns the message for the candidate, then whether the form stays open.

    ``request`` comes first: Gradio hands the request only to a positional parameter."""
    token = (token or "").strip()
    info = iv.peek(token)
    lang = info.language if info else lang_of(request)
    try:  # the page always sends every box; the link's own questions are the first ones
        done = iv.submit_interview(token, [a or "" for a in answers[:info.questions]] if info else list(answers))
    except iv.InterviewError as exc:  # fixable (an answer too long): the form stays as it is
        return f"**{exc.text(lang)}**", gr.update(), gr.update()
    except iv.InterviewRefused as exc:
        return f"**{exc.text(lang)}**", gr.update(visible=False), gr.Timer(active=False)
    return f"**{done.message}**", gr.update(visible=False), gr.Timer(active=False)


def build_interview_page() -> gr.Blocks:
    with gr.Blocks(title="hirelab") as page:
        token = gr.Textbox(visible=False)
        heading = gr.Markdown()
        notice = gr.Markdown(elem_id="interview-notice")
        clock = gr.Markdown(elem_id="interview-clock")
        boxes = [gr.Textbox(visible=False, lines=5, max_lines=30, max_length=iv.MAX_ANSWER_CHARS,
                            elem_classes=["interview-answer"]) for _ in range(iv.MAX_QUESTIONS)]
        send = gr.Button(visible=False, variant="primary", elem_id="interview-submit")
        result = gr.Markdown(elem_id="interview-result")
        timer = gr.Timer(TICK_SECONDS, active=False)
        page.load(show, inputs=[token], outputs=[token, heading, notice, clock, timer, send, *boxes],
                  js=_TOKEN_FROM_ADDRESS, api_visibility="private", show_progress="hidden")
        timer.tick(tick, inputs=[token], outputs=[clock], api_visibility="private", show_progress="hidden",
                   concurrency_limit=None)
        send.click(submit, inputs=[token, *boxes], outputs=[result, send, timer], api_name="submit",
                   concurrency_limit=None)
    return page

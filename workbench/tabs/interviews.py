"""Interview links: a recruiter picks a question set and a candidate and gets a link to send; the table shows
each link's status and, once graded, the scores. All logic is in core.services.interviews."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from core.failures import shown_failure
from core.messages import LocalizedError, msg
from core.services import interviews as iv
from workbench.events import QUIET
from workbench.guard import admit
from workbench.i18n import error_text, lang_of, refusal, t, t_headers
from workbench.page_load import on_page_load
from workbench.pickers import profile_choices
from workbench.visitor import owner, state

TITLE_KEY = "iv_tab"
# the tables' columns, each a message key "iv_col_<name>"
COLUMNS = ["created", "candidate", "set", "status", "answers", "graded", "review", "mean", "link"]
WIDTHS: list[str | int] = ["12%", "14%", "18%", "13%", "7%", "7%", "8%", "8%", "13%"]
ANSWER_COLUMNS = ["n", "question", "answer", "status", "score", "verdict", "profile", "note"]


def _user(request: gr.Request | None) -> str:
    """The signed-in person's name when the app runs with authentication, else ''."""
    return str(getattr(request, "username", None) or "")


def base_url(request: gr.Request | None) -> str:
    """The address people reach this server at (behind a proxy: the forwarded one), without a trailing slash."""
    headers = getattr(request, "headers", None) if request is not None else None
    if headers is None:
        return ""
    host = headers.get("x-forwarded-host") or headers.get("host") or ""
    proto = headers.get("x-forwarded-proto") or ("https" if headers.get("origin", "").startswith("https") else "http")
    return f"{proto}://{host}" if host else ""


def set_choices(request: gr.Request | None = None) -> Any:
    lang = lang_of(request)
    choices = [(f"{c.label} · {msg('iv_questions_n', lang, n=c.questions)}", c.id) for c in iv.question_sets(lang)]
    return gr.update(choices=choices)


def create(set_id: str | None, candidate: str, language: str, minutes: float | None, hours: float | None,
           profile: str | None, visitor: str | None = None,
           request: gr.Request | None = None) -> tuple[str, str]:
    admit(request)  # each link is graded by a model once answered
    lang = lang_of(request)
    try:
        questions = iv.set_questions(set_id or "", language or "en")
        link = iv.create_interview(questions, candidate or "", created_by=_user(request),
                                   time_limit_minutes=int(minutes or 0), expires_in_hours=float(hours or 0),
                                   language=language or "en", model_profile=profile or "rules", question_set=set_id or "",
                                   owner=owner(request, visitor))
    except LocalizedError as exc:  # a malformed request, or a candidate reference that is not the visitor's
        raise refusal(error_text(exc, lang)) from exc
    note = msg("iv_created", lang, candidate=candidate.strip(), minutes=link.time_limit_minutes,
               when=link.expires_at.strftime("%Y-%m-%d %H:%M"), profile=profile or "rules")
    return base_url(request) + link.url_path, note


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def interviews_table(visitor: str | None = None,
                     request: gr.Request | None = None) -> tuple[pd.DataFrame, Any]:
    lang = lang_of(request)
    found = iv.list_interviews(owner=owner(request, visitor))
    sets = {c.id: c.label for c in iv.question_sets(lang)}
    rows = [[_when(i.created_at), i.candidate, sets.get(i.question_set, i.question_set), msg(f"iv_status_{i.status}", lang), len(i.answers),
             i.graded, i.needs_review,
             "" if i.mean_score is None else i.mean_score, base_url(request) + i.url_path]
            for i in found]
    table = pd.DataFrame(rows, columns=[msg(f"iv_col_{c}", lang) for c in COLUMNS])
    picks = [(f"{_when(i.created_at)} · {i.candidate} · {msg(f'iv_status_{i.status}', lang)}", i.token)
             for i in found if i.answers]
    return table, gr.update(choices=picks)


def answers_table(token: str | None, visitor: str | None = None,
                  request: gr.Request | None = None) -> pd.DataFrame:
    lang = lang_of(request)
    found = iv.find_interview(token, owner=owner(request, visitor)) if token else None
    rows = [[a.position + 1, a.question, a.answer, msg(f"iv_answer_{a.status}", lang),
             "" if a.score is None else a.score, msg(a.verdict, lang) if a.verdict else "", a.profile or "",
             msg("iv_late_reason", lang, minutes=a.late_minutes) if a.late_minutes else shown_failure(a.error, lang)]
            for a in (found.answers if found else ())]
    return pd.DataFrame(rows, columns=[msg(f"iv_col_{c}", lang) for c in ANSWER_COLUMNS])


def build() -> list[gr.components.Component]:
    names, default = profile_choices()
    with gr.Row():
        question_set = gr.Dropdown([(f"{c.label} · {msg('iv_questions_n', 'en', n=c.questions)}", c.id)
                                    for c in iv.question_sets("en")], value=None, label=t("iv_set"),
                                   elem_id="iv-set")
        candidate = gr.Textbox(label=t("iv_candidate"), elem_id="iv-candidate")
        language = gr.Radio([(t("iv_lang_en"), "en"), (t("iv_lang_ru"), "ru")], value="en", label=t("iv_language"),
                            elem_id="iv-language")
    with gr.Row():
        minutes = gr.Number(value=60, minimum=iv.TIME_LIMITS[0], maximum=iv.TIME_LIMITS[1], precision=0,
                            label=t("iv_limit"), elem_id="iv-minutes")
        hours = gr.Number(value=72, minimum=iv.EXPIRY_HOURS[0], maximum=iv.EXPIRY_HOURS[1], precision=0,
                          label=t("iv_expiry"), elem_id="iv-hours")
        profile = gr.Dropdown(names, value=default, label=t("model"), elem_id="iv-profile")
        make = gr.Button(t("iv_create"), variant="primary", elem_id="iv-create")
    link = gr.Textbox(label=t("iv_link"), interactive=False, buttons=["copy"], elem_id="iv-link")
    note = gr.Markdown(elem_id="iv-note")
    refresh = gr.Button(t("iv_refresh"), variant="secondary", elem_id="iv-refresh")
    table = gr.Dataframe(headers=t_headers(f"iv_col_{c}" for c in COLUMNS), interactive=False, wrap=True, max_chars=120,
                         column_widths=WIDTHS, label=t("iv_list"), elem_id="iv-table")
    pick = gr.Dropdown([], value=None, label=t("iv_pick"), allow_custom_value=True, elem_id="iv-pick")
    answers = gr.Dataframe(headers=t_headers(f"iv_col_{c}" for c in ANSWER_COLUMNS), interactive=False, wrap=True,
                           max_chars=300, label=t("iv_answers"), elem_id="iv-answers")

    me = state()  # demo mode: whose links these are (workbench.visitor)
    make.click(create, inputs=[question_set, candidate, language, minutes, hours, profile, me], outputs=[link, note],
               api_name="interview_create").then(interviews_table, inputs=[me], outputs=[table, pick], **QUIET)
    refresh.click(interviews_table, inputs=[me], outputs=[table, pick], api_name="interview_list")
    pick.change(answers_table, inputs=[pick, me], outputs=[answers], api_name="interview_answers")
    on_page_load(set_choices, [], [question_set])
    on_page_load(interviews_table, [me], [table, pick])
    on_page_load(answers_table, [pick, me], [answers])  # the empty table's column names in the reader's language
    return [profile]

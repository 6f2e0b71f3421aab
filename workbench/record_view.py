"""HTML for one candidate's whole record (Candidates tab). Presentation only: every value comes from
``core.services.records.CandidateRecord``; fit reports, grades and question sets are drawn by the same card
renderers the Screen, Score answers and Interview questions tabs use."""

from __future__ import annotations

from html import escape

from pydantic import ValidationError

from core.messages import msg
from core.schemas.questions import QuestionSet
from core.services.grading import AnswerInput, GradeOutcome
from core.services.records import CandidateRecord
from core.services.screening import ScreenRow
from workbench.render import _CSS as CARD_CSS, card


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if hasattr(value, "strftime") else str(value or "")


def decision_word(code: str | None, lang: str) -> str:
    """A person's decision (advance / hold / reject) in ``lang``; no decision yet reads as such."""
    return msg(f"dec_{code}", lang) if code else msg("dec_none", lang)


def _section(key: str, body: str, lang: str, testid: str) -> str:
    return f'<h3>{escape(msg(key, lang))}</h3><div data-testid="{testid}">{body or escape(msg("ctab_nothing", lang))}</div>'


def _why(reason: str, lang: str) -> str:
    """Why a document or grade is this candidate's, in words ("" when the store does not say)."""
    if not reason:
        return ""
    text = msg("id_linked_because", lang, reason=msg(f"id_reason_{reason}", lang))
    return f' · <i data-testid="link-reason" data-reason="{escape(reason)}">{escape(text)}</i>'


def _documents(rec: CandidateRecord, lang: str) -> str:
    items = [f"<li>{escape(doc.filename)}{_why(doc.reason, lang)}"
             + (f' · <b class="hl-bad" data-testid="doc-flags">⚠ {escape(msg("ctab_doc_flags_n", lang, n=doc.flags))}</b>'
                if doc.flags else "") + "</li>" for doc in rec.documents]
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _fits(rec: CandidateRecord, lang: str) -> str:
    parts = []
    for rank, fit in enumerate(rec.fits, 1):
        head = msg("ctab_fit_head", lang, job=fit.job_title or msg("ctab_no_job", lang), profile=fit.profile)
        row = ScreenRow(filename=fit.report.candidate, path="", ok=True, report=fit.report)
        parts.append(f'<h4 data-testid="fit-job" data-result-id="{fit.result_id}">{escape(head)}</h4>{card(row, rank, lang)}')
    return "".join(parts)


def _grades(rec: CandidateRecord, lang: str) -> str:
    from workbench.tabs.grading import _CSS as GRADE_CSS, _card as grade_card  # (the tabs package imports this module)

    cards = [(f"<p>{_why(g.reason, lang).removeprefix(' · ')}</p>" if g.reason else "")
             + grade_card(GradeOutcome(item=AnswerInput(candidate=rec.name, question=g.question or g.grade.question,
                                                        answer=g.grade.answer), ok=True, grade=g.grade), lang)
             for g in rec.grades]
    return GRADE_CSS + "".join(cards) if cards else ""


def _questions(rec: CandidateRecord, lang: str) -> str:
    from workbench.tabs.questions import _cards as question_cards  # (the tabs package imports this module)

    sets = []
    for payload in rec.questions:
        try:
            sets.append(QuestionSet.model_validate(payload))
        except ValidationError:
            continue  # written by an older version: not shown, never guessed
    return "".join(question_cards(qs, lang) for qs in sets)


def _shown(shown: dict, lang: str) -> str:
    """What the tool said when the person decided: its score and recommendation."""
    score, rec = shown.get("score"), shown.get("recommendation")
    parts = ([f"{score}/100"] if score is not None else []) + ([msg(str(rec), lang)] if rec else [])
    return " · ".join(parts)


def _decisions(rec: CandidateRecord, lang: str) -> str:
    if not rec.decisions:
        return ""
    heads = "".join(f"<th>{escape(msg(k, lang))}</th>" for k in
                    ("ctab_col_when", "ctab_col_job", "ctab_col_decision", "ctab_col_reason", "ctab_col_by", "ctab_col_tool"))
    rows = "".join(
        f"<tr><td>{_when(d.created_at)}</td><td>{escape(d.job_title or '')}</td>"
        f"<td><b>{escape(decision_word(d.decision, lang))}</b></td><td>{escape(d.reason)}</td>"
        f"<td>{escape(d.decided_by)}</td><td>{escape(_shown(d.shown, lang))}</td></tr>"
        for d in rec.decisions)
    return f'<table data-testid="decision-history"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>'


def record_html(rec: CandidateRecord, lang: str) -> str:
    contacts = " · ".join(escape(c) for c in (rec.email, rec.phone) if c)
    return (f'{CARD_CSS}<div data-testid="candidate-record"><h2>{escape(rec.name or msg("cand_anonymous", lang))}</h2>'
            f"<p>{contacts}</p><p><i>{escape(msg('note_decides', lang))}</i></p>"
            + _section("ctab_documents", _documents(rec, lang), lang, "cand-documents")
            + _section("ctab_fits", _fits(rec, lang), lang, "cand-fits")
            + _section("ctab_grades", _grades(rec, lang), lang, "cand-grades")
            + _section("ctab_questions", _questions(rec, lang), lang, "cand-questions")
            + _section("ctab_decisions", _decisions(rec, lang), lang, "cand-decisions")
            + "</div>")

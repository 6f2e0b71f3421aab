"""HTML for report cards. Presentation only: every value comes from a core object."""

from __future__ import annotations

from html import escape

from core.messages import TABLES, msg, number
from core.services.export import candidate_label, error_text
from core.services.screening import ScreenRow

# the card's words, each a key of the message tables (core/messages)
_KEYS = {"score": "card_score", "rec": "card_rec", "matched": "card_matched", "missing": "card_missing",
         "exp": "card_exp", "green": "card_green", "red": "card_red", "verified": "card_verified",
         "unverified": "card_unverified", "error": "card_error", "flags": "card_flags", "redacted": "card_redacted",
         "advance": "advance", "consider": "consider", "decline": "decline", "cached": "card_cached",
         "note": "note_decides", "none": "none"}


def labels(lang: str) -> dict[str, str]:
    """The card's words in ``lang``."""
    return {name: msg(key, lang) for name, key in _KEYS.items()}


_CSS = """<style>
.hl-card{border:1px solid #d0d7de;border-radius:10px;padding:12px 16px;margin:10px 0;background:var(--background-fill-primary)}
.hl-card h3{margin:0 0 6px 0}.hl-score{font-size:1.6em;font-weight:700}
.hl-ok{color:#1a7f37}.hl-bad{color:#cf222e}.hl-q{font-style:italic;opacity:.85}
.hl-tag{display:inline-block;border-radius:8px;padding:1px 8px;margin:2px;background:#eef}
.hl-err{border-color:#cf222e}
</style>"""


def _quote(quote: str, verified: bool, lab: dict[str, str]) -> str:
    mark = f'<span class="hl-ok" title="{lab["verified"]}">✔</span>' if verified else \
        f'<span class="hl-bad" title="{lab["unverified"]}">⚠ {lab["unverified"]}</span>'
    return f'<span class="hl-q">“{escape(quote)}”</span> {mark}'


SHOWN = 6  # skills shown at once on a card; the rest open from "N more" (every one is in the report)


def _more(items: list[str], key: str, testid: str, lang: str, tag: str) -> str:
    """The items beyond the first few, behind an expander that says how many there are."""
    if not items:
        return ""
    return (f'<details data-testid="{testid}"><summary>{escape(msg(key, lang, n=len(items)))}</summary>'
            f"<{tag}>{''.join(items)}</{tag}></details>")


def model_said(verdict: str | None, lang: str) -> str:
    return f' <span class="hl-said" data-testid="model-said">({escape(msg("model_said", lang, verdict=msg(str(verdict), lang)))})</span>'


def _review_note(row: ScreenRow, lang: str) -> str:
    if not row.review_flags:
        return ""
    reasons = "; ".join(msg(f"flag_{kind}", lang) if f"flag_{kind}" in TABLES["en"] else kind for kind in row.review_flags)
    return f'<p class="hl-bad" data-testid="needs-review">⚠ {escape(msg("needs_review", lang, reasons=reasons))}</p>'


def card(row: ScreenRow, rank: int, lang: str = "en") -> str:
    lab = labels(lang)
    if not row.ok or row.report is None:
        return (f'<div class="hl-card hl-err" data-testid="report-card"><h3>{escape(candidate_label(row))}</h3>'
                f'<b class="hl-bad">{lab["error"]}:</b> {escape(error_text(row, lang))}</div>')
    r = row.report
    parts = [f'<div class="hl-card" data-testid="report-card"><h3>#{rank} {escape(candidate_label(row))}</h3>',
             f'<div>{lab["score"]}: <span class="hl-score">{r.match_score}</span>/100 · {lab["rec"]}: <b>{lab.get(r.recommendation, r.recommendation)}</b>'
             f'{model_said(r.model_recommendation, lang) if r.model_disagrees else ""}'
             f' · {escape(r.provenance.model_profile)}{" · " + lab["cached"] if row.cached else ""}</div>',
             _review_note(row, lang),
             f"<p>{escape(r.summary)}</p>"]
    if r.skills_matched:
        items = [f"<li><b>{escape(s.skill)}</b>: {_quote(s.quote, s.verified, lab)}</li>" for s in r.skills_matched]
        parts.append(f"<b>{lab['matched']}</b><ul>{''.join(items[:SHOWN])}</ul>"
                     + _more(items[SHOWN:], "card_more_skills", "more-skills", lang, "ul"))
    tags = [f'<span class="hl-tag">{escape(m)}</span>' for m in r.skills_missing]
    parts.append(f"<b>{lab['missing']}:</b> {''.join(tags[:SHOWN]) or lab['none']}"
                 + _more(tags[SHOWN:], "card_more_missing", "more-missing", lang, "div"))
    years = f"{msg('years_n', lang, n=r.experience_years)} — " if r.experience_years is not None else ""
    parts.append(f"<p><b>{lab['exp']}:</b> {years}{escape(r.experience_evaluation)}</p>")
    for key, flags in (("green", r.green_flags), ("red", r.red_flags)):
        if flags:
            listed = "".join(f"<li>{escape(f.flag)}: {_quote(f.quote, f.verified, lab)}</li>" for f in flags)
            parts.append(f"<b>{lab[key]}</b><ul>{listed}</ul>")
    if row.document and row.document.flags:
        listed = "".join(f"<li><b>{escape(msg('flag_' + f.kind, lang))}</b>: “{escape(f.snippet[:200])}”</li>"
                         for f in row.document.flags)
        parts.append(f'<b class="hl-bad">{lab["flags"]}</b><ul data-testid="doc-flags">{listed}</ul>')
    if row.redactions:
        listed = "".join(f'<span class="hl-tag">{escape(_redacted(str(x.get("kind", "")), lang))}</span>' for x in row.redactions)
        parts.append(f"<p><b>{lab['redacted']}:</b> {listed}</p>")
    parts.append(f'<small>{lab["note"]} · {escape(r.provenance.model_profile)} · {escape(r.provenance.prompt_version)}'
                 f' · {msg("seconds_short", lang, n=number(round(r.provenance.seconds, 1), lang))}</small></div>')
    return "".join(parts)


def _redacted(kind: str, lang: str) -> str:
    return msg(f"redact_{kind}", lang) if f"redact_{kind}" in TABLES["en"] else kind


def cards(rows: list[ScreenRow], lang: str = "en") -> str:
    ranked = [card(r, i, lang) for i, r in enumerate(rows, 1)]
    return _CSS + "".join(ranked)

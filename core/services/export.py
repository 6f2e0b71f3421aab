"""Exports of screening results: CSV for spreadsheets, JSON(L) for tools."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence

from core.failures import shown_failure
from core.messages import TABLES, column_names, msg
from core.services.screening import ScreenRow


def row_json(row: ScreenRow) -> dict:
    """One file's result as the CLI and the JSON export write it."""
    return {
        "path": row.path,
        "candidate": row.person,  # the person's name as the resume gives it ("" when it names nobody)
        "ok": row.ok,
        "error": row.error,
        "report": row.report.model_dump(mode="json") if row.report else None,
        "flags": [f.model_dump() for f in row.document.flags] if row.document else [],
        "redactions": row.redactions,
    }


def row_view(row: ScreenRow) -> dict:
    """One file's result for people (the workbench and its JSON download): the file's name, not a local path."""
    data = row_json(row)
    data.pop("path")
    return {"file": row.filename, **data}


def rows_to_jsonl(rows: Sequence[ScreenRow]) -> str:
    return "".join(json.dumps(row_json(r), ensure_ascii=False) + "\n" for r in rows)


# the score first; every flag a recruiter should see (the report's red/green flags, counted and listed, and
# the document's hidden or suspicious text) is a column
CSV_COLUMNS = ["rank", "match_score", "recommendation", "candidate", "file", "skills_matched", "skills_missing",
               "experience_years", "red_flag_count", "green_flag_count", "document_flags", "red_flags", "green_flags",
               "unverified_quotes", "model_profile", "summary", "error"]


def candidate_label(row: ScreenRow) -> str:
    """Who a row is about, for people: "Alfred Pennyworth · resume.pdf", or the file name when it names nobody."""
    name = row.person
    return f"{name} · {row.filename}" if name else row.filename


def summary_rows(rows: Sequence[ScreenRow]) -> list[dict[str, object]]:
    """The ranked table, one flat dict per file (CSV export and the workbench table): ``candidate`` is the person's
    name as the resume gives it (the file name when it gives none), ``file`` the file's name."""
    out: list[dict[str, object]] = []
    for rank, r in enumerate(rows, 1):
        rep = r.report
        out.append({
            "rank": rank if r.ok else "",
            "candidate": r.person or r.filename,
            "file": r.filename,
            "match_score": rep.match_score if rep else "",
            "recommendation": rep.recommendation if rep else "",
            "skills_matched": "; ".join(s.skill for s in rep.skills_matched) if rep else "",
            "skills_missing": "; ".join(rep.skills_missing) if rep else "",
            "experience_years": rep.experience_years if rep and rep.experience_years is not None else "",
            "red_flag_count": len(rep.red_flags) if rep else "",
            "green_flag_count": len(rep.green_flags) if rep else "",
            "document_flags": "; ".join(f"{f.kind}: {f.snippet[:120]}" for f in r.document.flags) if r.document else "",
            "model_profile": rep.provenance.model_profile if rep else "",
            "red_flags": "; ".join(f.flag for f in rep.red_flags) if rep else "",
            "green_flags": "; ".join(f.flag for f in rep.green_flags) if rep else "",
            "unverified_quotes": rep.unverified_quotes if rep else "",
            "summary": rep.summary if rep else "",
            "error": r.error or "",
        })
    return out


# What starts a formula, and where a spreadsheet may start a new cell: a CSV opened with another separator
# (`;` in ru-RU and de-DE, a tab, `|`) or cut at a line break splits one of our cells into several.
_FORMULA_START = "=+-@\t\r"
_SPLIT = ",;|\t\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# a formula start at the cell's start, or after a separator and any blanks or quotes (`; ="=cmd"` is a cell too)
_RISKY = re.compile(rf"(?:^|(?<=[{_SPLIT}]))((?:[^\S{_SPLIT}]|\")*)(?=[{re.escape(_FORMULA_START)}])")


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run (formula injection): in text, an apostrophe goes before every
    formula start (= + - @, a tab, a carriage return) found at the start or after a character a spreadsheet may
    split cells on (`,` `;` `|` a tab or a line break, then any blanks or quotes). Numbers stay numbers."""
    if not isinstance(value, str):
        return value
    return _RISKY.sub(lambda m: m.group(1) + "'", value)


def csv_text(columns: Sequence[str], rows: Sequence[dict[str, object]]) -> str:
    """Rows as CSV text with a header; every CSV export goes through here so every cell is ``safe_cell``."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def rows_to_csv(rows: Sequence[ScreenRow]) -> str:
    return csv_text(CSV_COLUMNS, summary_rows(rows))


# The workbench's ranked table: rank, score and verdict first (the table pins them), long text after.
# the key columns first, so they are in view on a 1280-px screen: a file that could not be read shows its error there
TABLE_COLUMNS = ["rank", "match_score", "recommendation", "candidate", "error", "skills_matched", "skills_missing",
                 "red_flag_count", "green_flag_count", "document_flags", "unverified_quotes", "model_profile"]


def error_text(row: ScreenRow, lang: str) -> str:
    """Why a file has no report, in ``lang`` (a file that could not be read: the tables' words for its code; any
    other stored failure: the tables' words for it, core.failures)."""
    key = f"doc_err_{row.error_code}"
    if row.error_code and lang != "en" and key in TABLES["en"]:
        return msg(key, lang)
    return shown_failure(row.error, lang)


def summary_table(rows: Sequence[ScreenRow], lang: str) -> tuple[list[str], list[list[object]]]:
    """The ranked table for people: human column names, verdicts and document flags in ``lang``."""
    data = []
    for row, flat in zip(rows, summary_rows(rows)):
        if flat["recommendation"]:
            flat["recommendation"] = msg(str(flat["recommendation"]), lang)
        if row.document and row.document.flags:
            flat["document_flags"] = "; ".join(dict.fromkeys(msg(f"flag_{f.kind}", lang) for f in row.document.flags))
        flat["error"] = error_text(row, lang)
        flat["candidate"] = candidate_label(row)
        data.append([flat[c] for c in TABLE_COLUMNS])
    return column_names(TABLE_COLUMNS, lang), data

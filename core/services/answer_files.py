"""Batch answer files (CSV, TSV, JSONL/JSON, XLSX) -> AnswerInput rows plus the rows that could not be read.

Columns are matched by name, case-insensitively, in English or Russian: ``candidate``, ``question``,
``answer``, optional ``reference``, optional ``human_score`` (or ``score``; a number 0–5, or a grade in
the ``<reasoning>…</reasoning><score>N</score>`` format), optional ``explanation``. A bad row is
reported with its row number and never stops the rest.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core.documents.parse import _decode_text  # the one place bytes become text (BOMs, UTF-16, cp1251)
from core.messages import Count, LocalizedError, msg
from core.schemas.grade import TagFormatError, parse_tag_format
from core.services.grading import AnswerInput

MAX_ROWS = 5000
MAX_BYTES = 20 * 1024 * 1024

# canonical field -> accepted column names (compared after lower-casing and trimming)
COLUMNS: dict[str, tuple[str, ...]] = {
    "candidate": ("candidate", "candidate_name", "name", "user", "username", "кандидат", "имя", "фио"),
    "question": ("question", "вопрос"),
    "answer": ("answer", "candidate_answer", "response", "ответ", "ответ кандидата"),
    "reference": ("reference", "reference_answer", "expected_answer", "эталон", "эталонный ответ", "правильный ответ"),
    "human_score": ("human_score", "score", "grade", "оценка", "балл"),
    "human_reasoning": ("explanation", "human_reasoning", "comment", "пояснение", "комментарий"),
}


class AnswerFileError(LocalizedError):
    """The whole file cannot be read; the message says what is wrong and how to fix it."""


class RowProblem(LocalizedError):
    """One row cannot be used; its words live in the message tables (``err_row_*``)."""


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based row number as a person sees it in the file (header = row 1 for tables)
    message: str  # English
    key: str | None = None  # message key of the words, for other languages
    kw: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = "en") -> str:
        """``row N: problem`` in ``lang``."""
        problem = msg(self.key, lang, **dict(self.kw)) if self.key else self.message
        return msg("err_row", lang, row=self.row, problem=problem)

    def __str__(self) -> str:
        return self.text("en")


def _row_error(row: int, exc: Exception) -> RowError:
    if isinstance(exc, LocalizedError) and exc.key:
        return RowError(row, str(exc), exc.key, tuple(exc.kw.items()))
    if isinstance(exc, ValidationError):
        return RowError(row, _explain(exc), "err_row_invalid", (("problem", _explain(exc)),))
    return RowError(row, str(exc))


def _map_columns(header: list[str], filename: str) -> dict[str, str]:
    lowered = {str(h).strip().lower(): str(h) for h in header if h is not None and str(h).strip()}
    mapping = {}
    for field, names in COLUMNS.items():
        for name in names:
            if name in lowered:
                mapping[field] = lowered[name]
                break
    missing = [f for f in ("question", "answer") if f not in mapping]
    if missing:
        found = ", ".join(lowered.values())
        if not found:
            raise AnswerFileError(key="err_answers_no_header", name=filename)
        if len(missing) == 2:
            raise AnswerFileError(key="err_answers_no_cols", name=filename, found=found)
        raise AnswerFileError(key="err_answers_no_col", name=filename, col=missing[0], found=found)
    return mapping


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _score(value: Any) -> tuple[float | None, str | None]:
    """(score, reasoning) from a number, a decimal-comma string, or the tag format."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), None
    text = str(value).strip()
    if "<score>" in text or "<reasoning>" in text:
        reasoning, score = parse_tag_format(text)
        return score, reasoning
    try:
        return float(text.replace(",", ".")), None
    except ValueError:
        raise RowProblem(key="err_row_score_nan", value=repr(text[:40])) from None


def _to_input(raw: dict[str, Any], mapping: dict[str, str]) -> AnswerInput:
    values = {field: raw.get(column) for field, column in mapping.items()}
    try:
        score, tag_reasoning = _score(values.get("human_score"))
    except TagFormatError as exc:
        raise RowProblem(key="err_row_score_tag", problem=str(exc)) from None
    if score is not None and not 0 <= score <= 5:
        raise RowProblem(key="err_row_score_range", value=f"{score:g}")
    question = _text(values.get("question"))
    if not question:
        raise RowProblem(key="err_row_no_question")
    return AnswerInput(
        candidate=_text(values.get("candidate")),
        question=question,
        answer=_text(values.get("answer")),
        reference=_text(values.get("reference")) or None,
        human_score=score,
        human_reasoning=_text(values.get("human_reasoning")) or tag_reasoning,
    )


def _explain(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in exc.errors()[:3])
    return str(exc)


def _table_rows(data: bytes, suffix: str) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    text = _decode_text(data)
    if suffix == ".tsv":
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    yield 1, {"__header__": header}
    for line, values in enumerate(reader, start=2):  # spreadsheet row numbers: a quoted cell may span lines
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield line, RowProblem(key="err_row_cells", cells=Count("cells_n", len(values)), header=len(header))
            continue
        yield line, dict(zip(header, values))


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise AnswerFileError(key="err_xlsx_open", reason=type(exc).__name__) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    yield 1, {"__header__": header}
    for n, values in enumerate(rows, start=2):
        if not any(_text(v) for v in values):
            continue
        yield n, {h: v for h, v in zip(header, values) if h}
    book.close()


def _json_rows(data: bytes) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    text = _decode_text(data).strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AnswerFileError(key="err_json_array", reason=exc.msg, line=exc.lineno) from exc
        lines: list[tuple[int, Any]] = list(enumerate(items, start=1))
    else:
        lines = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                lines.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                lines.append((n, RowProblem(key="err_row_json", reason=exc.msg, pos=exc.pos)))
    keys: list[str] = []
    for _, obj in lines:
        if isinstance(obj, dict):
            keys.extend(k for k in obj if k not in keys)
    yield 0, {"__header__": keys}
    for n, obj in lines:
        if isinstance(obj, Exception):
            yield n, obj
        elif not isinstance(obj, dict):
            yield n, RowProblem(key="err_row_not_object")
        else:
            yield n, obj


def read_answer_bytes(data: bytes, filename: str) -> tuple[list[AnswerInput], list[RowError]]:
    """Read an uploaded answer file. Raises AnswerFileError when the whole file is unusable."""
    name = Path(filename).name or "upload"
    if not data.strip():
        raise AnswerFileError(key="err_answers_empty", name=name)
    if len(data) > MAX_BYTES:
        raise AnswerFileError(key="err_answers_big", name=name, size=f"{len(data) / 1024 / 1024:.1f}",
                              limit=MAX_BYTES // (1024 * 1024))
    suffix = Path(name).suffix.lower()
    if data[:2] == b"PK":
        rows = _xlsx_rows(data)
    elif suffix in (".jsonl", ".json", ".ndjson") or data.lstrip()[:1] in (b"{", b"["):
        rows = _json_rows(data)
    elif suffix in (".csv", ".tsv", ".txt", ""):
        rows = _table_rows(data, suffix)
    else:
        raise AnswerFileError(key="err_answers_type", name=name, suffix=repr(suffix))
    _, first = next(rows)
    assert isinstance(first, dict)
    mapping = _map_columns(list(first["__header__"]), name)
    items: list[AnswerInput] = []
    errors: list[RowError] = []
    for n, raw in rows:
        if len(items) + len(errors) >= MAX_ROWS:
            errors.append(_row_error(n, RowProblem(key="err_row_too_many", limit=Count("answers_gen_n", MAX_ROWS))))
            break
        if isinstance(raw, Exception):
            errors.append(_row_error(n, raw))
            continue
        try:
            items.append(_to_input(raw, mapping))
        except (ValueError, ValidationError) as exc:
            errors.append(_row_error(n, exc))
    return items, errors


def read_answer_file(path: str | Path) -> tuple[list[AnswerInput], list[RowError]]:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise AnswerFileError(key="err_answers_open", name=p.name, reason=exc.strerror) from exc
    return read_answer_bytes(data, p.name)

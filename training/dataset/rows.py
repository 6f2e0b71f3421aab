"""Reading a grading dataset (CSV, JSONL, XLSX) into validated examples, one problem per bad row."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REQUIRED = ("question", "answer", "score")
OPTIONAL = ("reference", "explanation")
CRITERIA_COLUMNS = ("technical_correctness", "depth_of_analysis", "accuracy_of_analysis")
ALIASES = {"human_score": "score", "label": "score", "reference_answer": "reference", "rationale": "explanation",
           "reasoning": "explanation"}
MAX_CHARS = {"question": 3000, "answer": 8000, "reference": 6000, "explanation": 500}


class DatasetError(ValueError):
    """The whole file cannot be used; the message says what is wrong and how to fix it."""


@dataclass
class GradeExample:
    """One training example: an answer to a question and its grade on the 1–5 scale."""

    question: str
    answer: str
    score: float
    reference: str | None = None
    explanation: str | None = None
    criteria: dict[str, int] | None = None  # per-criterion 1–5 scores when the file has them
    source: str = "file"  # file | negative:<kind>
    row: int = 0  # 1-based row in the source file (0 for generated rows)
    language: str = ""
    split: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "GradeExample":
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class Table:
    examples: list[GradeExample]
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0
    columns: list[str] = field(default_factory=list)


def language_of(text: str) -> str:
    """'ru' for Cyrillic text, 'en' for Latin script, 'other' otherwise (by script, fast and deterministic)."""
    cyr = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    lat = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if cyr == 0 and lat == 0:
        return "other"
    return "ru" if cyr >= lat * 0.5 else "en"


def _records(data: bytes, name: str) -> list[dict[str, Any]]:
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        text = _decode(data, name)
        if suffix == ".json":
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{name} is not valid JSON ({exc.msg} at line {exc.lineno}); "
                                   "use JSON Lines: one object per line") from exc
            if not isinstance(parsed, list):
                raise DatasetError(f"{name} must hold a list of objects, or use JSON Lines (one object per line)")
            return [r if isinstance(r, dict) else {"__bad__": r} for r in parsed]
        out: list[dict[str, Any]] = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                out.append({"__blank__": True})
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                obj = {"__bad__": f"not valid JSON ({exc.msg})"}
            out.append(obj if isinstance(obj, dict) else {"__bad__": "not a JSON object"})
        return out
    if suffix in (".csv", ".tsv", ".txt"):
        text = _decode(data, name)
        dialect = "excel-tab" if suffix == ".tsv" else "excel"
        return list(csv.DictReader(io.StringIO(text), dialect=dialect))
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several types for a broken file
            raise DatasetError(f"{name} could not be opened as an Excel workbook ({exc}); save it again as .xlsx") from exc
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        if not rows:
            return []
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        return [{h: v for h, v in zip(header, r) if h} for r in rows[1:]]
    raise DatasetError(f"{name}: unsupported file type {suffix or '(none)'}; use .csv, .jsonl or .xlsx")


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{name} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel)") from exc


def _norm_key(key: str) -> str:
    k = str(key).strip().lower().replace(" ", "_")
    return ALIASES.get(k, k)


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def read_table(data: bytes, name: str, score_min: float = 1.0, score_max: float = 5.0) -> Table:
    """Parse a dataset file. Scores on [score_min, score_max] are mapped to 1–5. Bad rows become problems."""
    records = _records(data, name)
    columns = sorted({_norm_key(k) for r in records for k in r if not str(k).startswith("__")})
    present = [r for r in records if "__blank__" not in r]
    if present and not any("__bad__" not in r for r in present):
        raise DatasetError(f"{name}: no row could be read; each line must be a JSON object with "
                           f"{', '.join(REQUIRED)}")
    missing = [c for c in REQUIRED if c not in columns]
    if present and missing:
        raise DatasetError(
            f"{name} has no {', '.join(repr(m) for m in missing)} column; found: {', '.join(columns) or 'none'}. "
            f"Expected columns: {', '.join(REQUIRED)}, optional {', '.join(OPTIONAL)}"
        )
    table = Table(examples=[], columns=columns)
    for n, raw in enumerate(records, 1):
        row_no = n if name.lower().endswith((".jsonl", ".ndjson", ".json")) else n + 1  # +1: header line
        if "__blank__" in raw:
            continue
        table.rows_read += 1
        if "__bad__" in raw:
            table.problems.append(RowProblem(row_no, str(raw["__bad__"])))
            continue
        rec = {_norm_key(k): v for k, v in raw.items()}
        ex, problem = _example(rec, row_no, score_min, score_max)
        if problem:
            table.problems.append(RowProblem(row_no, problem))
        elif ex is not None:
            table.examples.append(ex)
    return table


def _example(rec: dict[str, Any], row: int, lo: float, hi: float) -> tuple[GradeExample | None, str | None]:
    question, answer = _text(rec.get("question")), _text(rec.get("answer"))
    if not question:
        return None, "the question is empty"
    answer = answer or ""  # an empty answer is a valid example (it earns the lowest grade)
    raw_score = rec.get("score")
    try:
        score = float(str(raw_score).replace(",", ".")) if _text(raw_score) is not None else math.nan
    except ValueError:
        return None, f"score {raw_score!r} is not a number"
    if math.isnan(score):
        return None, "the score is missing"
    if not lo <= score <= hi:
        return None, f"score {score:g} is outside the scale {lo:g}–{hi:g} (set score_min/score_max for other scales)"
    reference, explanation = _text(rec.get("reference")), _text(rec.get("explanation"))
    for key, value in (("question", question), ("answer", answer), ("reference", reference),
                       ("explanation", explanation)):
        if value and len(value) > MAX_CHARS[key]:
            return None, f"the {key} is {len(value)} characters long; the limit is {MAX_CHARS[key]}"
    criteria = None
    if any(_text(rec.get(c)) is not None for c in CRITERIA_COLUMNS):
        try:
            criteria = {c: int(float(str(rec.get(c)))) for c in CRITERIA_COLUMNS}
        except ValueError:
            return None, f"per-criterion scores must all be numbers 1–5 ({', '.join(CRITERIA_COLUMNS)})"
        if not all(1 <= v <= 5 for v in criteria.values()):
            return None, f"per-criterion scores must be 1–5, got {criteria}"
    scaled = 1.0 + 4.0 * (score - lo) / (hi - lo)
    return GradeExample(question=question, answer=answer, score=round(scaled, 3), reference=reference,
                        explanation=explanation, criteria=criteria, row=row,
                        language=language_of(f"{question} {answer}")), None


def read_path(path: Path | str, score_min: float = 1.0, score_max: float = 5.0) -> Table:
    p = Path(path)
    if not p.is_file():
        raise DatasetError(f"dataset file {p} not found")
    return read_table(p.read_bytes(), p.name, score_min, score_max)

"""Reading a grading dataset (CSV, JSONL, XLSX) into validated examples, one problem per bad row."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.messages import LocalizedError, msg


class DatasetError(LocalizedError):
    """The whole file cannot be used; the message says what is wrong and how to fix it."""


@dataclass
class GradeExample:
    """One training example: an answer to a question and its grade on the 1–5 scale."""

    question: str
    answer: str
    score: float
    reference: str | None = None
    explanation: str | None = None
    source: str = "file"  # file | negative:<kind>
    row: int = 0  # 1-based position among the answers read from the file (0 for generated rows)
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
    where: str  # "row 7" (as the file reader counts) or 'answer 3 ("What is…")' (the 3rd answer read)
    message: str  # English
    # the same words as message keys, for other languages: where_kw {"row": 7} or {"n": 3, "question": "'What…'"}
    where_kw: dict[str, Any] = field(default_factory=dict)
    key: str | None = None
    kw: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def text(self, lang: str = "en") -> str:
        """``where: message`` in ``lang`` (as written when its words are not in the message tables)."""
        from core.messages import msg, norm_lang

        if norm_lang(lang) == "en" or not self.key or not self.where_kw:
            return str(self)
        where = msg("ds_where_row" if "row" in self.where_kw else "ds_where_answer", lang, **self.where_kw)
        return f"{where}: {msg(self.key, lang, **self.kw)}"


@dataclass
class Table:
    examples: list[GradeExample]
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0


def language_of(text: str) -> str:
    """'ru' for Cyrillic text, 'en' for Latin script, 'other' otherwise (by script, fast and deterministic)."""
    cyr = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    lat = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if cyr == 0 and lat == 0:
        return "other"
    return "ru" if cyr >= lat * 0.5 else "en"


def read_table(data: bytes, name: str, score_min: float = 1.0, score_max: float = 5.0) -> Table:
    """Parse a dataset file with the grading service's answer-file reader (CSV, TSV, JSONL, XLSX; English or
    Russian column names). Scores on [score_min, score_max] (within 0–5) are mapped to 1–5; bad rows become
    problems with their row numbers."""
    from core.services.answer_files import AnswerFileError, read_answer_bytes

    try:
        items, errors = read_answer_bytes(data, name)
    except AnswerFileError as exc:
        raise DatasetError.from_error(exc) from exc
    table = Table(examples=[], problems=[RowProblem(f"row {e.row}", e.message, {"row": e.row}, e.key, dict(e.kw))
                                         for e in errors],
                  rows_read=len(items) + len(errors))
    for n, item in enumerate(items, 1):
        where = f"answer {n} ({excerpt(item.question)})"
        where_kw = {"n": n, "question": excerpt(item.question)}
        score = item.human_score
        if score is None:
            table.problems.append(RowProblem(where, "the score is missing; every training row needs one", where_kw,
                                             "ds_no_score"))
            continue
        if not score_min <= score <= score_max:
            kw = {"score": f"{score:g}", "low": f"{score_min:g}", "high": f"{score_max:g}"}
            table.problems.append(RowProblem(where, msg("ds_score_outside", "en", **kw), where_kw, "ds_score_outside", kw))
            continue
        scaled = 1.0 + 4.0 * (score - score_min) / (score_max - score_min)
        table.examples.append(GradeExample(
            question=item.question, answer=item.answer, score=round(scaled, 3), reference=item.reference,
            explanation=item.human_reasoning, row=n, language=language_of(f"{item.question} {item.answer}")))
    return table


def excerpt(text: str, limit: int = 40) -> str:
    one_line = " ".join(text.split())
    return repr(one_line if len(one_line) <= limit else one_line[: limit - 1] + "…")


def read_path(path: Path | str, score_min: float = 1.0, score_max: float = 5.0) -> Table:
    p = Path(path)
    if not p.is_file():
        raise DatasetError(key="ds_err_no_file", path=p)
    return read_table(p.read_bytes(), p.name, score_min, score_max)

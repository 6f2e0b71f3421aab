"""Label a dataset with a teacher model: rows without a score are graded through the grading service by
any profile (a bigger model on an OpenAI-compatible server, the 14B reference...). Rows that already have
a score are kept; a row the teacher fails on is reported and left out, never given an invented score."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from core.services.common import Progress


@dataclass
class LabelReport:
    kept: int = 0
    labelled: int = 0
    failed: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def label_file(path: Path, teacher: str, out: Path, progress: Progress | None = None) -> LabelReport:
    """Write ``out`` (JSONL: question, answer, score, reference, explanation, labelled_by) from ``path``."""
    from core.services.answer_files import AnswerFileError, read_answer_file
    from core.services.grading import GradeOptions, grade_answers
    from training.dataset.rows import DatasetError, excerpt

    try:
        items, errors = read_answer_file(path)
    except AnswerFileError as exc:
        raise DatasetError.from_error(exc) from exc
    report = LabelReport(unreadable=[str(e) for e in errors])
    todo = [it for it in items if it.human_score is None]
    graded = iter(grade_answers(todo, profile=teacher, progress=progress,  # training labels, not a hiring step
                                options=GradeOptions(keep_records=False)) if todo else [])
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for n, item in enumerate(items, 1):
            row: dict[str, object] = {"question": item.question, "answer": item.answer, "reference": item.reference}
            if item.human_score is not None:
                row.update(score=item.human_score, explanation=item.human_reasoning, labelled_by="human")
                report.kept += 1
            else:
                outcome = next(graded)
                if not outcome.ok or outcome.grade is None:
                    report.failed.append(f"answer {n} ({excerpt(item.question)}): {outcome.error}")
                    continue
                row.update(score=outcome.grade.overall, explanation=outcome.grade.reasoning, labelled_by=teacher)
                report.labelled += 1
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return report

"""Exports of grading results: JSON lines for tools (the CLI's output), CSV for spreadsheets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from core.services.grading import GradeOutcome

CSV_COLUMNS = [  # the scores first, then who and what, then the reasons
    "overall", "verdict", "technical_correctness", "depth_of_analysis", "accuracy_of_analysis", "candidate",
    "question", "human_score", "reasoning", "technical_correctness_explanation", "depth_of_analysis_explanation",
    "accuracy_of_analysis_explanation", "reference_source", "reference_used", "model_profile", "tag_format", "error",
]


def outcome_json(o: GradeOutcome) -> dict[str, Any]:
    """One answer's result: ``ok``, ``error``, ``grade`` (an AnswerGrade or null), and the grade in tag format."""
    return {
        "ok": o.ok,
        "error": o.error,
        "grade": o.grade.model_dump(mode="json") if o.grade else None,
        "tag_format": o.grade.to_tag_format() if o.grade else None,
        "candidate": o.item.candidate,
        "question": o.item.question,
        "cached": o.cached,
    }


def outcomes_to_jsonl(outcomes: Sequence[GradeOutcome]) -> str:
    return "".join(json.dumps(outcome_json(o), ensure_ascii=False) + "\n" for o in outcomes)


def outcome_row(o: GradeOutcome) -> dict[str, Any]:
    g = o.grade
    row: dict[str, Any] = {c: "" for c in CSV_COLUMNS}
    row.update(candidate=o.item.candidate, question=o.item.question, error=o.error or "",
               human_score="" if o.item.human_score is None else o.item.human_score)
    if g is not None:
        row.update(
            overall=g.overall, verdict=g.verdict, reasoning=g.reasoning, reference_source=g.reference_source or "",
            reference_used=g.reference_used or "",
            model_profile=g.provenance.model_profile, tag_format=g.to_tag_format(),
            technical_correctness=g.technical_correctness.score, depth_of_analysis=g.depth_of_analysis.score,
            accuracy_of_analysis=g.accuracy_of_analysis.score,
            technical_correctness_explanation=g.technical_correctness.explanation,
            depth_of_analysis_explanation=g.depth_of_analysis.explanation,
            accuracy_of_analysis_explanation=g.accuracy_of_analysis.explanation,
        )
    return row


def outcomes_to_csv(outcomes: Sequence[GradeOutcome]) -> str:
    from core.services.export import csv_text

    return csv_text(CSV_COLUMNS, [outcome_row(o) for o in outcomes])


def reference_label(source: str | None, lang: str) -> str:
    """Where a grade's reference answer came from, for people: "given with the answer" ("input"), or the question
    bank's question ("bank:<id>"); the stored code stays in exports."""
    from core.messages import msg

    if source == "input":
        return msg("grade_ref_input", lang)
    if source and source.startswith("bank:"):
        return msg("grade_ref_bank", lang, id=source.removeprefix("bank:"))
    return source or ""

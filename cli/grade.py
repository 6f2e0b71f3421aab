"""`hirelab grade --input FILE [--model PROFILE] [--out OUT.jsonl]`: grade candidates' answers.

One JSON line per answer (``ok``, ``error``, ``grade``), unreadable rows included with their row
number; a per-candidate summary goes to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cli.app import app
from cli.errors import refuses


@app.command()
@refuses
def grade(
    input: Path | None = typer.Option(None, "--input", "-i", help="CSV, JSONL or XLSX with question, answer (+ candidate, reference, human_score)"),
    question: str | None = typer.Option(None, "--question", help="Grade one answer: the question"),
    answer: str | None = typer.Option(None, "--answer", help="Grade one answer: the candidate's answer"),
    reference: str | None = typer.Option(None, "--reference", help="Grade one answer: a reference answer (optional)"),
    model: str | None = typer.Option(None, "--model", help="Model profile, or profiles joined by '+' (e.g. offline+rules)"),
    out: Path | None = typer.Option(None, "--out", help="Write the JSON lines here instead of stdout"),
    max_new_tokens: int = typer.Option(640, "--max-new-tokens", help="Token budget of an LLM grader per answer"),
    output_format: str = typer.Option(
        "json", "--format",
        help="json (the product's grade) or tags (an adapter trained on <reasoning>…</reasoning><score>N</score>)"),
    candidate: str = typer.Option("", "--candidate", help="Grade one answer: the stored candidate it is for (reference, see `hirelab candidates`)"),
) -> None:
    """Grade answers per criterion (technical correctness, depth, accuracy) with plain-language reasons."""
    from rich.console import Console
    from rich.progress import Progress

    from cli.screen import warn_if_weak
    from core.services.answer_files import RowError, read_answer_file
    from core.services.candidates import candidate_views
    from core.services.grade_export import outcome_json
    from core.services.grading import AnswerInput, GradeOptions, grade_answers

    console = Console(stderr=True, soft_wrap=True)
    warn_if_weak(console, model)
    if output_format not in ("json", "tags"):
        console.print(f"[red]--format must be json or tags, not {output_format!r}.[/red]")
        raise typer.Exit(2)
    row_errors: list[RowError] = []
    if input is not None:
        items, row_errors = read_answer_file(input)
    elif question and answer is not None:
        items = [AnswerInput(question=question, answer=answer, reference=reference or None, candidate_ref=candidate.strip())]
    else:
        console.print("[red]Nothing to grade: pass --input FILE, or --question and --answer.[/red]")
        raise typer.Exit(2)
    for err in row_errors:
        console.print(f"[yellow]{input}: {err} (skipped)[/yellow]")
    outcomes = []
    if items:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("grading", total=1.0)
            outcomes = grade_answers(items, model, lambda f, m: bar.update(task, completed=f, description=m),
                                     options=GradeOptions(max_new_tokens=max_new_tokens, output_format=output_format))  # type: ignore[arg-type]
    lines = [json.dumps(outcome_json(o), ensure_ascii=False) for o in outcomes]
    lines += [json.dumps({"ok": False, "error": str(e), "grade": None, "row": e.row}, ensure_ascii=False) for e in row_errors]
    text = "".join(line + "\n" for line in lines)
    if out:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {len(lines)} lines to {out}")
    else:
        typer.echo(text, nl=False)
    for view in candidate_views(outcomes):
        console.print(view.summary)
    failed = sum(not o.ok for o in outcomes)
    for o in outcomes:
        if not o.ok:
            console.print(f"[red]not graded: {o.item.question[:60]!r}: {o.error}[/red]")
    if not outcomes or failed == len(outcomes):
        raise typer.Exit(1)

"""`hirelab questions RESUME [--job JOB.txt]`: interview questions tied to the resume and the job."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.app import app
from cli.errors import refuses


@app.command()
@refuses
def questions(
    resume: Path = typer.Argument(..., help="The resume: PDF, DOCX or text"),
    job: Path | None = typer.Option(None, "--job", help="Job description, a text file (questions then cover its gaps)"),
    model: str | None = typer.Option(None, "--model", help="Model profile (see `hirelab models`); 'rules' uses the question bank"),
    language: str | None = typer.Option(None, "--lang", help="en or ru (default: the job's language, else the resume's)"),
    as_json: bool = typer.Option(False, "--json", help="Print the question set as JSON"),
    out: Path | None = typer.Option(None, "--out", help="Write the question set as JSON here"),
) -> None:
    """Five interview questions (framework, database, system design, behavioural, open-ended), each with what a strong answer contains."""
    from rich.console import Console

    from core.documents import parse_path
    from core.services.questions import QuestionsOptions, interview_questions

    console = Console(stderr=True, soft_wrap=True)
    doc = parse_path(resume)
    if job is not None and not job.is_file():
        console.print(f"[red]Job description not found: {job}. Pass a text file with --job.[/red]")
        raise typer.Exit(2)
    if language not in (None, "en", "ru"):
        console.print(f"[red]--lang must be en or ru, not {language!r}.[/red]")
        raise typer.Exit(2)
    job_text = job.read_text(encoding="utf-8", errors="replace") if job else ""
    with console.status("preparing questions"):
        outcome = interview_questions(doc, job_text, model, options=QuestionsOptions(language=language))
    if not outcome.ok or outcome.questions is None:
        console.print(f"[red]{outcome.error}[/red]")
        raise typer.Exit(1)
    qs = outcome.questions
    payload = qs.model_dump_json(indent=2)
    if out:
        out.write_text(payload + "\n", encoding="utf-8")
        console.print(f"wrote {len(qs.questions)} questions to {out}")
    if as_json:
        typer.echo(payload)
        return
    for n, q in enumerate(qs.questions, 1):
        source = "resume" if q.basis == "resume" else "job (gap in the resume)"
        mark = "" if q.verified else "  [quote NOT found — check it]"
        typer.echo(f"{n}. [{q.kind}] {q.question}\n   tied to the {source}: \"{q.quote}\"{mark}\n   strong answer: {q.strong_answer}\n")
    if qs.document_flags:
        console.print(f"[yellow]The resume contains hidden or instruction-like text ({', '.join(qs.document_flags)}); "
                      "the questions use only its visible text. Open the file before the interview.[/yellow]")
    if qs.unverified_quotes:
        console.print(f"[yellow]{qs.unverified_quotes} quote(s) not found in the source text; check them before the interview, "
                      "or use --model rules for questions from the team's question bank.[/yellow]")

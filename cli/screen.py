"""`hirelab screen --job JOB.txt FILE...`: ranked fit reports, one JSON line per file."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.app import app
from cli.errors import refuses


def warn_if_weak(console: object, model: str | None) -> None:
    """The weak-profile warning (core.quality) on stderr before a run, when the chosen profile is weak."""
    from core.quality import quality_notice

    notice = quality_notice(model)
    if notice:
        console.print(f"[red]{notice}[/red]")  # type: ignore[attr-defined]


@app.command()
@refuses
def screen(
    files: list[Path] = typer.Argument(..., help="Resumes: PDF, DOCX or text"),
    job: Path = typer.Option(..., "--job", help="Job description, a text file"),
    model: str | None = typer.Option(None, "--model", help="Model profile (see `hirelab models`)"),
    out: Path | None = typer.Option(None, "--out", help="Write one JSON line per file here"),
    blind: bool = typer.Option(False, "--blind", help="Redact personal details before the model sees the resume"),
    candidate: str = typer.Option("", "--candidate", help="The stored candidate these resumes belong to (reference, see `hirelab candidates`)"),
) -> None:
    """Screen resumes against a job: ranked table on screen, JSON lines to --out."""
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from core.services.export import rows_to_jsonl
    from core.services.screening import ScreenInput, ScreenOptions
    from core.services.screening import screen as run_screen

    console = Console(stderr=True)
    if not job.is_file():
        console.print(f"[red]Job description not found: {job}. Pass a text file with --job.[/red]")
        raise typer.Exit(2)
    inputs = [ScreenInput.from_path(p) for p in files]
    warn_if_weak(console, model)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("screening", total=1.0)
        rows = run_screen(job.read_text(encoding="utf-8", errors="replace"), inputs,
                          ScreenOptions(profile=model, blind=blind, candidate=candidate.strip()),
                          lambda frac, msg: bar.update(task, completed=frac, description=msg))
    made_by = next((r.report.provenance.model_profile for r in rows if r.report), model or "")
    table = Table(title=f"Ranked candidates by profile {made_by} (the tool recommends; a person decides)")
    for col in ("#", "file", "score", "recommendation", "matched", "missing", "unverified", "error"):
        table.add_column(col)
    for i, r in enumerate(rows, 1):
        rep = r.report
        table.add_row(str(i) if r.ok else "-", r.filename, str(rep.match_score) if rep else "-",
                      rep.recommendation if rep else "-", str(len(rep.skills_matched)) if rep else "-",
                      str(len(rep.skills_missing)) if rep else "-", str(rep.unverified_quotes) if rep else "-",
                      r.error or "")
    Console().print(table)
    if out:
        out.write_text(rows_to_jsonl(rows), encoding="utf-8")
        console.print(f"wrote {len(rows)} lines to {out}")

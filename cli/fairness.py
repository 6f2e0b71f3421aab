"""`hirelab fairness --job JOB.txt --model PROFILE [RESUME...]`: do scores move when only the name and
gender markers change? Per-group table, mean |Δscore|, the largest change, impact ratios; --json for all."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cli.app import app
from cli.errors import refuses


@app.command()
@refuses
def fairness(
    resumes: list[Path] = typer.Argument(None, help="Resumes: PDF, DOCX or text (default: the sample resumes)"),
    job: Path = typer.Option(..., "--job", help="Job description, a text file"),
    model: str | None = typer.Option(None, "--model", help="Model profile (see `hirelab models`)"),
    names_per_group: int = typer.Option(2, "--names-per-group", help="Names of each group per resume"),
    as_json: bool = typer.Option(False, "--json", help="Print the whole report as JSON instead of tables"),
) -> None:
    """Screen counterfactual copies of each resume (only name and gender markers differ) and report the figures."""
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from cli.screen import warn_if_weak
    from core.fairness import ProbeConfig, run_probe, sample_resumes
    from core.fairness.views import GROUP_FIELDS, RESUME_FIELDS, columns, group_rows, resume_rows, verdict
    from core.services.screening import ScreenInput

    console = Console(stderr=True)
    if not job.is_file():
        console.print(f"[red]Job description not found: {job}. Pass a text file with --job.[/red]")
        raise typer.Exit(2)
    paths = list(resumes or []) or sample_resumes()
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        console.print(f"[red]Resume not found: {', '.join(missing)}. Pass existing PDF, DOCX or text files.[/red]")
        raise typer.Exit(2)
    warn_if_weak(console, model)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("fairness check", total=1.0)
        result = run_probe(job.read_text(encoding="utf-8", errors="replace"), [ScreenInput.from_path(p) for p in paths],
                           ProbeConfig(profile=model, names_per_group=names_per_group),
                           lambda frac, msg: bar.update(task, completed=frac or 0.0, description=msg))
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    out = Console()
    for title, fields, rows in (("Per resume and group", RESUME_FIELDS, resume_rows(result, "en")),
                                ("Per group", GROUP_FIELDS, group_rows(result.figures, "en"))):
        table = Table(title=title)
        for col in columns(fields, "en"):
            table.add_column(col)
        for row in rows:
            table.add_row(*row)
        out.print(table)
    out.print(verdict(result, "en"))

"""Hiring records from the command line: candidates, jobs, decisions, export, deletion, the audit log, retention.

`hirelab candidates [--job ID] [--json]`, `hirelab jobs`, `hirelab decide REF advance|hold|reject --reason ... --by NAME`,
`hirelab decisions export --format csv|json --by NAME`, `hirelab delete-candidate REF --by NAME`,
`hirelab audit [--limit N] [--json]`, `hirelab retention [--days N]`,
`hirelab merge-candidates KEEP OTHER --by NAME`, `hirelab split-document REF FILE --by NAME`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import typer

from cli.app import app
from cli.errors import refuses

decisions_app = typer.Typer(help="People's decisions on candidates: export them.", no_args_is_help=True)
app.add_typer(decisions_app, name="decisions")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=lambda v: v.isoformat() if isinstance(v, datetime) else str(v))


@app.command()
@refuses
def candidates(
    job: int | None = typer.Option(None, "--job", help="Only candidates screened for this job id (see `hirelab jobs`)"),
    decision: str | None = typer.Option(None, "--decision", help="advance, hold, reject or none"),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per candidate instead of a table"),
) -> None:
    """Candidates across jobs: best fit score, the tool's recommendation, the person's decision, flags."""
    from rich.console import Console
    from rich.table import Table

    from core.services.records import CandidateFilter, list_candidates

    found = list_candidates(CandidateFilter(job_id=job, decision=decision))
    if as_json:
        for c in found:
            typer.echo(_json(asdict(c)))
        return
    table = Table(title=f"{len(found)} candidates (the tool recommends; a person decides)")
    for col in ("ref", "name", "jobs", "best score", "tool says", "decision", "red flags", "hidden text", "updated (UTC)"):
        table.add_column(col)
    for c in found:
        table.add_row(c.ref, c.name, "; ".join(c.jobs), "-" if c.best_score is None else str(c.best_score),
                      c.recommendation or "-", c.decision or "-", str(c.red_flags), "yes" if c.hidden_text else "no",
                      f"{c.updated_at:%Y-%m-%d %H:%M}")
    Console(soft_wrap=True).print(table)


@app.command()
@refuses
def jobs(as_json: bool = typer.Option(False, "--json", help="One JSON line per job")) -> None:
    """Jobs with how many candidates were screened, advanced and decided on."""
    from rich.console import Console
    from rich.table import Table

    from core.services.records import list_jobs

    found = list_jobs()
    if as_json:
        for j in found:
            typer.echo(_json(asdict(j)))
        return
    table = Table(title=f"{len(found)} jobs")
    for col in ("id", "title", "screened", "advanced", "decided", "created (UTC)"):
        table.add_column(col)
    for j in found:
        table.add_row(str(j.id), j.title, str(j.screened), str(j.advanced), str(j.decided), f"{j.created_at:%Y-%m-%d %H:%M}")
    Console(soft_wrap=True).print(table)


@app.command()
@refuses
def decide(
    ref: str = typer.Argument(..., help="The candidate's reference (see `hirelab candidates`)"),
    decision: str = typer.Argument(..., help="advance, hold or reject"),
    reason: str = typer.Option("", "--reason", help="Why, in a sentence (required)"),
    by: str = typer.Option("", "--by", help="Who decides: your name (required)"),
    job: int | None = typer.Option(None, "--job", help="The job this decision is for (default: of their latest report)"),
) -> None:
    """Record a person's decision on a candidate, with the tool's output they were shown."""
    from core.services.decisions import record_decision

    info = record_decision(ref, decision, reason, by, job_id=job)
    shown = info.shown
    seen = f"tool showed {shown.get('score')}/100, {shown.get('recommendation')} ({shown.get('profile')})" if shown else "no report shown"
    typer.echo(f"{info.candidate_ref}: {info.decision} by {info.decided_by} for '{info.job_title or '-'}'; {seen}")


@decisions_app.command("export")
@refuses
def decisions_export(
    fmt: str = typer.Option("csv", "--format", help="csv or json"),
    by: str = typer.Option("", "--by", help="Who exports: your name (required, kept in the audit log)"),
    job: int | None = typer.Option(None, "--job", help="Only this job's decisions"),
    out_dir: Path | None = typer.Option(None, "--out-dir", help="Folder for the file (default: HIRELAB_HOME/exports)"),
) -> None:
    """Write every decision to a CSV or JSON file and print its path."""
    from core.services.decisions import export_decisions

    path = export_decisions(fmt, by, job_id=job, out_dir=out_dir)  # type: ignore[arg-type]
    typer.echo(str(path))


@app.command("delete-candidate")
@refuses
def delete_candidate_cmd(
    ref: str = typer.Argument(..., help="The candidate's reference (see `hirelab candidates`)"),
    by: str = typer.Option("", "--by", help="Who deletes: your name (required, kept in the audit log)"),
) -> None:
    """Delete a candidate and everything stored about them; the audit log keeps only their ref and counts."""
    from core.services.decisions import DecisionError
    from core.services.deletion import delete_candidate

    if not by.strip():
        raise DecisionError(key="dec_no_name")
    report = delete_candidate(ref, by)
    counts = ", ".join(f"{k} {v}" for k, v in report.counts().items())
    typer.echo(f"deleted {report.ref}: {counts}")


@app.command()
@refuses
def audit(
    limit: int = typer.Option(50, "--limit", help="How many of the newest rows"),
    action: str | None = typer.Option(None, "--action", help="Only this action (screen, grade, decision, export, delete, ...)"),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per row"),
) -> None:
    """The audit log, newest first: who did what, when, with which profile and prompt, on which input hash."""
    from rich.console import Console
    from rich.table import Table

    from core.services.audit import list_audit

    rows = list_audit(limit=limit, action=action)
    if as_json:
        for r in rows:
            typer.echo(_json(asdict(r)))
        return
    table = Table(title=f"audit log: newest {len(rows)}")
    for col in ("at (UTC)", "action", "actor", "candidate", "job", "run", "profile", "prompt", "input sha256", "detail"):
        table.add_column(col)
    for r in rows:
        table.add_row(f"{r.at:%Y-%m-%d %H:%M:%S}", r.action, r.actor, r.candidate_ref, "" if r.job_id is None else str(r.job_id),
                      r.run_id, r.model_profile, r.prompt_version, r.input_hash[:12], _json(r.detail))
    Console(soft_wrap=True).print(table)


@app.command()
@refuses
def retention(
    days: int | None = typer.Option(None, "--days", help="Delete candidates not updated for this many days "
                                                         "(default: HIRELAB_RETENTION_DAYS)"),
) -> None:
    """Delete candidates older than the retention period; each deletion leaves an audit tombstone."""
    from core.config import settings
    from core.services.deletion import apply_retention

    if days is None and settings().retention_days is None:
        typer.echo("retention is off: set HIRELAB_RETENTION_DAYS or pass --days N")
        return
    typer.echo(f"deleted {apply_retention(days)} candidates")


@app.command("merge-candidates")
@refuses
def merge_candidates_cmd(
    keep: str = typer.Argument(..., help="The candidate to keep (reference, see `hirelab candidates`)"),
    other: str = typer.Argument(..., help="The candidate to merge into it; it is removed"),
    by: str = typer.Option("", "--by", help="Who merges: your name (required, kept in the audit log)"),
) -> None:
    """Merge two candidates who are one person: documents, reports, grades, decisions and interviews move to KEEP."""
    from core.services.merging import merge_candidates

    report = merge_candidates(keep, other, by)
    typer.echo(f"merged {report.other} into {report.ref}: {report.links} links, {report.decisions} decisions, "
               f"{report.interviews} interviews moved")


@app.command("split-document")
@refuses
def split_document_cmd(
    ref: str = typer.Argument(..., help="The candidate holding the document (reference, see `hirelab candidates`)"),
    document: str = typer.Argument(..., help="The document's file name (or id) to move to a new candidate"),
    by: str = typer.Option("", "--by", help="Who splits: your name (required, kept in the audit log)"),
) -> None:
    """Split a document that is another person's off into a new candidate, with the reports made from it."""
    from core.services.merging import split_document

    report = split_document(ref, document, by)
    typer.echo(f"{document} is now candidate {report.ref} (split from {report.other}: {report.links} links, "
               f"{report.decisions} decisions moved)")

"""`hirelab compare --data FILE --models base,adapter,reference --judge judge --repeats 3 --out report.html`."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.app import app
from cli.errors import refuses


def _scale(text: str) -> tuple[float, float]:
    """The one scale parser (core.compare.records, as the Compare tab); its refusal as a bad option."""
    from core.compare.records import ScaleError, parse_human_scale

    try:
        return parse_human_scale(text)
    except ScaleError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command()
@refuses
def compare(
    data: Path | None = typer.Option(None, "--data", help="Answers: CSV, JSONL or XLSX with question, answer, "
                                     "optional reference and human_score"),
    candidate: str | None = typer.Option(None, "--candidate", help="Use this candidate's stored, graded answers instead"),
    models: str = typer.Option(..., "--models", help="Model profiles to compare, comma-separated (e.g. base,adapter,reference)"),
    judge: str = typer.Option("judge", "--judge", help="Judge model profile"),
    repeats: int = typer.Option(3, "--repeats", min=1, max=20, help="Runs per model (mean, σ and every run kept)"),
    out: Path | None = typer.Option(None, "--out", help="Write the report here (.html; .json writes the JSON export)"),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the whole run as JSON here"),
    pairwise: bool = typer.Option(False, "--pairwise", help="Also judge every pair of models, in both orders"),
    temperature: float = typer.Option(0.7, "--temperature", min=0.0, max=2.0, help="Models' sampling temperature"),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Use only the first N answers"),
    human_scale: str = typer.Option("0,5", "--human-scale", help="Scale of human_score in the file, LOW,HIGH"),
    max_new_tokens: int = typer.Option(480, "--max-new-tokens", min=32, help="Token budget of each model's grade"),
    judge_max_new_tokens: int = typer.Option(320, "--judge-max-new-tokens", min=32, help="Token budget of each verdict"),
    tags: str = typer.Option("", "--tags", help="Models that answer in <reasoning>…</reasoning><score>N</score> "
                             "(adapters trained that way), comma-separated"),
    plan_only: bool = typer.Option(False, "--plan-only", help="Say what would run where and how long, then stop"),
) -> None:
    """Compare models as graders, judged by an LLM judge: statistics, charts and a report."""
    from pydantic import ValidationError
    from rich.console import Console
    from rich.progress import Progress

    from core.compare import CompareConfig, load_items, items_for_candidate, plan_comparison, run_comparison
    from core.compare.report import write_report
    from core.compare.views import gap_table, summary_table

    console = Console(stderr=True)
    if (data is None) == (candidate is None):
        console.print("Give exactly one of --data FILE or --candidate NAME.", style="red")
        raise typer.Exit(2)
    try:
        cfg = CompareConfig(models=models.split(","), judge=judge, repeats=repeats, pairwise=pairwise,
                            temperature=temperature, human_scale=_scale(human_scale), grade_max_new_tokens=max_new_tokens,
                            judge_max_new_tokens=judge_max_new_tokens, dataset=str(data or f"candidate:{candidate}"),
                            tag_models=[t.strip() for t in tags.split(",") if t.strip()])
        if data is not None:
            items, row_errors = load_items(data)
            for err in row_errors:
                console.print(f"{data.name}: {err} (skipped)", style="yellow", markup=False, soft_wrap=True)
        else:
            items = items_for_candidate(candidate or "")
        items = items[:limit] if limit else items
        plan = plan_comparison(cfg, len(items))
    except ValidationError as exc:  # the options (a LocalizedError goes to the one handler, cli.errors)
        message = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'options'}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
        console.print(message, style="red", markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    console.print(f"Plan for {len(items)} answer(s) × {repeats} repeat(s):\n{plan.describe()}", markup=False, soft_wrap=True)
    if plan_only:
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("comparing", total=1.0)
        run = run_comparison(cfg, items, lambda f, m: bar.update(task, completed=f, description=m[:80]))
    out_console = Console()
    if run.error:
        console.print(run.error, style="red", markup=False, soft_wrap=True)
    if run.stats is not None:
        out_console.print("Judge scores (mean ± σ [95% interval]):", markup=False)
        out_console.print(summary_table(run.stats, cfg.models).to_string(index=False), markup=False, soft_wrap=True)
        if run.stats.gaps:
            out_console.print("\nGaps (second model vs first, % of the first):", markup=False)
            out_console.print(gap_table(run.stats).to_string(index=False), markup=False, soft_wrap=True)
    if out is not None:
        console.print(f"wrote {write_report(run, out)}", soft_wrap=True)
    if json_out is not None:
        console.print(f"wrote {write_report(run, json_out, as_json=True)}", soft_wrap=True)
    console.print(f"run {run.run_id}: {run.status} in {run.seconds:.0f} s (stored; see the Compare models tab)")
    if run.status != "done":
        raise typer.Exit(1)

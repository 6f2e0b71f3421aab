"""`hirelab models`: every profile, its engine, where its weights are, and whether it can run here."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from cli.app import app
from cli.errors import refuses

models_app = typer.Typer(help="Model profiles: list them, check what runs here, export weights.",
                         invoke_without_command=True, no_args_is_help=False)
app.add_typer(models_app, name="models")


@models_app.callback()
@refuses
def models(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per profile"),
) -> None:
    """List model profiles: engine (auto resolved), weights, and whether each can run here and why not."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table

    from core.availability import check_profile
    from core.models import load_profiles, profile_names, user_profiles_path

    default, profiles = load_profiles()  # a broken profile file: its ProfileError goes to the one handler
    rows = [check_profile(profiles[name]) for name in profile_names()]
    if as_json:
        for row in rows:
            quality = profiles[row.profile].quality
            data = row.as_dict() | {"default": row.profile == default,
                                    "description": profiles[row.profile].description,
                                    "quality": asdict(quality) if quality else None}
            typer.echo(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=f"Model profiles (default: {default}; yours: {user_profiles_path()})")
    for col in ("profile", "engine", "weights", "runs here", "why not / what to do"):
        table.add_column(col, overflow="fold")
    for row in rows:
        mark = "[green]yes[/green]" if row.ok else "[red]no[/red]"
        quality = profiles[row.profile].quality
        weak = " [red](weak)[/red]" if quality and quality.weak else ""
        table.add_row(row.profile + (" *" if row.profile == default else "") + weak, row.engine, row.weights, mark,
                      row.reason or "")
    Console(width=160).print(table)


@models_app.command("export")
@refuses
def export(
    profile: str = typer.Argument(..., help="A transformers profile, e.g. offline"),
    target: Path = typer.Argument(..., help="Folder to write config.json, model.safetensors and the tokenizer to"),
) -> None:
    """Write a profile's weights as a plain transformers folder (e.g. to serve the bundled model with
    `transformers serve FOLDER` or `vllm serve FOLDER` and use it through an `openai` profile)."""
    from core.engines.weights import export_weights

    folder = export_weights(profile, target)
    typer.echo(f"wrote {folder}")

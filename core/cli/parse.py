"""`hirelab parse FILE... --json`: what the model will see of each file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from core.cli import app


@app.command()
def parse(
    files: list[Path] = typer.Argument(..., help="PDF, DOCX or text files"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file"),
) -> None:
    """Read files into text, language, pages and warnings (one bad file never stops the rest)."""
    from core.documents import DocumentError, parse_path

    for path in files:
        try:
            doc = parse_path(path)
            row = {"path": str(path), "ok": True, "error": None, "language": doc.language, "pages": doc.pages,
                   "text": doc.text, "warnings": doc.warnings}
        except DocumentError as exc:
            row = {"path": str(path), "ok": False, "error": exc.message, "language": None, "pages": 0,
                   "text": "", "warnings": []}
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False))
        else:
            status = f"{row['language']}, {row['pages']} page(s)" if row["ok"] else f"ERROR: {row['error']}"
            typer.echo(f"{path}: {status}")

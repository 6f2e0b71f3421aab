"""`hirelab parse FILE... --json`: what the model will see of each file, and what was hidden in it."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cli.app import app
from cli.errors import refuses


def _row(path: Path, doc, error, blind: bool) -> dict:
    """One file's JSON line. ``text`` is exactly what the model reads (redacted with --blind)."""
    if doc is None:
        return {"path": str(path), "ok": False, "error": error.message, "code": error.code, "language": None,
                "pages": 0, "engine": None, "ocr": False, "text": "", "warnings": [], "flags": [], "facts": None,
                "facts_text": ""}
    from core.facts import extract_facts, redact, redact_facts

    facts = extract_facts(doc)
    text, facts_text = doc.text, facts.as_prompt_text()
    row = {"path": str(path), "ok": True, "error": None, "code": None, "language": doc.language, "pages": doc.pages,
           "engine": doc.engine, "ocr": doc.ocr, "text": text, "warnings": doc.warnings,
           "flags": [f.model_dump() for f in doc.flags], "facts": facts.model_dump(mode="json"), "facts_text": facts_text}
    if blind:
        red = redact(text, doc.language)
        row["text"] = red.text
        row["facts_text"] = redact_facts(facts, doc.text, red).as_prompt_text()  # found before redaction
        row["redactions"] = [r.model_dump() for r in red.items]
    return row


@app.command()
@refuses
def parse(
    files: list[Path] = typer.Argument(..., help="PDF, DOCX or text files"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file"),
    blind: bool = typer.Option(False, "--blind", help="Show the text redacted as blind screening sends it"),
    engine: str = typer.Option("auto", "--engine", help="PDF extractor: auto, pymupdf or pdfplumber"),
    ocr: bool = typer.Option(True, "--ocr/--no-ocr", help="Read scanned pages with Tesseract when installed"),
    workers: int = typer.Option(2, "--workers", min=1, max=32, help="Parallel reader processes"),
) -> None:
    """Read files into the text the model sees, with hidden-text and injection flags, facts and warnings.

    One bad file never stops the rest: it becomes a row with ok=false and an error that says what to do.
    """
    from core.documents import DocumentError, ParseOptions, parse_many

    if engine not in ("auto", "pymupdf", "pdfplumber"):
        raise typer.BadParameter("use auto, pymupdf or pdfplumber", param_hint="--engine")
    items: list[tuple[bytes, str]] = []
    read_errors: dict[int, DocumentError] = {}
    for n, path in enumerate(files):
        try:
            items.append((path.read_bytes(), path.name))
        except OSError as exc:
            read_errors[n] = DocumentError(path.name, "unreadable", f"the file cannot be opened ({exc.strerror}). Check the path.")
            items.append((b"", path.name))
    results = parse_many(items, workers=workers, options=ParseOptions(engine=engine, ocr=ocr))
    for n, (path, result) in enumerate(zip(files, results)):
        result = read_errors.get(n, result)
        if isinstance(result, DocumentError):
            row = _row(path, None, result, blind)
        else:
            row = _row(path, result, None, blind)
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False))
            continue
        if not row["ok"]:
            typer.echo(f"{path}: ERROR: {row['error']}")
            continue
        typer.echo(f"{path}: {row['language']}, {row['pages']} page(s), {row['engine']}, {len(row['flags'])} flag(s)")
        for flag in row["flags"]:
            where = f" p.{flag['page']}" if flag.get("page") else ""
            typer.echo(f"  ! {flag['kind']}{where}: {flag['snippet'][:120]}")
        for warning in row["warnings"]:
            typer.echo(f"  - {warning}")
        for item in row.get("redactions", []):
            typer.echo(f"  ~ redacted {item['kind']}: {item['original'][:80]}")

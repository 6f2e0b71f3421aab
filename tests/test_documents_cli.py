"""`hirelab parse FILE --json [--blind]`: per file, warnings, flags (kind + snippet), facts and the exact model text."""

from __future__ import annotations

import json

import pymupdf

from fixtures.hidden_text import PAYLOADS, clean_pdf, pdf_tiny


def _run(*args: str) -> list[dict]:
    from typer.testing import CliRunner

    from cli import app

    out = CliRunner().invoke(app, ["parse", *args])
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def test_parse_json_shows_flags_facts_and_the_model_text(tmp_path):
    doc = pymupdf.open(stream=clean_pdf("en"), filetype="pdf")
    pdf_tiny(doc[0], PAYLOADS["direct_en"])
    hostile = tmp_path / "maria.pdf"
    hostile.write_bytes(doc.tobytes())
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    plain, blind = _run(str(hostile), str(broken), "--json"), _run(str(hostile), "--json", "--blind")
    row, bad = plain
    assert row["ok"] and row["language"] == "en" and row["pages"] == 1
    assert row["flags"][0]["kind"] == "tiny_text" and "previous instructions" in row["flags"][0]["snippet"]
    assert any("hidden text were removed" in w for w in row["warnings"])
    assert "previous instructions" not in row["text"] and row["text"].startswith("Maria Lopez")
    assert "Python" in row["facts"]["skills"] and row["facts"]["contacts"]["emails"] == ["maria.lopez@example.com"]
    assert bad["ok"] is False and "damaged" in bad["error"] and bad["flags"] == []
    (brow,) = blind
    assert brow["text"].startswith("[NAME]") and "maria.lopez" not in brow["text"]
    assert {r["kind"] for r in brow["redactions"]} == {"name", "email"}
    assert brow["flags"] == row["flags"]

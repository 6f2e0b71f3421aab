"""Paths the tests share (no side effects: safe to import from any test module)."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "assets" / "samples"
EVAL = REPO.parent / "shared" / "eval"

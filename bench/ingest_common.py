"""Shared by the ingest benchmarks: the resume files they read and how results are written.

Resumes come from ``assets/samples/resumes`` (ours) and ``../shared/eval/resumes`` (third-party, for
measuring only: nothing is tuned to them).
"""

from __future__ import annotations

from pathlib import Path

import results_io
from results_io import REPO

SOURCES = {"samples": REPO / "assets" / "samples" / "resumes", "eval": REPO.parent / "shared" / "eval" / "resumes"}
SUFFIXES = {".pdf", ".docx", ".txt"}


def resume_files(kinds: tuple[str, ...] = ("samples", "eval")) -> list[tuple[str, Path]]:
    """(source, path) of every resume file, sorted, for the given sources."""
    out: list[tuple[str, Path]] = []
    for kind in kinds:
        folder = SOURCES[kind]
        if folder.is_dir():
            out += [(kind, p) for p in sorted(folder.iterdir()) if p.suffix.lower() in SUFFIXES]
    return out


def write_result(name: str, payload: dict) -> Path:
    import pymupdf

    return results_io.write_result(name, payload, results_io.machine(pymupdf=pymupdf.VersionBind))

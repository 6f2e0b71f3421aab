"""Shared by the ingest benchmarks: the resume files they read and how results are written.

Resumes come from ``assets/samples/resumes`` (ours) and ``../shared/eval/resumes`` (third-party, for
measuring only: nothing is tuned to them).
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RESULTS = REPO / "bench" / "results"
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


def machine() -> dict:
    import pymupdf

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "load_average_1_5_15": load, "pymupdf": pymupdf.VersionBind}


def write_result(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"benchmark": name, "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "command": "python " + " ".join([f"bench/{Path(sys.argv[0]).name}", *sys.argv[1:]]),
               "machine": machine(), **payload}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path

"""Full ingest per resume vs raw PyMuPDF text extraction of the same PDFs, measured in one run.

    python bench/ingest_vs_pymupdf.py [--rounds 7]

"Raw" is what a minimal pipeline does: open the PDF and call ``page.get_text()`` on every page.
"Full ingest" is what hirelab does before a model sees a resume: type check and limits, hidden-text
check (colour, size, render mode, opacity, position, clipping, shapes and images drawn over text,
layers), reading order, invisible characters, instruction-like text, language, and facts
(contacts, links, skills, years, education, checklist flags). Both run in this process on the same
files, interleaved file by file, for several rounds; CPU time (``time.process_time``) is used so
that other processes on the machine do not inflate either side. The figure is the ratio of total
medians (goal: 2x or less). The isolated path adds the pipe to a worker process; its per-file wall
time is reported separately.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ingest_common import resume_files, write_result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()

    import pymupdf

    from core.config import Limits
    from core.documents import DocumentError, parse_bytes
    from core.documents.isolate import ParseOptions
    from core.documents.parse import parse_local, warm_up
    from core.facts import extract_facts

    files = []
    for source, path in resume_files():
        data = path.read_bytes()
        if path.suffix.lower() != ".pdf":
            continue
        try:
            with pymupdf.open(stream=data, filetype="pdf") as probe:
                if probe.needs_pass:
                    continue
        except Exception:
            continue
        files.append((source, path.name, data))
    warm_up()
    limits, options = Limits(), ParseOptions()

    def raw(data: bytes) -> str:
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            return "".join(page.get_text() for page in doc)

    def full(name: str, data: bytes) -> str:
        try:
            doc = parse_local(data, name, limits, options)
        except DocumentError as exc:
            return exc.code
        extract_facts(doc)
        return doc.engine

    for _, name, data in files:  # warm caches (fonts, taxonomy, checklist) on both sides
        raw(data), full(name, data)
    raw_t: dict[str, list[float]] = {n: [] for _, n, _ in files}
    full_t: dict[str, list[float]] = {n: [] for _, n, _ in files}
    outcome: dict[str, str] = {}
    for _ in range(args.rounds):
        for _, name, data in files:
            t = time.process_time()
            raw(data)
            raw_t[name].append(time.process_time() - t)
            t = time.process_time()
            outcome[name] = full(name, data)
            full_t[name].append(time.process_time() - t)
    isolated: dict[str, float] = {}
    for _, name, data in files:
        parse_bytes(data, name)  # worker start-up is not part of a file's time
        break
    for _, name, data in files:
        walls = []
        for _ in range(3):
            t = time.perf_counter()
            try:
                parse_bytes(data, name)
            except DocumentError:
                pass
            walls.append(time.perf_counter() - t)
        isolated[name] = statistics.median(walls)

    per_file = []
    for source, name, _ in files:
        r, f = statistics.median(raw_t[name]), statistics.median(full_t[name])
        per_file.append({"file": name, "source": source, "outcome": outcome[name], "raw_ms": round(r * 1000, 2),
                         "full_ms": round(f * 1000, 2), "ratio": round(f / r, 2) if r else None,
                         "isolated_wall_ms": round(isolated[name] * 1000, 2)})
    raw_total = sum(x["raw_ms"] for x in per_file)
    full_total = sum(x["full_ms"] for x in per_file)
    result = {
        "files": len(per_file),
        "rounds": args.rounds,
        "raw_ms_per_file": round(raw_total / len(per_file), 2),
        "full_ms_per_file": round(full_total / len(per_file), 2),
        "ratio_total": round(full_total / raw_total, 2),
        "ratio_median_per_file": round(statistics.median(x["ratio"] for x in per_file if x["ratio"]), 2),
        "isolated_wall_ms_median": round(statistics.median(isolated.values()) * 1000, 2),
        "goal": "full ingest <= 2x raw PyMuPDF extraction",
        "per_file": per_file,
    }
    path = write_result("ingest_vs_pymupdf", result)
    print(f"{len(per_file)} PDFs: raw {result['raw_ms_per_file']} ms, full {result['full_ms_per_file']} ms per file "
          f"(CPU) -> {result['ratio_total']}x (median per file {result['ratio_median_per_file']}x); "
          f"isolated wall {result['isolated_wall_ms_median']} ms. Written to {path.relative_to(path.parents[2])}")


if __name__ == "__main__":
    main()

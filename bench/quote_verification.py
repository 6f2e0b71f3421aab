"""Quotes marked "not found" and blind-vs-normal agreement, with the `rules` profile.

    python bench/quote_verification.py [--jobs samples|eval|all]

Screens every resume in ``assets/samples/resumes`` (ours) and ``../shared/eval/resumes`` (third-party,
measured only: nothing is tuned to them) against the sample job descriptions (``--jobs eval`` or ``all``
adds the eval jobs), once normally and once blind, through the product's own ``screen()``. Every quote
in a report comes from the resume, so every quote marked "not found" is a false alarm: goal 0. Blind
and normal runs of one resume must give the same score and the same flags: goal 100% agreement.
A private store under a temporary HIRELAB_HOME keeps the user's store untouched.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from ingest_common import resume_files
from results_io import REPO, write_result

JOBS = {"samples": REPO / "assets" / "samples" / "jobs", "eval": REPO.parent / "shared" / "eval" / "jobs"}


def _flags(report) -> list[tuple[str, str]]:
    return [("green", f.flag) for f in report.green_flags] + [("red", f.flag) for f in report.red_flags]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", choices=["samples", "eval", "all"], default="samples")
    args = parser.parse_args()
    os.environ["HIRELAB_HOME"] = tempfile.mkdtemp(prefix="hirelab-bench-")
    from core.facts import job_requirements
    from core.messages import msg
    from core.services.screening import ScreenInput, ScreenOptions, screen

    kinds = ["samples", "eval"] if args.jobs == "all" else [args.jobs]
    jobs = [p for k in kinds if JOBS[k].is_dir() for p in sorted(JOBS[k].glob("*.txt")) if p.name != "SOURCES.md"]
    files = [ScreenInput.from_path(p) for _, p in resume_files()]
    started = time.perf_counter()
    quotes = not_found = reports = agree = pairs = 0
    by_kind = {"skill": [0, 0], "green": [0, 0], "red": [0, 0]}  # [quotes, not found]
    misses: list[dict] = []
    near = tuple(msg("fit_near", lang, req="") for lang in ("en", "ru"))  # "Matches the requirement: "
    job_flags = off_job = 0  # flags that cite a job line; those citing a line outside its requirements and duties
    off_lines: list[dict] = []
    disagreements: list[dict] = []
    for job in jobs:
        text = job.read_text(encoding="utf-8")
        asked = " ".join(job_requirements(text).split())
        runs = {blind: screen(text, files, ScreenOptions(profile="rules", blind=blind, reuse=False))
                for blind in (False, True)}
        for blind, rows in runs.items():
            for row in rows:
                if not row.ok or row.report is None:
                    continue
                reports += 1
                rep = row.report
                for flag in rep.green_flags + rep.red_flags:
                    cited = next((flag.flag[len(p):] for p in near if flag.flag.startswith(p)), None)
                    if cited is not None:
                        job_flags += 1
                        if " ".join(cited.rstrip("…").split()) not in asked:
                            off_job += 1
                            off_lines.append({"job": job.name, "file": row.filename, "flag": flag.flag})
                for kind, items in (("skill", rep.skills_matched), ("green", rep.green_flags), ("red", rep.red_flags)):
                    for item in items:
                        quotes += 1
                        by_kind[kind][0] += 1
                        if not item.verified:
                            not_found += 1
                            by_kind[kind][1] += 1
                            misses.append({"job": job.name, "file": row.filename, "blind": blind, "kind": kind,
                                           "what": getattr(item, "skill", None) or item.flag, "quote": item.quote})
        blind_rows = {r.filename: r for r in runs[True] if r.ok and r.report}
        for row in runs[False]:
            other = blind_rows.get(row.filename)
            if not (row.ok and row.report and other):
                continue
            pairs += 1
            a, b = row.report, other.report
            same = a.match_score == b.match_score and sorted(_flags(a)) == sorted(_flags(b))
            agree += same
            if not same:
                disagreements.append({"job": job.name, "file": row.filename, "score": [a.match_score, b.match_score],
                                      "only_normal": sorted(set(_flags(a)) - set(_flags(b))),
                                      "only_blind": sorted(set(_flags(b)) - set(_flags(a)))})
    result = {
        "profile": "rules", "jobs": [j.name for j in jobs], "resumes": len(files), "reports": reports,
        "quotes": quotes, "quotes_not_found": not_found,
        "not_found_rate": round(not_found / quotes, 4) if quotes else None,
        "by_kind": {k: {"quotes": v[0], "not_found": v[1]} for k, v in by_kind.items()},
        "blind_pairs": pairs, "blind_agree": agree, "blind_agreement": round(agree / pairs, 4) if pairs else None,
        "flags_citing_the_job": job_flags, "flags_citing_job_lines_outside_requirements": off_job,
        "seconds": round(time.perf_counter() - started, 1),
        "goal": "0 quotes marked not found; blind and normal runs agree on every resume; no flag cites the job's "
                "company text or benefits",
        "not_found": misses, "disagreements": disagreements, "flags_outside_requirements": off_lines,
    }
    path = write_result("quote_verification" + ("" if args.jobs == "samples" else f"_{args.jobs}"), result)
    print(f"{not_found} of {quotes} quotes marked not found in {reports} reports; blind == normal on {agree} of "
          f"{pairs} resume-job pairs; {off_job} of {job_flags} flags cite a job line outside its requirements. Written to {Path(path).relative_to(REPO)}")


if __name__ == "__main__":
    main()

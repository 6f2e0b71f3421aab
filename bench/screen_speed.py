"""Screening speed of one job over the public resume set, through the product's own screening service.

    python bench/screen_speed.py [--model rules] [--job python] [--n 168]

The resumes are the PDFs of data/resume_set (built by bench/resume_set.py); the job one of
assets/datasets/it_jobs. ``core.services.screening.screen`` runs as the Screen tab runs it: each file read in the
ingest workers, its facts found, the profile's engine called, every report and candidate stored (a fresh SQLite
file in a temporary HIRELAB_HOME, so nothing is reused). Goal: 166 resumes for one job in 30 s on 2 cores with the
default CPU profile.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

from results_io import REPO, model_parser, parse, write_result

PUBLIC = REPO / "data" / "resume_set"
GOAL_SECONDS = 30.0


def main() -> None:
    ap = model_parser(__doc__, model="rules", model_help="screening profile (default rules)")
    ap.add_argument("--job", default="python", help="a job of assets/datasets/it_jobs")
    ap.add_argument("--n", type=int, default=168, help="how many resumes of the set")
    args = parse(ap)
    labels_path = PUBLIC / "labels.json"
    if not labels_path.is_file():
        sys.exit(f"{labels_path} is missing: build it with bench/resume_set.py --source <copy of "
                 "github.com/Sbhawal/resumeScraper>")
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    files = [PUBLIC / r["file"] for r in labels["resumes"]][: args.n]
    job_text = (REPO / labels["jobs"][args.job]).read_text(encoding="utf-8")
    home = tempfile.mkdtemp(prefix="hirelab_speed_")
    os.environ["HIRELAB_HOME"] = home
    os.environ.pop("HIRELAB_DB_URL", None)

    from core.engines import get_engine
    from core.models import get_profile
    from core.services.screening import ScreenInput, ScreenOptions, screen

    t0 = time.perf_counter()
    get_engine(get_profile(args.model))  # model load, timed apart from the screening
    load_seconds = time.perf_counter() - t0
    inputs = [ScreenInput.from_path(p) for p in files]
    started = time.perf_counter()
    rows = screen(job_text, inputs, ScreenOptions(profile=args.model, reuse=False))
    seconds = time.perf_counter() - started
    errors = [r.filename for r in rows if getattr(r, "error", None)]
    result = {
        "model": args.model, "job": args.job, "resumes": len(inputs), "seconds": round(seconds, 1),
        "seconds_per_resume": round(seconds / max(1, len(inputs)), 3), "engine_load_seconds": round(load_seconds, 1),
        "goal_seconds_for_166": GOAL_SECONDS, "meets_goal": seconds * 166 / max(1, len(inputs)) <= GOAL_SECONDS,
        "errors": errors, "torch_threads": args.threads or None,
    }
    out = write_result(f"screen_speed_{args.model.replace('+', '_')}", result)
    print(f"{len(inputs)} resumes in {seconds:.1f} s ({len(errors)} errors); written {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

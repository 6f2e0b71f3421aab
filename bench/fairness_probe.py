"""Do scores move when only the candidate's name and gender markers change? The fairness probe
(core.fairness) over sample resumes × sample jobs, one profile; figures to bench/results/fairness_<profile>.json.

    python bench/fairness_probe.py --model rules                       # all sample resumes × all jobs, 4 names/group
    python bench/fairness_probe.py --model offline --jobs llm_engineer_en \
        --resumes anna_smirnova_ml_engineer,dmitry_kozlov_python_backend_ru --names-per-group 2

Each (job, resume) is one subject: its control copy (own name) and names-per-group copies per group, all
screened through the screening service. Figures: mean |Δscore| against the control, the largest change,
advance rate per group and impact ratios (four-fifths rule), each with its n. Goals: mean |Δscore| ≤ 2,
every impact ratio ≥ 0.8. Stored screening results are reused where the same copy was screened before.
"""

from __future__ import annotations

import time
from dataclasses import asdict

from results_io import REPO, machine, model_parser, parse, write_result

SAMPLES = REPO / "assets" / "samples"


def main() -> None:
    parser = model_parser(__doc__, model="rules")
    parser.add_argument("--jobs", default="", help="comma-separated job file stems (default: every sample job)")
    parser.add_argument("--resumes", default="", help="comma-separated resume file stems (default: every sample resume)")
    parser.add_argument("--names-per-group", type=int, default=4)
    args = parse(parser)

    from core.fairness import ProbeConfig, run_probe, sample_resumes
    from core.fairness.probe import combine
    from core.services.screening import ScreenInput

    jobs = sorted((SAMPLES / "jobs").glob("*.txt"))
    if args.jobs:
        jobs = [j for j in jobs if j.stem in args.jobs.split(",")]
    resumes = sample_resumes()
    if args.resumes:
        resumes = [r for r in resumes if r.stem in args.resumes.split(",")]
    config = ProbeConfig(profile=args.model, names_per_group=args.names_per_group)
    reports, started = [], time.perf_counter()
    for job in jobs:
        t0 = time.perf_counter()
        reports.append(run_probe(job.read_text(encoding="utf-8"), [ScreenInput.from_path(r) for r in resumes], config,
                                 lambda frac, message: None))
        f = reports[-1].figures
        print(f"{job.stem}: mean |Δ| {f.mean_abs_delta} (n={f.n_deltas}), min impact ratio {f.min_impact_ratio}, "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
    report = combine(reports, [j.stem for j in jobs])
    f = report.figures
    payload = {
        "profile": report.profile, "jobs": [j.stem for j in jobs], "resumes": [r.name for r in resumes],
        "names_per_group": args.names_per_group, "groups": list(report.groups),
        "copies": len(report.scores), "subjects": f.subjects,
        "mean_abs_delta": f.mean_abs_delta, "n_deltas": f.n_deltas, "min_impact_ratio": f.min_impact_ratio,
        "goals": asdict(f.goals) | {"all_met": f.goals.all_met},
        "largest_change": asdict(f.largest) if f.largest else None,
        "groups_figures": [asdict(g) for g in f.groups],
        "per_job": {j.stem: {"mean_abs_delta": r.figures.mean_abs_delta, "n_deltas": r.figures.n_deltas,
                             "min_impact_ratio": r.figures.min_impact_ratio,
                             "groups": [asdict(g) for g in r.figures.groups]} for j, r in zip(jobs, reports)},
        "original_groups": reports[0].original_groups if reports else {},
        "scores": [asdict(s) for s in report.scores],
        "seconds": round(time.perf_counter() - started, 1),
    }
    out = write_result(f"fairness_{report.profile or args.model}", payload, machine())
    print(f"mean |Δscore| {f.mean_abs_delta} over n={f.n_deltas}; min impact ratio {f.min_impact_ratio}; "
          f"goals met: {f.goals.all_met}; wrote {out}")


if __name__ == "__main__":
    main()

"""Does a profile rank the right resumes first? Pairwise order accuracy over resumes × job descriptions.

    python bench/ranking_accuracy.py --model rules
    python bench/ranking_accuracy.py --model offline --jobs django --resumes scorelia,resume_1,pm,accountant

Every resume and job below carries a role, written by hand from what each file is (its name and its line in
the sources list of ``../shared/eval``, or our own sample), before any score was looked at. For each job, a
resume of a role the job is for is "relevant", a resume of a role listed as another profession for that job is
"irrelevant", and the rest (generic software engineers, templates) are left out. Every (relevant, irrelevant)
pair of one job is one trial: right when the relevant resume scores higher, half right on a tie. The figure is
the share of right trials, overall and per job; the closest calls and every wrong pair are listed.

Each resume is read once (core.documents, as the Screen tab reads it); each job then goes to the profile's
engine as one batch of the same requests the screening service builds (prompt, facts, typed task), with no
stored result reused. ``../shared/eval`` is for measuring only: nothing is tuned to it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from results_io import REPO, model_parser, parse, write_result

EVAL = REPO.parent / "shared" / "eval"
SAMPLES = REPO / "assets" / "samples"


@dataclass(frozen=True)
class Resume:
    key: str
    path: Path
    roles: frozenset[str]


@dataclass(frozen=True)
class Job:
    key: str
    path: Path
    fits: frozenset[str]  # roles this job is for
    other: frozenset[str]  # roles of another profession for this job


def _r(key: str, path: Path, *roles: str) -> Resume:
    return Resume(key, path, frozenset(roles))


def _j(key: str, path: Path, fits: set[str], other: set[str]) -> Job:
    return Job(key, path, frozenset(fits), frozenset(other))


ER, EJ, SR, SJ = EVAL / "resumes", EVAL / "jobs", SAMPLES / "resumes", SAMPLES / "jobs"
RESUMES = [
    _r("resume_1", ER / "srbhr__Resume-Matcher__resume_1.pdf", "python_backend", "ml"),  # Senior Python dev and ML engineer
    _r("scorelia", ER / "Dipakk7__Scorelia__sample_resume.docx", "python_backend"),  # SWE: Python, FastAPI, SQL, Docker
    _r("ivan_ru", ER / "Pomoguy__cv__resume_ru.pdf", "fullstack_web", "python_backend"),  # React, Node.js, Python/Django
    _r("harvey", ER / "srbhr__Resume-Matcher__harvey_dent_mle.pdf", "ml"),
    _r("jane_ds", ER / "mgorgiev__HR-Helper__sample_resume.docx", "ml"),  # data scientist
    _r("bruce", ER / "srbhr__Resume-Matcher__bruce_wayne_fullstack.pdf", "fullstack_web"),  # MERN
    _r("alex_fs", ER / "mgorgiev__HR-Helper__sample_resume.pdf", "fullstack_web"),
    _r("barry", ER / "srbhr__Resume-Matcher__barry_allen_fe.pdf", "frontend"),
    _r("pm", ER / "srbhr__Resume-Matcher__alfred_pennyworth_pm.pdf", "non_developer"),  # product manager
    _r("accountant", ER / "gitobic__SoupBoss__01-Accountant.docx", "non_developer"),
    _r("desktop_support", ER / "gitobic__SoupBoss__01-Desktop Support.pdf", "it_support"),
    # generic software engineers and templates: in the batch, but in no pair
    _r("john_doe", ER / "srbhr__Resume-Matcher__john_doe.pdf", "software_engineer"),
    _r("two_column", ER / "srbhr__Resume-Matcher__modern-two-column.pdf", "software_engineer"),
    _r("openresume", ER / "xitanggg__open-resume__openresume-resume.pdf", "software_engineer"),
    _r("rendercv", ER / "sinaatalay__rendercv__John_Doe_ClassicTheme_CV.pdf", "software_engineer"),
    # our samples
    _r("anna", SR / "anna_smirnova_ml_engineer.pdf", "ml"),
    _r("dmitry_ru", SR / "dmitry_kozlov_python_backend_ru.pdf", "python_backend"),
    _r("john_carter", SR / "john_carter_frontend.docx", "frontend"),
    _r("maria_ru", SR / "maria_volkova_data_engineer_ru.docx", "data_engineer"),
]
NOT_PYTHON = {"non_developer", "it_support", "frontend"}
NOT_ML = {"non_developer", "it_support", "frontend", "fullstack_web"}
NOT_DATA = {"non_developer", "it_support", "frontend"}
JOBS = [
    _j("django", EJ / "srbhr__Resume-Matcher__backend_developer_python_django.txt", {"python_backend"}, NOT_PYTHON),
    _j("ampcontrol_python", EJ / "surabhi-chandrakant__Data-Engineering-Pipeline__remoteok_python_developer_ampcontrol.txt",
       {"python_backend"}, NOT_PYTHON),
    _j("anadea_python", EJ / "Anadea__anadea_jobs__middle-python-developer.txt", {"python_backend"}, NOT_PYTHON),
    _j("python_backend_ru", SJ / "python_backend_ru.txt", {"python_backend"}, NOT_PYTHON),
    _j("melodyiq_backend_js", EJ / "surabhi-chandrakant__Data-Engineering-Pipeline__remoteok_backend_dev_melodyiq.txt",
       {"fullstack_web"}, {"non_developer", "it_support"}),
    _j("anadea_llm", EJ / "Anadea__anadea_jobs__llm-engineer-dl-nlp.txt", {"ml"}, NOT_ML),
    _j("anadea_dl", EJ / "Anadea__anadea_jobs__middle-deep-learning-engineer-nlp-cv.txt", {"ml"}, NOT_ML),
    _j("data_scientist", EJ / "srbhr__Resume-Matcher__data_scientist_ml_engineer.txt", {"ml"}, NOT_ML),
    _j("llm_engineer", SJ / "llm_engineer_en.txt", {"ml"}, NOT_ML),
    _j("sanctuary_data", EJ / "surabhi-chandrakant__Data-Engineering-Pipeline__remoteok_llm_data_engineer_sanctuary_computer.txt",
       {"data_engineer"}, NOT_DATA),
    _j("palantir_data", EJ / "Anadea__anadea_jobs__palantir-foundry-data-ai-engineer.txt", {"data_engineer"}, NOT_DATA),
    _j("data_engineer", SJ / "data_engineer_en.txt", {"data_engineer"}, NOT_DATA),
    _j("devops", EJ / "surabhi-chandrakant__Data-Engineering-Pipeline__remoteok_senior_devops_engineer_aguru.txt",
       {"devops"}, {"non_developer", "frontend"}),
]


def pairs(job: Job, resumes: list[Resume]) -> list[tuple[Resume, Resume]]:
    """(relevant, irrelevant) resume pairs for ``job``; a resume with a role the job is for is never irrelevant."""
    good = [r for r in resumes if r.roles & job.fits]
    bad = [r for r in resumes if r.roles & job.other and not r.roles & job.fits]
    return [(g, b) for g in good for b in bad]


def _pick(items: list, spec: str) -> list:
    if not spec:
        return items
    wanted = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [w for w in wanted if w not in {i.key for i in items}]
    if unknown:
        sys.exit(f"unknown key(s) {unknown}; known: {', '.join(i.key for i in items)}")
    return [i for i in items if i.key in wanted]


def main() -> None:
    ap = model_parser(__doc__, model="rules", model_help="screening profile, e.g. rules or offline")
    ap.add_argument("--jobs", default="", help="comma-separated job keys (default: all)")
    ap.add_argument("--resumes", default="", help="comma-separated resume keys (default: all)")
    ap.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/ranking_accuracy_<model>.json)")
    args = parse(ap)
    jobs, resumes = _pick(JOBS, args.jobs), _pick(RESUMES, args.resumes)
    missing = [str(p) for p in [*(j.path for j in jobs), *(r.path for r in resumes)] if not p.is_file()]
    if missing:
        sys.exit(f"missing input files: {missing}")

    from core.documents import DocumentError, parse_bytes
    from core.engines import ChatRequest, Sampling, generate_structured, get_engine
    from core.engines.tasks import FitTask
    from core.facts import job_requirements, skills_in
    from core.models import get_profile
    from core.prompts import as_data, load_prompt
    from core.schemas import FitAssessment
    from core.services.screening import ScreenOptions, prepare_resume

    profile, prompt = get_profile(args.model), load_prompt("fit")
    engine = get_engine(profile)
    docs, failures = {}, []
    for r in resumes:
        try:
            docs[r.key] = parse_bytes(r.path.read_bytes(), r.path.name)
        except DocumentError as exc:
            failures.append(f"{r.key}: {exc.message}")
    started = time.perf_counter()
    per_job, wrong, close = {}, [], []
    right_total = trials_total = 0.0
    for job in jobs:
        t0 = time.perf_counter()
        job_text = job.path.read_text(encoding="utf-8").strip()
        job_skills = skills_in(job_requirements(job_text))
        keys, requests = [], []
        for key, doc in docs.items():
            prepared = prepare_resume(doc, job_skills, False)  # (text, facts text, facts data, redactions, facts)
            text, facts_text, facts = prepared[0], prepared[1], prepared[4]
            messages = prompt.render(job=as_data("job", job_text), resume=as_data("resume", text), facts=facts_text)
            keys.append(key)
            requests.append(ChatRequest(messages, schema=FitAssessment,
                                        sampling=Sampling(max_new_tokens=ScreenOptions().max_new_tokens),
                                        adapter=profile.adapter_name, task=FitTask(text, job_text, facts_text, facts)))
        outcomes = generate_structured(engine, requests)
        scores = {k: (o.value.match_score if o.value is not None else None) for k, o in zip(keys, outcomes)}
        failures += [f"{job.key}: {k}: {o.error}" for k, o in zip(keys, outcomes) if o.value is None]
        by_key = {r.key: scores.get(r.key) for r in resumes}
        right = trials = 0.0
        for good, bad in pairs(job, resumes):
            g, b = by_key[good.key], by_key[bad.key]
            if g is None or b is None:
                continue
            trials += 1
            right += 1.0 if g > b else 0.5 if g == b else 0.0
            entry = {"job": job.key, "relevant": good.key, "irrelevant": bad.key, "scores": [g, b]}
            if g <= b:
                wrong.append(entry)
            elif g - b <= 5:
                close.append(entry)
        per_job[job.key] = {"pairs": int(trials), "accuracy": round(right / trials, 3) if trials else None,
                            "scores": by_key, "seconds": round(time.perf_counter() - t0, 1)}
        right_total += right
        trials_total += trials
        print(f"{job.key}: {per_job[job.key]['accuracy']} over {int(trials)} pairs", file=sys.stderr, flush=True)

    result = {
        "model": args.model,
        "pairwise_accuracy": round(right_total / trials_total, 4) if trials_total else None,
        "pairs": int(trials_total),
        "jobs": len(jobs),
        "resumes": len(resumes),
        "wrong_pairs": wrong,
        "close_pairs_within_5_points": close,
        "failures": failures,
        "per_job": per_job,
        "truth": {"resume_roles": {r.key: sorted(r.roles) for r in resumes},
                  "job_roles": {j.key: {"fits": sorted(j.fits), "other_profession": sorted(j.other)} for j in jobs}},
        "torch_threads": args.threads or None,
        "seconds": round(time.perf_counter() - started, 1),
    }
    out = write_result(f"ranking_accuracy_{args.model.replace('+', '_')}", result, path=args.out)
    print(f"pairwise accuracy {result['pairwise_accuracy']} over {result['pairs']} pairs; {len(wrong)} wrong", file=sys.stderr)
    print(f"written {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

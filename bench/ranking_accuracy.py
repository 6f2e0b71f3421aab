"""Does a profile rank the right resumes first? Pairwise order accuracy over resumes × job descriptions.

    python bench/ranking_accuracy.py --model rules
    python bench/ranking_accuracy.py --model offline --sets eval --jobs django --resumes scorelia,resume_1,pm,accountant

Every resume and job below carries a role, written by hand from what each file is (its name and its line in
the sources list of ``../shared/eval``, or our own sample), before any score was looked at. For each job, a
resume of a role the job is for is "relevant", a resume of a role listed as another profession for that job is
"irrelevant", and the rest (generic software engineers, templates) are left out. Every (relevant, irrelevant)
pair of one job is one trial: right when the relevant resume scores higher, half right on a tie. The figure is
the share of right trials, overall and per job; the closest calls and every wrong pair are listed.

Each resume is read once (core.documents, as the Screen tab reads it); each job then goes to the profile's
engine as one batch of the same requests the screening service builds (prompt, facts, typed task), with no
stored result reused. ``../shared/eval`` is for measuring only: nothing is tuned to it.

Two sets: ``eval`` (the files above) and ``public`` (168 livecareer resume PDFs of 24 professions for six IT
jobs, graded relevance 0/1/2 by written rules; built into data/resume_set by bench/resume_set.py, whose
docstring holds the rules and the train/test split). Per job, next to the profile, the same run measures the
plain baselines of bench/ranking_baselines.py (embedding cosine for each bundled encoder, BM25, TF-IDF): NDCG@10
(graded), pairwise accuracy and how many resumes of another profession sit in the top 10, on the public set's
train and test resumes separately. The ``quality`` block lists every job where the profile loses to a baseline
(on test resumes for the public set).

    python bench/ranking_accuracy.py --model rules --sets public --jobs java,devops
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ranking_baselines import baselines, ndcg_at, pairwise
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


PUBLIC = REPO / "data" / "resume_set"  # built by bench/resume_set.py (git-ignored; see its docstring)


@dataclass(frozen=True)
class Case:
    """One job of one set: its text, the resumes it ranks, each one's gain (NDCG) and the pairs it must order."""

    set: str
    job: str
    text: str
    gains: dict[str, int]  # resume key -> graded relevance; keys absent here take no part in this job's measures
    pairs: list[tuple[str, str]]
    splits: dict[str, list[str]]  # split name -> resume keys measured on it


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


def eval_cases(jobs: list[Job], resumes: list[Resume]) -> tuple[list[Case], dict[str, Path]]:
    cases = []
    for job in jobs:
        ps = [(g.key, b.key) for g, b in pairs(job, resumes)]
        gains = {k: 1 for k, _ in ps} | {k: 0 for _, k in ps}
        cases.append(Case("eval+samples", job.key, job.path.read_text(encoding="utf-8").strip(), gains, ps,
                          {"all": list(gains)}))
    return cases, {r.key: r.path for r in resumes}


def public_cases(job_spec: str) -> tuple[list[Case], dict[str, Path], list[str]]:
    """The public set's jobs (all six, or those named), resumes and the jobs scores may be tuned on."""
    labels = json.loads((PUBLIC / "labels.json").read_text(encoding="utf-8"))
    rows = labels["resumes"]
    wanted = [j for j in labels["jobs"] if not job_spec or j in job_spec.split(",")]
    cases = []
    for job in wanted:
        gains = {r["key"]: int(r["relevance"][job]) for r in rows}
        ps = [(g, b) for g in gains for b in gains if gains[g] > 0 and gains[b] == 0]
        splits = {name: [r["key"] for r in rows if r["split"] == name] for name in ("train", "test")}
        splits["all"] = list(gains)
        cases.append(Case("public", job, (REPO / labels["jobs"][job]).read_text(encoding="utf-8").strip(), gains, ps,
                          splits))
    return cases, {r["key"]: PUBLIC / r["file"] for r in rows}, list(labels["tune_jobs"])


def profile_scores(model: str, job_text: str, docs: dict[str, Any]) -> tuple[dict[str, float | None], list[str]]:
    """Each resume's match_score from the profile's engine, built as the screening service builds the request."""
    from core.engines import ChatRequest, Sampling, generate_structured, get_engine
    from core.models import get_profile
    from core.prompts import as_data, load_prompt
    from core.schemas import FitAssessment
    from core.services.fit_tasks import fit_task, job_brief
    from core.services.screening import ScreenOptions, prepare_resume

    profile, prompt = get_profile(model), load_prompt("fit")
    engine = get_engine(profile)
    brief = job_brief(job_text)
    keys, requests = [], []
    for key, doc in docs.items():
        prepared = prepare_resume(doc, list(brief.skills), False)  # (text, facts text, facts data, redactions, facts)
        text, facts_text, facts = prepared[0], prepared[1], prepared[4]
        messages = prompt.render(job=as_data("job", job_text), resume=as_data("resume", text), facts=facts_text)
        keys.append(key)
        requests.append(ChatRequest(messages, schema=FitAssessment,
                                    sampling=Sampling(max_new_tokens=ScreenOptions().max_new_tokens),
                                    adapter=profile.adapter_name, task=fit_task(text, brief, facts_text, facts)))
    outcomes = generate_structured(engine, requests)
    scores = {k: (float(o.value.match_score) if o.value is not None else None) for k, o in zip(keys, outcomes)}
    return scores, [f"{k}: {o.error}" for k, o in zip(keys, outcomes) if o.value is None]


def measures(case: Case, scores: dict[str, float | None], split: str) -> dict[str, Any]:
    keys = set(case.splits[split])
    gains = {k: g for k, g in case.gains.items() if k in keys}
    acc, trials = pairwise(scores, [(g, b) for g, b in case.pairs if g in keys and b in keys])
    ndcg = ndcg_at(scores, gains, 10)
    top = sorted(gains, key=lambda k: -(scores.get(k) if scores.get(k) is not None else -1e9))[:10]
    return {"ndcg@10": None if ndcg is None else round(ndcg, 3), "pairwise": None if trials == 0 else round(acc, 3),
            "pairs": trials, "other_profession_in_top10": sum(1 for k in top if gains[k] == 0)}


def main() -> None:
    ap = model_parser(__doc__, model="rules", model_help="screening profile, e.g. rules or offline")
    ap.add_argument("--sets", default="eval,public", help="eval (../shared/eval + samples) and/or public "
                    "(data/resume_set, built by bench/resume_set.py)")
    ap.add_argument("--jobs", default="", help="comma-separated job keys (default: all)")
    ap.add_argument("--resumes", default="", help="comma-separated resume keys of the eval set (default: all)")
    ap.add_argument("--no-baselines", action="store_true", help="skip the plain baselines")
    ap.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/ranking_accuracy_<model>.json)")
    args = parse(ap)
    sets = {s.strip() for s in args.sets.split(",") if s.strip()}
    cases: list[Case] = []
    paths: dict[str, Path] = {}
    tune_jobs: list[str] = []
    if "eval" in sets:
        ev_jobs = [j for j in JOBS if not args.jobs or j.key in args.jobs.split(",")]
        c, p = eval_cases(ev_jobs, _pick(RESUMES, args.resumes))
        cases += c
        paths |= p
    if "public" in sets:
        if not (PUBLIC / "labels.json").is_file():
            sys.exit(f"{PUBLIC}/labels.json is missing: build it with bench/resume_set.py --source <copy of "
                     "github.com/Sbhawal/resumeScraper>")
        c, p, tune_jobs = public_cases(args.jobs)
        cases += c
        paths |= p
    missing = sorted(str(p) for p in paths.values() if not p.is_file())
    if missing:
        sys.exit(f"missing input files: {missing}")

    from core.documents import DocumentError, parse_bytes

    started = time.perf_counter()
    docs, failures = {}, []
    for key, path in paths.items():
        try:
            docs[key] = parse_bytes(path.read_bytes(), path.name)
        except DocumentError as exc:
            failures.append(f"{key}: {exc.message}")
    parse_seconds = time.perf_counter() - started
    plain = {} if args.no_baselines else baselines()
    results: dict[str, dict[str, Any]] = {}
    quality: list[str] = []
    for case in cases:
        case_docs = {k: docs[k] for k in case.gains if k in docs}
        if not case.pairs or not case_docs:
            print(f"{case.set}/{case.job}: no resume of its role in this set, skipped", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        scores, errs = profile_scores(args.model, case.text, case_docs)
        seconds = time.perf_counter() - t0
        failures += [f"{case.job}: {e}" for e in errs]
        rankers: dict[str, dict[str, float | None]] = {args.model: scores}
        texts = [case_docs[k].text for k in case_docs]
        for name, scorer in plain.items():
            rankers[name] = dict(zip(case_docs, scorer(case.text, texts)))
        entry: dict[str, Any] = {"resumes": len(case_docs), "profile_seconds": round(seconds, 1),
                                 "tuned_on_train": case.set == "public" and case.job in tune_jobs}
        for split in case.splits:
            entry[split] = {name: measures(case, s, split) for name, s in rankers.items()}
        entry["profile_scores"] = scores
        results.setdefault(case.set, {})[case.job] = entry
        report = "test" if "test" in case.splits else "all"
        mine = entry[report][args.model]
        for name in plain:
            other = entry[report][name]
            for metric in ("ndcg@10", "pairwise"):
                if mine[metric] is not None and other[metric] is not None and mine[metric] < other[metric]:
                    quality.append(f"{case.set}/{case.job} ({report}): {args.model} {metric} {mine[metric]} < "
                                   f"{name} {other[metric]}")
        print(f"{case.set}/{case.job} [{report}]: " + ", ".join(
            f"{n} ndcg {m['ndcg@10']} pw {m['pairwise']}" for n, m in entry[report].items()), file=sys.stderr, flush=True)

    def mean(set_name: str, split: str, name: str, metric: str) -> float | None:
        vals = [e[split][name][metric] for e in results.get(set_name, {}).values()
                if split in e and e[split][name][metric] is not None]
        return round(sum(vals) / len(vals), 3) if vals else None

    summary = {s: {split: {n: {m: mean(s, split, n, m) for m in ("ndcg@10", "pairwise")}
                           for n in [args.model, *plain]}
                   for split in (("train", "test", "all") if s == "public" else ("all",))}
               for s in results}
    result = {
        "model": args.model,
        "summary_mean_over_jobs": summary,
        "quality": {"loses_to_a_baseline": quality, "verdict": "loses to a plain baseline" if quality else
                    "ahead of or level with every plain baseline on every job"},
        "failures": failures,
        "per_set": results,
        "tune_jobs_public": tune_jobs,
        "parse_seconds": round(parse_seconds, 1),
        "torch_threads": args.threads or None,
        "seconds": round(time.perf_counter() - started, 1),
    }
    out = write_result(f"ranking_accuracy_{args.model.replace('+', '_')}", result, path=args.out)
    print(json.dumps(summary, indent=1), file=sys.stderr)
    print(f"quality: {result['quality']['verdict']} ({len(quality)} cases)", file=sys.stderr)
    print(f"written {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

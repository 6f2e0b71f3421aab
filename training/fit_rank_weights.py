"""Fit the rules profile's ranking weights (core.engines.rules.rank.RankWeights) on the public resume set.

    python -m training.fit_rank_weights --data data/resume_set [--out assets/models/rank_weights.json]

Each resume of ``data/resume_set`` (built by bench/resume_set.py) is read as the Screen tab reads it
(core.documents), its facts found and its fit measured for each job by the rules engine's own code
(core.engines.rules.fit.measure), so the signals are the ones a screening scores. The mixing weights are then fitted
by a pairwise logistic regression (``fit``): every pair of TRAIN resumes of one tune job (labels.json
``tune_jobs``) with different relevance is one example, the higher one to be scored above; a signal whose weight
comes out negative is dropped and the rest refitted. Test
resumes and the jobs java and devops are never used to fit; the held-out figures (test resumes, every job) are
printed beside MiniLM cosine, BM25 and TF-IDF (bench/ranking_baselines.py) and written with the weights (--out;
the shipped file, assets/models/rank_weights.json, says which weights the rules profile uses). ``../shared/eval`` is never read.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from core.engines.rules.rank import RankSignals, RankWeights, rank_score
from core.text import scale

REPO = Path(__file__).resolve().parent.parent
C = 1.0  # inverse regularisation strength of the logistic regression
SIGNALS = ("skills", "coverage", "profile", "role", "title_words", "terms")


@dataclass(frozen=True)
class Row:
    """One resume measured for one job: its label (gain 0/1/2), its split and the signals the engine found."""

    job: str
    key: str
    split: str
    gain: int
    signals: RankSignals
    penalty: float


Scorer = Callable[[Row], float]


def ndcg_at(items: Sequence[tuple[str, float, int]], k: int = 10) -> float:
    """NDCG@k of (key, score, gain) ranked by score (ties keep key order, as bench/ranking_baselines.ndcg_at)."""
    ranked = sorted(items, key=lambda x: (-x[1], x[0]))
    ideal = sorted((g for _, _, g in items), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, (_, _, g) in enumerate(ranked[:k]))
    return dcg / idcg if idcg else 0.0


def pairwise(items: Sequence[tuple[str, float, int]]) -> float:
    """Share of (relevant, irrelevant) pairs ordered right; a tie counts half."""
    good = [s for _, s, g in items if g > 0]
    bad = [s for _, s, g in items if g == 0]
    if not good or not bad:
        return 0.0
    right = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in good for b in bad)
    return right / (len(good) * len(bad))


def evaluate(rows: Sequence[Row], score: Scorer, split: str, jobs: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Per job: (NDCG@10, pairwise) of ranking the job's rows of ``split`` by ``score``."""
    out = {}
    for job in jobs:
        items = [(r.key, score(r), r.gain) for r in rows if r.job == job and r.split == split]
        out[job] = (round(ndcg_at(items), 3), round(pairwise(items), 3))
    return out


def scorer(weights: RankWeights) -> Scorer:
    return lambda r: float(rank_score(r.signals, r.penalty, weights))


def features(s: RankSignals, w: RankWeights) -> list[float]:
    """The signals as rank_score mixes them (the cosines scaled by ``w``'s bounds), in ``SIGNALS`` order."""
    return [s.skills, s.coverage, scale(s.profile, w.profile_low, w.profile_high),
            scale(s.role, w.role_low, w.role_high), s.title_words, s.terms]


def _pairs(rows: Sequence[Row], jobs: Sequence[str], w: RankWeights) -> tuple[Any, Any]:
    """Feature differences of every (higher gain, lower gain) pair of one job's train rows, both ways round."""
    import numpy as np

    diffs = []
    for job in jobs:
        mine = [(r.gain, np.array(features(r.signals, w))) for r in rows if r.job == job and r.split == "train"]
        diffs += [a - b for ga, a in mine for gb, b in mine if ga > gb]
    x = np.array(diffs)
    return np.vstack([x, -x]), np.array([1] * len(diffs) + [0] * len(diffs))


def fit(rows: Sequence[Row], jobs: Sequence[str], base: RankWeights | None = None,
        c: float = C) -> tuple[RankWeights, dict[str, tuple[float, float]]]:
    """Mixing weights that order the TRAIN rows of ``jobs`` (every pair of different gain within a job) by a
    pairwise logistic regression on the signals; a signal whose weight comes out negative is dropped and the rest
    refitted, so each weight is >= 0 and rank_score stays a weighted share. The bounds, the cap and the years
    penalty are ``base``'s. Returns the weights (summing to 1) and their train figures."""
    from sklearn.linear_model import LogisticRegression

    base = base or RankWeights()
    x, y = _pairs(rows, jobs, base)
    used = list(range(len(SIGNALS)))
    while True:
        coef = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(x[:, used], y).coef_[0]
        if (coef >= 0).all() or len(used) == 1:
            break
        used = [i for i, k in zip(used, coef) if k >= 0] or used[:1]
    coef = coef.clip(min=0)
    total = float(coef.sum()) or 1.0
    mix = dict.fromkeys(SIGNALS, 0.0) | {SIGNALS[i]: round(float(k) / total, 3) for i, k in zip(used, coef)}
    weights = replace(base, **mix)
    return weights, evaluate(rows, scorer(weights), "train", jobs)


def collect(data: Path) -> tuple[list[Row], dict[str, Any], dict[str, dict[str, float]]]:
    """Every resume of ``data`` measured for every job through the real ingest and engine path; also the labels
    and each job's plain baseline scores (name -> {job/key: score})."""
    from core.documents import parse_bytes
    from core.engines.rules.embed import embed
    from core.engines.rules.fit import fit_texts, measure
    from core.services.fit_tasks import fit_task, job_brief
    from core.services.screening import prepare_resume

    sys.path.insert(0, str(REPO / "bench"))
    from ranking_baselines import baselines  # type: ignore[import-not-found]

    labels = json.loads((data / "labels.json").read_text(encoding="utf-8"))
    docs = {r["key"]: parse_bytes((data / r["file"]).read_bytes(), r["file"]) for r in labels["resumes"]}
    rows: list[Row] = []
    plain: dict[str, dict[str, float]] = {}
    for job, path in labels["jobs"].items():
        started = time.perf_counter()
        text = (REPO / path).read_text(encoding="utf-8").strip()
        brief = job_brief(text)
        tasks = []
        for r in labels["resumes"]:
            p = prepare_resume(docs[r["key"]], list(brief.skills), False)
            tasks.append(fit_task(p.text, brief, p.facts_text, p.facts, False, p.neutral))
        embed([t for task in tasks for t in fit_texts(task)])  # one batch: less padding
        for r, task in zip(labels["resumes"], tasks):
            m = measure(task)
            rows.append(Row(job, r["key"], r["split"], int(r["relevance"][job]), m.signals, m.penalty))
        keys = [r["key"] for r in labels["resumes"]]
        texts = [docs[k].text for k in keys]
        for name, score in baselines().items():
            if name == "cosine_minilm":  # the same encoder and truncation; the resumes' vectors kept across jobs
                values = [float(v) for v in embed(texts) @ embed([text])[0]]
            else:
                values = score(text, texts)
            plain.setdefault(name, {}).update({f"{job}/{k}": v for k, v in zip(keys, values)})
        print(f"{job}: {len(keys)} resumes measured in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return rows, labels, plain


def _lookup(table: dict[str, float]) -> Scorer:
    return lambda r: table[f"{r.job}/{r.key}"]


def held_out(rows: Sequence[Row], weights: RankWeights, plain: dict[str, dict[str, float]],
             jobs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Test-resume figures per job and their means, for the fitted weights and each plain baseline."""
    rankers: dict[str, Scorer] = {"rules": scorer(weights)}
    for name, table in plain.items():
        rankers[name] = _lookup(table)
    out: dict[str, dict[str, Any]] = {}
    for name, score in rankers.items():
        per_job = evaluate(rows, score, "test", jobs)
        out[name] = {"per_job": {j: {"ndcg@10": n, "pairwise": p} for j, (n, p) in per_job.items()},
                     "mean": {"ndcg@10": round(sum(n for n, _ in per_job.values()) / len(per_job), 3),
                              "pairwise": round(sum(p for _, p in per_job.values()) / len(per_job), 3)}}
    return out


def _save_table(path: Path, rows: Sequence[Row], labels: dict[str, Any], plain: dict[str, dict[str, float]]) -> None:
    table = {"labels": labels, "plain": plain, "rows": [asdict(r) for r in rows]}
    path.write_text(json.dumps(table), encoding="utf-8")


def _load_table(path: Path) -> tuple[list[Row], dict[str, Any], dict[str, dict[str, float]]]:
    table = json.loads(path.read_text(encoding="utf-8"))
    rows = [Row(**{**r, "signals": RankSignals(**r["signals"])}) for r in table["rows"]]
    return rows, table["labels"], table["plain"]


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO / "data" / "resume_set", help="folder bench/resume_set.py built")
    ap.add_argument("--out", type=Path, default=REPO / "data" / "rank_weights_fit.json",
                    help="where the fit goes (the shipped weights: assets/models/rank_weights.json)")
    ap.add_argument("--table", type=Path, default=None,
                    help="signal table: read it when it exists (skip measuring), else write it after measuring")
    ap.add_argument("--c", type=float, default=C, help="inverse regularisation strength of the logistic regression")
    args = ap.parse_args(argv)
    if args.table and args.table.is_file():
        rows, labels, plain = _load_table(args.table)
    else:
        if not (args.data / "labels.json").is_file():
            sys.exit(f"{args.data}/labels.json is missing: build it with bench/resume_set.py")
        rows, labels, plain = collect(args.data)
        if args.table:
            _save_table(args.table, rows, labels, plain)
    tune, jobs = list(labels["tune_jobs"]), list(labels["jobs"])
    weights, train = fit(rows, tune, c=args.c)
    figures = held_out(rows, weights, plain, jobs)
    for name, f in figures.items():
        per = ", ".join(f"{j} {v['ndcg@10']:.3f}/{v['pairwise']:.3f}" for j, v in f["per_job"].items())
        print(f"held-out {name:14s} mean NDCG@10 {f['mean']['ndcg@10']:.3f} pairwise {f['mean']['pairwise']:.3f} "
              f"| {per}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "written_by": "python -m training.fit_rank_weights", "method": "pairwise logistic regression, weights >= 0",
        "c": args.c,
        "fitted_on": {"data": labels.get("source", ""), "commit": labels.get("commit", ""), "split": "train",
                      "jobs": tune, "resumes": sum(1 for r in labels["resumes"] if r["split"] == "train")},
        "weights": weights.to_json(),
        "train": {j: {"ndcg@10": n, "pairwise": p} for j, (n, p) in train.items()},
        "held_out_test": figures,
    }, indent=1) + "\n", encoding="utf-8")
    print(f"weights {weights.to_json()}\nwritten {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()

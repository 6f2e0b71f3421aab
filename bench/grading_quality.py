"""Agreement of a grading profile with human grades, beside plain baselines on the same answers.

    python bench/grading_quality.py --model rules
    python bench/grading_quality.py --model offline --limit 100
    python bench/grading_quality.py --model offline+rules --limit 100
    python bench/grading_quality.py --model rules --data data/answer_sets/answers.jsonl --split test

Baselines (bench/answer_baselines.py), always on the same rows: MiniLM cosine (answer vs reference), BM25 of
the answer with the reference as the query (bm25s) and token-overlap F1. The ``quality`` block names every
baseline the profile loses to (Pearson on the Mohler corpus; ROC AUC of the overall grade against the
correct/incorrect labels on a public answer set built by training/answer_sets.py).

Grades ``../shared/eval/mohler_asag.jsonl`` (2,442 answers to university CS questions, 0–5, two human
graders) through the grading service and writes Pearson, Spearman, quadratic-weighted kappa and MAE
against ``score_avg`` for all rows and for the ``in_mohler2011_subset`` rows, plus the plain MiniLM
cosine (answer vs reference) on the same rows as a reference line. Grades (overall 1–5) are mapped
linearly onto 0–5 for kappa and MAE; kappa rounds both sides half up to integers 0–5. A failed grade
is counted and left out, never imputed. ``--limit N`` grades a fixed random sample (seed 0).

This file is for measuring only: never train on it or tune prompts to it.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from answer_baselines import baseline_scores, pearson, roc_auc, verdict
from results_io import REPO, model_parser, parse, write_result

DATA = REPO.parent / "shared" / "eval" / "mohler_asag.jsonl"
SAMPLE_SEED = 0


def _metrics(pred: list[float], gold: list[float]) -> dict:
    from core.compare.stats import agreement

    a = agreement(pred, gold, low=0, high=5)
    mean = (lambda xs: round(sum(xs) / len(xs), 3) if xs else None)  # noqa: E731
    return {"n": a.n, "pearson": a.pearson, "spearman": a.spearman, "qwk": a.qwk, "mae": a.mae,
            "mean_predicted": mean(pred), "mean_human": mean(gold)}


def main() -> None:
    ap = model_parser(__doc__, model="rules", model_help="grading profile, e.g. rules, offline, offline+rules")
    ap.add_argument("--limit", type=int, default=0, help="grade a fixed random sample of N answers (0 = all)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/grading_quality_<model>.json)")
    ap.add_argument("--batch", type=int, default=64, help="answers per call to the grading service")
    ap.add_argument("--split", default="test", help="with a public answer set: train, validation, test or all")
    args = parse(ap)

    from core.compare.stats import rescale
    from core.services.grading import AnswerInput, GradeOptions, grade_answers

    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    labelled = bool(rows) and "label" in rows[0]
    if labelled:  # a public answer set (training/answer_sets.py): correct/incorrect labels, 0-1 scores
        rows = [dict(r, reference_answer=r["reference"], score_avg=5 * r["score"], in_mohler2011_subset=False)
                for r in rows if args.split == "all" or r["split"] == args.split]
    total = len(rows)
    if args.limit and args.limit < total:
        rows = random.Random(SAMPLE_SEED).sample(rows, args.limit)
    items = [AnswerInput(question=r["question"], answer=r["answer"], reference=r["reference_answer"]) for r in rows]
    options = GradeOptions(bank_reference=False, keep_records=False)
    started = time.perf_counter()
    outcomes = []
    for start in range(0, len(items), args.batch):
        outcomes += grade_answers(items[start : start + args.batch], args.model, options=options)
        print(f"graded {len(outcomes)}/{len(items)} in {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started

    graded = [(r, o.grade.overall) for r, o in zip(rows, outcomes) if o.ok and o.grade is not None]
    errors = [o.error for o in outcomes if not o.ok]
    cached = sum(o.cached for o in outcomes)

    def split(pairs: list[tuple[dict, float]]) -> dict:
        pred = [rescale(score, (1, 5), (0, 5)) for _, score in pairs]
        gold = [float(r["score_avg"]) for r, _ in pairs]
        return _metrics(pred, gold)

    subset = [(r, s) for r, s in graded if r["in_mohler2011_subset"]]
    base_rows = [dict(r, reference=r["reference_answer"]) for r in rows]
    base = baseline_scores(base_rows)
    cosine = base["minilm_cosine"]
    gold_all = [float(r["score_avg"]) for r in rows]
    sub_idx = [i for i, r in enumerate(rows) if r["in_mohler2011_subset"]]
    ok_idx = [i for i, o in enumerate(outcomes) if o.ok and o.grade is not None]
    overall = [o.grade.overall for o in outcomes if o.ok and o.grade is not None]
    baselines = {name: {"pearson": pearson([v[i] for i in ok_idx], [gold_all[i] for i in ok_idx])} for name, v in base.items()}
    quality = verdict(args.model, pearson(overall, [gold_all[i] for i in ok_idx]),
                      {k: v["pearson"] for k, v in baselines.items()}, "pearson")
    if labelled:
        labels = [int(rows[i]["label"]) for i in ok_idx]
        for name, v in base.items():
            baselines[name]["roc_auc"] = roc_auc([v[i] for i in ok_idx], labels)
        per_source = {}
        for source in sorted({rows[i]["source"] for i in ok_idx}):
            pick = [k for k, i in enumerate(ok_idx) if rows[i]["source"] == source]
            per_source[source] = {"n": len(pick), "profile_roc_auc": roc_auc([overall[k] for k in pick], [labels[k] for k in pick]),
                                  **{f"{name}_roc_auc": roc_auc([base[name][ok_idx[k]] for k in pick], [labels[k] for k in pick]) for name in base}}
        quality = verdict(args.model, roc_auc(overall, labels), {k: v["roc_auc"] for k, v in baselines.items()}, "roc_auc")
        quality["per_source"] = per_source
    result = {
        "model": args.model,
        "data": str(args.data.name),
        "rows_in_file": total,
        "rows_graded": len(rows),
        "sample": {"limit": args.limit, "seed": SAMPLE_SEED} if args.limit else None,
        "ok": len(graded),
        "failed": len(errors),
        "failure_examples": errors[:3],
        "reused_from_store": cached,
        "all": split(graded),
        "mohler2011_subset": split(subset),
        "split": args.split if labelled else None,
        "quality": quality,
        "baselines": baselines,
        "minilm_cosine_baseline": {
            "all": _metrics(cosine, gold_all)["pearson"],
            "mohler2011_subset": _metrics([cosine[i] for i in sub_idx], [gold_all[i] for i in sub_idx])["pearson"],
        },
        "reference_points_pearson": None if labelled else {"human_vs_human": 0.586, "mohler2011_best": 0.518, "minilm_cosine_reported": 0.46},
        "torch_threads": args.threads or None,
        "seconds": round(seconds, 1),
        "seconds_per_fresh_answer": round(seconds / (len(rows) - cached), 3) if len(rows) > cached else None,
    }
    name = (f"grading_quality_{args.model.replace('+', '_')}{'_' + args.data.stem + '_' + args.split if labelled else ''}"
            f"{'_n' + str(args.limit) if args.limit else ''}")
    out = write_result(name, result, path=args.out)
    print(json.dumps({k: result[k] for k in ("model", "ok", "failed", "all", "quality", "baselines")}, indent=2))
    print(f"written {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

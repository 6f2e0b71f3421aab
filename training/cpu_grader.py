"""Fit the learned CPU grader (core/engines/rules_grade_model.py) on the train questions of the public answer sets.

    python training/answer_sets.py --saf ... --beetle ...      # builds data/answer_sets/answers.jsonl
    python training/cpu_grader.py [--data data/answer_sets/answers.jsonl]

A logistic regression (scikit-learn) over the features the rules engine computes, its strength C chosen on
the validation questions; gradient boosting is fitted too and reported for comparison. The test questions
are never fitted on: they only give the figures. Writes assets/graders/cpu_grader.json (coefficients,
feature means and scales, the figures beside the baselines) and sets ``use_in_rules`` only when the overall
rules grade made with the model beats every baseline (MiniLM cosine, BM25, token F1) in ROC AUC on the test
questions. Nothing here reads ../shared/eval.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def feature_rows(rows: list[dict], cache: Path) -> list[dict[str, float]]:
    """Features of every row, computed once (cached beside the data, keyed by the row count and feature list)."""
    from core.engines.rules.embed import embed
    from core.engines.rules.grade import signals
    from core.engines.rules.grade_model import FEATURES, features

    if cache.is_file():
        data = json.loads(cache.read_text())
        if data["n"] == len(rows) and data["features"] == list(FEATURES):
            return data["rows"]
    out: list[dict[str, float]] = []
    started = time.perf_counter()
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        embed(sorted({t for r in chunk for t in (r["question"], r["answer"], r["reference"])}))  # warm the cache
        for r in chunk:
            s = signals(r["question"], r["answer"], r["reference"])
            out.append(features(s, r["question"], r["answer"], r["reference"], s.question_reference or 0.0)
                       | {"off_topic": float(s.off_topic), "copies_question": float(s.copies_question)})
        print(f"features {len(out)}/{len(rows)} in {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    cache.write_text(json.dumps({"n": len(rows), "features": list(FEATURES), "rows": out}))
    return out


def main() -> None:
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    from answer_baselines import baseline_scores, roc_auc
    from core.engines.rules.grade import learned_overall
    from core.engines.rules.grade_model import FEATURES, WEIGHTS, Model
    from training.answer_sets import DEFAULT_OUT, load

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--out", type=Path, default=WEIGHTS)
    args = ap.parse_args()

    rows = load(args.data)
    feats = feature_rows(rows, args.data.with_suffix(".features.json"))
    split = {name: [i for i, r in enumerate(rows) if r["split"] == name] for name in ("train", "validation", "test")}
    # answers the rules turn away before any model (off-topic, a restated question) get 1s; they are not fitted on
    graded = {k: [i for i in v if not feats[i]["off_topic"] and not feats[i]["copies_question"]] for k, v in split.items()}
    X = np.array([[f[n] for n in FEATURES] for f in feats])
    y = np.array([r["label"] for r in rows])

    tr, va = graded["train"], graded["validation"]
    mean, scale = X[tr].mean(axis=0), X[tr].std(axis=0) + 1e-9
    Z = (X - mean) / scale
    tried = {}
    for c in (0.01, 0.03, 0.1, 0.3, 1.0, 3.0):
        lr = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(Z[tr], y[tr])
        tried[c] = roc_auc(list(lr.predict_proba(Z[va])[:, 1]), list(y[va]))
    best_c = max(tried, key=lambda c: tried[c])
    lr = LogisticRegression(C=best_c, max_iter=2000, class_weight="balanced").fit(Z[tr], y[tr])
    model = Model(tuple(FEATURES), tuple(map(float, mean)), tuple(map(float, scale)), tuple(map(float, lr.coef_[0])),
                  float(lr.intercept_[0]))
    gb = HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=300, random_state=0).fit(X[tr], y[tr])

    def figures(name: str) -> dict:
        idx = split[name]
        labels = [int(y[i]) for i in idx]
        prob = [model.probability(feats[i]) if i in set(graded[name]) else 0.0 for i in idx]
        overall = [learned_overall(feats[i], model) for i in idx]
        base = baseline_scores([rows[i] for i in idx])
        by_source = {}
        for source in sorted({rows[i]["source"] for i in idx}):
            pick = [k for k, i in enumerate(idx) if rows[i]["source"] == source]
            by_source[source] = {"n": len(pick), "overall_grade_roc_auc": roc_auc([overall[k] for k in pick], [labels[k] for k in pick]),
                                 **{f"{b}_roc_auc": roc_auc([base[b][k] for k in pick], [labels[k] for k in pick]) for b in base}}
        return {"n": len(idx), "questions": len({rows[i]["question_id"] for i in idx}), "correct": sum(labels),
                "model_probability_roc_auc": roc_auc(prob, labels),
                "overall_grade_roc_auc": roc_auc(overall, labels),
                "gradient_boosting_roc_auc": roc_auc(list(gb.predict_proba(X[idx])[:, 1]), labels),
                "baselines_roc_auc": {b: roc_auc(v, labels) for b, v in base.items()}, "by_source": by_source}

    result = {name: figures(name) for name in ("validation", "test")}
    test = result["test"]
    beats = all(test["overall_grade_roc_auc"] > v for v in test["baselines_roc_auc"].values() if v is not None)
    payload = {
        "what": "P(correct) of a short answer given a reference, from the rules engine's signals; logistic regression",
        "trained_on": {"data": "training/answer_sets.py (SAF English, Beetle): train questions only",
                       "answers": len(tr), "questions": len({rows[i]["question_id"] for i in tr}),
                       "C_by_validation_roc_auc": tried, "C": best_c},
        "figures": result, "use_in_rules": beats,
        "use_in_rules_rule": "the overall rules grade with this model beats every baseline in ROC AUC on the test questions",
        "model": model.to_json(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: payload[k] for k in ("trained_on", "figures", "use_in_rules")}, indent=1))


if __name__ == "__main__":
    main()

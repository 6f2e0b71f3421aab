"""Plain baselines a grading profile must beat, computed on the same answers: MiniLM cosine of the answer to
the reference, BM25 of the answer with the reference as the query, and token-overlap F1. Plus the metrics
(Pearson against a graded scale, ROC AUC against correct/incorrect labels) and the verdict line that says
which baselines a profile loses to."""

from __future__ import annotations

from collections import Counter, defaultdict

BASELINES = ("minilm_cosine", "bm25", "token_f1")


def token_f1(answer: str, reference: str) -> float:
    """SQuAD-style F1 of the answer's words against the reference's (case-folded, with repeats)."""
    from core.text import words

    a, r = Counter(words(answer)), Counter(words(reference))
    common = sum((a & r).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(r.values())
    return 2 * precision * recall / (precision + recall)


def bm25(rows: list[dict]) -> list[float]:
    """BM25 (bm25s, Lucene variant) of each answer with its reference as the query, indexed over the answers to
    the same question plus the reference, divided by the reference's own score so that questions compare."""
    import bm25s

    from core.text import words

    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[(r["question"], r["reference"])].append(i)
    out = [0.0] * len(rows)
    for (_, reference), idx in groups.items():
        docs = [words(rows[i]["answer"]) or ["<empty>"] for i in idx] + [words(reference) or ["<empty>"]]
        query = words(reference)
        model = bm25s.BM25()
        model.index(docs, show_progress=False)
        known = [t for t in query if t in model.vocab_dict]
        if not known:
            continue
        scores = model.get_scores(known)
        top = float(scores[-1]) or 1.0
        for k, i in enumerate(idx):
            out[i] = float(scores[k]) / top
    return out


def minilm_cosine(rows: list[dict]) -> list[float]:
    from core.engines.rules.embed import embed

    va, vr = embed([r["answer"] for r in rows]), embed([r["reference"] for r in rows])
    return [float(a @ b) for a, b in zip(va, vr)]


def baseline_scores(rows: list[dict]) -> dict[str, list[float]]:
    """Each baseline's score for each row (rows need ``question``, ``answer``, ``reference``)."""
    return {"minilm_cosine": minilm_cosine(rows), "bm25": bm25(rows),
            "token_f1": [token_f1(r["answer"], r["reference"]) for r in rows]}


def roc_auc(pred: list[float], labels: list[int]) -> float | None:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, pred)) if len(set(labels)) == 2 else None


def pearson(pred: list[float], gold: list[float]) -> float | None:
    from scipy import stats

    if len(pred) < 2 or len(set(pred)) < 2 or len(set(gold)) < 2:
        return None
    return float(stats.pearsonr(pred, gold).statistic)


def verdict(profile: str, figure: float | None, baselines: dict[str, float | None], metric: str) -> dict:
    """The ``quality`` block: which baselines the profile beats and which it loses to, in words too."""
    known = {k: v for k, v in baselines.items() if v is not None}
    loses = sorted(k for k, v in known.items() if figure is None or v >= figure)
    line = (f"{profile} {metric} {figure:.3f} beats every baseline ("
            + ", ".join(f"{k} {v:.3f}" for k, v in known.items()) + ")") if figure is not None and not loses else (
        f"{profile} {metric} {figure if figure is None else round(figure, 3)} LOSES to "
        + ", ".join(f"{k} {known[k]:.3f}" for k in loses))
    return {"metric": metric, "profile": figure, "baselines": baselines, "beats_every_baseline": not loses,
            "loses_to": loses, "summary": line}

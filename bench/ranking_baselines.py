"""Plain rankers a screening profile must beat, and the ranking measures (NDCG@k, pairwise order accuracy).

Each baseline scores every resume text of a batch against one job text, with nothing fitted to either:
embedding cosine(job, resume) for each bundled sentence encoder (its own input limit truncates long texts),
BM25 (bm25s, the job's words as the query over the batch's resumes) and TF-IDF cosine (scikit-learn, fitted on
the batch's resumes plus the job).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Scorer = Callable[[str, Sequence[str]], list[float]]


def _minilm() -> Any:
    from core.engines.rules.embed import embedder

    return embedder()


def bundled_encoders() -> dict[str, Callable[[], Any]]:
    """Name -> loader of each bundled sentence encoder installed here."""
    found: dict[str, Callable[[], Any]] = {"minilm": _minilm}
    return found  # one bundled encoder today (core.engines.rules.embed)


def cosine_scorer(load: Callable[[], Any]) -> Scorer:
    def score(job: str, resumes: Sequence[str]) -> list[float]:
        model = load()
        vecs = model.encode([job, *resumes], batch_size=16, normalize_embeddings=True, convert_to_numpy=True)
        return [float(v @ vecs[0]) for v in vecs[1:]]

    return score


def bm25(job: str, resumes: Sequence[str]) -> list[float]:
    import bm25s  # type: ignore[import-untyped]

    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(list(resumes), stopwords="en", show_progress=False), show_progress=False)
    query = bm25s.tokenize([job], stopwords="en", show_progress=False)
    docs, scores = retriever.retrieve(query, k=len(resumes), show_progress=False)
    out = [0.0] * len(resumes)
    for d, s in zip(docs[0], scores[0]):
        out[int(d)] = float(s)
    return out


def tfidf(job: str, resumes: Sequence[str]) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit([*resumes, job])
    m = vec.transform([job, *resumes])
    return [float(x) for x in (m[1:] @ m[0].T).toarray().ravel()]


def baselines() -> dict[str, Scorer]:
    out: dict[str, Scorer] = {f"cosine_{name}": cosine_scorer(load) for name, load in bundled_encoders().items()}
    out["bm25"] = bm25
    out["tfidf"] = tfidf
    return out


def ndcg_at(scores: Mapping[str, float | None], gains: Mapping[str, int], k: int = 10) -> float | None:
    """NDCG@k of ranking the keys of ``gains`` by ``scores`` (a missing score ranks last; ties keep key order)."""
    def order(key: str) -> tuple[float, str]:
        value = scores.get(key)
        return (-(value if value is not None else -math.inf), key)

    keys = sorted(gains, key=order)
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    if idcg == 0:
        return None
    dcg = sum((2 ** gains[key] - 1) / math.log2(i + 2) for i, key in enumerate(keys[:k]))
    return dcg / idcg


def pairwise(scores: Mapping[str, float | None], pairs: Sequence[tuple[str, str]]) -> tuple[float, int]:
    """(right share, trials) over (relevant, irrelevant) pairs: right when the relevant one scores higher, half on
    a tie; a pair with a missing score is skipped."""
    right = trials = 0.0
    for good, bad in pairs:
        g, b = scores.get(good), scores.get(bad)
        if g is None or b is None:
            continue
        trials += 1
        right += 1.0 if g > b else 0.5 if g == b else 0.0
    return (right / trials if trials else float("nan")), int(trials)

"""The learned part of rules grading: how likely an answer is correct, from the signals the rules engine already
computes (MiniLM similarities to the reference and to the question, key-term coverage, word overlap, length,
reasons given, negation, a copy of the reference), combined by a logistic model fitted by
training/cpu_grader.py on public human-graded answers (assets/datasets/README.md) and shipped as JSON
coefficients in assets/graders/cpu_grader.json. No network, no scikit-learn at grading time.

Used only when a reference answer is given (without one the facts cannot be checked and the rules say so).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.engines.rules.grade_text import Signals
from core.text import content_stems, words

WEIGHTS = Path(__file__).resolve().parents[3] / "assets" / "graders" / "cpu_grader.json"
_NEGATION = re.compile(r"\b(not|no|never|none|nothing|cannot|without|neither|nor|не|нет|никогда|ни|без)\b|n't", re.I)
FEATURES = ("closeness", "relevance", "question_reference", "coverage", "token_f1", "content_f1", "new_content",
            "log_length_ratio", "log_words", "markers", "negation_answer", "negation_reference",
            "negation_mismatch", "copies_reference")


def token_f1(a: list[str], b: list[str]) -> float:
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def features(s: Signals, question: str, answer: str, reference: str, question_reference: float) -> dict[str, float]:
    """The model's inputs for one answer (``s`` from core.engines.rules.grade.signals, with a reference)."""
    a_stems, r_stems, q_stems = content_stems(answer), content_stems(reference), content_stems(question)
    overlap = len(a_stems & r_stems)
    content_f1 = 2 * overlap / (len(a_stems) + len(r_stems)) if a_stems and r_stems else 0.0
    neg_a, neg_r = bool(_NEGATION.search(answer)), bool(_NEGATION.search(reference))
    return {
        "closeness": float(s.closeness or 0.0), "relevance": s.relevance, "question_reference": question_reference,
        "coverage": s.coverage, "token_f1": token_f1(words(answer), words(reference)), "content_f1": content_f1,
        "new_content": len(a_stems - r_stems - q_stems) / len(a_stems) if a_stems else 0.0,
        "log_length_ratio": max(-3.0, min(2.0, math.log(max(s.length_ratio or 0.0, 0.05)))),
        "log_words": math.log1p(s.n_words), "markers": min(len(s.markers), 2) / 2,
        "negation_answer": float(neg_a), "negation_reference": float(neg_r), "negation_mismatch": float(neg_a != neg_r),
        "copies_reference": float(s.copies_reference),
    }


@dataclass(frozen=True)
class Model:
    """A logistic model over standardised features: P(correct) = σ(b + Σ w·(x − mean)/scale)."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, x: dict[str, float]) -> float:
        z = self.intercept + sum(w * (x[n] - m) / sc for n, m, sc, w in zip(self.names, self.mean, self.scale, self.coef))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        return {"features": list(self.names), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept}

    @classmethod
    def from_json(cls, data: dict) -> Model:
        return cls(tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]), tuple(data["coef"]),
                   float(data["intercept"]))


def load(path: Path = WEIGHTS) -> Model | None:
    """The model in ``path`` (the shipped one by default), or None where there is none or it is switched off
    (the hand-set rules grade then). Read again whenever the file changes (a team retrains its own grader)."""
    try:
        stamp = path.stat()
    except OSError:
        return None
    return _load(path, stamp.st_mtime_ns, stamp.st_size)


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int, size: int) -> Model | None:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model.from_json(data["model"]) if data.get("use_in_rules") else None

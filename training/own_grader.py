"""A team's own CPU grader: the rules engine's learned model (core/engines/rules/grade_model.py) fitted on the
team's graded answers, measured on questions it never saw beside the shipped grader, and registered as a
profile that grades at once.

The data is a grading dataset in the SFT format (training/dataset/rows.py: question, answer, score 1–5,
reference; CSV, TSV, JSONL or XLSX). An answer scored 4 or 5 counts as correct. A question whose reference
is written on one of its rows lends it to the others. Whole questions go to a held-out part (about a quarter,
fixed seed, both classes in each part), so the figures are for questions the model was not fitted on. The
weights go to ``<HIRELAB_HOME>/graders/<profile>.json``; the shipped grader (assets/graders) is never written.
A few hundred answers fit in well under a minute on a laptop: one MiniLM pass over the texts, then a
logistic regression.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from core.messages import LocalizedError

MIN_ANSWERS = 30  # fewer cannot be split into a part to fit and a part to measure
MIN_QUESTIONS = 4
MIN_PER_CLASS = 5
CORRECT_FROM = 4.0  # on the 1–5 scale
HELD_OUT_SHARE = 0.25
SEED = 20240607
DEFAULT_PROFILE = "rules-own"


class GraderDataError(LocalizedError):
    """The file cannot train a grader; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Figures:
    """How well a grader's overall grade separates correct from incorrect answers on the held-out questions."""

    roc_auc: float | None
    accuracy: float  # overall grade >= 3.5 taken as "correct", against the people's label


@dataclass(frozen=True)
class OwnGraderResult:
    profile: str
    weights: str
    answers: int  # used
    skipped: int  # rows of the file that could not be used (their problems are in ``problems``)
    train_answers: int
    train_questions: int
    held_out_answers: int
    held_out_questions: int
    held_out_correct: int
    own: Figures
    shipped: Figures
    cosine_roc_auc: float | None  # MiniLM cosine of answer and reference, on the same held-out answers
    seconds: float
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Row:
    question: str
    answer: str
    reference: str
    label: int


def read_rows(path: Path, score_min: float = 1.0, score_max: float = 5.0) -> tuple[list[_Row], list[str], int]:
    """(usable rows, the file's row problems in English, rows read); GraderDataError when it cannot train."""
    from training.dataset.rows import DatasetError, read_path

    try:
        table = read_path(path, score_min, score_max)
    except DatasetError as exc:
        raise GraderDataError.from_error(exc) from exc
    refs: dict[str, str] = {}
    for ex in table.examples:
        if ex.reference and ex.reference.strip():
            refs.setdefault(ex.question.strip(), ex.reference.strip())
    without = sorted({ex.question.strip() for ex in table.examples if ex.question.strip() not in refs})
    if without:
        raise GraderDataError(key="og_no_reference", n=len(without), question=without[0][:80])
    rows = [_Row(ex.question.strip(), ex.answer, refs[ex.question.strip()], int(ex.score >= CORRECT_FROM))
            for ex in table.examples]
    questions = {r.question for r in rows}
    if len(rows) < MIN_ANSWERS or len(questions) < MIN_QUESTIONS:
        raise GraderDataError(key="og_too_few", answers=len(rows), questions=len(questions),
                              min_answers=MIN_ANSWERS, min_questions=MIN_QUESTIONS)
    correct = sum(r.label for r in rows)
    if min(correct, len(rows) - correct) < MIN_PER_CLASS:
        raise GraderDataError(key="og_one_class", correct=correct, incorrect=len(rows) - correct,
                              least=MIN_PER_CLASS)
    return rows, [str(p) for p in table.problems], table.rows_read


def split_questions(rows: list[_Row]) -> tuple[list[int], list[int]]:
    """(train, held-out) row indices: whole questions, about a quarter held out, both classes on each side."""
    questions = sorted({r.question for r in rows})
    n_out = max(1, round(HELD_OUT_SHARE * len(questions)))
    rng = random.Random(SEED)
    for _ in range(200):
        rng.shuffle(questions)
        out = set(questions[:n_out])
        held = [i for i, r in enumerate(rows) if r.question in out]
        train = [i for i, r in enumerate(rows) if r.question not in out]
        if all(len({rows[i].label for i in part}) == 2 for part in (held, train)):
            return train, held
    raise GraderDataError(key="og_no_split", questions=len(questions))


def _features(rows: list[_Row], progress: Callable[[str], None] | None) -> list[dict[str, float]]:
    from core.engines.rules.embed import embed
    from core.engines.rules.grade import signals
    from core.engines.rules.grade_model import features

    texts = sorted({t for r in rows for t in (r.question, r.answer, r.reference)})
    for start in range(0, len(texts), 256):
        embed(texts[start:start + 256])
        if progress:
            progress(f"embedded {min(start + 256, len(texts))}/{len(texts)} texts")
    out = []
    for r in rows:
        s = signals(r.question, r.answer, r.reference)
        out.append(features(s, r.question, r.answer, r.reference, s.question_reference or 0.0)
                   | {"off_topic": float(s.off_topic), "copies_question": float(s.copies_question)})
    return out


def _figures(overall: list[float], labels: list[int]) -> Figures:
    from sklearn.metrics import roc_auc_score

    auc = float(roc_auc_score(labels, overall)) if len(set(labels)) == 2 else None
    accuracy = sum(int(g >= 3.5) == y for g, y in zip(overall, labels)) / len(labels)
    return Figures(round(auc, 4) if auc is not None else None, round(accuracy, 4))


def weights_path(profile: str) -> Path:
    from core.config import settings

    return settings().home / "graders" / f"{profile}.json"


def train_own_grader(data: Path, profile: str = DEFAULT_PROFILE, score_min: float = 1.0, score_max: float = 5.0,
                     progress: Callable[[str], None] | None = None) -> OwnGraderResult:
    """Fit, measure and register a grader from a graded dataset file (see the module docstring)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from core.engines.rules.grade import learned_overall
    from core.engines.rules.grade_model import FEATURES, Model
    from core.engines.rules.grade_model import load as load_shipped
    from core.models import ModelProfile, get_profile, register_profile

    from training.launcher import refuse_in_demo

    refuse_in_demo()  # a shared demo keeps nothing a visitor sends, a grader neither
    if not profile or not profile.replace("-", "").replace("_", "").isalnum():
        raise GraderDataError(key="og_bad_name", name=profile)
    started = time.perf_counter()
    rows, problems, read = read_rows(Path(data), score_min, score_max)
    train, held = split_questions(rows)
    feats = _features(rows, progress)
    if progress:
        progress("fitting")
    X = np.array([[f[n] for n in FEATURES] for f in feats])
    y = np.array([r.label for r in rows])
    fit_on = [i for i in train if not feats[i]["off_topic"] and not feats[i]["copies_question"]]
    if len({int(y[i]) for i in fit_on}) < 2:
        raise GraderDataError(key="og_no_split", questions=len({r.question for r in rows}))
    mean, scale = X[fit_on].mean(axis=0), X[fit_on].std(axis=0) + 1e-9
    lr = LogisticRegression(C=0.1, max_iter=2000, class_weight="balanced").fit((X[fit_on] - mean) / scale, y[fit_on])
    model = Model(tuple(FEATURES), tuple(map(float, mean)), tuple(map(float, scale)), tuple(map(float, lr.coef_[0])),
                  float(lr.intercept_[0]))
    labels = [int(y[i]) for i in held]
    own = _figures([learned_overall(feats[i], model) for i in held], labels)
    shipped_model = load_shipped()
    shipped = _figures([learned_overall(feats[i], shipped_model) for i in held], labels) if shipped_model else Figures(None, 0.0)
    cosine = _figures([feats[i]["closeness"] for i in held], labels).roc_auc
    target = weights_path(profile)
    result = OwnGraderResult(
        profile=profile, weights=str(target), answers=len(rows), skipped=read - len(rows),
        train_answers=len(train), train_questions=len({rows[i].question for i in train}),
        held_out_answers=len(held), held_out_questions=len({rows[i].question for i in held}),
        held_out_correct=sum(labels), own=own, shipped=shipped, cosine_roc_auc=cosine,
        seconds=round(time.perf_counter() - started, 1), problems=tuple(problems[:20]))
    payload = {"what": "P(correct) of an answer given a reference, from the rules engine's signals; logistic "
                       "regression fitted on a team's own graded answers (training/own_grader.py)",
               "trained_on": {"data": Path(data).name, "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                              "answers": len(train), "correct_from": CORRECT_FROM},
               "figures": {"held_out": result.to_dict()}, "use_in_rules": True, "model": model.to_json()}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    tmp.replace(target)  # a failed write never leaves half a file where a profile points
    base = get_profile("rules")
    register_profile(ModelProfile(
        name=profile, engine="rules", grader=str(target),
        description=f"{base.description} Grader fitted on {Path(data).name} ({len(train)} answers); held-out "
                    f"ROC AUC {own.roc_auc} vs shipped {shipped.roc_auc}."))
    return result


def summary(result: OwnGraderResult, lang: str = "en") -> list[str]:
    """What a person reads after training: the fit, the held-out figures beside the shipped grader, the profile."""
    from core.messages import msg

    def shown(x: float | None) -> str:
        return "—" if x is None else f"{x:.3f}"

    lines = [msg("og_trained", lang, profile=result.profile, train=result.train_answers,
                 train_q=result.train_questions, seconds=result.seconds),
             msg("og_held_out", lang, held=result.held_out_answers, held_q=result.held_out_questions,
                 correct=result.held_out_correct, own_auc=shown(result.own.roc_auc),
                 shipped_auc=shown(result.shipped.roc_auc), cosine=shown(result.cosine_roc_auc),
                 own_acc=shown(result.own.accuracy), shipped_acc=shown(result.shipped.accuracy))]
    if (result.own.roc_auc or 0.0) < (result.shipped.roc_auc or 0.0):
        lines.append(msg("og_worse", lang))
    if result.skipped:
        lines.append(msg("og_skipped", lang, n=result.skipped, first=result.problems[0] if result.problems else ""))
    lines.append(msg("og_ready", lang, profile=result.profile, weights=result.weights))
    return lines

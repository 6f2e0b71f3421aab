"""Rules grades say what their scores say: over every answer of the benchmark sets this checkout can read, no
criterion sentence contradicts its own score or another criterion's sentence (bundled MiniLM, real grades)."""

import csv
import json

import pytest

from core.engines.rules.grade import assess_answer
from core.engines.rules.embed import embed
from core.engines.rules.grade_text import AGREE
from core.engines.tasks import GradeTask
from core.grade_consistency import contradictions  # the one set of rules
from tests.paths import REPO

EVAL = REPO.parent / "shared" / "eval" / "mohler_asag.jsonl"
PUBLIC = REPO / "data" / "answer_sets" / "answers.jsonl"
MOHLER_EVERY = 12  # every 12th Mohler answer (~200 of 2,442): the whole set takes minutes on a shared 2-core machine


def benchmark_answers() -> list[tuple[str, str, str | None]]:
    rows = [(r["question"], r["answer"], r.get("reference"))
            for r in map(json.loads, (REPO / "assets" / "datasets" / "grader_sample.jsonl").read_text().splitlines())]
    with (REPO / "assets" / "question_bank" / "sample_answers.csv").open(encoding="utf-8") as fh:
        rows += [(r["question"], r["answer"], None) for r in csv.DictReader(fh)]
    if EVAL.is_file():
        mohler = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows += [(r["question"], r["answer"], r["reference_answer"]) for r in mohler[::MOHLER_EVERY]]
    if PUBLIC.is_file():
        public = [json.loads(line) for line in PUBLIC.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows += [(r["question"], r["answer"], r["reference"]) for r in public if r["split"] == "test"][::8]
    return rows


@pytest.fixture(scope="module")
def graded():
    answers = [a for a in benchmark_answers() if a[1].strip()]
    embed(sorted({t for a in answers for t in a if t}))  # one batched pass, not one call per answer
    return [(a, assess_answer(GradeTask(*a))) for a in answers]


def test_no_criterion_sentence_contradicts_a_score(graded):
    assert len(graded) >= 50
    bad = [(a[1][:60], str(c)) for a, g in graded for c in contradictions(g)]
    assert not bad, f"{len(bad)} contradictions, e.g. {bad[:5]}"


def test_a_wrong_answer_is_not_told_it_says_what_the_reference_says():
    g = assess_answer(GradeTask(
        "What is a Python decorator?",
        "Something you put above a function so that it runs faster, like a compiler hint.",
        "A decorator is a callable that takes a function and returns a replacement, usually a wrapper that adds "
        "behaviour before or after the call; applied with @name, e.g. for logging or caching."))
    assert not g.technical_correctness.explanation.startswith(AGREE[5]["en"])
    assert g.technical_correctness.score <= 3 and g.accuracy_of_analysis.score <= 4
    assert not contradictions(g)

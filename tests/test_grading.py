"""Grading service end to end: rules profile (bundled MiniLM), bundled model, checks, blends, store."""

import pytest

from core.schemas.grade import CRITERIA, verdict_for
from core.services.answer_checks import check_answer
from core.services.grading import AnswerInput, GradeError, GradeOptions, grade_answers
from core.store import get_store

DECORATOR_Q = "What is a Python decorator, and how would you write one that measures a function's run time?"
GOOD = ("A decorator is a function that takes another function and returns a wrapper. For timing, the wrapper "
        "records time.perf_counter() before and after calling the original function, prints the difference and "
        "returns the result; functools.wraps keeps the original name and docstring.")
POEM = "Roses are red, violets are blue, the summer was warm and the sea was blue too."
RAG_Q = "What are embeddings, and how does retrieval-augmented generation (RAG) use them?"


def test_rules_scores_a_correct_answer_above_a_poem_and_explains_both():
    good, poem = grade_answers(
        [AnswerInput(candidate="Ann", question=DECORATOR_Q, answer=GOOD), AnswerInput(candidate="Ann", question=DECORATOR_Q, answer=POEM)],
        "rules",
    )
    assert good.ok and poem.ok, (good.error, poem.error)
    assert good.grade.overall > poem.grade.overall
    assert poem.grade.accuracy_of_analysis.score < good.grade.accuracy_of_analysis.score
    for g in (good.grade, poem.grade):
        assert all(getattr(g, c).explanation for c in CRITERIA)
        assert g.overall == round(sum(getattr(g, c).score for c in CRITERIA) / 3, 2)
    # the question is in the team's bank, so its reference answer was used and named
    assert good.grade.reference_source == "bank:py-decorator" and "perf_counter" in good.grade.reference_used
    assert good.grade.provenance.engine == "rules" and good.grade.rubric.startswith("rules@")


def test_grades_are_stored_and_reused_for_the_same_input():
    item = AnswerInput(candidate="Reuse Test", question=RAG_Q, answer="Embeddings are vectors; RAG retrieves similar chunks and puts them in the prompt.")
    first = grade_answers([item], "rules")[0]
    row = get_store().get_result(first.grade.provenance.input_hash)
    assert row is not None and row.ok and row.kind == "grade" and row.subject == "Reuse Test"
    second = grade_answers([item], "rules")[0]
    assert second.cached and not first.cached
    assert second.grade.model_dump(exclude={"provenance"}) == first.grade.model_dump(exclude={"provenance"})
    fresh = grade_answers([item], "rules", options=GradeOptions(reuse=False))[0]
    assert not fresh.cached and fresh.grade.overall == first.grade.overall  # the rules profile is deterministic


@pytest.mark.parametrize(("answer", "code"), [
    ("", "empty"),
    ("   ...  ", "empty"),
    ("Не знаю", "dont_know"),
    (DECORATOR_Q, "copied_question"),
    ("asdkjh qwrtzx sdfghj kjhgfd", "noise"),
    ("yes yes yes yes yes yes yes yes", "noise"),
])
def test_non_answers_are_caught_before_any_grader(answer, code):
    found = check_answer(DECORATOR_Q, answer)
    assert found is not None and found.code == code


@pytest.mark.parametrize("answer", ["O(n log n) because of the sort", "Use a B-tree index on (user_id, created_at).", "strcpy copies bytes"])
def test_short_real_answers_are_not_taken_for_non_answers(answer):
    assert check_answer("What is the complexity, and which index or function would you use?", answer) is None


def test_non_answers_get_the_lowest_grade_with_the_reason_and_no_model():
    outs = grade_answers([AnswerInput(candidate="Nobody", question=RAG_Q, answer=""),
                          AnswerInput(candidate="Nobody", question="Что такое эмбеддинги?", answer="Что такое эмбеддинги?")],
                         "offline")  # the bundled model is never loaded for these
    for o in outs:
        assert o.ok and o.grade.overall == 1.0 and o.grade.verdict == "unacceptable"
        assert o.grade.provenance.engine == "checks"
    assert "empty" in outs[0].grade.technical_correctness.explanation
    assert "повторяет вопрос" in outs[1].grade.technical_correctness.explanation


def test_bad_requests_are_refused_with_advice():
    with pytest.raises(GradeError, match="no answers to grade"):
        grade_answers([], "rules")
    with pytest.raises(GradeError, match="known profiles"):
        grade_answers([AnswerInput(question="q?", answer="a")], "no-such-profile")
    with pytest.raises(GradeError, match="empty part"):
        grade_answers([AnswerInput(question="q?", answer="a")], "rules+")


@pytest.mark.slow
def test_bundled_model_grades_end_to_end_and_blends_with_rules(offline_engine):
    item = AnswerInput(candidate="Blend Test", question="What does an index cost in a database?",
                       answer="An index speeds up reads but slows down writes and takes disk space.")
    llm = grade_answers([item], "offline")[0]
    assert llm.ok, llm.error
    g = llm.grade
    assert g.provenance.engine == "transformers" and g.provenance.model_profile == "offline"
    assert all(1 <= getattr(g, c).score <= 5 for c in CRITERIA) and g.verdict in {"strong", "acceptable", "weak", "unacceptable"}
    assert g.verdict == verdict_for(g.overall) and g.model_verdict is not None  # banded; the model's own kept beside
    assert llm.raw.strip().startswith("{")  # the model's own text is kept
    assert get_store().get_result(g.provenance.input_hash).raw == llm.raw

    rules = grade_answers([item], "rules")[0]
    blended = grade_answers([item], "offline+rules")[0]
    assert blended.ok and blended.grade.provenance.model_profile == "offline+rules"
    assert all(o.grade.verdict == verdict_for(o.grade.overall) for o in (rules, blended))
    for c in CRITERIA:
        parts = (getattr(g, c).score, getattr(rules.grade, c).score)
        assert getattr(blended.grade, c).score == int(sum(parts) / 2 + 0.5)
    assert "offline:" in blended.grade.reasoning or blended.grade.reasoning == g.reasoning


@pytest.mark.slow
def test_truncated_model_output_is_a_recorded_failure_not_a_score(offline_engine):
    item = AnswerInput(candidate="Truncated", question="Explain how a hash map works.", answer="It hashes keys into buckets.")
    out = grade_answers([item], "offline", options=GradeOptions(max_new_tokens=12, reuse=False))[0]
    assert not out.ok and out.grade is None
    assert "token limit" in out.error and "after one repair attempt" in out.error
    assert out.raw  # what the model wrote is kept
    rows = [r for r in get_store().list_results("grade", subject="Truncated")]
    assert rows and not rows[0].ok and rows[0].payload is None and rows[0].raw == out.raw


@pytest.mark.slow
def test_tag_format_mode_runs_the_model_unconstrained_and_records_text_that_is_not_a_grade(offline_engine):
    item = AnswerInput(candidate="Tags", question="Explain how a hash map works.", answer="It hashes keys into buckets.")
    out = grade_answers([item], "offline", options=GradeOptions(output_format="tags", max_new_tokens=16, reuse=False))[0]
    assert not out.ok and out.grade is None and out.raw  # the bundled model was not trained on tags
    assert "<reasoning>" in out.error and ("missing" in out.error or "token limit" in out.error)
    row = get_store().list_results("grade", subject="Tags")[0]
    assert not row.ok and row.prompt_version.endswith("+tags") and row.raw == out.raw

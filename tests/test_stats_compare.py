"""Comparison statistics against values worked out by hand on tiny fixed data."""

from __future__ import annotations

import math

import pytest

from core.compare import stats
from core.compare.records import CompareConfig, CompareItem, GradeRecord, JudgeRecord
from core.compare.summary import compute_stats
from core.schemas import AnswerGrade, CriterionScore, PairwiseVerdict
from tests.hand_made import PROV, judged, pick


def test_mean_sd_and_undefined_values():
    mean, sd = stats.mean_sd([1, 2, 3, 4])
    assert mean == pytest.approx(2.5)
    assert sd == pytest.approx(math.sqrt(5 / 3))  # sample σ: (2.25 + .25 + .25 + 2.25) / 3
    assert stats.mean_sd([7]) == (7.0, None)  # σ of one value is undefined, not 0
    assert stats.mean_sd([]) == (None, None)


def test_bootstrap_intervals_are_fixed_by_seed_and_match_hand_values():
    # resampling [2, 4] gives means 2 (p=1/4), 3 (1/2), 4 (1/4): the 2.5% and 97.5% points are 2 and 4
    assert stats.bootstrap_ci([2, 4]) == pytest.approx((2.0, 4.0))
    assert stats.bootstrap_ci([5, 5, 5]) == pytest.approx((5.0, 5.0))
    x = [1, 3, 2, 5, 4, 4, 2]
    assert stats.bootstrap_ci(x) == stats.bootstrap_ci(x)
    lo, hi = stats.bootstrap_ci(x)
    assert lo < sum(x) / len(x) < hi
    # whole answers are resampled: [[1,3],[5,5]] -> pooled means 2, 3.5 or 5
    assert stats.cluster_bootstrap_ci([[1, 3], [5, 5]]) == pytest.approx((2.0, 5.0))
    s = stats.summarize([[1, 3], [5, 5]])
    assert (s.n, s.mean) == (4, pytest.approx(3.5))


def test_gaps_like_the_reference_study():
    # base 3.70, adapter 4.00, 14B 4.24
    assert stats.relative_gap(3.70, 4.00) == pytest.approx(8.108, abs=1e-3)
    assert stats.gap_closed(3.70, 4.00, 4.24) == pytest.approx(55.556, abs=1e-3)
    assert stats.relative_gap(0, 3) is None
    assert stats.gap_closed(4, 4, 4) is None


def test_paired_tests_hand_values():
    t = stats.paired_test([1, 1, 1, 1, 1, 1], [2, 3, 4, 5, 6, 7])  # differences 1..6, all positive
    assert t.mean_diff == pytest.approx(3.5)
    assert t.wilcoxon_stat == 0.0
    assert t.wilcoxon_p == pytest.approx(2 / 64)  # exact: both tails of the all-positive sign pattern
    assert t.t_stat == pytest.approx(3.5 / (math.sqrt(3.5) / math.sqrt(6)))
    same = stats.paired_test([3, 4], [3, 4])
    assert same.wilcoxon_p is None and "identical" in same.note
    with pytest.raises(ValueError, match="same number"):
        stats.paired_test([1, 2], [1])


def test_agreement_hand_values():
    a = stats.agreement([1, 2, 3], [1, 2, 4])
    assert a.pearson == pytest.approx(3 / math.sqrt(2 * 14 / 3))
    assert a.spearman == pytest.approx(1.0)
    assert a.qwk == pytest.approx(6 / 7)  # observed weight 1/16 vs expected 7/16
    assert a.mae == pytest.approx(1 / 3)
    const = stats.agreement([3, 3, 3], [1, 2, 4])
    assert const.pearson is None and const.spearman is None
    assert stats.quadratic_weighted_kappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) == pytest.approx(1.0)
    assert stats.rescale(2.5, (0, 5)) == pytest.approx(3.0)


def _grade(item: CompareItem, score: int) -> AnswerGrade:
    c = CriterionScore(score=score, explanation="fixed")
    return AnswerGrade(reasoning="fixed", technical_correctness=c, depth_of_analysis=c, accuracy_of_analysis=c,
                       verdict="acceptable", question=item.question, answer=item.answer, provenance=PROV)


def test_run_statistics_on_a_fixed_result_set():
    cfg = CompareConfig(models=["a", "b"], judge="j", repeats=2, human_scale=(0, 5))
    items = [CompareItem(id="1", question="q1", answer="x", human_score=2.5),
             CompareItem(id="2", question="q2", answer="y", human_score=5)]
    grades = [GradeRecord(model=m, item_id=i.id, repeat=r, ok=True, grade=_grade(i, s))
              for m in ("a", "b") for i, (s0, s1) in zip(items, [(3, 4), (4, 5)]) for r, s in enumerate((s0, s1))]
    judgments = [
        judged("a", "1", 0, 3, 4, 2), judged("a", "1", 1, 3, 3, 3), judged("a", "2", 0, 4, 4, 4), judged("a", "2", 1, 5, 4, 3),
        judged("b", "1", 0, 4, 4, 4), judged("b", "1", 1, 5, 5, 5), judged("b", "2", 0, 4, 5, 3),
        JudgeRecord(model="b", item_id="2", repeat=1, ok=False, error="the judge's answer could not be used"),
    ]
    pairs = [
        PairwiseVerdict(model_a="a", model_b="b", item_id="1", repeat=0, a_first=pick("B"), b_first=pick("A")),
        PairwiseVerdict(model_a="a", model_b="b", item_id="1", repeat=1, a_first=pick("A"), b_first=pick("A")),
        PairwiseVerdict(model_a="a", model_b="b", item_id="2", repeat=0, a_first=pick("tie"), b_first=pick("tie")),
        PairwiseVerdict(model_a="a", model_b="b", item_id="2", repeat=1, a_first=None, b_first=pick("B"), error="x"),
    ]
    st = compute_stats(cfg, items, grades, judgments, pairs)

    a, b = st.metric("a", "overall"), st.metric("b", "overall")
    assert (a.n, a.mean, a.sd) == (4, pytest.approx(3.5), pytest.approx(math.sqrt(1 / 3)))
    assert a.run_means == [pytest.approx(3.5), pytest.approx(3.5)] and a.run_sd == pytest.approx(0.0)
    assert (b.n, b.mean, b.sd) == (3, pytest.approx(13 / 3), pytest.approx(math.sqrt(1 / 3)))  # the failure is left out
    assert b.run_means == [pytest.approx(4.0), pytest.approx(5.0)] and b.run_sd == pytest.approx(math.sqrt(0.5))
    assert a.ci_low <= a.mean <= a.ci_high
    assert st.metric("a", "technical_correctness").mean == pytest.approx(3.75)

    gap = next(g for g in st.gaps if g.metric == "overall")
    assert (gap.model_a, gap.model_b, gap.gap_pct) == ("a", "b", pytest.approx((13 / 3 - 3.5) / 3.5 * 100))
    tech = next(g for g in st.gaps if g.metric == "technical_correctness")
    assert tech.gap_pct == pytest.approx((14 / 3 - 3.75) / 3.75 * 100)

    paired = st.paired[0]  # per answer: a = 3, 4; b = 4.5, 4
    assert (paired.n, paired.mean_diff) == (2, pytest.approx(0.75))

    human = {r.right: r for r in st.human_agreement}["a"]  # human 2.5 and 5 of 5 -> 3 and 5; a's grades 3.5, 4.5
    assert human.n == 2 and human.mae == pytest.approx(0.5) and human.qwk == pytest.approx(2 / 3)
    assert st.graders[0].mean_repeat_sd == pytest.approx(math.sqrt(0.5))
    assert st.model_agreement[0].mae == pytest.approx(0.0)

    assert [p.winner for p in pairs] == ["b", "tie", "tie", None]  # disagreement between orders = tie
    row = st.pairwise[0]
    assert (row.wins_a, row.wins_b, row.ties, row.failed) == (0, 1, 2, 1)
    assert row.consistency == pytest.approx(2 / 3)
    bias = st.position_bias
    assert (bias.judgments, bias.first_picked, bias.second_picked, bias.ties) == (7, 3, 2, 2)
    assert bias.first_rate == pytest.approx(0.6) and bias.inconsistent_rate == pytest.approx(1 / 3)

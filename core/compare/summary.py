"""A run's statistics as one typed object: per model and metric mean ± σ and 95% interval, gaps,
paired tests, agreement with human scores and between models, pairwise wins and position bias."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from statistics import fmean

from pydantic import BaseModel

from core.compare import stats
from core.compare.records import CompareConfig, CompareItem, GradeRecord, JudgeRecord
from core.schemas import PairwiseVerdict
from core.schemas.judge import JUDGE_METRICS

GRADER_SCALE = (1.0, 5.0)


class MetricStat(BaseModel):
    model: str
    metric: str
    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    run_means: list[float | None]  # one per repeat: the mean over answers in that run
    run_sd: float | None  # σ of the run means: how stable the model is from run to run


class GapRow(BaseModel):
    metric: str
    model_a: str
    model_b: str
    mean_a: float | None
    mean_b: float | None
    gap_pct: float | None  # (b - a) / a, in percent


class GapClosedRow(BaseModel):
    metric: str
    base: str
    model: str
    top: str
    closed_pct: float | None


class PairedRow(BaseModel):
    model_a: str
    model_b: str
    metric: str
    n: int
    mean_diff: float | None
    wilcoxon_stat: float | None
    wilcoxon_p: float | None
    t_stat: float | None
    t_p: float | None
    note: str = ""


class AgreementRow(BaseModel):
    left: str
    right: str
    n: int
    pearson: float | None
    spearman: float | None
    qwk: float | None
    mae: float | None


class GraderRow(BaseModel):
    """The model's own grades of the answers: level, spread across repeats, failures."""

    model: str
    graded: int
    failed: int
    judged: int
    judge_failed: int
    mean_overall: float | None
    mean_repeat_sd: float | None  # mean over answers of the σ of the model's overall across repeats


class PairwiseRow(BaseModel):
    model_a: str
    model_b: str
    wins_a: int
    wins_b: int
    ties: int
    failed: int
    consistency: float | None  # share of pairs where both orders named the same winner


class PositionBias(BaseModel):
    judgments: int
    first_picked: int
    second_picked: int
    ties: int
    first_rate: float | None  # among decisive judgments; 0.5 means no position bias
    inconsistent_rate: float | None


class CompareStats(BaseModel):
    metrics: list[MetricStat]
    graders: list[GraderRow]
    gaps: list[GapRow]
    gap_closed: list[GapClosedRow]
    paired: list[PairedRow]
    human_agreement: list[AgreementRow]
    model_agreement: list[AgreementRow]
    pairwise: list[PairwiseRow]
    position_bias: PositionBias | None
    human_scale: tuple[float, float]

    def metric(self, model: str, metric: str) -> MetricStat:
        for m in self.metrics:
            if m.model == model and m.metric == metric:
                return m
        raise KeyError(f"no statistics for {model!r} / {metric!r}")


def _score(record: JudgeRecord, metric: str) -> float | None:
    if not record.ok or record.verdict is None:
        return None
    return float(getattr(record.verdict, metric))


def compute_stats(cfg: CompareConfig, items: list[CompareItem], grades: list[GradeRecord], judgments: list[JudgeRecord],
                  pairs: list[PairwiseVerdict]) -> CompareStats:
    models, item_ids = cfg.models, [i.id for i in items]
    metrics: list[MetricStat] = []
    item_means: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)  # (model, metric) -> item -> mean
    for model in models:
        mine = [j for j in judgments if j.model == model]
        for metric in JUDGE_METRICS:
            per_item = {i: [s for j in mine if j.item_id == i and (s := _score(j, metric)) is not None] for i in item_ids}
            spread = stats.summarize(list(per_item.values()))
            run_means = []
            for r in range(cfg.repeats):
                vals = [s for j in mine if j.repeat == r and (s := _score(j, metric)) is not None]
                run_means.append(fmean(vals) if vals else None)
            _, run_sd = stats.mean_sd(run_means)
            metrics.append(MetricStat(model=model, metric=metric, n=spread.n, mean=spread.mean, sd=spread.sd,
                                      ci_low=spread.ci_low, ci_high=spread.ci_high, run_means=run_means, run_sd=run_sd))
            item_means[(model, metric)] = {i: fmean(v) for i, v in per_item.items() if v}
    by = {(m.model, m.metric): m for m in metrics}
    gaps = [GapRow(metric=metric, model_a=a, model_b=b, mean_a=by[a, metric].mean, mean_b=by[b, metric].mean,
                   gap_pct=stats.relative_gap(by[a, metric].mean, by[b, metric].mean))
            for metric in JUDGE_METRICS for a, b in combinations(models, 2)]
    closed = []
    if len(models) >= 3:
        base, top = models[0], models[-1]
        closed = [GapClosedRow(metric=metric, base=base, model=m, top=top,
                               closed_pct=stats.gap_closed(by[base, metric].mean, by[m, metric].mean, by[top, metric].mean))
                  for metric in JUDGE_METRICS for m in models[1:-1]]
    paired = []
    for a, b in combinations(models, 2):
        ma, mb = item_means[(a, "overall")], item_means[(b, "overall")]
        common = [i for i in item_ids if i in ma and i in mb]
        t = stats.paired_test([ma[i] for i in common], [mb[i] for i in common])
        paired.append(PairedRow(model_a=a, model_b=b, metric="overall", n=t.n, mean_diff=t.mean_diff,
                                wilcoxon_stat=t.wilcoxon_stat, wilcoxon_p=t.wilcoxon_p, t_stat=t.t_stat, t_p=t.t_p,
                                note=t.note))
    grade_means, graders = _grader_rows(models, item_ids, grades, judgments)
    human = {i.id: stats.rescale(i.human_score, cfg.human_scale, GRADER_SCALE) for i in items if i.human_score is not None}
    human_agreement = []
    if human:
        for model in models:
            common = [i for i in item_ids if i in human and i in grade_means[model]]
            human_agreement.append(_agreement("human", model, [human[i] for i in common],
                                              [grade_means[model][i] for i in common]))
    model_agreement = []
    for a, b in combinations(models, 2):
        common = [i for i in item_ids if i in grade_means[a] and i in grade_means[b]]
        model_agreement.append(_agreement(a, b, [grade_means[a][i] for i in common], [grade_means[b][i] for i in common]))
    pairwise, bias = _pairwise(models, pairs)
    return CompareStats(metrics=metrics, graders=graders, gaps=gaps, gap_closed=closed, paired=paired,
                        human_agreement=human_agreement, model_agreement=model_agreement, pairwise=pairwise,
                        position_bias=bias, human_scale=cfg.human_scale)


def _agreement(left: str, right: str, x: list[float], y: list[float]) -> AgreementRow:
    a = stats.agreement(x, y, int(GRADER_SCALE[0]), int(GRADER_SCALE[1]))
    return AgreementRow(left=left, right=right, n=a.n, pearson=a.pearson, spearman=a.spearman, qwk=a.qwk, mae=a.mae)


def _grader_rows(models: list[str], item_ids: list[str], grades: list[GradeRecord], judgments: list[JudgeRecord]
                 ) -> tuple[dict[str, dict[str, float]], list[GraderRow]]:
    means: dict[str, dict[str, float]] = {}
    rows = []
    for model in models:
        mine = [g for g in grades if g.model == model]
        per_item = {i: [g.grade.overall for g in mine if g.item_id == i and g.ok and g.grade] for i in item_ids}
        means[model] = {i: fmean(v) for i, v in per_item.items() if v}
        sds = [sd for v in per_item.values() if (sd := stats.mean_sd(v)[1]) is not None]
        judged = [j for j in judgments if j.model == model]
        all_scores = [s for v in per_item.values() for s in v]
        rows.append(GraderRow(model=model, graded=len(mine), failed=sum(not g.ok for g in mine), judged=len(judged),
                              judge_failed=sum(not j.ok for j in judged),
                              mean_overall=fmean(all_scores) if all_scores else None,
                              mean_repeat_sd=fmean(sds) if sds else None))
    return means, rows


def _pairwise(models: list[str], pairs: list[PairwiseVerdict]) -> tuple[list[PairwiseRow], PositionBias | None]:
    if not pairs:
        return [], None
    rows = []
    for a, b in combinations(models, 2):
        mine = [p for p in pairs if p.model_a == a and p.model_b == b]
        if not mine:
            continue
        done = [p for p in mine if p.winner is not None]
        rows.append(PairwiseRow(model_a=a, model_b=b, wins_a=sum(p.winner == a for p in done),
                                wins_b=sum(p.winner == b for p in done), ties=sum(p.winner == "tie" for p in done),
                                failed=len(mine) - len(done),
                                consistency=sum(bool(p.consistent) for p in done) / len(done) if done else None))
    single = [x.better for p in pairs for x in (p.a_first, p.b_first) if x is not None]
    first, second = single.count("A"), single.count("B")
    done = [p for p in pairs if p.consistent is not None]
    bias = PositionBias(judgments=len(single), first_picked=first, second_picked=second, ties=single.count("tie"),
                        first_rate=first / (first + second) if first + second else None,
                        inconsistent_rate=sum(not p.consistent for p in done) / len(done) if done else None)
    return rows, bias

"""Statistics for model comparisons. Pure functions over plain numbers; numpy and scipy only.

Conventions: a standard deviation is the sample one (n - 1); a value that is undefined for the data
(σ of one number, a correlation of a constant series) is ``None``, never a made-up number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_SEED = 20240601
BOOTSTRAP_SAMPLES = 2000


@dataclass(frozen=True)
class MeanSpread:
    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class PairedTest:
    n: int
    mean_diff: float | None  # mean of (b - a)
    wilcoxon_stat: float | None
    wilcoxon_p: float | None
    t_stat: float | None
    t_p: float | None
    note: str = ""


@dataclass(frozen=True)
class Agreement:
    n: int
    pearson: float | None
    spearman: float | None
    qwk: float | None
    mae: float | None


def _clean(values: Sequence[float | None]) -> np.ndarray:
    return np.asarray([float(v) for v in values if v is not None and not math.isnan(float(v))], dtype=float)


def mean_sd(values: Sequence[float | None]) -> tuple[float | None, float | None]:
    """Mean and sample standard deviation (None where undefined)."""
    x = _clean(values)
    if x.size == 0:
        return None, None
    sd = float(x.std(ddof=1)) if x.size > 1 else None
    return float(x.mean()), sd


def bootstrap_ci(
    values: Sequence[float | None], level: float = 0.95, samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED
) -> tuple[float | None, float | None]:
    """Percentile bootstrap interval of the mean, with a fixed seed so a report is reproducible."""
    x = _clean(values)
    if x.size == 0:
        return None, None
    if x.size == 1:
        return float(x[0]), float(x[0])
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, size=(samples, x.size))].mean(axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    lo, hi = np.percentile(means, [tail, 100.0 - tail])
    return float(lo), float(hi)


def cluster_bootstrap_ci(
    groups: Sequence[Sequence[float]], level: float = 0.95, samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED
) -> tuple[float | None, float | None]:
    """Bootstrap interval of the pooled mean, resampling whole groups (e.g. an answer with its repeats).

    Repeats of one answer are not independent, so the answer is the unit that is resampled.
    """
    kept = [_clean(g) for g in groups]
    kept = [g for g in kept if g.size]
    if not kept:
        return None, None
    if len(kept) == 1:
        return bootstrap_ci(kept[0].tolist(), level, samples, seed) if kept[0].size > 1 else (float(kept[0][0]),) * 2
    sums = np.array([g.sum() for g in kept])
    counts = np.array([g.size for g in kept], dtype=float)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(kept), size=(samples, len(kept)))
    means = sums[idx].sum(axis=1) / counts[idx].sum(axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    lo, hi = np.percentile(means, [tail, 100.0 - tail])
    return float(lo), float(hi)


def summarize(groups: Sequence[Sequence[float]], seed: int = BOOTSTRAP_SEED, samples: int = BOOTSTRAP_SAMPLES) -> MeanSpread:
    """Mean and σ of all values pooled, with a 95% interval from resampling the groups."""
    pooled = [v for g in groups for v in g]
    x = _clean(pooled)
    mean, sd = mean_sd(x.tolist())
    lo, hi = cluster_bootstrap_ci(groups, seed=seed, samples=samples)
    return MeanSpread(int(x.size), mean, sd, lo, hi)


def relative_gap(a: float | None, b: float | None) -> float | None:
    """How much higher ``b`` is than ``a``, as a percentage of ``a``."""
    if a is None or b is None or a == 0:
        return None
    return (b - a) / a * 100.0


def gap_closed(base: float | None, mid: float | None, top: float | None) -> float | None:
    """Share (%) of the base→top gap that ``mid`` closes (e.g. an adapter between a 7B and a 14B)."""
    if base is None or mid is None or top is None or top == base:
        return None
    return (mid - base) / (top - base) * 100.0


def paired_test(a: Sequence[float], b: Sequence[float]) -> PairedTest:
    """Wilcoxon signed-rank and paired t-test of ``b - a`` over paired observations."""
    from scipy import stats

    if len(a) != len(b):
        raise ValueError(f"paired test needs the same number of values on both sides ({len(a)} vs {len(b)})")
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = int(x.size)
    if n == 0:
        return PairedTest(0, None, None, None, None, None, "no paired observations")
    d = y - x
    mean_diff = float(d.mean())
    if np.all(d == 0):
        return PairedTest(n, mean_diff, None, None, None, None, "identical scores: nothing to test")
    w_stat = w_p = t_stat = t_p = None
    notes = []
    w = stats.wilcoxon(x, y, zero_method="wilcox")
    w_stat, w_p = float(w.statistic), float(w.pvalue)
    if n < 2 or float(d.std(ddof=1)) == 0.0:
        notes.append("t-test undefined: the differences do not vary")
    else:
        t = stats.ttest_rel(y, x)
        t_stat, t_p = float(t.statistic), float(t.pvalue)
    if n < 6:
        notes.append(f"only {n} pairs: Wilcoxon cannot reach p < 0.05 below 6 pairs; read the gap and intervals too")
    return PairedTest(n, mean_diff, w_stat, w_p, t_stat, t_p, "; ".join(notes))


def round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(x + 0.5)


def quadratic_weighted_kappa(a: Sequence[float], b: Sequence[float], low: int = 1, high: int = 5) -> float | None:
    """Cohen's kappa with quadratic weights on scores rounded (half up) to integers in [low, high]."""
    x = np.clip(round_half_up(np.asarray(a, dtype=float)), low, high).astype(int) - low
    y = np.clip(round_half_up(np.asarray(b, dtype=float)), low, high).astype(int) - low
    k = high - low + 1
    if x.size == 0 or k < 2:
        return None
    observed = np.zeros((k, k))
    np.add.at(observed, (x, y), 1)
    expected = np.outer(np.bincount(x, minlength=k), np.bincount(y, minlength=k)) / x.size
    idx = np.arange(k)
    weights = (idx[:, None] - idx[None, :]) ** 2 / (k - 1) ** 2
    denom = float((weights * expected).sum())
    if denom == 0:
        return None
    return 1.0 - float((weights * observed).sum()) / denom


def agreement(a: Sequence[float], b: Sequence[float], low: int = 1, high: int = 5) -> Agreement:
    """Pearson, Spearman, quadratic-weighted kappa and mean absolute error between two score lists."""
    from scipy import stats

    if len(a) != len(b):
        raise ValueError(f"agreement needs the same number of scores on both sides ({len(a)} vs {len(b)})")
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = int(x.size)
    if n == 0:
        return Agreement(0, None, None, None, None)
    varies = n >= 2 and x.std() > 0 and y.std() > 0
    pearson = float(stats.pearsonr(x, y).statistic) if varies else None
    spearman = float(stats.spearmanr(x, y).statistic) if varies else None
    return Agreement(n, pearson, spearman, quadratic_weighted_kappa(a, b, low, high), float(np.abs(x - y).mean()))


def rescale(value: float, source: tuple[float, float], target: tuple[float, float] = (1.0, 5.0)) -> float:
    """Map a score linearly from one scale to another (e.g. human 0–5 onto the graders' 1–5)."""
    (s0, s1), (t0, t1) = source, target
    if s1 == s0:
        raise ValueError(f"a score scale needs two different ends, got {source}")
    return t0 + (value - s0) * (t1 - t0) / (s1 - s0)

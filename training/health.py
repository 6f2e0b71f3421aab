"""Did a finished run learn anything? Signs read from its metrics that make its adapter untrustworthy.

A run with any of these signs ends as ``needs_attention``: its adapter is saved (to look at, or to
register on purpose) but is not registered as a model profile, so no tab offers it by accident.
"""

from __future__ import annotations

import math
from typing import Any

from training.config import RunConfig

NEEDS_ATTENTION = "needs_attention"
CUT_OFF = 0.999  # a step whose share of cut-off completions reaches this had every completion cut


def _values(rows: list[dict[str, Any]], key: str) -> list[float]:
    return [float(r[key]) for r in rows if isinstance(r.get(key), (int, float)) and not isinstance(r.get(key), bool)]


def attention_reasons(rows: list[dict[str, Any]], cfg: RunConfig) -> list[str]:
    """Plain-language reasons why a run's adapter should not be trusted; empty when none."""
    reasons: list[str] = []
    losses = [(r.get("step"), r["loss"]) for r in rows if isinstance(r.get("loss"), float)]
    bad = next(((step, v) for step, v in losses if not math.isfinite(v)), None)
    if bad is not None:
        reasons.append(f"the training loss became {bad[1]} at step {bad[0]}: the weights are not usable; lower "
                       "train.learning_rate or check the dataset")
    if cfg.kind != "grpo":
        return reasons
    rewards = _values(rows, "reward")
    if rewards and all(v == 0.0 for v in rewards):
        reasons.append(f"every logged reward was 0 ({len(rewards)} step(s)): no completion earned a reward, so GRPO "
                       "had nothing to learn from; start from an SFT adapter (grpo.init_adapter) or raise "
                       "grpo.max_completion_length")
    clipped = _values(rows, "completions/clipped_ratio")
    if clipped and all(v >= CUT_OFF for v in clipped):
        reasons.append(f"every completion was cut off at grpo.max_completion_length = "
                       f"{cfg.grpo.max_completion_length} tokens, and cut-off completions earn no reward; raise it")
    return reasons

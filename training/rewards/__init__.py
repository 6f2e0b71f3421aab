"""Reward functions for GRPO, one family per file, in TRL's style
(``f(prompts, completions, **dataset_columns) -> list[float]``). Weights come from the run config."""

from __future__ import annotations

from collections.abc import Callable

from training.config import RewardWeights
from training.rewards.correctness import correctness_reward
from training.rewards.format import format_reward

REWARDS: dict[str, Callable[..., list[float]]] = {
    "correctness": correctness_reward,
    "format": format_reward,
}


def reward_setup(weights: RewardWeights) -> tuple[list[Callable[..., list[float]]], list[float]]:
    """(functions, weights) for GRPOTrainer, leaving out functions weighted 0."""
    chosen = [(REWARDS[name], getattr(weights, name)) for name in REWARDS if getattr(weights, name) > 0]
    return [f for f, _ in chosen], [w for _, w in chosen]


__all__ = ["REWARDS", "correctness_reward", "format_reward", "reward_setup"]

"""How often people decide what the tool recommended: agreement rate, Cohen's kappa and the confusion table.

The tool recommends on its own scale and a person decides on theirs; they are compared through one mapping
(:data:`TOOL_TO_PERSON`): advance → advance, consider → hold, decline → reject.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.analytics.data import DecisionFact

TOOL_LABELS = ("advance", "consider", "decline")
PERSON_LABELS = ("advance", "hold", "reject")
TOOL_TO_PERSON: dict[str, str] = dict(zip(TOOL_LABELS, PERSON_LABELS))


@dataclass(frozen=True)
class Agreement:
    """Tool vs person over ``n`` decisions. ``kappa`` is None when it is undefined (no decisions, or both sides
    used one and the same label throughout, so chance agreement is already 1)."""

    n: int
    agreed: int
    rate: float | None
    kappa: float | None
    expected: float | None  # agreement expected by chance from the two sides' label frequencies
    confusion: tuple[tuple[int, ...], ...]  # rows: tool TOOL_LABELS, columns: person PERSON_LABELS
    without_tool: int = 0  # decisions made with no tool recommendation shown (not counted in n)


def cohen_kappa(left: Sequence[str], right: Sequence[str], labels: Sequence[str] | None = None) -> float | None:
    """Cohen's kappa of two raters' labels for the same items: (p_o − p_e) / (1 − p_e).

    None when there are no items or chance agreement p_e is 1 (kappa is undefined there)."""
    if len(left) != len(right):
        raise ValueError(f"the two raters labelled {len(left)} and {len(right)} items; kappa needs the same items")
    n = len(left)
    if n == 0:
        return None
    cats = list(labels) if labels is not None else sorted(set(left) | set(right))
    observed = sum(a == b for a, b in zip(left, right)) / n
    expected = sum((list(left).count(c) / n) * (list(right).count(c) / n) for c in cats)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def latest_decisions(decisions: Iterable[DecisionFact]) -> list[DecisionFact]:
    """Each candidate's latest decision per job (a changed mind replaces the earlier decision)."""
    latest: dict[tuple[int, int | None], DecisionFact] = {}
    for d in sorted(decisions, key=lambda d: d.id):
        latest[(d.candidate_id, d.job_id)] = d
    return sorted(latest.values(), key=lambda d: d.id)


def agreement(decisions: Iterable[DecisionFact]) -> Agreement:
    """Agreement between the tool's recommendation (mapped) and the person's latest decision per candidate and job."""
    pairs, without = [], 0
    for d in latest_decisions(decisions):
        if d.tool_recommendation not in TOOL_TO_PERSON or d.decision not in PERSON_LABELS:
            without += 1
            continue
        pairs.append((d.tool_recommendation, d.decision))
    confusion = tuple(tuple(sum(1 for t, p in pairs if t == tl and p == pl) for pl in PERSON_LABELS) for tl in TOOL_LABELS)
    n = len(pairs)
    if n == 0:
        return Agreement(0, 0, None, None, None, confusion, without)
    tool = [TOOL_TO_PERSON[t] for t, _ in pairs]
    person = [p for _, p in pairs]
    agreed = sum(a == b for a, b in zip(tool, person))
    expected = sum((tool.count(c) / n) * (person.count(c) / n) for c in PERSON_LABELS)
    return Agreement(n, agreed, agreed / n, cohen_kappa(tool, person, PERSON_LABELS), expected, confusion, without)


def agreement_by_profile(decisions: Iterable[DecisionFact]) -> dict[str, Agreement]:
    """Agreement per model profile whose recommendation the person saw."""
    latest = latest_decisions(decisions)
    return {p: agreement([d for d in latest if d.profile == p]) for p in sorted({d.profile for d in latest if d.profile})}

"""GRPO reward functions, table-tested on real completions in the shapes TRL passes them."""

import json

import pytest

from core.schemas.grade import to_tag_format
from training.config import RewardWeights
from training.rewards import REWARDS, correctness_reward, format_reward, reward_setup
from training.rewards.common import parse_grade


def grade_json(tc: int, depth: int, acc: int, verdict: str = "acceptable") -> str:
    crit = lambda s: {"score": s, "explanation": "plain words"}  # noqa: E731
    return json.dumps({"reasoning": "checked against the reference", "technical_correctness": crit(tc),
                       "depth_of_analysis": crit(depth), "accuracy_of_analysis": crit(acc), "verdict": verdict})


VALID_JSON = grade_json(5, 4, 3)  # overall 4.0
CUT_OFF = VALID_JSON[: len(VALID_JSON) // 2]  # what a completion stopped at the length limit looks like
WRONG_SHAPE = json.dumps({"score": 4})

FORMAT_CASES = [
    (VALID_JSON, 1.0),
    (f"Here is my grade:\n```json\n{VALID_JSON}\n```", 1.0),
    (to_tag_format("covers the key points", 4), 1.0),
    ("<reasoning>fine</reasoning><score>4.5</score>", 1.0),
    ("<reasoning>fine</reasoning><score>9</score>", 0.0),  # outside 1-5
    ("<reasoning>no score tag</reasoning>", 0.0),
    (WRONG_SHAPE, 0.25),
    (CUT_OFF, 0.0),
    ("", 0.0),
    ("The answer is good, 5 out of 5.", 0.0),
]


@pytest.mark.parametrize("text,expected", FORMAT_CASES)
def test_format_reward_table(text, expected):
    assert format_reward([text]) == [expected]


CORRECTNESS_CASES = [
    (VALID_JSON, 4.0, 1.0),
    (VALID_JSON, 5.0, 0.75),
    (VALID_JSON, 1.0, 0.25),
    (grade_json(1, 1, 1, "unacceptable"), 5.0, 0.0),
    (to_tag_format("ok", 3), 3.0, 1.0),
    (to_tag_format("ok", 2), 4.0, 0.5),
    (CUT_OFF, 4.0, 0.0),  # no readable score earns nothing
    ("four", 4.0, 0.0),
]


@pytest.mark.parametrize("text,reference,expected", CORRECTNESS_CASES)
def test_correctness_reward_table(text, reference, expected):
    assert correctness_reward([text], reference_score=[reference]) == [pytest.approx(expected)]


def test_rewards_accept_conversational_completions_and_extra_columns():
    """TRL passes chat completions as lists of messages, plus every dataset column and trainer state."""
    completions = [[{"role": "assistant", "content": VALID_JSON}], [{"role": "assistant", "content": "nonsense"}]]
    kwargs = {"prompts": [[{"role": "user", "content": "q"}]] * 2, "completion_ids": [[1], [2]],
              "trainer_state": object(), "reference_score": [4.0, 4.0]}
    assert correctness_reward(completions=completions, **kwargs) == [1.0, 0.0]
    assert format_reward(completions=completions, **kwargs) == [1.0, 0.0]


def test_parse_grade_reports_why_nothing_was_found():
    parsed = parse_grade("<reasoning>cut")
    assert parsed.kind == "none" and parsed.score is None
    assert "</reasoning>" in parsed.error and "JSON" in parsed.error


def test_reward_setup_drops_zero_weights_and_keeps_order():
    funcs, weights = reward_setup(RewardWeights(correctness=2.0, format=0.0))
    assert funcs == [REWARDS["correctness"]] and weights == [2.0]
    funcs, weights = reward_setup(RewardWeights())
    assert [f.__name__ for f in funcs] == ["correctness_reward", "format_reward"] and weights == [1.0, 0.5]

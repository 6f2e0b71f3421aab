"""One settings coercer for YAML, `--set`, the Train tab's form and HIRELAB_PROFILE_* variables."""

from __future__ import annotations

from typing import Literal

import pytest

from core.coerce import CoerceError, coerce
from core.errors import ProfileError


@pytest.mark.parametrize("field_type,value,expected", [
    (int, 3, 3), (int, 3.0, 3), (int, " 16 ", 16), (float, 2, 2.0), (float, "2e-4", 2e-4),
    (bool, True, True), (bool, "Yes", True), (bool, "off", False), (str, "x", "x"), (float | None, None, None),
    (float | None, "1.5", 1.5), (Literal["sft", "grpo"], "grpo", "grpo"), (list[str], ("a", "b"), ["a", "b"]),
])
def test_values_from_every_source_take_the_fields_type(field_type, value, expected):
    out = coerce(field_type, value, "x")
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize("field_type,value,message", [
    (int, "many", "lora.r = 'many': expected int"), (int, 3.5, "lora.r = 3.5: expected int"),
    (int, True, "lora.r = True: expected int"), (bool, "maybe", "lora.r = 'maybe': expected bool"),
    (Literal["sft", "grpo"], "dpo", "lora.r = 'dpo': expected one of 'sft', 'grpo'"),
    (float | None, "big", "lora.r = 'big': expected float or None"),
])
def test_a_wrong_value_names_the_setting_and_the_expected_type(field_type, value, message):
    with pytest.raises(CoerceError) as err:
        coerce(field_type, value, "lora.r")
    assert str(err.value) == message


def test_yaml_the_form_and_the_environment_read_alike(monkeypatch):
    from core.models import get_profile
    from training.config import ConfigError, RunConfig
    from training.presets import preset

    from_yaml = RunConfig.from_yaml("kind: sft\ntrain:\n  max_steps: 7\n  learning_rate: 2e-4\n")
    from_form = preset("cpu-smoke-sft").with_overrides({"train.max_steps": 7.0, "train.learning_rate": 0.0002})
    assert (from_yaml.train.max_steps, from_yaml.train.learning_rate) == (from_form.train.max_steps, 2e-4)
    assert type(from_form.train.max_steps) is int
    with pytest.raises(ConfigError, match="train.max_steps = 'lots': expected int"):
        RunConfig.from_yaml("train:\n  max_steps: lots\n")
    monkeypatch.setenv("HIRELAB_PROFILE_RULES_BATCH_SIZE", "12")
    monkeypatch.setenv("HIRELAB_PROFILE_RULES_ENFORCE_EAGER", "no")
    assert (get_profile("rules").batch_size, get_profile("rules").enforce_eager) == (12, False)
    monkeypatch.setenv("HIRELAB_PROFILE_RULES_BATCH_SIZE", "twelve")
    with pytest.raises(ProfileError, match="HIRELAB_PROFILE_RULES_BATCH_SIZE = 'twelve': expected int"):
        get_profile("rules")

"""The meaning of each training setting is written once, in the message tables (``cfg.<key>`` and
``cfg.<key>.help``, English and Russian); the Train form and `hirelab train --help` read it from there."""

import os
import subprocess
import sys

import pytest

from core.messages import en, msg, ru
from tests.paths import REPO
from training.config import RunConfig, setting_keys


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cli(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "cli", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return _flat(proc.stdout)


def test_setting_keys_reach_every_field_of_every_section():
    keys = setting_keys()
    assert len(keys) == len(set(keys)) >= 40
    assert {"kind", "model.profile", "lora.target_modules", "grpo.rewards.format", "hardware.allow_over_budget"} <= set(keys)
    cfg = RunConfig()
    for key in keys:
        cfg.value(key)  # each key names a real setting
        assert not hasattr(cfg.value(key), "__dataclass_fields__"), key  # a setting, not a section


@pytest.mark.parametrize("lang, table", [("en", en.MESSAGES), ("ru", ru.MESSAGES)])
def test_every_setting_has_a_label_and_a_description_in_both_languages(lang, table):
    missing = [key for key in setting_keys() for k in (f"cfg.{key}", f"cfg.{key}.help") if k not in table]
    assert not missing, f"{lang}: add {missing} to core/messages/{lang}.py"


def test_train_help_shows_the_message_table_text():
    out = _cli("train", "--help")
    for key in setting_keys():
        assert _flat(f"{key} = {RunConfig().value(key)!r}: {msg(f'cfg.{key}.help', 'en')}") in out, key


def test_train_settings_lists_them_in_russian():
    out = _cli("train", "settings", "--lang", "ru")
    assert _flat(msg("cfg_settings_head", "ru")) in out
    for key in setting_keys():
        assert _flat(msg(f"cfg.{key}.help", "ru")) in out, key
    assert "Share of GPU memory" not in out  # nothing English left

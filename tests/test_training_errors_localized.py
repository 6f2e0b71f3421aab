"""Training's errors (a bad config, a run that will not fit, a refused launch, a run that cannot go on) derive
from the one root LocalizedError: the CLI reads them in English, the Train tab in the browser's language."""

import re

import gradio as gr
import pytest

from core.messages import LocalizedError, msg
from training.config import ConfigError, RunConfig
from training.launcher import LaunchError, TrainingDisabled, get_run
from training.modeling import TrainingError
from training.presets import preset
from training.vram import WontFit, gate_plan
from workbench.tabs.train import FORM, form_values, plan


def test_every_training_error_derives_from_the_one_root():
    from training.dataset import DatasetError
    from training.own_grader import GraderDataError
    from training.vram import PlanError

    for error in (ConfigError, WontFit, TrainingError, LaunchError, TrainingDisabled, PlanError, DatasetError,
                  GraderDataError):
        assert issubclass(error, LocalizedError), error


def test_a_bad_config_value_reads_in_russian_with_its_line():
    with pytest.raises(ConfigError) as raised:
        RunConfig.from_yaml("kind: sft\nlora:\n  r: 0\n  alpha: 0\n")
    assert str(raised.value) == ("invalid training config: line 3: lora.r = 0: use a rank from 1 to 512 (64 is the "
                                 "reference setting); line 4: lora.alpha = 0: must be at least 1")
    assert raised.value.text("ru") == ("настройки обучения с ошибками: строка 3: lora.r = 0: ранг должен быть от 1 до "
                                       "512 (64 — эталонная настройка); строка 4: lora.alpha = 0: должно быть не "
                                       "меньше 1")


def test_an_unknown_setting_and_preset_read_in_russian():
    with pytest.raises(ConfigError) as unknown:
        preset("cpu-smoke-sft").with_overrides({"train.steps": 3})
    assert unknown.value.text("ru").startswith("неизвестный параметр 'train.steps'; здесь есть: learning_rate")
    with pytest.raises(ConfigError) as no_preset:
        preset("no-such-preset")
    assert no_preset.value.text("ru").startswith("нет готовой настройки 'no-such-preset'; есть: t4-7b-sft")


def test_a_run_over_its_memory_budget_is_refused_in_the_readers_language():
    with pytest.raises(WontFit) as refused:
        gate_plan(preset("t4-7b-sft"), gpu_gb=2.0)
    ru = refused.value.text("ru")
    assert re.match(r"ожидаемый пик \d+(,\d)? ГБ", ru) and "hardware.allow_over_budget: true" in ru and "GB" not in ru
    assert str(refused.value).startswith("predicted peak") and str(refused.value).endswith("to try anyway.")
    wrapped = LaunchError.from_error(refused.value)  # the launcher's refusal keeps the words of its cause
    assert wrapped.text("ru") == ru and str(wrapped) == str(refused.value)


def test_a_missing_run_is_named_in_russian(home):
    with pytest.raises(LaunchError) as missing:
        get_run("no-such-run")
    assert missing.value.text("ru") == "запуска 'no-such-run' нет; список выводит `hirelab runs`"
    assert str(missing.value) == "no run 'no-such-run'; `hirelab runs` lists them"


def test_the_train_tab_refuses_a_bad_form_value_in_russian():
    values = dict(zip(FORM, form_values(preset("cpu-smoke-sft")), strict=True))
    values["lora.r"] = 0
    with pytest.raises(gr.Error) as refused:
        plan(None, preset("cpu-smoke-sft").to_dict(), "ru", *values.values())
    assert "lora.r = 0: ранг должен быть от 1 до 512" in refused.value.message
    assert refused.value.title == msg("toast_error", "ru")
    with pytest.raises(gr.Error) as english:
        plan(None, preset("cpu-smoke-sft").to_dict(), "en", *values.values())
    assert "lora.r = 0: use a rank from 1 to 512" in english.value.message


def test_a_missing_or_empty_dataset_reads_in_russian(tmp_path):
    from training.config import DataSettings
    from training.dataset import DatasetError, build_dataset

    with pytest.raises(DatasetError) as missing:
        build_dataset(DataSettings(path=str(tmp_path / "missing.jsonl")))
    assert missing.value.text("ru").startswith(f"набор данных {tmp_path / 'missing.jsonl'} не найден")
    empty = tmp_path / "empty.csv"
    empty.write_text("question,answer,score\n", encoding="utf-8")
    with pytest.raises(DatasetError) as nothing:
        build_dataset(DataSettings(path=str(empty)))
    assert str(nothing.value).startswith("no usable rows in") and nothing.value.text("ru").startswith("в ")
    assert "нет пригодных строк" in nothing.value.text("ru")

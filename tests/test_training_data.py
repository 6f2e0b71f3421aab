"""Grading datasets and run configs: import, evaluation guard, negatives, split, chat form, check report,
CLI, presets and YAML. Real files, the real grading prompt and the real tokenizer."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.schemas.grade import GradeAssessment, parse_tag_format
from core.services.grading import grade_messages
from training.config import ConfigError, DataSettings, RunConfig
from training.dataset import DatasetError, build_dataset, build_from_bytes, check_report, load_built, read_table
from training.dataset.negatives import KINDS
from training.dataset.targets import chat_record, criterion_scores
from training.presets import PRESETS, preset

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"
SAMPLE = REPO / "assets" / "datasets" / "grader_sample.jsonl"
runner = CliRunner()


@pytest.fixture(scope="module")
def built():
    return build_dataset(DataSettings(path=str(SAMPLE)))


def test_sample_dataset_builds_with_both_languages_negatives_and_a_question_split(built):
    real = [ex for ex in built.examples if ex.source == "file"]
    assert len(real) == sum(1 for _ in SAMPLE.open(encoding="utf-8"))
    assert {ex.language for ex in real} == {"en", "ru"}
    negatives = [ex for ex in built.examples if ex.source.startswith("negative:")]
    assert {ex.source.split(":")[1] for ex in negatives} == set(KINDS)
    assert all(ex.score == 1.0 for ex in negatives)
    copied = [ex for ex in negatives if ex.source == "negative:copied_question"]
    assert all(ex.answer == ex.question for ex in copied)
    train_q = {ex.question for ex in built.train}
    val_q = {ex.question for ex in built.val}
    assert val_q and not (train_q & val_q)  # validation questions are never trained on


def test_chat_form_uses_the_grading_prompt_and_the_grade_object_as_target(built):
    ex = next(e for e in built.train if e.source == "file" and e.score == 3)
    record = chat_record(ex, "json")
    expected = grade_messages(ex.question, ex.answer, ex.reference)
    assert [(m["role"], m["content"]) for m in record["prompt"]] == [(m.role, m.content) for m in expected]
    target = GradeAssessment.model_validate_json(record["completion"][0]["content"])
    assert target.overall == 3.0 and target.verdict == "weak"
    assert target.reasoning == ex.explanation
    reasoning, score = parse_tag_format(chat_record(ex, "tags")["completion"][0]["content"])
    assert score == 3 and reasoning == ex.explanation


@pytest.mark.parametrize("score,expected", [(1.0, (1, 1, 1)), (3.5, (4, 4, 3)), (4.2, (5, 4, 4)), (5.0, (5, 5, 5))])
def test_overall_score_spreads_over_criteria_with_the_closest_mean(score, expected):
    from training.dataset.rows import GradeExample

    assert tuple(criterion_scores(GradeExample("q", "a", score)).values()) == expected


def test_rows_from_the_evaluation_data_are_refused_even_when_recased():
    rows = [json.loads(line) for line in open(EVAL / "mohler_asag.jsonl", encoding="utf-8")][:3]
    lines = [{"question": r["question"].upper(), "answer": f"  {r['answer']} ", "score": r["score_avg"]} for r in rows[:2]]
    lines.append({"question": rows[2]["question"], "answer": "A different answer of my own.", "score": 3})
    lines.append({"question": "What does a load balancer do?", "answer": "Spreads requests over servers.", "score": 4})
    data = "\n".join(json.dumps(r) for r in lines).encode()
    out = build_from_bytes(data, "mixed.jsonl", DataSettings(score_min=0, negative_ratio=0))
    assert [p.where.split()[1] for p in out.refused] == ["1", "2", "3"]
    assert "evaluation data" in str(out.refused[0]) and "question is from" in str(out.refused[2])
    assert [ex.question for ex in out.examples] == ["What does a load balancer do?"]


def test_bad_rows_are_reported_and_the_rest_kept():
    csv_text = ("question,answer,score,reference\n"
                "What is REST?,An architectural style over HTTP resources.,4,\n"
                "What is REST?,An architectural style over HTTP resources.,2,\n"
                ",no question,3,\n"
                "What is a mutex?,A lock.,seven,\n"
                "What is a mutex?,A lock for one thread at a time.,0.5,\n"
                "What is a deadlock?,,1,\n"
                "What is a race?,Two threads,\n")
    table = read_table(csv_text.encode(), "answers.csv")
    problems = [str(p) for p in table.problems]
    assert problems[0].startswith("row 4: the question is empty") and problems[1].startswith("row 5: human_score 'seven'")
    assert problems[2].startswith("row 8: has 3 cells")
    assert problems[3].startswith("answer 3 ('What is a mutex?'): score 0.5 is outside the scale 1–5")
    assert table.rows_read == 7 and len(table.examples) == 3
    out = build_from_bytes(csv_text.encode(), "answers.csv", DataSettings(negative_ratio=0, val_fraction=0))
    assert out.duplicates == 1 and out.conflicting_duplicates == 1
    assert {ex.answer for ex in out.examples} == {"An architectural style over HTTP resources.", ""}


def test_xlsx_with_russian_headers_reads_like_jsonl_and_scales_are_mapped(tmp_path):
    from openpyxl import Workbook

    rows = [("What is Docker?", "It packages an app with its dependencies into an image.", 4),
            ("Что такое индекс?", "Структура для быстрого поиска строк.", 0)]
    wb = Workbook()
    ws = wb.active
    ws.append(["Вопрос", "Ответ", "Оценка"])
    for r in rows:
        ws.append(list(r))
    wb.save(tmp_path / "a.xlsx")
    jsonl = "\n".join(json.dumps({"question": q, "answer": a, "score": s}) for q, a, s in rows).encode()
    from_xlsx = read_table((tmp_path / "a.xlsx").read_bytes(), "a.xlsx", 0, 5).examples
    from_jsonl = read_table(jsonl, "a.jsonl", 0, 5).examples
    assert [(e.question, e.answer, e.score) for e in from_xlsx] == [(e.question, e.answer, e.score) for e in from_jsonl]
    assert [e.score for e in from_xlsx] == [4.2, 1.0] and [e.language for e in from_xlsx] == ["en", "ru"]


def test_unusable_files_say_what_is_wrong():
    with pytest.raises(DatasetError, match="no answer column"):
        read_table(b'{"question": "q"}\n', "x.jsonl")
    with pytest.raises(DatasetError, match="unsupported file type '.pdf'"):
        read_table(b"%PDF", "x.pdf")
    with pytest.raises(DatasetError, match="no usable rows.*score is missing"):
        build_from_bytes(b'{"question": "q", "answer": "a"}\n', "x.jsonl", DataSettings())


def test_check_report_counts_tokens_with_the_real_tokenizer(built):
    from training.base_model import load_tokenizer

    report = check_report(built, load_tokenizer("offline"), max_seq_length=700)
    assert report.usable == len(built.examples) and sum(report.score_histogram.values()) == report.usable
    assert report.languages["en"] > 0 and report.languages["ru"] > 0
    assert report.tokens is not None and 300 < report.tokens.mean < report.tokens.max < 2000
    assert report.over_max_length > 0 and any("max_seq_length 700" in w for w in report.warnings)
    assert "tokens per example" in report.markdown()


def test_dataset_cli_builds_a_folder_that_loads_back(tmp_path):
    out = tmp_path / "built"
    result = runner.invoke(app, ["dataset", "build", str(SAMPLE), "--out", str(out), "--target-format", "tags"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    line = json.loads((out / "train.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert line["completion"][0]["content"].startswith("<reasoning>") and manifest["target_format"] == "tags"
    assert load_built(out).content_hash() == manifest["sha256"]
    result = runner.invoke(app, ["dataset", "check", str(EVAL / "mohler_asag.jsonl")])
    assert result.exit_code == 2 and "no usable rows" in result.output


def test_presets_validate_and_round_trip_through_yaml():
    for name in PRESETS:
        cfg = preset(name)
        assert RunConfig.from_yaml(cfg.to_yaml()) == cfg
    t4 = preset("t4-7b-sft")
    assert (t4.model.quantization, t4.lora.r, t4.train.seed, len(t4.lora.target_modules)) == ("4bit", 64, 3407, 7)
    assert preset("t4-7b-grpo").grpo.fast_inference and preset("cpu-smoke-sft").hardware.device == "cpu"


@pytest.mark.parametrize("text,message", [
    ("train:\n  learning_rate: -1\n", "train.learning_rate = -1.0"),
    ("train:\n  lr: 0.1\n", "unknown setting train.lr"),
    ("kind: dpo\n", "kind = 'dpo': expected one of 'sft', 'grpo'"),
    ("kind: grpo\ngrpo:\n  num_generations: 3\n", "multiple of grpo.num_generations = 3"),
    ("lora:\n  r: many\n", "lora.r = 'many': expected int"),
    ("hardware:\n  device: cpu\nmodel:\n  quantization: 4bit\n", "needs CUDA"),
    ("- just a list\n", "must be a YAML mapping"),
])
def test_config_errors_name_the_bad_value(text, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(".", r"\.")):
        RunConfig.from_yaml(text)


def test_overrides_are_validated_like_a_file():
    cfg = preset("cpu-smoke-sft").with_overrides({"train.max_steps": 3, "grpo.rewards.format": 0.0})
    assert cfg.train.max_steps == 3 and cfg.grpo.rewards.format == 0.0
    with pytest.raises(ConfigError, match="unknown setting 'train.steps'"):
        cfg.with_overrides({"train.steps": 3})


def test_a_teacher_labels_unscored_rows_and_keeps_human_scores(tmp_path):
    rows = [{"question": "What is a Python decorator?", "answer": "A function that wraps another function.",
             "reference": "A callable that takes a function and returns a wrapper."},
            {"question": "What is a Python decorator?", "answer": "Blue whales sing at night.",
             "reference": "A callable that takes a function and returns a wrapper."},
            {"question": "What is a list?", "answer": "A mutable sequence.", "score": 4, "explanation": "right"}]
    src = tmp_path / "raw.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "labelled.jsonl"
    result = runner.invoke(app, ["dataset", "label", str(src), "--teacher", "rules", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 kept with their score, 2 labelled by 'rules'" in result.output
    labelled = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["labelled_by"] for r in labelled] == ["rules", "rules", "human"] and labelled[2]["score"] == 4
    assert labelled[0]["score"] > labelled[1]["score"]  # the on-topic answer beats the irrelevant one
    assert len(read_table(out.read_bytes(), out.name).examples) == 3  # the result is a training dataset

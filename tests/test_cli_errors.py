"""The CLI answers every error a user can fix one way (cli.errors.refuses): the message on stderr, in the
command's --lang when it has one, and exit code 2; no command keeps a handler of its own."""

import typer
from typer.testing import CliRunner

from cli import app
from cli.errors import REFUSED, refuses
from core.messages import msg

runner = CliRunner()


def _callbacks(typer_app: typer.Typer, at: str = "hirelab"):  # noqa: ANN202
    if typer_app.registered_callback is not None and typer_app.registered_callback.callback is not None:
        yield at, typer_app.registered_callback.callback
    for command in typer_app.registered_commands:
        assert command.callback is not None
        yield f"{at} {command.name or command.callback.__name__}", command.callback
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None
        yield from _callbacks(group.typer_instance, f"{at} {group.name}")


def test_every_command_goes_through_the_one_handler():
    handled = refuses(lambda: None).__code__
    seen = dict(_callbacks(app))
    assert {"hirelab merge-candidates", "hirelab split-document", "hirelab train merge", "hirelab screen",
            "hirelab models"} <= set(seen)
    assert [name for name, callback in seen.items() if callback.__code__ is not handled] == []


def test_merge_and_split_refusals_end_with_the_message_and_the_refused_code():
    for args in (["merge-candidates", "c000000000001", "c000000000002", "--by", "Olga"],
                 ["split-document", "c000000000001", "resume.pdf", "--by", "Olga"]):
        result = runner.invoke(app, args)
        assert result.exit_code == REFUSED == 2, result.output
        assert "error: " + msg("rec_not_found", "en", ref="c000000000001") in " ".join(result.output.split())


def test_a_training_refusal_reads_in_the_commands_language(tmp_path):
    missing = tmp_path / "nothing.csv"
    for lang in ("en", "ru"):
        result = runner.invoke(app, ["train", "cpu-grader", "--data", str(missing), "--lang", lang])
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: ")
    assert "не найден" in result.output or "нет" in result.output  # the Russian run's words
    bad = runner.invoke(app, ["train", "preset", "no-such-preset"])
    assert bad.exit_code == 2 and "error: no preset named 'no-such-preset'; known presets: t4-7b-sft" in bad.output
    config = tmp_path / "run.yaml"
    config.write_text("kind: sft\nlora:\n  r: 0\n", encoding="utf-8")
    planned = runner.invoke(app, ["train", "plan", "--config", str(config)])
    assert planned.exit_code == 2 and "line 3: lora.r = 0: use a rank from 1 to 512" in planned.output

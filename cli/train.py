"""`hirelab dataset check|build`, `hirelab train sft|grpo --config FILE` (and stop, resume, plan, preset,
merge, export-gguf), `hirelab runs`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from cli.app import app
from cli.errors import fail, refuses
from core.messages import msg


def _settings_text(lang: str = "en") -> str:
    """Every run setting with its default and meaning, from the message tables (``cfg.<key>.help``)."""
    from rich.markup import escape  # typer renders help as rich markup; a default such as ['q_proj'] stays text

    from training.config import settings_help

    return "\n".join([msg("cfg_settings_head", lang), *(escape(line) for line in settings_help(lang))])


dataset_app = typer.Typer(help="Check and build grading datasets for training.", no_args_is_help=True)
train_app = typer.Typer(help="Train the grader: QLoRA SFT, then GRPO. Runs go on in the background.",
                        no_args_is_help=True, epilog=_settings_text())
app.add_typer(dataset_app, name="dataset")
app.add_typer(train_app, name="train")


def _data_settings(target_format: str, score_min: float, score_max: float, negatives: float, val: float):
    from training.config import DataSettings

    return DataSettings(target_format=target_format, score_min=score_min, score_max=score_max,  # type: ignore[arg-type]
                        negative_ratio=negatives, val_fraction=val)


@dataset_app.command("check")
@refuses
def dataset_check(
    file: Path = typer.Argument(..., help="CSV, JSONL or XLSX with question, answer, score (+ reference, explanation)"),
    model: str = typer.Option("offline", "--model", help="Profile whose tokenizer counts tokens"),
    max_seq_length: int = typer.Option(1280, help="Token limit to check the examples against"),
    target_format: str = typer.Option("json", help="json or tags"),
    score_min: float = typer.Option(1.0, help="Lowest score on the file's scale (0-5)"),
    score_max: float = typer.Option(5.0, help="Highest score on the file's scale (0-5)"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Report rows, problems, refused evaluation rows, score histogram, token lengths, words, languages."""
    from training.dataset import check_dataset

    settings = _data_settings(target_format, score_min, score_max, 0.3, 0.15)
    settings.path = str(file)
    report = check_dataset(settings, model, max_seq_length)
    typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else report.markdown())


@dataset_app.command("build")
@refuses
def dataset_build(
    file: Path = typer.Argument(..., help="CSV, JSONL or XLSX with question, answer, score (+ reference, explanation)"),
    out: Path = typer.Option(..., "--out", help="Folder for train.jsonl, val.jsonl and manifest.json"),
    target_format: str = typer.Option("json", help="json (the grade object) or tags (<reasoning>/<score>)"),
    negatives: float = typer.Option(0.3, help="Negative examples added per real row"),
    val: float = typer.Option(0.15, help="Share of questions held out for validation"),
    score_min: float = typer.Option(1.0, help="Lowest score on the file's scale (0-5)"),
    score_max: float = typer.Option(5.0, help="Highest score on the file's scale (0-5)"),
) -> None:
    """Refuse evaluation rows, deduplicate, split by question, add negatives, write chat-format JSONL."""
    from training.dataset import build_dataset

    settings = _data_settings(target_format, score_min, score_max, negatives, val)
    settings.path = str(file)
    problems = [str(p) for p in settings.problems("data")]
    if target_format not in ("json", "tags"):
        problems.append(f"--target-format {target_format!r}: use json or tags")
    if problems:
        fail("; ".join(problems))
    built = build_dataset(settings)
    built.write(out)
    typer.echo(f"wrote {len(built.train)} training and {len(built.val)} validation examples to {out} "
               f"({len(built.problems)} bad rows skipped, {len(built.refused)} refused as evaluation data, "
               f"{built.duplicates} duplicates removed; sha256 {built.content_hash()[:12]})")


@dataset_app.command("label")
@refuses
def dataset_label(
    file: Path = typer.Argument(..., help="CSV, JSONL or XLSX with question, answer (score optional)"),
    teacher: str = typer.Option(..., "--teacher", help="Profile that grades the rows without a score"),
    out: Path = typer.Option(..., "--out", help="JSONL to write (question, answer, score, reference, explanation)"),
) -> None:
    """Score unlabelled rows with a teacher model through the grading service; failures are listed, not scored."""
    from training.dataset.label import label_file

    report = label_file(file, teacher, out)
    typer.echo(f"wrote {report.kept + report.labelled} rows to {out}: {report.kept} kept with their score, "
               f"{report.labelled} labelled by {teacher!r}, {len(report.failed)} failed, "
               f"{len(report.unreadable)} unreadable")
    for line in report.failed + report.unreadable:
        typer.echo(f"  {line}", err=True)


def _load_config(config: Path | None, preset: str | None, kind: str, sets: list[str] | None = None):
    import yaml

    from training.config import RunConfig
    from training.presets import preset as make_preset

    cfg = RunConfig.load(config) if config else make_preset(preset or f"cpu-smoke-{kind}")
    overrides = {}
    for item in sets or []:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--set {item!r}: write KEY=VALUE, e.g. --set train.max_steps=20")
        overrides[key.strip()] = yaml.safe_load(value)
    if overrides:
        cfg = cfg.with_overrides(overrides)
    if cfg.kind != kind:
        typer.echo(f"note: the config says kind {cfg.kind!r}; running it as {kind!r}", err=True)
        cfg.kind = kind  # type: ignore[assignment]
    return cfg.validate()


def _follow(run_id: str) -> None:
    """Print the log as it grows until the run ends; Ctrl+C asks the run to stop and save."""
    from training.launcher import ACTIVE, get_run, run_dir, stop_run
    from training.metrics import LOG

    log = run_dir(run_id) / LOG
    pos = 0
    stopping = False
    while True:
        try:
            if log.exists():
                with open(log, encoding="utf-8", errors="replace") as fh:
                    fh.seek(pos)
                    chunk = fh.read()
                    pos = fh.tell()
                for line in chunk.splitlines():
                    line = line.rsplit("\r", 1)[-1]
                    if line.strip():
                        typer.echo(line)
            info = get_run(run_id)
            if info.status not in ACTIVE:
                break
            time.sleep(1.0)
        except KeyboardInterrupt:
            if stopping:
                typer.echo(f"detached; the run goes on. `hirelab train stop {run_id}` stops it.", err=True)
                raise typer.Exit(130) from None
            stopping = True
            typer.echo("stopping: the run saves a checkpoint and its adapter (Ctrl+C again to detach)", err=True)
            stop_run(run_id)
    typer.echo(f"run {run_id}: {info.status}")
    summary = info.summary.to_json()
    if summary:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    if info.status == "failed":
        raise typer.Exit(1)
    if info.summary.attention:
        typer.echo(f"run {run_id} needs attention; its adapter was saved but not registered as a model profile:", err=True)
        for reason in info.summary.attention:
            typer.echo(f"  - {reason}", err=True)
        typer.echo(f"register it anyway with `hirelab train register {run_id}`", err=True)
        raise typer.Exit(3)


def _train(kind: str, config: Path | None, preset: str | None, sets: list[str] | None, detach: bool) -> None:
    from training.launcher import launch

    cfg = _load_config(config, preset, kind, sets)
    info = launch(cfg)
    typer.echo(f"started {kind} run {info.id} in {info.path}")
    if detach:
        typer.echo(f"follow it with `hirelab runs` or the Train tab; stop it with `hirelab train stop {info.id}`")
        return
    _follow(info.id)


@train_app.command("sft")
@refuses
def train_sft(
    config: Path | None = typer.Option(None, "--config", help="Run config (YAML); `hirelab train preset` writes one"),
    preset: str | None = typer.Option(None, "--preset", help="Start from a preset instead of a file"),
    sets: list[str] | None = typer.Option(None, "--set", help="Override one setting: KEY=VALUE (repeatable; `hirelab train settings` lists them)"),
    detach: bool = typer.Option(False, "--detach", help="Return at once; the run goes on in the background"),
) -> None:
    """Supervised fine-tuning (QLoRA on CUDA, LoRA on CPU) of the grader."""
    _train("sft", config, preset, sets, detach)


@train_app.command("cpu-grader")
@refuses
def train_cpu_grader(
    data: Path = typer.Option(..., "--data", help="Graded answers: question, answer, score 1–5, reference (CSV, JSONL, XLSX)"),
    name: str = typer.Option("rules-own", "--name", help="Profile to register (a rules profile with these weights)"),
    score_min: float = typer.Option(1.0, "--score-min", help="Lowest score of the file's scale"),
    score_max: float = typer.Option(5.0, "--score-max", help="Highest score of the file's scale"),
    lang: str = typer.Option("en", "--lang", help="Language of the report: en or ru"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON too"),
) -> None:
    """Fit the rules profile's answer grader on your graded answers (CPU, minutes at most), report it on held-out
    questions beside the shipped grader, and register it as a profile."""
    from training.own_grader import summary, train_own_grader

    result = train_own_grader(data, name, score_min, score_max, progress=lambda line: typer.echo(line, err=True))
    for line in summary(result, lang):
        typer.echo(line)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))


@train_app.command("grpo")
@refuses
def train_grpo(
    config: Path | None = typer.Option(None, "--config", help="Run config (YAML); set grpo.init_adapter to an SFT run"),
    preset: str | None = typer.Option(None, "--preset", help="Start from a preset instead of a file"),
    sets: list[str] | None = typer.Option(None, "--set", help="Override one setting: KEY=VALUE (repeatable; `hirelab train settings` lists them)"),
    detach: bool = typer.Option(False, "--detach", help="Return at once; the run goes on in the background"),
) -> None:
    """GRPO on the grader with the correctness and format rewards."""
    _train("grpo", config, preset, sets, detach)


@train_app.command("stop")
@refuses
def train_stop(run_id: str = typer.Argument(..., help="Run id (see `hirelab runs`)")) -> None:
    """Stop a run after its current step; it saves a checkpoint and a usable adapter."""
    from training.launcher import stop_run, wait_run

    stop_run(run_id)
    info = wait_run(run_id, timeout=600)
    typer.echo(f"run {run_id}: {info.status}" + (f", adapter {info.adapter}" if info.adapter else ""))


@train_app.command("resume")
@refuses
def train_resume(
    run_id: str = typer.Argument(..., help="A stopped or failed run"),
    detach: bool = typer.Option(False, "--detach", help="Return at once"),
) -> None:
    """Continue a run from its last checkpoint."""
    from training.launcher import resume_run

    resume_run(run_id)
    typer.echo(f"resumed run {run_id}")
    if not detach:
        _follow(run_id)


@train_app.command("register")
@refuses
def train_register(run_id: str = typer.Argument(..., help="A finished run whose adapter was not registered")) -> None:
    """Register a run's adapter as a model profile on purpose (a run that needs attention is not registered
    by itself)."""
    from training.launcher import register_run_adapter

    info = register_run_adapter(run_id)
    for reason in info.summary.attention:
        typer.echo(f"warning: {reason}", err=True)
    typer.echo(f"run {run_id}: adapter registered as model profile {info.profile}")


@train_app.command("settings")
@refuses
def train_settings(lang: str = typer.Option("en", "--lang", help="Language of the descriptions: en or ru")) -> None:
    """List every run setting (YAML key, --set KEY=VALUE) with its default and what it means."""
    from training.config import settings_help

    typer.echo("\n".join([msg("cfg_settings_head", lang), *settings_help(lang)]))


@train_app.command("preset")
@refuses
def train_preset(
    name: str = typer.Argument(..., help="t4-7b-sft, t4-7b-grpo, cpu-smoke-sft or cpu-smoke-grpo"),
    out: Path | None = typer.Option(None, "--out", help="Write the YAML here instead of printing it"),
) -> None:
    """Print or write a preset as a run config to edit."""
    from training.presets import preset

    text = preset(name).to_yaml()
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")
    else:
        typer.echo(text)


@train_app.command("plan")
@refuses
def train_plan(
    config: Path | None = typer.Option(None, "--config", help="Run config (YAML)"),
    preset: str | None = typer.Option(None, "--preset", help="Or a preset name"),
    gpu_gb: float | None = typer.Option(None, "--gpu-gb", help="GPU memory to plan for (default: the config's)"),
) -> None:
    """Predict peak GPU memory for a run and say whether it fits."""
    from training.config import RunConfig
    from training.presets import preset as make_preset
    from training.vram import plan_for_config

    cfg = RunConfig.load(config) if config else make_preset(preset or "t4-7b-sft")
    p = plan_for_config(cfg, gpu_gb)
    for part, gb in p.parts_gb.items():
        typer.echo(f"  {part:<22}{gb:>7.2f} GB")
    typer.echo(f"{p.verdict}: {p.message}")
    if p.verdict == "wont_fit":
        raise typer.Exit(1)


def _adapter_of(run_id: str) -> tuple[Path, Path]:
    """(the run's saved adapter, its run folder); a clear exit when there is none."""
    from training.launcher import get_run, run_dir

    info = get_run(run_id)
    if not info.adapter:
        fail(f"run {run_id} has no adapter (status {info.status}); pick a run that saved one (hirelab train runs)")
    return Path(info.adapter), run_dir(run_id)


@train_app.command("merge")
@refuses
def train_merge(
    run_id: str = typer.Argument(..., help="A run with a saved adapter"),
    out: Path | None = typer.Option(None, "--out", help="Folder for the merged weights (default: in the run folder)"),
) -> None:
    """Merge the run's adapter into full weights (for servers without LoRA support)."""
    from training.artifacts import merge_adapter

    adapter, folder = _adapter_of(run_id)
    target = merge_adapter(adapter, out or folder / "merged")
    typer.echo(f"merged weights written to {target}")


@train_app.command("export-gguf")
@refuses
def train_export_gguf(
    run_id: str = typer.Argument(..., help="A run with a saved adapter"),
    out: Path | None = typer.Option(None, "--out", help="Output folder (default: in the run folder)"),
    quantization: str = typer.Option("q4_k_m", help="GGUF quantization method (q4_k_m, q8_0, f16, ...)"),
) -> None:
    """Export the adapter merged into its base as GGUF for llama.cpp/Ollama (needs CUDA and unsloth)."""
    from training.artifacts import export_gguf

    adapter, folder = _adapter_of(run_id)
    target = export_gguf(adapter, out or folder / "gguf", quantization)
    typer.echo(f"GGUF written to {target}")


@app.command("runs")
@refuses
def runs(
    kind: str | None = typer.Option(None, "--kind", help="sft or grpo"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per run"),
) -> None:
    """List training runs: status, steps, last loss or reward, adapter profile."""
    from training.launcher import list_runs

    rows = list_runs(kind)
    if not rows:
        typer.echo("no training runs yet; start one with `hirelab train sft --preset cpu-smoke-sft`")
        return
    for r in rows:
        if as_json:
            typer.echo(json.dumps({"id": r.id, "kind": r.kind, "name": r.name, "status": r.status, "path": r.path,
                                   "created_at": r.created_at.isoformat() if r.created_at else None,
                                   "summary": r.summary.to_json()}, ensure_ascii=False))
            continue
        s = r.summary
        last = s.last_reward if s.last_reward is not None else s.last_loss
        typer.echo(f"{r.id:<32} {r.kind:<5} {r.status:<10} steps {'-' if s.steps is None else s.steps:<5} "
                   f"last {'-' if last is None else last:<8} {s.profile or s.error or ''}"
                   + (f" (needs attention: {'; '.join(s.attention)})" if s.attention else ""))

"""A training run's configuration: typed dataclasses, validation that names the bad value and says what to
do, YAML in and out. Presets live in :mod:`training.presets`.

What each setting means (the Train form, `hirelab train --help`) lives in the message tables only:
``cfg.<dotted key>`` (a label) and ``cfg.<dotted key>.help`` in core/messages/en.py and ru.py; see
:func:`setting_keys` and :func:`settings_help`."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import yaml

from core.coerce import CoerceError, coerce
from core.config import ASSETS

RunKind = Literal["sft", "grpo"]
Device = Literal["auto", "cpu", "cuda"]
TargetFormat = Literal["json", "tags"]
Quant = Literal["none", "4bit", "8bit"]

PROMPTS = ASSETS / "prompts"
ALL_LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


class ConfigError(ValueError):
    """A configuration value is wrong; the message names each bad value and what is allowed."""


# Field help: core/messages (cfg.<section>.<field>.help), one text per language.
@dataclass
class ModelSettings:
    profile: str = "offline"
    max_seq_length: int = 1024
    quantization: Quant = "none"
    gradient_checkpointing: bool = False

    def problems(self, at: str) -> list[str]:
        out = []
        if not self.profile.strip():
            out.append(f"{at}.profile is empty: name a model profile such as 'offline' or 'base'")
        if not 64 <= self.max_seq_length <= 32768:
            out.append(f"{at}.max_seq_length = {self.max_seq_length}: use 64 to 32768 tokens")
        return out


@dataclass
class LoraSettings:
    r: int = 64
    alpha: int = 64
    dropout: float = 0.0
    target_modules: list[str] = field(default_factory=lambda: list(ALL_LINEAR))

    def problems(self, at: str) -> list[str]:
        out = []
        if not 1 <= self.r <= 512:
            out.append(f"{at}.r = {self.r}: use a rank from 1 to 512 (64 is the reference setting)")
        if self.alpha < 1:
            out.append(f"{at}.alpha = {self.alpha}: must be at least 1")
        if not 0.0 <= self.dropout < 1.0:
            out.append(f"{at}.dropout = {self.dropout}: must be in [0, 1)")
        if not self.target_modules:
            out.append(f"{at}.target_modules is empty: list layers such as {', '.join(ALL_LINEAR[:3])}")
        return out


@dataclass
class DataSettings:
    path: str = "assets/datasets/grader_sample.jsonl"
    target_format: TargetFormat = "json"
    negative_ratio: float = 0.3
    val_fraction: float = 0.15
    score_min: float = 1.0
    score_max: float = 5.0
    seed: int = 3407

    def problems(self, at: str) -> list[str]:
        out = []
        if not self.path.strip():
            out.append(f"{at}.path is empty: give a dataset file or a built dataset folder")
        if not 0.0 <= self.negative_ratio <= 2.0:
            out.append(f"{at}.negative_ratio = {self.negative_ratio}: use 0 to 2")
        if not 0.0 <= self.val_fraction < 0.9:
            out.append(f"{at}.val_fraction = {self.val_fraction}: use 0 to 0.9")
        if not 0 <= self.score_min < self.score_max <= 5:
            out.append(f"{at}.score_min = {self.score_min}, score_max = {self.score_max}: the file's scale must lie "
                       "within 0–5 with min below max (rescale other scales first)")
        return out


@dataclass
class TrainSettings:
    learning_rate: float = 2e-4
    max_steps: int = -1
    num_train_epochs: float = 1.0
    per_device_train_batch_size: int = 2
    gradient_accumulation_steps: int = 4
    warmup_ratio: float = 0.05
    lr_scheduler_type: str = "linear"
    weight_decay: float = 0.01
    optim: str = "adamw_torch"
    logging_steps: int = 1
    save_steps: int = 50
    save_total_limit: int = 2
    seed: int = 3407
    evaluate: bool = True

    def problems(self, at: str) -> list[str]:
        out = []
        if not 0.0 < self.learning_rate < 1.0:
            out.append(f"{at}.learning_rate = {self.learning_rate}: must be in (0, 1), e.g. 2e-4")
        if self.max_steps == 0 or self.max_steps < -1:
            out.append(f"{at}.max_steps = {self.max_steps}: use -1 (epochs) or a positive number")
        if self.max_steps == -1 and self.num_train_epochs <= 0:
            out.append(f"{at}.num_train_epochs = {self.num_train_epochs}: must be above 0")
        for name in ("per_device_train_batch_size", "gradient_accumulation_steps", "logging_steps", "save_steps",
                     "save_total_limit"):
            if getattr(self, name) < 1:
                out.append(f"{at}.{name} = {getattr(self, name)}: must be at least 1")
        if not 0.0 <= self.warmup_ratio < 1.0:
            out.append(f"{at}.warmup_ratio = {self.warmup_ratio}: must be in [0, 1)")
        return out


@dataclass
class RewardWeights:
    correctness: float = 1.0
    format: float = 0.5

    def problems(self, at: str) -> list[str]:
        out = [f"{at}.{f.name} = {getattr(self, f.name)}: weights cannot be negative"
               for f in fields(self) if getattr(self, f.name) < 0]
        if all(getattr(self, f.name) == 0 for f in fields(self)):
            out.append(f"{at}: every reward weight is 0, so nothing would be learned")
        return out


@dataclass
class GRPOSettings:
    init_adapter: str = ""
    prompt: str = "grade"
    num_generations: int = 4
    max_completion_length: int = 384
    beta: float = 0.04
    temperature: float = 1.0
    rewards: RewardWeights = field(default_factory=RewardWeights)
    fast_inference: bool = True
    vllm_gpu_memory_utilization: float = 0.5

    def problems(self, at: str) -> list[str]:
        out = self.rewards.problems(f"{at}.rewards")
        named = self.prompt.startswith("grade") and self.prompt.replace("_", "").isalnum()  # a grading prompt's name
        if not (named and (PROMPTS / f"{self.prompt}.yaml").is_file()):
            known = ", ".join(sorted(p.stem for p in PROMPTS.glob("grade*.yaml")))
            out.append(f"{at}.prompt = {self.prompt!r}: no such prompt in assets/prompts; use one of {known}")
        if not 2 <= self.num_generations <= 64:
            out.append(f"{at}.num_generations = {self.num_generations}: use 2 to 64 (GRPO compares a group)")
        if not 8 <= self.max_completion_length <= 8192:
            out.append(f"{at}.max_completion_length = {self.max_completion_length}: use 8 to 8192 tokens")
        if self.beta < 0:
            out.append(f"{at}.beta = {self.beta}: must be 0 or more")
        if not 0.0 < self.temperature <= 2.0:
            out.append(f"{at}.temperature = {self.temperature}: use (0, 2]")
        if not 0.1 <= self.vllm_gpu_memory_utilization <= 0.95:
            out.append(f"{at}.vllm_gpu_memory_utilization = {self.vllm_gpu_memory_utilization}: use 0.1 to 0.95")
        return out


@dataclass
class HardwareSettings:
    device: Device = "auto"
    gpu_memory_gb: float = 16.0
    allow_over_budget: bool = False

    def problems(self, at: str) -> list[str]:
        if self.gpu_memory_gb < 0:
            return [f"{at}.gpu_memory_gb = {self.gpu_memory_gb}: use 0 (read from the GPU) or a size in GB"]
        return []


@dataclass
class RunConfig:
    kind: RunKind = "sft"
    name: str = ""
    model: ModelSettings = field(default_factory=ModelSettings)
    lora: LoraSettings = field(default_factory=LoraSettings)
    data: DataSettings = field(default_factory=DataSettings)
    train: TrainSettings = field(default_factory=TrainSettings)
    grpo: GRPOSettings = field(default_factory=GRPOSettings)
    hardware: HardwareSettings = field(default_factory=HardwareSettings)

    def problems(self) -> list[str]:
        out: list[str] = []
        if self.kind not in ("sft", "grpo"):
            out.append(f"kind = {self.kind!r}: use 'sft' or 'grpo'")
        for f in fields(self):
            value = getattr(self, f.name)
            if hasattr(value, "problems") and (f.name != "grpo" or self.kind == "grpo"):
                out.extend(value.problems(f.name))
        if self.kind == "grpo":
            per_step = self.train.per_device_train_batch_size * self.train.gradient_accumulation_steps
            if per_step % self.grpo.num_generations:
                out.append(
                    f"train.per_device_train_batch_size × gradient_accumulation_steps = {per_step} must be a multiple "
                    f"of grpo.num_generations = {self.grpo.num_generations} (each prompt's group is sampled together)"
                )
        if self.model.quantization != "none" and self.hardware.device == "cpu":
            out.append(f"model.quantization = {self.model.quantization!r} needs CUDA; use 'none' with device 'cpu'")
        return out

    def validate(self) -> "RunConfig":
        problems = self.problems()
        if problems:
            raise ConfigError("invalid training config: " + "; ".join(problems))
        return self

    def value(self, key: str) -> Any:
        """The value of one dotted-key setting (``"train.max_steps"``)."""
        node: Any = self
        for part in key.split("."):
            if not hasattr(node, part):
                raise ConfigError(f"unknown setting {key!r}")
            node = getattr(node, part)
        return node

    def with_overrides(self, overrides: dict[str, Any]) -> "RunConfig":
        """A copy with dotted-key values replaced (``{"train.max_steps": 3}``), validated like a file."""
        data = self.to_dict()
        for key, value in overrides.items():
            *path, last = key.split(".")
            node = data
            for part in path:
                if not isinstance(node.get(part), dict):
                    raise ConfigError(f"unknown setting {key!r}: {part!r} is not a section")
                node = node[part]
            if last not in node:
                raise ConfigError(f"unknown setting {key!r}; known here: {', '.join(node)}")
            node[last] = value
        return RunConfig.from_dict(data)

    # YAML ---------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)

    def save(self, path: Path) -> Path:
        path.write_text(self.to_yaml(), encoding="utf-8")
        return path

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RunConfig":
        problems: list[str] = []
        cfg = _build(cls, data or {}, "", problems)
        if problems:
            raise ConfigError("invalid training config: " + "; ".join(problems))
        return cfg.validate()

    @classmethod
    def from_yaml(cls, text: str) -> "RunConfig":
        """A config from YAML text; ConfigError names the line of each bad value it can place."""
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"the config is not valid YAML: {_yaml_problem(exc)}") from exc
        if data is not None and not isinstance(data, dict):
            raise ConfigError("the config must be a YAML mapping (sections model, lora, data, train, grpo, hardware)")
        try:
            return cls.from_dict(data or {})
        except ConfigError as exc:
            raise ConfigError(_with_lines(str(exc), _key_lines(text))) from exc

    @classmethod
    def load(cls, path: Path | str) -> "RunConfig":
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"config file {p} not found; write one with `hirelab train preset NAME --out {p.name}`")
        return cls.from_yaml(p.read_text(encoding="utf-8"))


def setting_keys(cls: type = RunConfig, at: str = "") -> list[str]:
    """Every setting a user can write (YAML, ``--set``, the Train form) as a dotted key, in declaration order;
    each has ``cfg.<key>`` and ``cfg.<key>.help`` in the message tables."""
    hints = typing.get_type_hints(cls)
    out: list[str] = []
    for f in fields(cls):
        hint = hints[f.name]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            out.extend(setting_keys(hint, f"{at}{f.name}."))
        else:
            out.append(f"{at}{f.name}")
    return out


def settings_help(lang: str = "en") -> list[str]:
    """One line per setting: its key, its default and what it means, in ``lang`` (the message tables)."""
    from core.messages import msg

    defaults = RunConfig()
    return [f"{key} = {defaults.value(key)!r}: {msg(f'cfg.{key}.help', lang)}" for key in setting_keys()]


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line: where the YAML breaks and what is wrong there."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"{where}{problem}" + (f" ({context})" if context else "")


def _key_lines(text: str) -> dict[str, int]:
    """The line (1-based) of each dotted key written in the YAML text."""
    out: dict[str, int] = {}

    def walk(node: Any, at: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    path = f"{at}{key.value}"
                    out.setdefault(path, key.start_mark.line + 1)
                    walk(value, path + ".")

    try:
        walk(yaml.compose(text, Loader=yaml.SafeLoader), "")
    except yaml.YAMLError:
        pass
    return out


def _with_lines(message: str, lines: dict[str, int]) -> str:
    """``message`` ("invalid training config: p1; p2") with each problem led by the line of the key it names."""
    head, sep, rest = message.partition(": ")
    if not sep or not lines:
        return message
    import re

    placed = []
    for problem in rest.split("; "):
        hits = []
        for path, line in lines.items():
            m = re.search(rf"(?<![\w.]){re.escape(path)}(?![\w])", problem)
            if m:
                hits.append((m.start(), -len(path), line))
        placed.append(f"line {min(hits)[2]}: {problem}" if hits else problem)
    return f"{head}{sep}{'; '.join(placed)}"


def _build(cls: type, data: dict[str, Any], at: str, problems: list[str]) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    for key in unknown:
        problems.append(f"unknown setting {at}{key!s} (known in {at.rstrip('.') or 'the top level'}: "
                        f"{', '.join(known)})")
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue
        hint = hints[name]
        where = f"{at}{name}"
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                problems.append(f"{where} must be a section (a mapping), not {value!r}")
                continue
            values[name] = _build(hint, value, where + ".", problems)
        else:
            try:
                values[name] = coerce(hint, value, where)
            except CoerceError as exc:
                problems.append(str(exc))
    return cls(**values)

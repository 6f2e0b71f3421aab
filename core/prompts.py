"""Prompt building from ``assets/prompts``: one place, versioned.

Each prompt is a YAML file with ``version``, ``system`` and ``user`` (``$name`` placeholders).
Untrusted text (resumes, answers) is always wrapped by :func:`as_data` so the model reads it as data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from string import Template
from typing import Any

import yaml

from core.config import ASSETS
from core.engines.base import Message
from core.messages import LocalizedError

PROMPTS_DIR = ASSETS / "prompts"


class PromptError(LocalizedError):
    """A prompt file that is missing or does not parse, or a value a prompt needs that was not given."""


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    system: str
    user: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # other top-level parts (e.g. a rubric)

    def render(self, **values: str) -> tuple[Message, ...]:
        try:
            user = Template(self.user).substitute(values)
            system = Template(self.system).substitute(values)
        except KeyError as exc:
            raise PromptError(f"prompt {self.name!r} needs a value for {exc.args[0]!r}") from exc
        return (Message("system", system.strip()), Message("user", user.strip()))


@cache
def load_prompt(name: str) -> PromptTemplate:
    path = PROMPTS_DIR / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in PROMPTS_DIR.glob("*.yaml")))
        raise PromptError(f"no prompt named {name!r} in {PROMPTS_DIR} (known: {known})")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    extra = {k: v for k, v in data.items() if k not in ("version", "system", "user")}
    return PromptTemplate(name=name, version=str(data["version"]), system=data["system"], user=data["user"], extra=extra)


def as_data(kind: str, text: str) -> str:
    """Spotlighting: delimit untrusted text and neutralise look-alike delimiters inside it."""
    tag = kind.upper()
    cleaned = text.replace(f"<<<{tag}", "< < <").replace(f"{tag}>>>", "> > >")
    return f"<<<{tag}\n{cleaned.strip()}\n{tag}>>>"

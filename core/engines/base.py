"""The one Engine protocol every backend implements.

A batch of chat requests goes in; one result per request comes out, in order, and each result is also
handed to ``on_result`` the moment it is ready. Backends never raise
for a single bad request: they return a result with ``error`` set, so one failure never stops a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel

from core.messages import LocalizedError

FinishReason = Literal["stop", "length", "error"]
ProgressFn = Callable[[int, int], None]
ResultFn = Callable[[int, "GenResult"], None]  # (index of the request, its result) as soon as it is ready


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Sampling:
    max_new_tokens: int = 640
    temperature: float = 0.0
    top_p: float = 1.0
    repetition_penalty: float = 1.1
    seed: int = 3407


@dataclass(frozen=True)
class ChatRequest:
    messages: tuple[Message, ...]
    schema: type[BaseModel] | None = None
    sampling: Sampling = field(default_factory=Sampling)
    adapter: str | None = None
    constrained: bool = True
    task: object | None = None  # a typed payload from core.engines.tasks, for backends that need no prompt

    def with_messages(self, messages: Sequence[Message]) -> "ChatRequest":
        return replace(self, messages=tuple(messages))


@dataclass
class GenResult:
    text: str
    finish_reason: FinishReason
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    error: str | None = None


@runtime_checkable
class Engine(Protocol):
    """A loaded backend. ``name`` is the engine kind, ``model`` what it serves."""

    name: str
    model: str

    def generate(self, requests: Sequence[ChatRequest], progress: ProgressFn | None = None,
                 on_result: ResultFn | None = None) -> list[GenResult]:
        """One result per request, in order. ``on_result`` is called once per request as soon as its result
        is ready (before the batch ends where the backend allows it), so callers can keep finished work."""
        ...


class EngineUnavailable(LocalizedError):
    """A profile cannot run on this machine; the message says why and what to do instead."""

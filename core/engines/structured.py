"""The output contract: a validated pydantic object, one repair retry, then a recorded failure.

Every backend goes through :func:`generate_structured`; no other module parses model JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from core.engines.base import ChatRequest, Engine, FinishReason, GenResult, Message, ProgressFn

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


class OutputError(ValueError):
    """The model's text is not a valid object; the message says what is wrong."""


@dataclass
class Outcome(Generic[T]):
    value: T | None
    raw: str
    error: str | None
    finish_reason: FinishReason
    attempts: int
    seconds: float
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def ok(self) -> bool:
        return self.value is not None


def _json_candidate(text: str) -> str:
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    start = text.find("{")
    if start < 0:
        raise OutputError("no JSON object in the model's answer")
    depth, in_str, escape = 0, False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_str:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    raise OutputError("the JSON object is cut off (the answer ended before the closing brace)")


def parse_object(text: str, schema: type[T]) -> T:
    """Parse and validate the first JSON object in ``text``; raise OutputError with a readable reason."""
    candidate = _json_candidate(text)
    try:
        data = json.loads(candidate)
    except json.JSONDecodeError as exc:
        raise OutputError(f"invalid JSON: {exc.msg} at character {exc.pos}") from exc
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'object'}: {e['msg']}" for e in exc.errors()[:5])
        raise OutputError(f"does not match {schema.__name__}: {problems}") from exc


def _check(result: GenResult, schema: type[T]) -> tuple[T | None, str | None]:
    if result.error:
        return None, result.error
    try:
        value = parse_object(result.text, schema)
    except OutputError as exc:
        if result.finish_reason == "length":
            return None, f"answer truncated at the token limit ({result.completion_tokens} tokens): {exc}"
        return None, str(exc)
    return value, None


def _repair_request(request: ChatRequest, raw: str, error: str) -> ChatRequest:
    schema = request.schema
    assert schema is not None
    note = (
        f"Your previous answer was rejected: {error}. Reply again with only one JSON object that "
        f"matches this JSON schema, no other text:\n{json.dumps(schema.model_json_schema(), ensure_ascii=False)}"
    )
    msgs = [*request.messages, Message("assistant", raw[:3000]), Message("user", note)]
    return request.with_messages(msgs)


def generate_structured(
    engine: Engine, requests: Sequence[ChatRequest], progress: ProgressFn | None = None
) -> list[Outcome]:
    """Run requests that carry a schema; return one Outcome per request, in order."""
    for r in requests:
        if r.schema is None:
            raise ValueError("generate_structured needs a schema on every request")
    first = engine.generate(requests, progress)
    outcomes: list[Outcome] = []
    retry_idx: list[int] = []
    for i, (req, res) in enumerate(zip(requests, first)):
        value, err = _check(res, req.schema)  # type: ignore[arg-type]
        outcomes.append(
            Outcome(value, res.text, err, res.finish_reason, 1, res.seconds, res.prompt_tokens, res.completion_tokens)
        )
        if err is not None and res.error is None:
            retry_idx.append(i)
    if retry_idx:
        repairs = [_repair_request(requests[i], outcomes[i].raw, outcomes[i].error or "") for i in retry_idx]
        for i, res in zip(retry_idx, engine.generate(repairs)):
            value, err = _check(res, requests[i].schema)  # type: ignore[arg-type]
            prev = outcomes[i]
            raw = res.text if value is not None else f"{prev.raw}\n--- repair attempt ---\n{res.text}"
            error = None if value is not None else f"{prev.error}; after one repair attempt: {err}"
            outcomes[i] = Outcome(
                value,
                raw,
                error,
                res.finish_reason,
                2,
                prev.seconds + res.seconds,
                prev.prompt_tokens + res.prompt_tokens,
                prev.completion_tokens + res.completion_tokens,
            )
    return outcomes

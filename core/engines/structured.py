"""The output contract: a validated pydantic object, one repair retry, then a recorded failure.

Every backend goes through :func:`generate_structured`; no other module parses model JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from core.messages import LocalizedError
from core.engines.base import ChatRequest, Engine, FinishReason, GenResult, Message, ProgressFn

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


class OutputError(LocalizedError):
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


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """An object whose keys are all different: ``{"score": 1, "score": 5}`` says two things, so neither is kept."""
    data: dict[str, object] = {}
    for key, value in pairs:
        if key in data:
            raise OutputError(f"the key {key!r} appears twice in one JSON object")
        data[key] = value
    return data


def _no_constant(name: str) -> object:
    raise OutputError(f"{name} is not a number JSON allows")


def parse_object(text: str, schema: type[T]) -> T:
    """Parse and validate the first JSON object in ``text``; raise OutputError with a readable reason.

    Strict where a lenient parser would invent a value: a key given twice, NaN or Infinity, and (in the
    schemas) a boolean or text where a score belongs are all refused."""
    candidate = _json_candidate(text)
    try:
        data = json.loads(candidate, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
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


OutcomeFn = Callable[[int, "Outcome"], None]


def generate_structured(
    engine: Engine, requests: Sequence[ChatRequest], progress: ProgressFn | None = None,
    on_outcome: OutcomeFn | None = None,
) -> list[Outcome]:
    """Run requests that carry a schema; return one Outcome per request, in order.

    Each request's final outcome (valid, or failed after the one repair retry) is handed to ``on_outcome``
    as soon as it is known, and ``progress(done, total)`` counts those final outcomes, so a caller can
    store every finished item while the rest of the batch is still running.
    """
    for r in requests:
        if r.schema is None:
            raise ValueError("generate_structured needs a schema on every request")
    outcomes: list[Outcome | None] = [None] * len(requests)
    retry_idx: list[int] = []
    done = 0

    def final(i: int, outcome: Outcome) -> None:
        nonlocal done
        outcomes[i] = outcome
        done += 1
        if on_outcome:
            on_outcome(i, outcome)
        if progress:
            progress(done, len(requests))

    def first_pass(i: int, res: GenResult) -> None:
        if outcomes[i] is not None or i in retry_idx:
            return
        value, err = _check(res, requests[i].schema)  # type: ignore[arg-type]
        outcome = Outcome(value, res.text, err, res.finish_reason, 1, res.seconds, res.prompt_tokens, res.completion_tokens)
        if err is not None and res.error is None:
            retry_idx.append(i)
            first_failed[i] = outcome
        else:
            final(i, outcome)

    first_failed: dict[int, Outcome] = {}
    for i, res in enumerate(engine.generate(requests, on_result=first_pass)):
        first_pass(i, res)  # backends report each result once; this only catches one that did not
    if retry_idx:
        retry_idx.sort()
        repairs = [_repair_request(requests[i], first_failed[i].raw, first_failed[i].error or "") for i in retry_idx]

        def repaired(j: int, res: GenResult) -> None:
            i = retry_idx[j]
            if outcomes[i] is not None:
                return
            value, err = _check(res, requests[i].schema)  # type: ignore[arg-type]
            prev = first_failed[i]
            raw = res.text if value is not None else f"{prev.raw}\n--- repair attempt ---\n{res.text}"
            error = None if value is not None else f"{prev.error}; after one repair attempt: {err}"
            final(i, Outcome(value, raw, error, res.finish_reason, 2, prev.seconds + res.seconds,
                             prev.prompt_tokens + res.prompt_tokens, prev.completion_tokens + res.completion_tokens))

        for j, res in enumerate(engine.generate(repairs, on_result=repaired)):
            repaired(j, res)
    return [o for o in outcomes if o is not None]

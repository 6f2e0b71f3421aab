"""OpenAI-compatible backend: any server that speaks /v1/chat/completions (vLLM, `transformers serve`,
llama.cpp, Ollama, a hosted API). This is how a team scales past one machine: point ``base_url`` at a
vLLM deployment (replicas, tensor parallel, Ray) and raise ``concurrency``.

- ``response_format`` with the request's JSON schema where the server takes it; a server that rejects it
  is asked again without it (and not asked with it again); either way generate_structured validates and
  repairs, so the backend only returns text;
- bounded concurrency (a thread pool of ``concurrency``), a deadline per request, retries with
  exponential backoff (``timeout_s``, ``retries``, ``backoff_s``: profile settings) on timeouts, connection
  errors, answers that are not valid JSON, 408/409/429 and 5xx; whatever else goes wrong with one request
  is that request's error, never the batch's;
- ``timeout_s`` is a deadline for the whole of one request, from sending it to the answer's last byte: the
  body is read as it streams in and dropped once the deadline passes, so a server that trickles bytes (each
  read well within a socket timeout) still ends the request at ``timeout_s``; the caller waits no longer than
  that even when the server trickles its headers (the read runs in a helper thread that is abandoned);
- the API key comes from the environment variable the profile names.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.engines.base import ChatRequest, FinishReason, GenResult, ProgressFn, ResultFn

if TYPE_CHECKING:
    from core.models import ModelProfile

RETRY_STATUS = {408, 409, 429}
GRACE_S = 1.0  # how long past the deadline the caller waits for the reading thread to notice it
NO_KEY = "no-key"  # local servers (vLLM, transformers serve, llama.cpp) accept any key


@dataclass(frozen=True)
class OpenAISettings:
    base_url: str
    model: str
    api_key_env: str = "OPENAI_API_KEY"
    response_format: str = "json_schema"  # json_schema | json_object | none
    concurrency: int = 4
    timeout_s: float = 120.0
    retries: int = 2
    backoff_s: float = 1.0  # first wait; doubles each retry

    @classmethod
    def from_profile(cls, profile: ModelProfile) -> "OpenAISettings":
        return cls(
            base_url=profile.base_url or "",
            model=profile.model,
            api_key_env=profile.api_key_env,
            response_format=profile.response_format,
            concurrency=max(1, profile.concurrency),
            timeout_s=profile.timeout_s,
            retries=max(0, profile.retries),
            backoff_s=max(0.0, profile.backoff_s),
        )


def response_format_for(schema: type, mode: str) -> dict[str, Any] | None:
    """The ``response_format`` body for a pydantic schema (None when the mode sends none)."""
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema(), "strict": False},  # type: ignore[attr-defined]
        }
    if mode == "json_object":
        return {"type": "json_object"}
    return None


def _finish(reason: str | None) -> FinishReason:
    return "length" if reason == "length" else "stop"


class OpenAIEngine:
    name = "openai"

    def __init__(self, cfg: OpenAISettings) -> None:
        from openai import OpenAI

        self.cfg = cfg
        self.model = cfg.model
        self.adapters: dict[str, str] = {}
        self._format_mode = cfg.response_format
        self._format_lock = threading.Lock()
        self.client = OpenAI(
            base_url=cfg.base_url,
            api_key=os.environ.get(cfg.api_key_env) or NO_KEY,
            timeout=cfg.timeout_s,
            max_retries=0,  # retries are ours: counted, backed off and reported
        )

    @property
    def response_format_mode(self) -> str:
        """What this engine still sends: drops to ``none`` once the server rejects response_format."""
        return self._format_mode

    def load_adapter(self, name: str, path: str) -> None:
        """An adapter on a server is a model name there (vLLM ``--lora-modules name=path``)."""
        self.adapters[name] = path

    def generate(self, requests: Sequence[ChatRequest], progress: ProgressFn | None = None,
                 on_result: ResultFn | None = None) -> list[GenResult]:
        results: list[GenResult | None] = [None] * len(requests)
        done = 0
        lock = threading.Lock()

        def run(i: int) -> None:
            nonlocal done
            try:
                results[i] = self._one(requests[i])
            except Exception as exc:  # one request's surprise never stops the batch: it is that item's error
                results[i] = GenResult("", "error", error=f"the request failed unexpectedly: {type(exc).__name__}: "
                                                          f"{_message(exc)}")
            with lock:
                done += 1
                if on_result:
                    on_result(i, results[i])  # type: ignore[arg-type]
                if progress:
                    progress(done, len(requests))

        workers = max(1, min(self.cfg.concurrency, len(requests)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="openai") as pool:
            list(pool.map(run, range(len(requests))))
        return [r if r is not None else GenResult("", "error", error="no result") for r in results]

    # one request -----------------------------------------------------------------------------
    def _body(self, request: ChatRequest) -> dict[str, Any]:
        s = request.sampling
        body: dict[str, Any] = {
            "model": request.adapter or self.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "max_tokens": s.max_new_tokens,
            "temperature": s.temperature,
            "top_p": s.top_p,
            "seed": s.seed,
        }
        if request.schema is not None and request.constrained:
            fmt = response_format_for(request.schema, self._format_mode)
            if fmt is not None:
                body["response_format"] = fmt
        return body

    def _one(self, request: ChatRequest) -> GenResult:
        import httpx
        import openai

        body = self._body(request)
        started = time.perf_counter()
        last = ""
        attempts = self.cfg.retries + 1
        attempt = 0
        while attempt < attempts:
            attempt += 1
            try:
                resp = self._call(body, time.monotonic() + self.cfg.timeout_s)
            except openai.AuthenticationError as exc:
                return self._error(started, f"the server refused the API key ({exc.status_code}); put a valid key "
                                            f"in the environment variable {self.cfg.api_key_env}")
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if "response_format" in body and _mentions_format(exc):
                    self._drop_response_format()
                    body.pop("response_format")
                    attempt -= 1  # not the server's fault: ask again without it
                    continue
                return self._error(started, f"the server rejected the request ({exc.status_code}): {_message(exc)}")
            except (openai.APITimeoutError, DeadlinePassed):
                last = (f"no answer within {self.cfg.timeout_s:g} s (the deadline for a whole answer, the profile's "
                        "timeout_s)")
            except (ValueError, openai.APIResponseValidationError) as exc:  # a body cut off or not JSON
                last = f"the server's answer is not valid JSON ({_message(exc)})"
            except httpx.TransportError as exc:  # the answer broke off while it was being read
                last = f"the server's answer is not valid JSON (it broke off: {_message(exc)})"
            except openai.APIConnectionError as exc:
                last = f"cannot connect to {self.cfg.base_url} ({_message(exc)})"
            except openai.APIStatusError as exc:
                if exc.status_code not in RETRY_STATUS and exc.status_code < 500:
                    return self._error(started, f"the server answered {exc.status_code}: {_message(exc)}")
                last = f"the server answered {exc.status_code}: {_message(exc)}"
            else:
                return self._result(resp, started)
            if attempt < attempts:
                time.sleep(self.cfg.backoff_s * 2 ** (attempt - 1))
        return self._error(started, f"{last} (after {attempts} attempt{'s' if attempts > 1 else ''}); "
                                    f"check the server at {self.cfg.base_url} or raise the profile's timeout_s/retries")

    def _call(self, body: dict[str, Any], deadline: float) -> dict[str, Any]:
        """One request's parsed answer, or DeadlinePassed once ``deadline`` (time.monotonic) is reached, however
        slowly the server sends. The reading runs in a helper thread; the caller stops waiting at the deadline
        (plus GRACE_S for the thread to notice on its own) and the thread drops the connection at its next byte."""
        box: dict[str, Any] = {}
        done, stop = threading.Event(), threading.Event()

        def work() -> None:
            try:
                box["value"] = self._read(body, deadline, stop)
            except BaseException as exc:  # handed to the caller
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=work, name="openai-read", daemon=True).start()
        if not done.wait(max(0.0, deadline - time.monotonic()) + GRACE_S):
            stop.set()
            raise DeadlinePassed(self.cfg.timeout_s)
        if "error" in box:
            raise box["error"]
        return box["value"]

    def _read(self, body: dict[str, Any], deadline: float, stop: threading.Event) -> dict[str, Any]:
        import httpx

        left = max(0.001, deadline - time.monotonic())
        chunks: list[bytes] = []
        create: Any = self.client.chat.completions.with_streaming_response.create  # the body is built per server
        with create(**body, timeout=httpx.Timeout(left)) as raw:
            for chunk in raw.iter_bytes():
                if stop.is_set() or time.monotonic() > deadline:
                    raise DeadlinePassed(self.cfg.timeout_s)  # leaving the block closes the connection
                chunks.append(chunk)
        data = json.loads(b"".join(chunks) or b"null")  # ValueError: not JSON
        if not isinstance(data, dict):
            raise ValueError(f"the answer is JSON {type(data).__name__}, not an object")
        return data

    def _drop_response_format(self) -> None:
        with self._format_lock:
            self._format_mode = "none"

    @staticmethod
    def _result(resp: dict[str, Any], started: float) -> GenResult:
        seconds = time.perf_counter() - started
        choices = resp.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            return GenResult("", "error", seconds=seconds, error="the server returned no choices")
        choice = choices[0]
        message = choice.get("message")
        content = message.get("content") if isinstance(message, dict) else None
        usage = resp.get("usage")
        if not isinstance(usage, dict):
            usage = {}
        return GenResult(
            content if isinstance(content, str) else "",
            _finish(choice.get("finish_reason")),
            prompt_tokens=_count(usage.get("prompt_tokens")),
            completion_tokens=_count(usage.get("completion_tokens")),
            seconds=seconds,
        )

    @staticmethod
    def _error(started: float, message: str) -> GenResult:
        return GenResult("", "error", seconds=time.perf_counter() - started, error=message)


class DeadlinePassed(Exception):
    """The request's deadline (the profile's ``timeout_s``) passed before its answer was complete."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no complete answer within {seconds:g} s")


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _message(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc)
    return " ".join(str(text).split())[:300]


def _mentions_format(exc: Exception) -> bool:
    text = f"{getattr(exc, 'body', '')} {exc}".lower()
    return "response_format" in text or "json_schema" in text or "response format" in text

"""OpenAI-compatible backend against real servers on 127.0.0.1.

- a real `transformers serve` process serving the bundled model (exported to a plain folder), started
  and stopped here;
- a small stdlib HTTP server for what a healthy model server never does on demand: answer 500, reject
  ``response_format``, stall, or ask for an API key.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal

import httpx
import pytest
from pydantic import BaseModel, Field

from core.engines import ChatRequest, Message, Sampling, generate_structured
from core.availability import check_profile
from core.engines.openai_engine import OpenAIEngine, OpenAISettings
from core.models import ModelProfile
from tests.conftest import listening_port


class Verdict(BaseModel):
    label: Literal["yes", "no"]
    score: int = Field(ge=1, le=5)


def ask(text: str, schema=None, tokens=24) -> ChatRequest:
    return ChatRequest((Message("user", text),), schema=schema, sampling=Sampling(max_new_tokens=tokens))


@pytest.fixture(scope="module")
def served(offline_folder):
    """`transformers serve` on loopback, serving the bundled model; stopped afterwards. Port 0: the system picks
    the port and the server binds it at once; the test reads it back from the process's listening socket."""
    exe = Path(sys.executable).with_name("transformers")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.Popen(
        [str(exe), "serve", str(offline_folder), "--host", "127.0.0.1", "--port", "0", "--device", "cpu",
         "--dtype", "float32"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{listening_port(proc, timeout=180)}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"transformers serve exited: {proc.stdout.read().decode(errors='replace')[-2000:]}")
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("transformers serve did not start within 180 s")
        yield base + "/v1", str(offline_folder)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.slow
def test_structured_requests_through_a_real_server(served):
    base_url, model = served
    engine = OpenAIEngine(OpenAISettings(base_url=base_url, model=model, concurrency=2, timeout_s=120, retries=0))
    requests = [ask("Is Python a programming language? Reply as JSON with label and score.", Verdict, 32)]
    outcomes = generate_structured(engine, requests)
    assert len(outcomes) == 1
    for out in outcomes:
        # the server ignores response_format, so the contract rests on validate-and-repair: a valid
        # Verdict, or a recorded failure that keeps what the model wrote
        assert out.ok or (out.error and out.raw), out
        assert out.value is None or isinstance(out.value, Verdict)
        assert out.completion_tokens > 0 and out.prompt_tokens > 0
    plain = engine.generate([ask("Say hello.", tokens=6), ask("Say hello.", tokens=6)])
    assert plain[0].error is None and plain[0].text and plain[0].text == plain[1].text  # greedy: same answer
    assert plain[0].finish_reason in ("stop", "length") and plain[0].completion_tokens <= 6


@pytest.mark.slow
def test_timeout_is_survived_and_the_server_still_answers(served):
    base_url, model = served
    impatient = OpenAIEngine(OpenAISettings(base_url=base_url, model=model, timeout_s=0.2, retries=0))
    started = time.monotonic()
    late = impatient.generate([ask("Write a long story about a dragon.", tokens=16)])[0]
    assert late.finish_reason == "error" and "no answer within 0.2 s" in late.error
    assert time.monotonic() - started < 10
    patient = OpenAIEngine(OpenAISettings(base_url=base_url, model=model, timeout_s=120, retries=0))
    assert patient.generate([ask("Say yes.", tokens=3)])[0].error is None


@pytest.mark.slow
def test_openai_profile_is_available_when_its_server_answers(served):
    base_url, model = served
    status = check_profile(ModelProfile(name="local", engine="openai", model=model, base_url=base_url))
    assert status.ok and status.engine == "openai" and base_url in status.weights


# --- a scriptable server for failures ----------------------------------------------------------
class Script:
    def __init__(self) -> None:
        self.status = 200
        self.reject_response_format = False
        self.delay = 0.0
        self.key: str | None = None
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()


@pytest.fixture()
def scripted():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._send(200, {"object": "list", "data": []})

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            with script.lock:
                script.bodies.append(body)
                script.headers.append(dict(self.headers))
                script.in_flight += 1
                script.max_in_flight = max(script.max_in_flight, script.in_flight)
            try:
                time.sleep(script.delay)
                if script.key and self.headers.get("authorization") != f"Bearer {script.key}":
                    return self._send(401, {"error": {"message": "invalid api key"}})
                if script.status != 200:
                    return self._send(script.status, {"error": {"message": "model crashed"}})
                if script.reject_response_format and "response_format" in body:
                    return self._send(400, {"error": {"message": "response_format is not supported"}})
                last = body["messages"][-1]["content"]
                content = json.dumps({"label": "yes", "score": min(5, len(last) % 5 + 1)})
                return self._send(200, {
                    "id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 7, "completion_tokens": 9, "total_tokens": 16},
                })
            finally:
                with script.lock:
                    script.in_flight -= 1

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", script
    server.shutdown()
    server.server_close()


def engine_for(base_url: str, **kw) -> OpenAIEngine:
    return OpenAIEngine(OpenAISettings(base_url=base_url, model="served-model", backoff_s=0.05, **kw))


def test_server_error_is_retried_with_backoff_then_recorded(scripted):
    base_url, script = scripted
    script.status = 500
    result = engine_for(base_url, retries=2).generate([ask("hi", Verdict)])[0]
    assert len(script.bodies) == 3  # one try and two retries
    assert result.finish_reason == "error" and "500" in result.error and "after 3 attempts" in result.error
    outcome = generate_structured(engine_for(base_url, retries=0), [ask("hi", Verdict)])[0]
    assert not outcome.ok and outcome.attempts == 1 and "500" in outcome.error  # no repair of a server failure


def test_schema_is_sent_and_a_server_that_rejects_it_is_asked_again_without(scripted):
    base_url, script = scripted
    script.reject_response_format = True
    engine = engine_for(base_url)
    outcomes = generate_structured(engine, [ask("first", Verdict), ask("second one", Verdict)])
    assert all(o.ok for o in outcomes) and [o.value.score for o in outcomes] == [1, 1 + len("second one") % 5]
    first = script.bodies[0]["response_format"]
    assert first["type"] == "json_schema" and first["json_schema"]["name"] == "Verdict"
    assert set(first["json_schema"]["schema"]["properties"]) == {"label", "score"}
    assert engine.response_format_mode == "none" and "response_format" not in script.bodies[-1]


def test_concurrency_is_bounded_and_results_keep_their_order(scripted):
    base_url, script = scripted
    script.delay = 0.2
    texts = ["a", "bb", "ccc", "dddd", "eeeee", "ffffff"]
    results = engine_for(base_url, concurrency=2).generate([ask(t, Verdict) for t in texts])
    assert script.max_in_flight == 2
    assert [json.loads(r.text)["score"] for r in results] == [min(5, len(t) % 5 + 1) for t in texts]
    assert all(r.prompt_tokens == 7 and r.completion_tokens == 9 for r in results)


def test_api_key_comes_from_the_named_environment_variable(scripted, monkeypatch):
    base_url, script = scripted
    script.key = "s3cret"
    monkeypatch.setenv("HIRELAB_TEST_KEY", "wrong")
    refused = engine_for(base_url, api_key_env="HIRELAB_TEST_KEY").generate([ask("hi")])[0]
    assert refused.finish_reason == "error" and "HIRELAB_TEST_KEY" in refused.error and len(script.bodies) == 1
    monkeypatch.setenv("HIRELAB_TEST_KEY", "s3cret")
    assert engine_for(base_url, api_key_env="HIRELAB_TEST_KEY").generate([ask("hi")])[0].error is None


def test_closed_port_is_a_clear_error_not_a_crash():
    with socket.socket() as held:  # bound and never listening: connections are refused, and no other process can
        held.bind(("127.0.0.1", 0))  # take the port while the test runs
        base_url = f"http://127.0.0.1:{held.getsockname()[1]}/v1"
        result = engine_for(base_url, retries=1).generate([ask("hi")])[0]
        status = check_profile(ModelProfile(name="gone", engine="openai", model="m", base_url=base_url))
    assert result.finish_reason == "error" and "cannot connect" in result.error and "after 2 attempts" in result.error
    assert not status.ok and "no server answers" in status.reason

"""An OpenAI-compatible model server on loopback that fails on demand, for the fault tests.

``POST /v1/chat/completions`` answers a valid object for the task (a grade or a fit assessment, picked by
the request's ``response_format`` schema name) unless the request names a fault: a marker anywhere in its
messages (``[[fault:timeout]]``) or, for a request with no marker, the next entry of ``schedule``.

- ``timeout``: stalls past the client's timeout (``stall_s``), then gives up on the closed connection;
- ``500``: HTTP 500 with an error body;
- ``truncated``: HTTP 200 whose JSON body stops half-way;
- ``cut``: a well-formed response whose message is a JSON object cut off half-way (``finish_reason: length``);
- ``true_score``: a well-formed object whose scores are ``true`` (what a lenient parser reads as 1);
- ``dup_keys``: a well-formed object that gives its score twice (``"match_score": 80, ..., "match_score": 5``).

``recovered = True`` makes every request succeed, as a server does once it is fixed. ``GET /v1/models``
lists the one model. Every request is counted by what it got (``served``).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = ("timeout", "500", "truncated", "cut", "true_score", "dup_keys")
MARKER = re.compile(r"\[\[fault:(\w+)\]\]")
MODEL = "fault-model"


def marker(fault: str) -> str:
    """The words that make this server fail a request that carries them."""
    if fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
    return f"[[fault:{fault}]]"


def _valid_answer(body: dict) -> str:
    """A valid object for the task, its numbers taken from the request's text (so answers differ by input)."""
    schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name", "")
    text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
    seed = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)
    if schema == "FitAssessment" or "resume" in text.lower() and schema != "GradeAssessment":
        return json.dumps({
            "summary": "Fits the job on the main stack.", "skills_matched": [], "skills_missing": [],
            "experience_years": 5, "experience_evaluation": "Five years in the field.", "green_flags": [],
            "red_flags": [], "match_score": 20 + seed % 80, "recommendation": "consider"})
    score = 1 + seed % 5
    crit = {"score": score, "explanation": "Covers the main point."}
    return json.dumps({"reasoning": "The answer names the key idea.", "technical_correctness": crit,
                       "depth_of_analysis": crit, "accuracy_of_analysis": crit, "verdict": "acceptable"})


def _invented(content: str, fault: str) -> str:
    """The valid object with its scores made up: ``true`` for each, or each score given a second time."""
    if fault == "true_score":
        return re.sub(r'"(score|match_score)": \d+', r'"\1": true', content)
    return re.sub(r'"(score|match_score)": (\d+)', r'"\1": \2, "\1": 1', content)


class FaultServer:
    """Start with ``with FaultServer() as server:``; ``server.base_url`` is the /v1 address."""

    def __init__(self, stall_s: float = 5.0) -> None:
        self.stall_s = stall_s
        self.recovered = False
        self.schedule: deque[str] = deque()  # faults for requests that carry no marker, in order ("ok": none)
        self.served: Counter[str] = Counter()  # "ok" and each fault: how many requests got it
        self.lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> "FaultServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()  # stalled requests give up now
        self._httpd.shutdown()
        self._httpd.server_close()

    def _fault_for(self, body: dict) -> str:
        text = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        found = MARKER.search(text)
        with self.lock:
            fault = found.group(1) if found else (self.schedule.popleft() if self.schedule else "ok")
            fault = "ok" if self.recovered else fault
            self.served[fault] += 1
        return fault

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _send(self, status: int, data: bytes, length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data) if length is None else length))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    return self._send(200, json.dumps({"object": "list", "data": [
                        {"id": MODEL, "object": "model", "created": 0, "owned_by": "tests"}]}).encode())
                self._send(404, b'{"error": {"message": "not found"}}')

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
                fault = server._fault_for(body)
                try:
                    if fault == "timeout":
                        server._closing.wait(server.stall_s)
                        return self._send(504, b'{"error": {"message": "too late"}}')
                    if fault == "500":
                        return self._send(500, b'{"error": {"message": "the model crashed"}}')
                    content = _valid_answer(body)
                    finish = "stop"
                    if fault == "cut":
                        content, finish = content[: len(content) // 2], "length"
                    if fault in ("true_score", "dup_keys"):
                        content = _invented(content, fault)
                    data = json.dumps({
                        "id": "fault-1", "object": "chat.completion", "created": 0, "model": body.get("model", MODEL),
                        "choices": [{"index": 0, "finish_reason": finish,
                                     "message": {"role": "assistant", "content": content}}],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}}).encode()
                    if fault == "truncated":  # the body stops half-way; the connection closes
                        return self._send(200, data[: len(data) // 2])
                    return self._send(200, data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (its timeout)

        return Handler

"""Bounded work on a hosted server: text size limits (in the reader's language), Gradio's upload route limited
per request and per address, a real deadline for model calls, rate limits on every model-calling handler, the
client's address from the right-most X-Forwarded-For entry on a Space, and sign-in paused after failures.

Fast checks of core first, then one real hosted server on loopback (small limits so the tests stay short)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.conftest import serving

from core.bounds import BOUNDS, InputTooLong
from core.hosting import SignInThrottle, UploadMeter, client_key

USERS = {"alice": "a-Secret", "bob": "b-Secret", "carol": "c-Secret", "dave": "d-Secret", "erin": "e-Secret",
         "frank": "f-Secret"}
LOCKOUT_S = 2  # the server's sign-in pause (HIRELAB_LOGIN_LOCKOUT_S), after 3 failures (HIRELAB_LOGIN_FAILURES)


# text bounds, in core ---------------------------------------------------------------------------------------
def _too_long(field: str) -> str:
    return "x" * (BOUNDS.most(field) + 1)  # type: ignore[arg-type]


def test_every_service_refuses_text_over_its_bound_and_names_the_limit_in_both_languages(home):
    from core.compare import items_for_candidate
    from core.fairness import run_probe
    from core.services.decisions import record_decision
    from core.services.grading import AnswerInput
    from core.services.interviews import create_interview, set_questions, submit_interview
    from core.services.questions import interview_questions, pasted_resume
    from core.services.records import CandidateFilter, list_candidates
    from core.services.screening import ScreenInput, screen

    from core.services.interviews import InterviewError, question_sets

    resume = pasted_resume("Ivan Petrov. Python developer, six years of Django and PostgreSQL. " * 3, "r")
    questions = set_questions(question_sets("en")[0].id, "en")
    calls = {
        "job": [lambda: screen(_too_long("job"), [ScreenInput("a.txt", b"Python developer " * 10)]),
                lambda: interview_questions(resume, _too_long("job"), "rules"),
                lambda: run_probe(_too_long("job"), [ScreenInput("a.txt", b"Python developer " * 10)])],
        "resume": [lambda: ScreenInput.pasted(_too_long("resume")), lambda: pasted_resume(_too_long("resume"), "r")],
        "answer": [lambda: AnswerInput.from_form("What is the GIL?", _too_long("answer"))],
        "question": [lambda: AnswerInput.from_form(_too_long("question"), "A lock.")],
        "reference": [lambda: AnswerInput.from_form("What is the GIL?", "A lock.", _too_long("reference"))],
        "name": [lambda: AnswerInput.from_form("What is the GIL?", "A lock.", None, _too_long("name")),
                 lambda: create_interview(questions, _too_long("name")),
                 lambda: items_for_candidate(_too_long("name")),
                 lambda: record_decision("c-1", "advance", "fits", _too_long("name"))],
        "reason": [lambda: record_decision("c-1", "advance", _too_long("reason"), "Anna")],
        "search": [lambda: list_candidates(CandidateFilter(text=_too_long("search")))],
    }
    for field, tries in calls.items():
        for call in tries:
            with pytest.raises(InputTooLong) as caught:
                call()
            most = BOUNDS.most(field)  # type: ignore[arg-type]
            assert caught.value.field == field and f"at most {most}" in str(caught.value), (field, str(caught.value))
            assert f"не больше {most}" in caught.value.text("ru")
    assert "The job description is too long" in str(InputTooLong("job", 50_001, 50_000))
    assert InputTooLong("reason", 2001, 2000).text("ru").startswith("Причина: слишком длинный текст")
    # an interview answer over the bound is refused with its number (the candidate's page)
    link = create_interview(questions, "Anna Bounds")
    with pytest.raises(InterviewError, match=f"longer than {BOUNDS.answer}"):
        submit_interview(link.token, ["x" * (BOUNDS.answer + 1)] + [""] * (len(questions) - 1))


# upload meter, X-Forwarded-For, sign-in throttle: core ---------------------------------------------------------
def test_the_client_address_on_a_space_is_the_right_most_forwarded_entry():
    # the Space's proxy appends the address it got the request from; the client wrote whatever is to its left
    assert client_key(None, "10.1.1.1", "6.6.6.6, 203.0.113.9", behind_proxy=True) == "ip:203.0.113.9"
    assert client_key(None, "10.1.1.1", "1.1.1.1, 2.2.2.2 ,203.0.113.9 ", behind_proxy=True) == "ip:203.0.113.9"
    assert client_key(None, "10.1.1.1", "6.6.6.6", behind_proxy=False) == "ip:10.1.1.1"


def test_the_upload_meter_counts_parts_across_chunk_edges(monkeypatch):
    from core.hosting import HostingConfig, HostingLimitError

    monkeypatch.setenv("HIRELAB_MAX_FILES", "3")
    config = HostingConfig.from_settings()
    body = b"".join(b"--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhi\r\n"
                    for _ in range(4)) + b"--XyZ--\r\n"
    meter = UploadMeter(config, 'multipart/form-data; boundary="XyZ"')
    with pytest.raises(HostingLimitError) as caught:
        for i in range(0, len(body), 3):  # three bytes at a time: every delimiter is split somewhere
            meter.feed(body[i:i + 3])
    assert caught.value.status == 413 and "more than 3 files" in str(caught.value)
    three = body.replace(body[: body.index(b"--XyZ", 1)], b"", 1)  # the same body less its first part
    ok = UploadMeter(config, "multipart/form-data; boundary=XyZ")
    for i in range(0, len(three), 5):
        ok.feed(three[i:i + 5])
    assert ok.files == 3 and ok.bytes == len(three)


def test_sign_in_pauses_after_failures_and_the_pause_doubles():
    now = [100.0]
    throttle = SignInThrottle(failures=3, lockout_s=10, clock=lambda: now[0])
    assert [throttle.failed("name:alice") for _ in range(2)] == [0.0, 0.0] and throttle.wait("name:alice") == 0.0
    assert throttle.failed("name:alice") == 10.0 and throttle.wait("name:alice") == 10.0
    now[0] += 10.5
    assert throttle.wait("name:alice") == 0.0
    assert throttle.failed("name:alice") == 20.0  # one more failure after the pause: twice as long
    assert throttle.wait("name:bob") == 0.0  # each name its own
    throttle.succeeded("name:alice")
    assert throttle.wait("name:alice") == 0.0


# a real deadline for model calls ---------------------------------------------------------------------------------
class Trickle:
    """An OpenAI-compatible server that sends a valid answer one byte at a time, ``step_s`` apart: each read is
    quick (no socket timeout ever fires), but the whole answer takes ``len(body) * step_s`` seconds."""

    def __init__(self, total_s: float) -> None:
        self.body = json.dumps({
            "id": "t", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hello"}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        self.step_s = total_s / len(self.body)
        self.finished, self.dropped, self.closing = threading.Event(), threading.Event(), threading.Event()
        trickle = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(trickle.body)))
                self.end_headers()
                try:
                    for i in range(len(trickle.body)):
                        self.wfile.write(trickle.body[i:i + 1])
                        self.wfile.flush()
                        if trickle.closing.wait(trickle.step_s):
                            return
                    trickle.finished.set()
                except (BrokenPipeError, ConnectionResetError):
                    trickle.dropped.set()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_model_server_that_trickles_bytes_is_cut_off_at_the_deadline():
    from core.engines import ChatRequest, Message, Sampling
    from core.engines.openai_engine import OpenAIEngine, OpenAISettings

    deadline_s = 1.0
    server = Trickle(total_s=10 * deadline_s)  # the whole answer would take ten deadlines
    try:
        engine = OpenAIEngine(OpenAISettings(base_url=server.base_url, model="m", timeout_s=deadline_s, retries=0))
        [result] = engine.generate([ChatRequest((Message("user", "hi"),), sampling=Sampling(max_new_tokens=8))])
        assert not server.finished.is_set()  # the call ended before the answer did
        assert result.finish_reason == "error" and result.text == ""
        assert "no answer within 1 s" in result.error and "deadline" in result.error and "timeout_s" in result.error
        assert server.dropped.wait(30)  # and the connection was dropped, so the server stops sending
    finally:
        server.close()


# the real server -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hosted():
    """The product's server, hosted on loopback, with small limits: 3 files and 1 MB per upload, 2 model calls per
    600 s per person, sign-in paused for LOCKOUT_S s after 3 failures."""
    env = {"HIRELAB_HOSTED": "1", "HIRELAB_USERS": ",".join(f"{u}:{p}" for u, p in USERS.items()),
           "HIRELAB_MAX_FILES": "3", "HIRELAB_MAX_UPLOAD_TOTAL_MB": "1", "HIRELAB_UPLOAD_RATE": "1000",
           "HIRELAB_RATE_LIMIT": "2", "HIRELAB_RATE_WINDOW_S": "600", "HIRELAB_LOGIN_FAILURES": "3",
           "HIRELAB_LOGIN_LOCKOUT_S": str(LOCKOUT_S)}
    with serving(env) as url:
        yield url


def _session(url: str, user: str) -> httpx.Client:
    http = httpx.Client(base_url=url, timeout=60)
    assert http.post("login", data={"username": user, "password": USERS[user]}).status_code == 200
    return http


def _files(n: int, size: int = 16) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (f"r{i}.txt", b"x" * size)) for i in range(n)]


def test_one_upload_request_is_limited_in_files_and_bytes(hosted):
    http = _session(hosted, "alice")
    many = http.post("gradio_api/upload", files=_files(4))
    assert many.status_code == 413 and "more than 3 files" in many.text
    big = http.post("gradio_api/upload", files=_files(3, 400 * 1024), headers={"Accept-Language": "ru"})
    assert big.status_code == 413 and "больше 1 МБ" in big.text
    ok = http.post("gradio_api/upload", files=_files(3))
    assert ok.status_code == 200 and len(ok.json()) == 3
    # the interview page's upload route is refused as well (never stored), the too-large request at once
    assert httpx.post(hosted + "interview/gradio_api/upload", files=_files(4)).status_code == 413
    assert httpx.post(hosted + "interview/gradio_api/upload", files=_files(1)).status_code in (401, 403, 404, 405)


def test_uploads_from_one_address_are_rate_limited(hosted, monkeypatch):
    monkeypatch.setenv("HIRELAB_UPLOAD_RATE", "4")  # files per 600 s from one address
    http = _session(hosted, "bob")
    assert [http.post("gradio_api/upload", files=_files(2)).status_code for _ in range(2)] == [200, 200]
    refused = http.post("gradio_api/upload", files=_files(2))
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "at most 4 files per 600 s from one address" in refused.text


def test_every_model_calling_handler_is_rate_limited_and_long_text_is_refused_in_the_readers_language(hosted):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    from core.services.interviews import question_sets

    set_id = question_sets("en")[0].id
    calls = {
        "carol": lambda c: c.predict(None, "", "", "rules", "auto", api_name="/interview_questions"),
        "dave": lambda c: c.predict(set_id, "N" * (BOUNDS.name + 1), "en", 60, 72, "rules", api_name="/interview_create"),
        "erin": lambda c: c.predict("What is the GIL?", "a" * (BOUNDS.answer + 1), "", "", "rules", api_name="/grade_one"),
    }
    for user, call in calls.items():
        client = Client(hosted, auth=(user, USERS[user]), verbose=False, headers={"Accept-Language": "ru"})
        errors = []
        for _ in range(3):  # the limit is 2 per 600 s
            with pytest.raises(AppError) as caught:
                call(client)
            errors.append(str(caught.value))
        assert "Слишком много запросов" in errors[2] and "не больше 2 за 600" in errors[2], (user, errors)
        assert "Слишком много запросов" not in errors[0], (user, errors)
        if user == "dave":
            assert "Имя: слишком длинный текст" in errors[0] and f"не больше {BOUNDS.name}" in errors[0]
        if user == "erin":
            assert "Ответ: слишком длинный текст" in errors[0] and f"не больше {BOUNDS.answer}" in errors[0]


def test_sign_in_is_paused_after_failures_per_name_and_per_address(hosted):
    def login(user: str, password: str) -> httpx.Response:
        return httpx.post(hosted + "login", data={"username": user, "password": password}, timeout=30)

    def until_open(user: str) -> httpx.Response:
        deadline = time.monotonic() + 60 * LOCKOUT_S
        while time.monotonic() < deadline:
            got = login(user, USERS[user])
            if got.status_code != 429:
                return got
            time.sleep(0.2)  # polling a condition, not timing it
        raise AssertionError(f"{user} still paused")

    assert [login("frank", "wrong").status_code for _ in range(3)] == [400, 400, 400]
    paused = login("frank", USERS["frank"])  # the right password, refused while the name is paused
    assert paused.status_code == 429 and "Too many wrong passwords for this name" in paused.text
    assert int(paused.headers["retry-after"]) >= 1
    assert login("alice", USERS["alice"]).status_code == 200  # other names sign in meanwhile
    assert until_open("frank").status_code == 200  # after the pause the right password works again
    # many names from one address: 4 x 3 failures pause the address, whichever name comes next
    for i in range(12):
        assert login(f"nobody{i}", "wrong").status_code in (400, 429)
    blocked = login("alice", USERS["alice"])
    assert blocked.status_code == 429 and "from this address" in blocked.text
    assert until_open("alice").status_code == 200

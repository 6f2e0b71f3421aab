"""What a model writes is never read as a score unless it is one, and what leaves the tool is safe to open.

- The output contract (core.engines.structured.parse_object, core.schemas): a boolean, text or an out-of-range
  number is not a score; a key given twice is refused; through a real OpenAI-compatible server
  (tests/fault_server.py) such an answer is a recorded failure (raw text kept, the reason stored, nothing graded).
- CSV cells (core.services.export.safe_cell): no cell becomes a formula, even where a spreadsheet splits a cell on
  `;`, `|`, a tab or a comma.
- The Streamlit pages listen on loopback by default (.streamlit/config.toml, a real `streamlit run`).
- Broken text and out-of-range ids get a message in the reader's language, not a Python error.
- Interview tokens never reach the server's access log.
"""

from __future__ import annotations

import csv
import io
import uuid

import pytest
import yaml
from sqlalchemy import select

from core.engines.structured import OutputError, parse_object
from core.schemas import CriterionScore, FitAssessment, GradeAssessment, JudgeAssessment
from core.store import get_store
from core.store.tables import ResultRow
from tests.fault_server import MODEL, FaultServer, marker
from tests.conftest import wait_until
from tests.paths import SAMPLES

PROFILE = "inventing"


def _grade(score: object) -> dict:
    crit = {"score": score, "explanation": "Covers the main point."}
    return {"reasoning": "Names the key idea.", "technical_correctness": crit, "depth_of_analysis": crit,
            "accuracy_of_analysis": crit, "verdict": "acceptable"}


def _fit(score: object, years: object = 5) -> dict:
    return {"summary": "Fits.", "experience_years": years, "experience_evaluation": "Five years.",
            "match_score": score, "recommendation": "consider"}


# the contract --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("score, reason", [
    (True, "not a boolean"), (False, "not a boolean"), ("4", "not text"), ("four", "not text"), (None, "not NoneType"),
    (0, "greater than or equal to 1"), (6, "less than or equal to 5"), (4.5, "fractional part"),
])
def test_a_grade_score_is_only_a_number_in_range(score, reason):
    import json

    with pytest.raises(OutputError) as err:
        parse_object(json.dumps(_grade(score)), GradeAssessment)
    assert reason in str(err.value) and "technical_correctness.score" in str(err.value)
    assert parse_object(json.dumps(_grade(4)), GradeAssessment).overall == 4


@pytest.mark.parametrize("score, reason", [(True, "not a boolean"), ("80", "not text"), (101, "less than or equal to 100"),
                                           (-1, "greater than or equal to 0")])
def test_a_fit_score_is_only_a_number_in_range(score, reason):
    import json

    with pytest.raises(OutputError, match=reason):
        parse_object(json.dumps(_fit(score)), FitAssessment)
    with pytest.raises(OutputError, match="experience_years"):
        parse_object(json.dumps(_fit(80, years=True)), FitAssessment)
    ok = parse_object(json.dumps(_fit(80, years=None)), FitAssessment)
    assert ok.match_score == 80 and ok.experience_years is None


def test_a_judge_score_is_only_a_number():
    text = '{"reasoning": "ok", "accuracy_of_analysis": true, "technical_correctness": 3, "depth_of_analysis": 3}'
    with pytest.raises(OutputError, match="accuracy_of_analysis: must be a number, not a boolean"):
        parse_object(text, JudgeAssessment)


@pytest.mark.parametrize("text, key", [
    ('{"score": 5, "explanation": "x", "score": 1}', "score"),
    ('{"score": 5, "explanation": "first", "explanation": "second"}', "explanation"),
])
def test_a_key_given_twice_is_refused(text, key):
    with pytest.raises(OutputError, match=f"the key '{key}' appears twice"):
        parse_object(text, CriterionScore)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_numbers(constant):
    with pytest.raises(OutputError, match="not a number JSON allows"):
        parse_object(f'{{"summary": "s", "experience_years": {constant}, "experience_evaluation": "e", '
                     f'"match_score": 50, "recommendation": "consider"}}', FitAssessment)


def test_stored_reports_and_the_json_schema_are_unchanged():
    """Stored grades (numbers) still load, and the schema a model is constrained to keeps its bounds."""
    score = CriterionScore.model_json_schema()["properties"]["score"]
    assert score["type"] == "integer" and (score["minimum"], score["maximum"]) == (1, 5)
    years = FitAssessment.model_json_schema()["properties"]["experience_years"]["anyOf"][0]
    assert (years["minimum"], years["maximum"]) == (0, 60)
    assert CriterionScore.model_validate({"score": 3, "explanation": "x"}).score == 3


# end to end through a real model server ------------------------------------------------------------------
@pytest.fixture()
def inventing(tmp_path, monkeypatch):
    """tests/fault_server.py on loopback and a profile pointing at it (one retry, short backoff)."""
    with FaultServer(stall_s=5) as server:
        models = tmp_path / "models.yaml"
        models.write_text(yaml.safe_dump({"profiles": {PROFILE: {
            "engine": "openai", "model": MODEL, "base_url": server.base_url, "timeout_s": 5, "retries": 1,
            "backoff_s": 0.05, "concurrency": 2}}}), encoding="utf-8")
        monkeypatch.setenv("HIRELAB_MODELS", str(models))
        yield server


def _stored(subject_prefix: str) -> list[ResultRow]:
    with get_store().session() as s:
        return list(s.scalars(select(ResultRow).where(ResultRow.subject.startswith(subject_prefix))))


def test_invented_grades_are_recorded_failures_not_grades(inventing):
    from core.services.grading import AnswerInput, grade_answers

    who = f"Invented {uuid.uuid4().hex[:8]}"
    question = "What is a Python decorator, and how would you write one that measures a function's run time?"
    items = [AnswerInput(candidate=f"{who} {fault}", question=question,
                         answer=f"A decorator wraps a function and returns a wrapper. {marker(fault)}")
             for fault in ("true_score", "dup_keys")]
    outcomes = grade_answers(items, PROFILE)

    reasons = {"true_score": "must be a number, not a boolean", "dup_keys": "appears twice"}
    for out, fault in zip(outcomes, reasons):
        assert not out.ok and out.grade is None, (fault, out)
        assert reasons[fault] in out.error and "after one repair attempt" in out.error, out.error
    assert inventing.served == {"true_score": 2, "dup_keys": 2}  # the first answer and the one repair retry
    rows = {r.subject: r for r in _stored(who)}
    assert len(rows) == 2
    for fault, reason in reasons.items():
        row = rows[f"{who} {fault}"]
        assert not row.ok and row.payload is None and reason in (row.error or "")
        assert ('"score": true' if fault == "true_score" else '"score": 1') in row.raw  # the raw answer is kept


def test_an_interview_answer_graded_true_is_left_for_review(inventing):
    from core.services import interviews as iv

    link = iv.create_interview([iv.InterviewQuestion("q1", "What does a Python decorator do? Explain with an example.",
                                                     None)],
                               f"Candidate {uuid.uuid4().hex[:8]}", model_profile=PROFILE)
    iv.open_interview(link.token)
    iv.submit_interview(link.token, [f"It wraps a function in another one. {marker('true_score')}"])
    found = wait_until(lambda: (f := iv.find_interview(link.token)) and all(a.status != "pending" for a in f.answers)
                       and f, 120, "the interview's background grading")
    (answer,) = found.answers
    assert answer.status == "needs_review" and answer.score is None and found.graded == 0
    assert "must be a number, not a boolean" in (answer.error or "")


def test_a_fit_score_of_true_is_a_failed_resume_not_a_score_of_one(inventing):
    from core.services.screening import ScreenInput, ScreenOptions, screen

    resume = (SAMPLES / "src" / "anna_smirnova_ml_engineer.md").read_text(encoding="utf-8")
    job = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")
    tag = uuid.uuid4().hex[:8]
    files = [ScreenInput(f"invented_{tag}.txt", f"{resume}\nRef {tag}\n{marker('true_score')}\n".encode())]
    (row,) = screen(job, files, ScreenOptions(profile=PROFILE))
    assert not row.ok and row.report is None and row.score is None
    assert "match_score: must be a number, not a boolean" in (row.error or "")
    assert '"match_score": true' in row.raw


# CSV cells ----------------------------------------------------------------------------------------------
ISSUE_EXAMPLE = "Bob;=cmd|' /C calc'!A0"
HOSTILE = [
    ISSUE_EXAMPLE, "Bob; =cmd|' /C calc'!A0", "Bob;\u00a0=1+1", "Bob; \"=HYPERLINK(\"\"http://x\"\")\"", "Bob|@SUM(A1)",
    "Bob\t-2+3+cmd|' /C calc'!A0", "Bob,+1+2", "Bob;\t=1", "Bob;;=1", "Bob\n=1+1", "Bob\r\n@SUM(1)", "=1;=2;=3",
    "Anna Smirnova; skills: Python, -SQL", "\t=1", " =1",
]


def _formula_cells(text: str, delimiter: str) -> list[str]:
    """The cells a spreadsheet splitting ``text`` on ``delimiter`` would run as a formula (numbers excepted)."""
    risky = []
    for line in text.splitlines():
        for cell in csv.reader([line], delimiter=delimiter).__next__() if line else []:
            shown = cell.strip()
            if shown[:1] in ("=", "+", "-", "@"):
                try:
                    float(shown)
                except ValueError:
                    risky.append(cell)
    return risky


def test_no_csv_cell_becomes_a_formula_whatever_the_spreadsheet_splits_on():
    from core.services.export import csv_text, safe_cell

    rows = [{"name": bad, "score": -3, "mean": 2.5} for bad in HOSTILE]
    text = csv_text(["name", "score", "mean"], rows)
    for delimiter in (",", ";", "|", "\t"):
        assert _formula_cells(text, delimiter) == [], delimiter
    back = list(csv.DictReader(io.StringIO(text)))
    assert back[0]["name"] == "Bob;'=cmd|' /C calc'!A0"  # the text is all there, one apostrophe added
    assert all(r["score"] == "-3" and r["mean"] == "2.5" for r in back)  # numbers stay numbers
    assert safe_cell(ISSUE_EXAMPLE).replace("'=", "=", 1) == ISSUE_EXAMPLE
    # ordinary text is left alone
    for fine in ("Anna", "Python - 5 years", "a, b; c | d", "C++ and C#", "e-mail: a@b.c", ""):
        assert safe_cell(fine) == fine
    assert [safe_cell(v) for v in (-3, 2.5, 0, None)] == [-3, 2.5, 0, None]


# the Streamlit pages ------------------------------------------------------------------------------------
def test_the_analytics_pages_listen_on_loopback_only_by_default(tmp_path):
    """`streamlit run pages/analytics.py` as README says (no address given): it listens on 127.0.0.1 only."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    import psutil

    from tests.conftest import listening_port
    from tests.paths import REPO

    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_SERVER_")}
    env.update(HIRELAB_HOME=str(tmp_path / "home"), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "pages/analytics.py", "--server.headless", "true",
                             "--server.port", "0", "--server.fileWatcherType", "none"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        port = listening_port(proc)  # port 0: the system picked it, bound at once
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()[-2000:] \
                if proc.poll() is not None else "the Streamlit server did not start in 90 s"
            time.sleep(0.3)
        listening = {c.laddr.ip for c in psutil.Process(proc.pid).net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
        assert listening == {"127.0.0.1"}, listening
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# what a person reads instead of a Python error -----------------------------------------------------------
HUGE_JOB = "12345678901234567890123"  # 23 digits: more than a store's integer holds
TRACEBACK_WORDS = ("Traceback", "OverflowError", "UnicodeEncodeError", "surrogates not allowed", "unicode string")


def _call_raw(base: str, api: str, values: list, lang: str = "en") -> str:
    """One Gradio API call sent as JSON text with ASCII escapes (gradio_client cannot encode a lone surrogate);
    returns the event stream's text, then its data decoded."""
    import json

    import httpx

    info = httpx.get(f"{base}gradio_api/info", timeout=30).json()["named_endpoints"][f"/{api}"]
    data = values + [None] * (len(info["parameters"]) - len(values))
    headers = {"content-type": "application/json", "accept-language": lang}
    started = httpx.post(f"{base}gradio_api/call/{api}", content=json.dumps({"data": data}).encode("ascii"),
                         headers=headers, timeout=30)
    started.raise_for_status()
    with httpx.stream("GET", f"{base}gradio_api/call/{api}/{started.json()['event_id']}", headers=headers,
                      timeout=120) as events:
        text = "".join(events.iter_text())
    decoded = []  # the stream's JSON escapes non-ASCII text: each data line as read
    for line in text.splitlines():
        if line.startswith("data: "):
            try:
                decoded.append(str(json.loads(line[6:])))
            except ValueError:
                decoded.append(line[6:])
    return text + "\n" + "\n".join(decoded)


@pytest.mark.parametrize("lang, words", [("en", "has a character that is not valid text"),
                                         ("ru", "не является допустимым текстом")])
def test_a_lone_surrogate_in_an_answer_is_refused_with_a_message(workbench_url, lang, words):
    question = "What is a Python decorator, and how would you write one?"
    events = _call_raw(workbench_url, "grade_one", [question, "It wraps \ud800 a function", "", "Broken Text", "rules"],
                       lang)
    assert "event: error" in events and words in events, events
    assert not any(w in events for w in TRACEBACK_WORDS), events


def test_a_lone_surrogate_in_an_interview_answer_is_refused_and_the_link_stays_open():
    from core.services import interviews as iv

    link = iv.create_interview([iv.InterviewQuestion("q1", "What does a Python decorator do? Explain it.", None)],
                               f"Surrogate {uuid.uuid4().hex[:8]}", language="ru")
    iv.open_interview(link.token)
    with pytest.raises(iv.InterviewError) as err:
        iv.submit_interview(link.token, ["It wraps \udc80 a function"])
    assert "Answer 1 has a character that is not valid text" in str(err.value)
    assert "В ответе 1 есть символ" in err.value.text("ru")
    assert iv.peek(link.token).submitted is False  # nothing was taken: the candidate fixes it and sends again
    assert iv.submit_interview(link.token, ["It wraps a function"]).answers == 1


def test_a_23_digit_job_id_is_an_unknown_job_in_the_workbench(workbench_url):
    from gradio_client import Client

    client = Client(workbench_url, verbose=False)
    with pytest.raises(Exception) as err:
        client.predict("csv", HUGE_JOB, "Olga", api_name="/export_decisions")
    assert f"No job with id {HUGE_JOB}" in str(err.value) and "hirelab jobs" in str(err.value)
    events = _call_raw(workbench_url, "export_decisions", ["csv", HUGE_JOB, "Olga"], "ru")
    assert f"Нет вакансии с номером {HUGE_JOB}" in events and not any(w in events for w in TRACEBACK_WORDS)


@pytest.mark.parametrize("args", [
    ["decide", "C-0001", "advance", "--reason", "strong", "--by", "Olga", "--job", HUGE_JOB],
    ["decisions", "export", "--by", "Olga", "--job", HUGE_JOB],
])
def test_a_23_digit_job_id_on_the_command_line_is_an_unknown_job(args):
    from typer.testing import CliRunner

    from cli import app

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"No job with id {HUGE_JOB}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# the server's log ----------------------------------------------------------------------------------------
def test_an_interview_token_never_reaches_the_access_log():
    """The real interview page on a real uvicorn server with its access log on: the opened link's address is
    logged with the token masked (core.log_masking, installed before uvicorn configures its loggers)."""
    import logging
    import threading
    import time

    import gradio as gr
    import httpx
    import uvicorn
    from fastapi import FastAPI

    from core.log_masking import install, mask
    from core.services import interviews as iv
    from workbench.interview_page import build_interview_page

    link = iv.create_interview([iv.InterviewQuestion("q1", "What does a Python decorator do? Explain it.", None)],
                               f"Logged {uuid.uuid4().hex[:8]}")
    assert link.token not in mask(f"GET {link.url_path}&x=1") and "token=***" in mask(link.url_path)

    class Captured(logging.Handler):
        def __init__(self) -> None:
            super().__init__()
            self.lines: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.lines.append(record.getMessage())

    install()  # as the server does before it builds its uvicorn config
    app = gr.mount_gradio_app(FastAPI(), build_interview_page(), path=iv.PAGE_PATH)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="info", access_log=True)
    sock = config.bind_socket()  # a free port, held from here on
    port = sock.getsockname()[1]
    server = uvicorn.Server(config)
    captured = Captured()
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        logging.getLogger("uvicorn.access").addHandler(captured)
        page = httpx.get(f"http://127.0.0.1:{port}{link.url_path}", timeout=30, follow_redirects=True)
        assert page.status_code == 200
        deadline = time.monotonic() + 30
        while not any(iv.PAGE_PATH in line for line in captured.lines):
            assert time.monotonic() < deadline, captured.lines
            time.sleep(0.05)
    finally:
        logging.getLogger("uvicorn.access").removeHandler(captured)
        server.should_exit = True
        thread.join(timeout=20)
    logged = "\n".join(captured.lines)
    assert "token=***" in logged and link.token not in logged, logged

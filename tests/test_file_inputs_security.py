"""No request may make the server read a file its requester did not upload: every file input of the workbench,
signed in on a hosted server and anonymous on the demo, is sent hostile Gradio FileData paths (the users file,
the store and its WAL, /proc/self/environ, a symlink into the home folder, the repository's files, another
person's upload) straight to /gradio_api/queue/join, as an attacker would. Each is refused with a clear message,
nothing comes back and nothing is copied into the folder Gradio serves. The interview page serves and takes no
files; the page before sign-in carries no API description; and a refused request followed by a second process
opening the store loses nothing written afterwards."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.conftest import serving

from tests.paths import REPO, SAMPLES

PASSWORDS = {"alice": "a-Secret-1", "carol": "c-Secret-3"}
FILE_TYPES = {"file", "uploadbutton", "image", "audio", "video", "gallery", "model3d", "dataset", "imageeditor"}


def _hostile_paths(home: Path, users_file: Path, tmp: Path) -> dict[str, str]:
    link = tmp / "innocent.txt"
    if not link.exists():
        link.symlink_to(users_file)
    return {"users file": str(users_file), "store": str(home / "hirelab.db"), "store WAL": str(home / "hirelab.db-wal"),
            "process environment": "/proc/self/environ", "symlink into home": str(link),
            "repository file": str(REPO / "README.md"), "model profiles": str(REPO / "assets" / "models.yaml"),
            "dotted traversal": str(tmp) + "/../" + tmp.name + "/innocent.txt"}


def _served_folder() -> Path:
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder())


def _file_events(http: httpx.Client) -> list[tuple[int, int, int, str]]:
    """(dependency id, number of inputs, index of a file input, its component type) for every event of the page
    with a file input."""
    config = http.get("config").json()
    types = {c["id"]: c.get("type", "") for c in config["components"]}
    out = []
    for dep in config["dependencies"]:
        inputs = dep.get("inputs", [])
        for i, cid in enumerate(inputs):
            if types.get(cid) in FILE_TYPES:
                out.append((dep["id"], len(inputs), i, types[cid]))
                break
    return out


def _join(http: httpx.Client, dep: int, n_inputs: int, at: int, value: object) -> httpx.Response:
    data: list[object] = [None] * n_inputs
    data[at] = value
    return http.post("gradio_api/queue/join", json={"data": data, "fn_index": dep, "session_hash": uuid.uuid4().hex[:12],
                                                    "trigger_id": None, "event_data": None})


def _file_data(path: str) -> dict[str, object]:
    return {"path": path, "orig_name": Path(path).name, "meta": {"_type": "gradio.FileData"}}


def _nothing_copied(names: set[str], before: set[Path]) -> None:
    after = {p for p in _served_folder().rglob("*") if p.is_file()} if _served_folder().exists() else set()
    copied = [p for p in after - before if p.name in names]
    assert not copied, f"copied into the served folder: {copied}"


# servers ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def users_file(tmp_path_factory) -> Path:
    f = tmp_path_factory.mktemp("private") / "users.txt"
    f.write_text("".join(f"{u}:{p}\n" for u, p in PASSWORDS.items()), encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def hosted(users_file):
    with serving({"HIRELAB_HOSTED": "1", "HIRELAB_USERS_FILE": str(users_file)}) as url:
        yield url


@pytest.fixture(scope="module")
def demo():
    with serving({"HIRELAB_DEMO": "1"}) as url:
        yield url


def _signed_in(url: str, user: str) -> httpx.Client:
    http = httpx.Client(base_url=url, timeout=60)
    assert http.post("login", data={"username": user, "password": PASSWORDS[user]}).status_code == 200
    return http


# every file input, every hostile path ------------------------------------------------------------------------
def _attack_every_file_input(http: httpx.Client, paths: dict[str, str]) -> int:
    events = _file_events(http)
    kinds = {t for *_, t in events}
    assert "file" in kinds and len(events) >= 4, events  # Screen, Questions, Grade file, Train YAML at least
    before = {p for p in _served_folder().rglob("*") if p.is_file()} if _served_folder().exists() else set()
    tried = 0
    for dep, n, at, kind in events:
        for what, path in paths.items():
            for value in (_file_data(path), [_file_data(path)], {"path": path}):
                r = _join(http, dep, n, at, value)
                assert r.status_code == 403, (what, dep, kind, r.status_code, r.text[:200])
                assert "not uploaded in your session" in r.json()["detail"], r.text
                tried += 1
    _nothing_copied({Path(p).name for p in paths.values()}, before)
    return tried


def test_a_signed_in_user_cannot_make_any_file_input_read_a_server_file(hosted, users_file, tmp_path, home):
    from core.store import get_store

    get_store()  # the store file and its WAL exist
    http = _signed_in(hosted, "alice")
    assert _attack_every_file_input(http, _hostile_paths(home, users_file, tmp_path)) >= 4 * 8 * 3


def test_an_anonymous_demo_visitor_cannot_make_any_file_input_read_a_server_file(demo, users_file, tmp_path, home):
    http = httpx.Client(base_url=demo, timeout=60)
    assert _attack_every_file_input(http, _hostile_paths(home, users_file, tmp_path)) >= 4 * 8 * 3


def test_the_refusal_is_in_the_readers_language(hosted, users_file):
    http = _signed_in(hosted, "alice")
    dep, n, at, _ = _file_events(http)[0]
    http.headers["accept-language"] = "ru-RU,ru;q=0.9"
    r = _join(http, dep, n, at, _file_data(str(users_file)))
    assert r.status_code == 403 and "не загружался в вашем сеансе" in r.json()["detail"]


def test_a_file_can_be_named_only_by_the_person_who_uploaded_it(hosted):
    alice, carol = _signed_in(hosted, "alice"), _signed_in(hosted, "carol")
    data = (SAMPLES / "resumes" / "anna_smirnova_ml_engineer.pdf").read_bytes()
    [own] = alice.post("gradio_api/upload", files={"files": ("mine.pdf", data)}).json()
    dep = next(e for e in _file_events(alice) if e[3] == "file")
    assert _join(carol, dep[0], dep[1], dep[2], [_file_data(own)]).status_code == 403  # someone else's upload
    assert _join(alice, dep[0], dep[1], dep[2], [_file_data(own)]).status_code == 200  # one's own


def test_the_sample_files_the_app_hands_out_still_work_on_the_demo(demo):
    """The sample resumes the app puts in the Screen box are its own files: a visitor may send them back."""
    http = httpx.Client(base_url=demo, timeout=120)
    deps = {d.get("api_name"): d for d in http.get("config").json()["dependencies"]}
    files, job = _run(http, deps["load_sample"]["id"], [])
    assert files and all(f["path"].startswith(str(_served_folder())) for f in files)
    screen = deps["screen"]
    data = [files, "", job, "rules", False]
    table, *_ = _run(http, screen["id"], data + [None] * (len(screen["inputs"]) - len(data)))
    assert len(table["data"]) == len(files) and all(str(row[1]).strip() for row in table["data"])


def _run(http: httpx.Client, dep: int, data: list[object]) -> list:
    session = uuid.uuid4().hex[:12]
    r = http.post("gradio_api/queue/join", json={"data": data, "fn_index": dep, "session_hash": session,
                                                 "trigger_id": None, "event_data": None})
    assert r.status_code == 200, r.text
    import json

    with http.stream("GET", f"gradio_api/queue/data?session_hash={session}") as stream:
        for line in stream.iter_lines():
            if line.startswith("data:") and '"process_completed"' in line:
                message = json.loads(line[5:])
                assert message["success"], message
                return message["output"]["data"]
    raise AssertionError("no result")


# the interview page and the page before sign-in -----------------------------------------------------------------
def test_the_interview_page_serves_no_workbench_file_and_takes_none(hosted, users_file):
    alice = _signed_in(hosted, "alice")
    [own] = alice.post("gradio_api/upload", files={"files": ("export.csv", b"name,decision\nAnn,advance\n")}).json()
    assert alice.get(f"gradio_api/file={own}").status_code == 200  # the workbench serves it to a signed-in user
    for path in (f"interview/gradio_api/file={own}", f"interview/gradio_api/file={users_file}",
                 f"interview/gradio_api/file/{own}"):
        r = httpx.get(hosted + path)
        assert r.status_code == 403 and b"name,decision" not in r.content, path
    for path in ("interview/gradio_api/process_recording", "interview/gradio_api/upload"):
        r = httpx.post(hosted + path, files={"files": ("a.wav", b"RIFF0000")})
        assert r.status_code == 403 and "interview page" in r.text, path
    assert httpx.get(hosted + "interview/config").status_code == 200  # the page itself still opens


def test_before_sign_in_the_page_carries_no_api_description(hosted):
    anonymous = httpx.get(hosted)
    assert anonymous.status_code == 200 and b"gradio_api_info = null" in anonymous.content
    assert b"grade_one" not in anonymous.content and b"named_endpoints" not in anonymous.content
    signed = _signed_in(hosted, "alice").get("/")
    assert b"named_endpoints" in signed.content  # the signed-in page keeps it


# the store survives a refused request and a second process ------------------------------------------------------
def _count(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("select count(*) from documents").fetchone()[0]


def test_a_refused_read_of_the_store_and_a_second_process_lose_nothing_written_afterwards(tmp_path):
    from gradio_client import Client, handle_file

    home = tmp_path / "home"
    home.mkdir()
    users = tmp_path / "users.txt"
    users.write_text("alice:a-Secret-1\n", encoding="utf-8")
    env = {**os.environ, "HIRELAB_HOME": str(home), "HIRELAB_HOSTED": "1", "HIRELAB_USERS_FILE": str(users)}
    for name in ("SPACE_ID", "HIRELAB_DEMO", "HIRELAB_USERS", "HIRELAB_DB_URL"):
        env.pop(name, None)
    # port 0: the server binds a free port itself and prints its address first ("* Workbench: URL")
    code = "from workbench.server import serve; serve('127.0.0.1', 0)"
    server = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    try:
        url = _announced_url(server)
        _wait_until_up(url, server)
        client = Client(url, auth=("alice", "a-Secret-1"), verbose=False)
        job = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")
        resumes = sorted(p for p in (SAMPLES / "resumes").iterdir() if p.suffix in (".pdf", ".docx"))
        client.predict([handle_file(str(resumes[0]))], "", job, "rules", False, api_name="/screen")
        http = _signed_in_as(url, "alice", "a-Secret-1")
        dep, n, at, _ = next(e for e in _file_events(http) if e[3] == "file")
        refused = [_join(http, dep, n, at, [_file_data(str(home / target))]).status_code
                   for target in ("hirelab.db", "hirelab.db-wal", "hirelab.db-shm")]
        # a second process opens the store (the CLI, the analytics pages, retention do)
        subprocess.run([sys.executable, "-m", "cli", "candidates"], cwd=REPO, env=env, check=True,
                       capture_output=True, timeout=300)
        for resume in resumes[1:3]:  # written afterwards
            client.predict([handle_file(str(resume))], "", job, "rules", False, api_name="/screen")
        with sqlite3.connect(f"file:{home / 'hirelab.db'}?mode=ro", uri=True) as con:
            written = con.execute("select count(*) from documents").fetchone()[0]
        assert written == 3
    finally:
        server.kill()  # kill -9: what was committed must be on disk, whatever the WAL went through
        server.wait(timeout=300)
    assert _count(home / "hirelab.db") == 3  # after the restart everything is still there
    assert refused == [403, 403, 403]


def _signed_in_as(url: str, user: str, password: str) -> httpx.Client:
    http = httpx.Client(base_url=url, timeout=60)
    assert http.post("login", data={"username": user, "password": password}).status_code == 200
    return http


def _announced_url(server: subprocess.Popen) -> str:
    for line in server.stdout:  # what it prints while starting, up to the address it bound
        if line.startswith("* Workbench: "):
            return line.removeprefix("* Workbench: ").strip()
    raise AssertionError(f"the server stopped (exit code {server.wait()}) before printing its address")


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 600  # a busy machine loads the app slowly; the loop ends as soon as it answers
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped while starting"
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise AssertionError("the server did not start")

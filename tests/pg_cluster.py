"""A throwaway PostgreSQL cluster from Debian's `postgresql` package, for tests that need a real server.

``pg_url(tmp_root)`` starts one (initdb + pg_ctl in a temporary folder, on a free loopback port, as the
current user, or as `postgres` when the tests run as root) and yields its SQLAlchemy URL; it stops and removes
the cluster afterwards. When no server can be started the test is skipped with the reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if not found:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql; scripts/setup.sh does it as root)")
    return Path(found[-1]).parent


def _as_user() -> tuple[list[str], int | None, int | None]:
    """The command prefix that runs PostgreSQL's tools (which refuse root), and the uid/gid to own its folder."""
    if os.geteuid() != 0:
        return [], None, None
    import pwd

    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("tests run as root and there is no 'postgres' user to start PostgreSQL as")
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("tests run as root and runuser is missing, so PostgreSQL cannot be started as 'postgres'")
    return [runuser, "-u", "postgres", "--"], pw.pw_uid, pw.pw_gid


@contextmanager
def pg_url() -> Iterator[str]:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -r requirements.txt)")
    bindir = _bindir()
    prefix, uid, gid = _as_user()
    root = Path(tempfile.mkdtemp(prefix="hirelab-pg-"))
    data, log = root / "data", root / "server.log"
    if uid is not None:
        os.chown(root, uid, gid)  # type: ignore[arg-type]
    port = _free_port()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)

    started = False
    try:
        made = run(str(bindir / "initdb"), "-D", str(data), "-U", "hirelab", "--auth=trust", "-E", "UTF8",
                   "--no-locale", "--no-instructions")
        if made.returncode != 0:
            pytest.skip(f"PostgreSQL initdb failed: {(made.stderr or made.stdout).strip()[-400:]}")
        opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        up = run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "-t", "60", "start")
        if up.returncode != 0:
            tail = log.read_text(errors="replace")[-400:] if log.exists() else up.stderr
            pytest.skip(f"PostgreSQL did not start: {tail.strip()}")
        started = True
        yield f"postgresql+psycopg://hirelab@127.0.0.1:{port}/postgres"
    finally:
        if started:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)

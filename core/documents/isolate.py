"""Hostile-file isolation: every file is parsed in a worker process with a wall-clock timeout and a memory cap.

A worker is a fresh interpreter (spawned, not forked: it never inherits a loaded model or a server's
threads) that caps its own address space, then reads files sent over a pipe. A file that hangs it is
answered with a timeout error and the worker is killed with everything it started (OCR included); a
file that crashes it is answered with an error; the next file gets a fresh worker. Idle workers are
kept for reuse, so the start-up cost is paid once per process, not per file.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from dataclasses import dataclass

from core.config import Limits
from core.documents.model import Document, DocumentError

STARTUP_TIMEOUT_S = 120.0
_peak_rss_mb = 0.0


@dataclass(frozen=True)
class ParseOptions:
    engine: str = "auto"  # PDF engine: auto, pymupdf or pdfplumber
    ocr: bool = True


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        from core.config import REPO_ROOT

        self.memory_mb = memory_mb
        mine, theirs = socket.socketpair()
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   MALLOC_ARENA_MAX="2", OMP_THREAD_LIMIT="1",
                   PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p))
        # A fresh interpreter in its own session: it inherits no model, no server threads, and killing its
        # process group also ends an OCR process it started.
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "core.documents.worker", str(theirs.fileno()), str(memory_mb)],
            pass_fds=[theirs.fileno()], start_new_session=True, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(mine.detach())
        self.ready = False

    def wait_ready(self, filename: str) -> None:
        """Start-up (imports) is not the file's fault: it gets its own, generous allowance."""
        if self.ready:
            return
        try:
            if self.conn.poll(STARTUP_TIMEOUT_S) and self.conn.recv()[0] == "ready":
                self.ready = True
                return
        except (EOFError, OSError):
            pass
        raise _Dead(DocumentError(filename, "reader_unavailable",
                                  "the file reader could not start (a separate process is needed to read files "
                                  "safely). Check that the machine has free memory and try again."))

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        import signal

        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            self.proc.kill()
        try:
            self.proc.wait(5)
        except Exception:
            pass
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.proc.wait(2)
        except Exception:
            pass
        if self.alive():
            self.kill()
        else:
            self.conn.close()

    def parse(self, data: bytes, filename: str, limits: Limits, options: ParseOptions) -> Document:
        """Parse in this worker. Raises DocumentError; ``_Dead`` when the worker must be thrown away."""
        global _peak_rss_mb
        self.wait_ready(filename)
        try:
            self.conn.send((data, filename, limits, options))
        except OSError as exc:
            raise _Dead(DocumentError(filename, "crashed", "the file reader stopped unexpectedly. Try again."),
                        retry=True) from exc
        deadline = time.monotonic() + limits.timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.conn.poll(left):
                if time.monotonic() < deadline:
                    continue
                raise _Dead(DocumentError(
                    filename, "timeout",
                    f"reading the file took longer than {limits.timeout_s:.0f} s, so it was stopped. It may be damaged or "
                    "built to stall document readers. Export it again from the original as PDF or DOCX."))
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                try:
                    code = self.proc.wait(2)
                except Exception:
                    code = None
                raise _Dead(DocumentError(
                    filename, "crashed",
                    f"the file made the reader stop (exit code {code}); it is damaged or built to crash document "
                    "readers. Nothing else was affected. Export it again from the original as PDF or DOCX.")) from None
            if message[0] == "extend":
                deadline += message[1]
                continue
            kind, value, rss = message
            _peak_rss_mb = max(_peak_rss_mb, rss)
            if kind == "ok":
                return value
            raise DocumentError(filename, *value)


class _Dead(Exception):
    """The worker is gone or must go; ``retry`` when the file never reached it."""

    def __init__(self, error: DocumentError, retry: bool = False) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry = retry


class _Pool:
    """Idle workers ready for the next file; any number may be busy at once (one per calling thread)."""

    def __init__(self, keep: int = 4) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._keep = keep

    def take(self, memory_mb: int) -> _Worker:
        with self._lock:
            for i, w in enumerate(self._idle):
                if w.memory_mb == memory_mb and w.alive():
                    return self._idle.pop(i)
        return _Worker(memory_mb)

    def give_back(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < self._keep and worker.alive():
                self._idle.append(worker)
                return
        worker.stop()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for w in idle:
            w.stop()


_POOL = _Pool()
atexit.register(_POOL.close)


def parse_isolated(data: bytes, filename: str, limits: Limits, options: ParseOptions) -> Document:
    """Parse one file in a worker process under ``limits`` (timeout, memory). Raises DocumentError."""
    for attempt in (1, 2):
        worker = _POOL.take(limits.max_memory_mb)
        try:
            doc = worker.parse(data, filename, limits, options)
        except _Dead as dead:
            worker.kill()
            if dead.retry and attempt == 1:
                continue  # an idle worker had died: the file never reached it
            raise dead.error from None
        except DocumentError as exc:
            if exc.code == "too_complex":
                worker.kill()  # it hit its memory cap: start the next file on a fresh one
            else:
                _POOL.give_back(worker)
            raise
        except BaseException:
            worker.kill()
            raise
        _POOL.give_back(worker)
        return doc
    raise AssertionError("unreachable")


def keep_workers(n: int) -> None:
    """Keep at least ``n`` idle workers for reuse (a batch reads on that many at once)."""
    _POOL._keep = max(_POOL._keep, n)


def peak_worker_rss_mb() -> float:
    """Largest resident memory any parse worker of this process has reported, in MiB."""
    return _peak_rss_mb


def shutdown() -> None:
    _POOL.close()

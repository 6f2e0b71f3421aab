"""A parse worker process: ``python -m core.documents.worker FD MEMORY_MB`` (started by ``isolate``).

It caps its own address space, then reads files sent over the pipe and answers with a Document or an error."""

from __future__ import annotations

import sys

# PyMuPDF loads an optional ONNX layout model on import when pymupdf_layout is installed; a worker never
# uses it, and it would cost seconds and hundreds of MiB per worker. Set before anything imports PyMuPDF.
sys.modules.setdefault("pymupdf.layout", None)  # type: ignore[arg-type]

from core.documents import deadline  # noqa: E402
from core.documents.model import DocumentError  # noqa: E402
from core.documents.parse import parse_local, warm_up  # noqa: E402


def serve(fd: int, memory_mb: int) -> None:
    """The worker's loop (``python -m core.documents.worker FD MEMORY_MB``): read jobs from the pipe, reply."""
    import resource
    from multiprocessing.connection import Connection

    cap = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):  # a platform that does not enforce address-space limits (macOS)
        pass
    conn = Connection(fd)
    warm_up()
    conn.send(("ready",))
    deadline.attach(conn)
    too_big = ("too_complex", f"reading the file needs more than {memory_mb} MiB of memory, far more than a resume "
               "needs (the file may be built to exhaust document readers). Export it again as PDF or DOCX.")
    while True:
        try:
            job = conn.recv()
        except MemoryError:
            conn.send(("error", too_big, 0.0))
            return
        except (EOFError, OSError):
            return
        if job is None:
            return
        data, filename, limits, options = job
        try:
            reply: tuple = ("ok", parse_local(data, filename, limits, options))
        except DocumentError as exc:
            reply = ("error", (exc.code, exc.message))
        except MemoryError:
            reply = ("error", too_big)
        except Exception as exc:  # a reader library failing on a malformed file
            reply = ("error", ("unreadable", f"the file could not be read ({type(exc).__name__}: {exc}). "
                               "Export it again from the original as PDF or DOCX."))
        del job, data
        rss = _peak_rss_self()
        try:
            conn.send((*reply, rss))
        except MemoryError:
            conn.send(("error", too_big, rss))
        except Exception as exc:  # the result itself cannot be sent (should not happen)
            conn.send(("error", ("unreadable", f"the result could not be returned ({exc})."), rss))


def _peak_rss_self() -> float:
    """This process's peak resident memory in MiB (VmHWM: since exec, unlike ru_maxrss, which on Linux
    also counts the parent's memory at fork time)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))

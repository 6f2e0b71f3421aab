"""Demo mode (a Hugging Face Space, or ``HIRELAB_DEMO=1``; ``core.config.Settings.demo``): what a visitor finds
already there, and which model profiles are offered.

- The sample job and resumes, and a first screening of them with ``rules``, made once per process into the
  in-memory store (``sample_screening``), so the Screen tab opens with results to look at.
- Only the profiles that can run on this machine are offered (``offered_profiles``, as outside demo mode): a T4
  Space lists its GPU profiles, a CPU one ``rules`` and ``offline``.
- Uploaded files are Gradio's temporary copies, deleted after ``UPLOAD_MAX_AGE_S`` (``UPLOAD_CACHE``); the
  files made for download go to one temporary folder of the process (``downloads_root``), where each answer's
  folder is removed after the same time, and the whole folder when the process stops (``remove_temporary``).
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from core.config import settings
from core.samples import sample_job, sample_resumes

SAMPLE_PROFILE = "rules"
UPLOAD_MAX_AGE_S = 3600
UPLOAD_CACHE = (600, UPLOAD_MAX_AGE_S)  # Gradio's delete_cache: look every 10 minutes, delete what is older
_log = logging.getLogger(__name__)
_lock = threading.Lock()
_sample_run: list[str | None] = []  # the sample screening's run id, once made (None when it could not be made)
_downloads: list[Path] = []  # the demo's folder for downloads, once made
_lock_downloads = threading.Lock()


@dataclass(frozen=True)
class DemoStart:
    """What the Screen tab shows a new visitor: the sample job and the run of the sample screening."""

    job: str
    run_id: str


def sample_screening() -> str | None:
    """The run id of the sample screening (made on the first call, in this process's store); None if it failed."""
    with _lock:
        if not _sample_run:
            _sample_run.append(_screen_samples())
        return _sample_run[0]


def _screen_samples() -> str | None:
    from core.services.runs import new_run_id
    from core.services.screening import RUN_KIND, ScreenInput, ScreenOptions, screen

    run_id = new_run_id(RUN_KIND)
    try:
        screen(sample_job(), [ScreenInput.from_path(p) for p in sample_resumes()],
               ScreenOptions(profile=SAMPLE_PROFILE, run_id=run_id))
    except Exception:  # the demo still opens, with the sample job and files, only without the first results
        _log.exception("the sample screening could not be made")
        return None
    return run_id


def demo_start() -> DemoStart | None:
    """In demo mode, what a visitor with nothing of their own yet sees on the Screen tab; None outside it."""
    if not settings().demo:
        return None
    return DemoStart(job=sample_job(), run_id=sample_screening() or "")


def offered_profiles(names: list[str], default: str) -> tuple[list[str], str]:
    """(names, default) for the pickers, in demo mode as everywhere: only the profiles that can run here
    (``core.engines.offered.runnable_profiles``)."""
    from core.engines.offered import runnable_profiles

    offer = runnable_profiles(names, default)
    return offer.names, offer.default


def downloads_root() -> Path | None:
    """Where answers' downloads go: in demo mode one temporary folder of the process, from which folders older
    than ``UPLOAD_MAX_AGE_S`` are removed each time a new one is asked for; None (the system's) elsewhere."""
    if not settings().demo:
        return None
    with _lock_downloads:
        if not _downloads:
            root = Path(tempfile.mkdtemp(prefix=f"hirelab-demo-downloads-{os.getpid()}-"))
            atexit.register(shutil.rmtree, root, ignore_errors=True)
            _downloads.append(root)
        root = _downloads[0]
        old = time.time() - UPLOAD_MAX_AGE_S
        for folder in root.iterdir():
            try:
                if folder.stat().st_mtime < old:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                pass  # removed meanwhile
        return root


def remove_temporary() -> None:
    """Remove the demo's temporary folders now (a stopped server calls it: no exit handlers run on SIGTERM)."""
    if settings().demo:
        shutil.rmtree(settings().home, ignore_errors=True)
    for root in _downloads:
        shutil.rmtree(root, ignore_errors=True)


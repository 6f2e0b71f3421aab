"""An OpenAI-compatible model server on loopback that holds every request until the test lets it through.

A run that uses it stays "running" for exactly as long as the test wants (no fixed waits): ``arrived`` counts
the requests that came in, ``release(n)`` lets ``n`` of them be answered (a valid object for the task, as
tests/fault_server.py answers), ``release_all()`` lets every present and future request through (until ``hold()``).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from tests.fault_server import MODEL, FaultServer

__all__ = ["MODEL", "GatedServer", "gated_workbench", "profile_entry", "tagged_resumes"]


class GatedServer(FaultServer):
    def __init__(self) -> None:
        super().__init__(stall_s=1.0)
        self.arrived = 0
        self._allowed = 0
        self._open = False
        self._cond = threading.Condition()

    def _fault_for(self, body: dict) -> str:
        with self._cond:
            self.arrived += 1
            self._cond.notify_all()
            self._cond.wait_for(lambda: self._open or self._allowed > 0 or self._closing.is_set())
            if not self._open and self._allowed > 0:
                self._allowed -= 1
        return "ok"

    def wait_arrived(self, n: int, timeout: float = 120.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self.arrived >= n, timeout):
                raise TimeoutError(f"{self.arrived} of {n} requests reached the model server")

    def release(self, n: int = 1) -> None:
        with self._cond:
            self._allowed += n
            self._cond.notify_all()

    def hold(self) -> None:
        """From now on every request waits again to be let through."""
        with self._cond:
            self._open, self._allowed = False, 0

    def release_all(self) -> None:
        with self._cond:
            self._open = True
            self._cond.notify_all()

    def __exit__(self, *exc: object) -> None:
        self.release_all()
        super().__exit__(*exc)


def profile_entry(server: GatedServer) -> dict:
    """A profile (engine ``openai``) that waits as long as the server holds a request, one request at a time."""
    return {"engine": "openai", "model": MODEL, "base_url": server.base_url, "timeout_s": 600, "retries": 0,
            "backoff_s": 0.05, "concurrency": 1}


def tagged_resumes(folder, tag: str) -> list:
    """Three sample resumes as text files of this test's own (a unique e-mail instead of the sample's, and a reference), so their
    candidates and reports are new whatever the session's store already holds."""
    from tests.paths import SAMPLES

    paths = []
    for n, src in enumerate(["anna_smirnova_ml_engineer", "john_carter_frontend", "maria_volkova_data_engineer_ru"]):
        text = re.sub(r"[\w.+-]+@[\w.-]+", f"person{n}.{tag}@example.org",
                      (SAMPLES / "src" / f"{src}.md").read_text(encoding="utf-8"))
        path = Path(folder) / f"{src}_{tag}.txt"
        path.write_text(f"{text}\nReference: {tag} {n}\n", encoding="utf-8")
        paths.append(path)
    return paths


def gated_workbench(monkeypatch, folder):
    """The gated server, a profile file naming it (``gated``) and a workbench built with it on loopback:
    yields (server, url, demo)."""
    import yaml

    from tests.conftest import serving_blocks
    from workbench.app import build_app

    with GatedServer() as server:
        models = Path(folder) / "models.yaml"
        models.write_text(yaml.safe_dump({"profiles": {"gated": profile_entry(server)}}), encoding="utf-8")
        monkeypatch.setenv("HIRELAB_MODELS", str(models))
        demo, i18n = build_app()
        with serving_blocks(demo.queue(default_concurrency_limit=1), i18n=i18n) as url:
            try:
                yield server, url, demo
            finally:
                server.release_all()


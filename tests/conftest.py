"""Shared fixtures. Everything is real: the bundled model, a SQLite file, servers on loopback."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest

# One private home per test session: the SQLite file, runs and user profiles live here.
# Created once even if this module is imported twice (as `conftest` and as `tests.conftest`).
if "HIRELAB_TEST_HOME" not in os.environ:
    os.environ["HIRELAB_TEST_HOME"] = tempfile.mkdtemp(prefix="hirelab-test-")
_HOME = Path(os.environ["HIRELAB_TEST_HOME"])
os.environ["HIRELAB_HOME"] = str(_HOME)
os.environ.pop("HIRELAB_DB_URL", None)
os.environ.pop("HIRELAB_MODELS", None)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from tests.paths import EVAL, REPO, SAMPLES  # noqa: E402,F401  (re-exported for older imports)


@pytest.fixture(scope="session")
def home() -> Path:
    return _HOME


@pytest.fixture(scope="session")
def offline_engine():
    """The bundled SmolLM2 model, loaded once for the whole session."""
    from core.engines import get_engine

    return get_engine("offline")


@pytest.fixture(scope="session")
def offline_folder(offline_engine) -> Path:
    """The bundled GGUF model as a plain transformers folder: the same cached export training uses,
    whatever adapters other tests loaded into the shared engine meanwhile."""
    from core.models import get_profile
    from training.base_model import base_weights

    return Path(base_weights(get_profile("offline"), release=False))


@pytest.fixture(scope="module")
def own_models_file(tmp_path_factory):
    """The module's own user profile file (HIRELAB_MODELS, inherited by the training processes it starts): the
    profiles it registers never reach the session's shared home, so no test depends on another's order."""
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("profiles") / "models.yaml"
        mp.setenv("HIRELAB_MODELS", str(path))
        yield path


@pytest.fixture()
def store(tmp_path):
    """A fresh store on its own SQLite file."""
    from core.store import Store

    return Store(f"sqlite:///{tmp_path / 'store.db'}")


HOSTING_VARIABLES = ("SPACE_ID", "HIRELAB_DEMO", "HIRELAB_USERS", "HIRELAB_USERS_FILE", "HIRELAB_HOSTED")


@contextlib.contextmanager
def serving(env: dict[str, str]):
    """The product's server (workbench and interview page, ``workbench.server.serve``) on loopback, with ``env``
    set and every other hosting variable unset; yields its address."""
    from workbench.server import serve

    with pytest.MonkeyPatch.context() as mp:
        for name in HOSTING_VARIABLES:
            mp.delenv(name, raising=False)
        for name, value in env.items():
            mp.setenv(name, value)
        served = serve("127.0.0.1", 0, block=False, quiet=True)  # settings: HostingConfig.launch_kwargs()
        try:
            yield served.url
        finally:
            served.server.force_exit = True  # the clients' heartbeat streams would hold it open for seconds
            served.close()


def wait_until(predicate, timeout: float, what: str, every: float = 0.2):
    """``predicate()``'s first true value, asked every ``every`` seconds; fails naming ``what`` after ``timeout``
    seconds (a generous deadline: a busy machine is slow, and the wait ends as soon as the condition holds)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


@contextlib.contextmanager
def serving_blocks(demo, **kwargs):
    """``demo`` (queued) served alone on loopback, mounted as the product mounts its workbench; the system picks
    the port and it is bound before the server starts, so no other process can take it. ``kwargs`` are
    ``gr.mount_gradio_app``'s (i18n, auth, ...). Yields the address."""
    import gradio as gr
    from fastapi import FastAPI

    from workbench.server import run_app

    app = gr.mount_gradio_app(FastAPI(), demo, path="/", ssr_mode=False, **kwargs)
    demo.has_launched = True  # as workbench.server.compose: Gradio serves a named upload only once launched
    served = run_app(app, "127.0.0.1", 0, block=False)
    try:
        yield served.url
    finally:
        served.server.force_exit = True  # the clients' heartbeat streams would hold it open for seconds
        served.close()


def listening_port(proc, timeout: float = 120) -> int:
    """The port a server process started with port 0 listens on (the system picked it; read back from the
    process's own sockets)."""
    import psutil

    def bound() -> int | None:
        assert proc.poll() is None, f"the server exited with {proc.returncode} before listening"
        ports = [c.laddr.port for c in psutil.Process(proc.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
        return ports[0] if ports else None

    return wait_until(bound, timeout, "the server to listen")


@pytest.fixture(scope="session")
def workbench_url():
    """The real Gradio workbench, served on loopback for the whole session."""
    from workbench.app import build_app

    demo, i18n = build_app()
    with serving_blocks(demo.queue(default_concurrency_limit=1), i18n=i18n) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system packages, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


def pytest_collection_modifyitems(config, items):
    """Tests marked ``gpu`` run where a CUDA GPU is visible and are skipped elsewhere, with the reason."""
    gpu_tests = [item for item in items if item.get_closest_marker("gpu")]
    if not gpu_tests:
        return
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU (none visible here); `python bench/gpu_check.py` runs the GPU checks")
    for item in gpu_tests:
        item.add_marker(skip)

"""Shared fixtures. Everything is real: the bundled model, a SQLite file, servers on loopback."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# One private home per test session: the SQLite file, runs and user profiles live here.
_HOME = Path(tempfile.mkdtemp(prefix="hirelab-test-"))
os.environ["HIRELAB_HOME"] = str(_HOME)
os.environ.pop("HIRELAB_DB_URL", None)
os.environ.pop("HIRELAB_MODELS", None)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "assets" / "samples"
EVAL = REPO.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def home() -> Path:
    return _HOME


@pytest.fixture(scope="session")
def offline_engine():
    """The bundled SmolLM2 model, loaded once for the whole session."""
    from core.engines import get_engine

    return get_engine("offline")


@pytest.fixture()
def store(tmp_path):
    """A fresh store on its own SQLite file."""
    from core.store import Store

    return Store(f"sqlite:///{tmp_path / 'store.db'}")

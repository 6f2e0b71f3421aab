"""Settings from the environment, in one place.

Every path the product writes to derives from ``HIRELAB_HOME`` unless set explicitly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSETS = REPO_ROOT / "assets"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


@dataclass(frozen=True)
class Limits:
    """Caps on what a single uploaded document may be."""

    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 30
    max_chars: int = 60_000
    max_docx_unpacked_bytes: int = 50 * 1024 * 1024
    min_chars: int = 40
    max_page_side_pt: float = 14_400.0  # the largest page the PDF format allows (200 inches)
    max_stream_bytes: int = 64 * 1024 * 1024  # a page's content once decompressed
    max_ocr_pages: int = 10
    timeout_s: float = 15.0  # wall clock per file, in a separate process
    ocr_page_timeout_s: float = 30.0  # extra time per scanned page sent to OCR
    max_memory_mb: int = 1024  # address-space cap of the parsing process


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=lambda: _env_path("HIRELAB_HOME", Path.home() / ".hirelab"))
    db_url: str = ""
    runs_dir: Path = Path()
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if not self.db_url:
            url = os.environ.get("HIRELAB_DB_URL") or f"sqlite:///{self.home / 'hirelab.db'}"
            object.__setattr__(self, "db_url", url)
        if self.runs_dir == Path():
            object.__setattr__(self, "runs_dir", _env_path("HIRELAB_RUNS_DIR", self.home / "runs"))


def settings() -> Settings:
    """Fresh settings read from the environment (cheap; tests change the environment)."""
    return Settings()

"""Files offered for download: written to a fresh temporary folder that Gradio serves."""

from __future__ import annotations

import tempfile
from pathlib import Path

from core.services.demo import downloads_root


def folder(prefix: str) -> Path:
    """A new folder for one answer's downloads (in demo mode inside the demo's own, emptied as it goes)."""
    return Path(tempfile.mkdtemp(prefix=f"hirelab-{prefix}-", dir=downloads_root()))


def write_texts(prefix: str, files: dict[str, str]) -> list[str]:
    """Write each named text (UTF-8) into a new folder; the paths, in the order given."""
    where = folder(prefix)
    for name, text in files.items():
        (where / name).write_text(text, encoding="utf-8")
    return [str(where / name) for name in files]

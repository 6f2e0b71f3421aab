"""Which files the web server must never hand out: the private folders (store, runs, models, code, home),
around the folders whose files the app itself serves."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from core.config import ASSETS, REPO_ROOT, Settings

# what the app itself hands out: Gradio copies these into its upload folder before serving them
APP_FILES = (ASSETS / "samples", ASSETS / "question_bank")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def blocked_paths(candidates: list[Path], keep: list[Path]) -> list[str]:
    """``candidates`` to block, except the branches that lead to a folder in ``keep`` (files the app itself
    serves or writes for download): such a candidate is replaced by its children, recursively, so everything
    around the kept folder stays blocked. Only kept folders inside a candidate count: a private folder that
    itself lies in a kept one (a checkout under the system temp folder) stays blocked as a whole."""
    keep = [k.resolve() for k in keep]
    out: list[str] = []

    def add(path: Path, kept: list[Path]) -> None:
        if any(_inside(path, k) for k in kept):
            return  # the app's own files
        if not any(_inside(k, path) for k in kept):
            out.append(str(path))
            return
        if not path.is_dir():
            return
        try:
            children = sorted(path.iterdir())
        except OSError:
            return
        for child in children:
            add(child, kept)

    for c in dict.fromkeys(p.expanduser().resolve() for p in candidates):
        add(c, [k for k in keep if _inside(k, c) and k != c])
    return list(dict.fromkeys(out))


def served_folders() -> list[Path]:
    """Where the app's own files live while Gradio serves them: its upload folder, the system temp folder
    (downloads are written there), Gradio's example cache, and the sample files the app hands out."""
    temp = Path(tempfile.gettempdir())
    upload = Path(os.environ.get("GRADIO_TEMP_DIR") or temp / "gradio")
    cache = Path(os.environ.get("GRADIO_EXAMPLES_CACHE") or Path.cwd() / ".gradio" / "cached_examples")
    return [temp, upload, cache.absolute(), *APP_FILES]


def private_folders(s: Settings) -> list[Path]:
    """Where hirelab keeps what must stay private: the store, runs, adapters, cached models, profiles, the
    code and model files of the repository, system settings and the home folder."""
    paths = [s.home, s.runs_dir, s.cache_dir, REPO_ROOT, Path("/etc"), Path.home()]
    if s.db_url.startswith("sqlite:///"):
        paths.append(Path(s.db_url.removeprefix("sqlite:///")).parent)
    paths.append(s.models_file)
    if s.hosting.users_file is not None:
        paths.append(s.hosting.users_file)
    return paths

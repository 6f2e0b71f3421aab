"""OCR of scanned pages with the Tesseract command-line tool (Debian: tesseract-ocr, tesseract-ocr-rus).

Pages are rendered at 300 dpi (capped in pixels) and read in English and Russian, whichever of the
two are installed. Without Tesseract, callers say plainly that the file is a scan with no text layer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache

WANTED = ("eng", "rus")
MAX_SIDE_PX = 4000


@lru_cache(maxsize=1)
def languages() -> str | None:
    """"eng+rus" (or what of it is installed), or None when Tesseract is not available."""
    exe = shutil.which("tesseract")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    have = {line.strip() for line in out.splitlines()[1:]}
    langs = [lang for lang in WANTED if lang in have]
    return "+".join(langs) if langs else None


def ocr_page(page, timeout_s: float) -> str:  # page: pymupdf.Page
    """Text of one rendered page; raises RuntimeError with the reason when Tesseract fails."""
    import pymupdf

    langs = languages()
    if langs is None:
        raise RuntimeError("Tesseract is not installed")
    rect = page.rect
    zoom = min(300 / 72, MAX_SIDE_PX / max(rect.width, rect.height, 1))
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    png = pix.tobytes("png")
    del pix
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", langs, "--psm", "3", "--dpi", str(int(72 * zoom))],
                              input=png, capture_output=True, timeout=timeout_s, env=env)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"OCR took longer than {timeout_s:.0f} s") from exc
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or "Tesseract failed")
    return done.stdout.decode("utf-8", "replace")

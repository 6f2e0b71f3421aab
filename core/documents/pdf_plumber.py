"""pdfplumber as the second PDF engine: used when PyMuPDF's text is garbled, or on request.

Hidden text found by the PyMuPDF pass is removed here too (characters inside a hidden span's box),
together with what pdfplumber can judge alone: tiny characters and characters outside the page.
"""

from __future__ import annotations

import io

from core.documents.pdf_layout import Seg, order
from core.documents.text_clean import normalize_line

Rect = tuple[float, float, float, float]


def _inside(x: float, y: float, rects: list[Rect]) -> bool:
    return any(r[0] - 0.5 <= x <= r[2] + 0.5 and r[1] - 0.5 <= y <= r[3] + 0.5 for r in rects)


def _segments(words: list[dict]) -> list[Seg]:
    """Words on one baseline, split where the gap is wider than a couple of spaces."""
    segs: list[Seg] = []
    words = sorted(words, key=lambda w: (round(w["bottom"]), w["x0"]))
    current: list[dict] = []

    def flush() -> None:
        if current:
            text = normalize_line(" ".join(w["text"] for w in current))
            segs.append(Seg(current[0]["x0"], min(w["top"] for w in current), current[-1]["x1"],
                            max(w["bottom"] for w in current), text))
            current.clear()

    for w in words:
        if current:
            last = current[-1]
            height = max(last["bottom"] - last["top"], 1.0)
            same_line = abs(w["bottom"] - last["bottom"]) < 0.4 * height
            if not same_line or w["x0"] - last["x1"] > 1.5 * height:
                flush()
        current.append(w)
    flush()
    return segs


def read_pages(data: bytes, pages: list[int], hidden: dict[int, list[Rect]]) -> dict[int, list[str]]:
    """Lines in reading order for the given 0-based pages."""
    import pdfplumber

    out: dict[int, list[str]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for n in pages:
            page = pdf.pages[n]
            x0, top, x1, bottom = page.bbox
            box: Rect = (float(x0), float(top), float(x1), float(bottom))
            rects = hidden.get(n, [])

            def keep(obj: dict, rects: list[Rect] = rects, box: Rect = box) -> bool:
                if obj.get("object_type") != "char":
                    return True
                cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                if not (box[0] <= cx <= box[2] and box[1] <= cy <= box[3]):
                    return False
                if obj.get("size", 10) < 4:
                    return False
                return not _inside(cx, cy, rects)

            words = page.filter(keep).extract_words(x_tolerance=1.5, keep_blank_chars=False)
            out[n] = order(_segments(words))
            page.flush_cache()
    return out

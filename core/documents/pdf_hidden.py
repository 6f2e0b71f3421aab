"""Which text on a PDF page a person can see. Everything else is hidden text: removed and flagged.

One PyMuPDF pass gives every span with its colour, opacity, size, render mode and box, and the page's
filled shapes and images in drawing order. From that: invisible render mode, transparency, tiny
size, text outside the page, text in the colour of the shape behind it, and text that a later shape
or image covers. Where the background is an image (or a later shape overlaps the text), the page is
rendered and the text's box is checked for visible ink. An OCR'd scan's invisible text layer over
its page image is legitimate and stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.documents.model import DocFlag

FILLED, STROKED = 16, 32  # MuPDF character flags
TINY_PT = 4.0
SAME_COLOUR = 1.12  # WCAG contrast ratio below which text is in the background colour
LOW_CONTRAST = 1.35  # ... below which it is barely visible (#E0E0E0 on white is 1.32)


@dataclass
class Span:
    text: str
    bbox: tuple[float, float, float, float]
    order: int  # index of its block in drawing order
    line: int  # index of its line on the page
    reason: str | None = None  # a FlagKind when hidden
    check: str | None = None  # "cover" or "image": needs a look at the rendered page


@dataclass
class PageText:
    spans: list[Span] = field(default_factory=list)
    flags: list[DocFlag] = field(default_factory=list)
    ocr_layer: bool = False  # a scanned page with an OCR text layer
    images_area: float = 0.0  # share of the page covered by images


def _lum(rgb: int) -> float:
    def ch(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * ch(rgb >> 16 & 255) + 0.7152 * ch(rgb >> 8 & 255) + 0.0722 * ch(rgb & 255)


def _blend(fg: int, bg: int, alpha: float) -> int:
    out = 0
    for shift in (16, 8, 0):
        f, b = fg >> shift & 255, bg >> shift & 255
        out |= int(round(alpha * f + (1 - alpha) * b)) << shift
    return out


def contrast(fg: int, bg: int) -> float:
    a, b = _lum(fg), _lum(bg)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _area(r: tuple[float, float, float, float]) -> float:
    return max(r[2] - r[0], 0.0) * max(r[3] - r[1], 0.0)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Share of a's area inside b."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / (_area(a) or 1.0)


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def classify(page_dict: dict, page_rect: tuple[float, float, float, float]) -> PageText:
    """Spans of one page (from ``get_text("dict")`` with vectors and images) with a hidden reason each."""
    blocks = page_dict["blocks"]
    page_area = _area(page_rect) or 1.0
    fills: list[tuple[int, tuple, int, float]] = []  # (order, bbox, colour, alpha)
    images: list[tuple[int, tuple]] = []
    for i, b in enumerate(blocks):
        if b["type"] == 3 and not b.get("stroked") and b["bbox"][2] - b["bbox"][0] > 3 and b["bbox"][3] - b["bbox"][1] > 2:
            fills.append((i, tuple(b["bbox"]), b.get("color", 0xFFFFFF), b.get("alpha", 255) / 255))
        elif b["type"] == 1:
            images.append((i, tuple(b["bbox"])))
    out = PageText()
    out.images_area = min(1.0, sum(_area(bb) * _overlap(bb, page_rect) for _, bb in images) / page_area)
    scan_images = [(i, bb) for i, bb in images if _area(bb) * _overlap(bb, page_rect) >= 0.8 * page_area]
    line_no = 0
    for i, b in enumerate(blocks):
        if b["type"] != 0:
            continue
        for line in b["lines"]:
            for s in line["spans"]:
                if s["text"]:
                    bbox = tuple(s["bbox"])
                    sp = Span(s["text"], bbox, i, line_no)
                    sp.reason, sp.check = _reason(s, bbox, i, page_rect, fills, images)
                    out.spans.append(sp)
            line_no += 1
    if scan_images:
        _scan_layer(out, scan_images)
    return out


def _reason(s: dict, bbox: tuple, order: int, page_rect: tuple, fills: list, images: list) -> tuple[str | None, str | None]:
    if not s["char_flags"] & (FILLED | STROKED):
        return "invisible_render", None
    alpha = s.get("alpha", 255) / 255
    if alpha < 0.03:
        return "transparent_text", None
    if s["size"] < TINY_PT:
        return "tiny_text", None
    if _area(bbox) > 0 and _overlap(bbox, page_rect) < 0.5:
        return "off_page", None
    if _area(bbox) == 0 and not (page_rect[0] <= bbox[0] <= page_rect[2] and page_rect[1] <= bbox[1] <= page_rect[3]):
        return "off_page", None
    # Drawn later and over it: a shape or an image may hide it.
    for i, fb, _c, fa in fills:
        if i > order and fa > 0.9 and _overlap(bbox, fb) > 0.8:
            return None, "cover"
    for i, ib in images:
        if i > order and _overlap(bbox, ib) > 0.8:
            return None, "cover"
    # What is behind it: the last shape or image drawn under it, else the white page.
    bg, bg_order = 0xFFFFFF, -1
    for i, fb, c, fa in fills:
        if i < order and i > bg_order and _overlap(bbox, fb) > 0.8:
            bg, bg_order = (c if fa > 0.97 else _blend(c, bg, fa)), i
    for i, ib in images:
        if bg_order < i < order and _overlap(bbox, ib) > 0.5:
            return None, "image"
    fg = s.get("color", 0)
    ratio = contrast(_blend(fg, bg, alpha) if alpha < 0.97 else fg, bg)
    if ratio < SAME_COLOUR:
        return "hidden_text", None
    if ratio < LOW_CONTRAST:
        return "low_contrast", None
    return None, None


def _scan_layer(out: PageText, scan_images: list[tuple[int, tuple]]) -> None:
    """A page image with a text layer that is invisible or under the image: an OCR'd scan, not hiding."""
    layer = [sp for sp in out.spans if sp.reason == "invisible_render" or sp.check == "cover"]
    total = sum(_letters(sp.text) for sp in out.spans)
    if total and sum(_letters(sp.text) for sp in layer) >= 0.9 * total:
        out.ocr_layer = True
        for sp in layer:
            sp.reason, sp.check = None, None


def verify_with_render(page, page_text: PageText) -> None:  # page: pymupdf.Page
    """Render the page once and decide the spans that need a look: no visible ink in the box means hidden."""
    todo = [sp for sp in page_text.spans if sp.check]
    if not todo:
        return
    import numpy as np
    import pymupdf

    rect = page.rect
    zoom = min(2.0, 1600 / max(rect.width, rect.height, 1))
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False, colorspace=pymupdf.csRGB)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)[:, :, :3]
    for sp in todo:
        x0 = int((sp.bbox[0] - rect.x0) * zoom)
        y0 = int((sp.bbox[1] - rect.y0) * zoom)
        x1 = int((sp.bbox[2] - rect.x0) * zoom) + 1
        y1 = int((sp.bbox[3] - rect.y0) * zoom) + 1
        region = img[max(y0, 0): max(y1, 0), max(x0, 0): max(x1, 0)]
        kind = "covered_text" if sp.check == "cover" else "low_contrast"
        sp.check = None
        if region.size == 0:
            sp.reason = kind
            continue
        ref = np.median(region.reshape(-1, 3), axis=0)
        ink = (np.abs(region.astype(int) - ref).max(axis=2) > 48).mean()
        if ink < 0.004:
            sp.reason = kind


def hidden_flags(page_text: PageText, page_no: int) -> list[DocFlag]:
    """Consecutive hidden spans with the same reason become one flag whose snippet is their text."""
    flags: list[DocFlag] = []
    run: list[Span] = []

    def close() -> None:
        if not run:
            return
        text = " ".join(" ".join(sp.text.split()) for sp in run).strip()
        if _letters(text) >= 2:
            flags.append(DocFlag(kind=run[0].reason, snippet=text[:500], page=page_no))  # type: ignore[arg-type]
        run.clear()

    for sp in page_text.spans:
        if sp.reason is None:
            if sp.text.strip():
                close()
            continue
        if run and run[-1].reason != sp.reason:
            close()
        run.append(sp)
    close()
    return flags

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
    """Spans of one page (from ``get_text("dict")`` with vectors, plus image boxes) with a hidden reason each."""
    import numpy as np

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
    pending: list[tuple[Span, dict]] = []
    line_no = 0
    for i, b in enumerate(blocks):
        if b["type"] != 0:
            continue
        for line in b["lines"]:
            for s in line["spans"]:
                if s["text"]:
                    sp = Span(s["text"], tuple(s["bbox"]), i, line_no)
                    sp.reason = _own_reason(s, sp.bbox, page_rect)
                    out.spans.append(sp)
                    if sp.reason is None:
                        pending.append((sp, s))
            line_no += 1
    if pending:
        sb = np.array([sp.bbox for sp, _ in pending], dtype=float).reshape(-1, 4)
        so = np.array([sp.order for sp, _ in pending])
        f_share, f_order = _shares(np, sb, fills)
        i_share, i_order = _shares(np, sb, images)
        opaque = np.array([fa > 0.9 for *_, fa in fills], dtype=bool)
        later_fill = (f_share > 0.8) & (f_order[None, :] > so[:, None]) & opaque[None, :]
        later_image = (i_share > 0.8) & (i_order[None, :] > so[:, None])
        under_fill = np.where((f_share > 0.8) & (f_order[None, :] < so[:, None]), f_order[None, :], -1)
        under_image = np.where((i_share > 0.5) & (i_order[None, :] < so[:, None]), i_order[None, :], -1)
        bg_fill = under_fill.argmax(axis=1) if fills else None
        top_fill = under_fill.max(axis=1) if fills else np.full(len(pending), -1)
        top_image = under_image.max(axis=1) if images else np.full(len(pending), -1)
        covered = later_fill.any(axis=1) | later_image.any(axis=1)
        ratios: dict[tuple[int, int], float] = {}
        for k, (sp, s) in enumerate(pending):
            if covered[k]:
                sp.check = "cover"
                continue
            if top_image[k] > top_fill[k]:
                sp.check = "image"
                continue
            bg = 0xFFFFFF
            if top_fill[k] >= 0 and bg_fill is not None:
                _, _, colour, fa = fills[int(bg_fill[k])]
                bg = colour if fa > 0.97 else _blend(colour, bg, fa)
            alpha = s.get("alpha", 255) / 255
            fg = _blend(s.get("color", 0), bg, alpha) if alpha < 0.97 else s.get("color", 0)
            ratio = ratios.get((fg, bg))
            if ratio is None:
                ratio = ratios[(fg, bg)] = contrast(fg, bg)
            if ratio < SAME_COLOUR:
                sp.reason = "hidden_text"
            elif ratio < LOW_CONTRAST:
                sp.reason = "low_contrast"
    if scan_images:
        _scan_layer(out, scan_images)
    return out


def _shares(np, sb, boxes: list):
    """(share of each span's box inside each box, the boxes' drawing order) as arrays."""
    if not boxes:
        return np.zeros((len(sb), 0)), np.zeros(0, dtype=int)
    bb = np.array([b[1] for b in boxes], dtype=float)
    order = np.array([b[0] for b in boxes])
    w = np.minimum(sb[:, None, 2], bb[None, :, 2]) - np.maximum(sb[:, None, 0], bb[None, :, 0])
    h = np.minimum(sb[:, None, 3], bb[None, :, 3]) - np.maximum(sb[:, None, 1], bb[None, :, 1])
    inter = np.clip(w, 0, None) * np.clip(h, 0, None)
    area = np.clip(sb[:, 2] - sb[:, 0], 0, None) * np.clip(sb[:, 3] - sb[:, 1], 0, None)
    return inter / np.where(area > 0, area, 1.0)[:, None], order


def _own_reason(s: dict, bbox: tuple, page_rect: tuple) -> str | None:
    """What the span itself says: render mode, opacity, size, position."""
    if not s["char_flags"] & (FILLED | STROKED):
        return "invisible_render"
    if s.get("alpha", 255) / 255 < 0.03:
        return "transparent_text"
    if s["size"] < TINY_PT:
        return "tiny_text"
    x0, y0, x1, y1 = bbox
    if x0 >= page_rect[0] and y0 >= page_rect[1] and x1 <= page_rect[2] and y1 <= page_rect[3]:
        return None  # inside the page: the common case, decided without arithmetic
    if _area(bbox) > 0 and _overlap(bbox, page_rect) < 0.5:
        return "off_page"
    if _area(bbox) == 0 and not (page_rect[0] <= x0 <= page_rect[2] and page_rect[1] <= y0 <= page_rect[3]):
        return "off_page"
    return None


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

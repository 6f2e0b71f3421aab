"""Which text on a PDF page a person can see. Everything else is hidden text: removed and flagged.

One PyMuPDF pass gives every span with its colour, opacity, size, render mode and box, and the page's
shapes and images in drawing order. Cheap checks decide most text: invisible render mode,
transparency, tiny size, text outside the page, text in the colour of the flat shape behind it.
Where something else could hide text (a shape or stroke drawn over it, a picture, an annotation, a
shading, a background that only partly lies behind it), the page is decided by what it looks like:
it is rendered once as it is and once with all its text removed, and a span whose glyphs change no
pixel is hidden, whatever the method. A span only partly hidden is split into words, so covered
words go and visible ones stay. An OCR'd scan's invisible text layer over its page image is
legitimate and stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.documents.model import DocFlag, FlagKind

FILLED, STROKED = 16, 32  # MuPDF character flags
TINY_PT = 4.0
COVER_SHARE = 0.05  # a later shape or picture over this share of a span's box sends the page to the render check
SAME_COLOUR = 1.12  # WCAG contrast ratio below which text is in the background colour
LOW_CONTRAST = 1.35  # ... below which it is barely visible (#E0E0E0 on white is 1.32)


@dataclass
class Span:
    text: str
    bbox: tuple[float, float, float, float]
    order: int  # index of its block in drawing order
    line: int  # index of its line on the page
    reason: FlagKind | None = None  # None: shown
    # Needs a look at the rendered page: "cover" (a shape or annotation drawn over it), "image" (a picture
    # overlaps it, drawn over or under), "behind" (a background that only partly lies behind it, a shading,
    # glyphs the cheap checks cannot judge), "clip" (inside a clipping path the text extraction cannot follow).
    check: str | None = None
    key: tuple[int, int, int] = (0, 0, 0)  # (block, line in block, span in line) in the page's text dict
    size: float = 0.0
    shut: bool = False  # an opaque shape drawn later covers most of it (decides it when other text lies on top)


@dataclass
class PageText:
    spans: list[Span] = field(default_factory=list)
    flags: list[DocFlag] = field(default_factory=list)
    ocr_layer: bool = False  # a scanned page with an OCR text layer
    scan_page: bool = False  # a picture covers most of the page
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


@dataclass
class _Shapes:
    """A page's shapes and pictures in drawing order: (order, bbox[, colour, alpha]) each."""

    fills: list[tuple[int, tuple, int, float]] = field(default_factory=list)  # (order, bbox, colour, alpha)
    vectors: list[tuple[int, tuple]] = field(default_factory=list)  # every shape, filled or stroked
    images: list[tuple[int, tuple]] = field(default_factory=list)
    flat: set[int] = field(default_factory=set)  # pictures of one colour: they may cover text, they are never a scan


def _page_shapes(blocks: list[dict]) -> _Shapes:
    """The filled shapes, every vector shape and the pictures among the page's blocks."""
    shapes = _Shapes()
    for i, b in enumerate(blocks):
        if b["type"] == 3:
            shapes.vectors.append((i, tuple(b["bbox"])))
            if not b.get("stroked") and b["bbox"][2] - b["bbox"][0] > 3 and b["bbox"][3] - b["bbox"][1] > 2:
                shapes.fills.append((i, tuple(b["bbox"]), b.get("color", 0xFFFFFF), b.get("alpha", 255) / 255))
        elif b["type"] == 1:
            shapes.images.append((i, tuple(b["bbox"])))
            if b.get("flat"):
                shapes.flat.add(i)
    return shapes


def _page_spans(blocks: list[dict], page_rect: tuple[float, float, float, float],
                out: PageText) -> list[tuple[Span, dict]]:
    """Every non-empty span into ``out`` with what it says of itself; those it leaves undecided come back."""
    pending: list[tuple[Span, dict]] = []
    line_no = 0
    for i, b in enumerate(blocks):
        if b["type"] != 0:
            continue
        for li, line in enumerate(b["lines"]):
            for si, s in enumerate(line["spans"]):
                if s["text"]:
                    sp = Span(s["text"], tuple(s["bbox"]), i, line_no, key=(i, li, si), size=s["size"])
                    sp.reason = _own_reason(s, sp.bbox, page_rect)
                    out.spans.append(sp)
                    if sp.reason is None:
                        pending.append((sp, s))
            line_no += 1
    return pending


def _judge_by_shapes(pending: list[tuple[Span, dict]], shapes: _Shapes, render_all: bool) -> None:
    """Decide undecided spans by the shapes around them: pictures and shapes over them send them to the render
    check; text in (almost) the colour of the flat shape behind it is hidden (or barely visible)."""
    import numpy as np

    fills = shapes.fills
    sb = np.array([sp.bbox for sp, _ in pending], dtype=float).reshape(-1, 4)
    so = np.array([sp.order for sp, _ in pending])
    f_share, f_order = _shares(np, sb, fills)
    v_share, v_order = _shares(np, sb, shapes.vectors)
    i_share, _ = _shares(np, sb, shapes.images)
    # Image boxes come after the text dict, so their drawing order is unknown: any overlap needs a look.
    covered = ((v_share > COVER_SHARE) & (v_order[None, :] > so[:, None])).any(axis=1)
    opaque = np.array([fa > 0.9 for *_, fa in fills], dtype=bool)
    shut = ((f_share > 0.8) & (f_order[None, :] > so[:, None]) & opaque[None, :]).any(axis=1)
    on_image = (i_share > COVER_SHARE).any(axis=1)
    under_fill = np.where((f_share > 0.8) & (f_order[None, :] < so[:, None]), f_order[None, :], -1)
    partly_under = ((f_share > COVER_SHARE) & (f_share <= 0.8) & (f_order[None, :] < so[:, None])).any(axis=1)
    bg_fill = under_fill.argmax(axis=1) if fills else None
    top_fill = under_fill.max(axis=1) if fills else np.full(len(pending), -1)
    ratios: dict[tuple[int, int], float] = {}
    for k, (sp, s) in enumerate(pending):
        sp.shut = bool(shut[k])
        if on_image[k]:
            sp.check = "image"
            continue
        if covered[k]:
            sp.check = "cover"
            continue
        if partly_under[k] or render_all:
            sp.check = "behind"
        bg = 0xFFFFFF
        if top_fill[k] >= 0 and bg_fill is not None:
            _, _, colour, fa = fills[int(bg_fill[k])]
            bg = colour if fa > 0.97 else _blend(colour, bg, fa)
        _judge_colour(sp, s, bg, ratios)


def _judge_colour(sp: Span, s: dict, bg: int, ratios: dict[tuple[int, int], float]) -> None:
    """Hide a span whose colour (blended by its opacity) is the background's, or mark it barely visible."""
    alpha = s.get("alpha", 255) / 255
    fg = _blend(s.get("color", 0), bg, alpha) if alpha < 0.97 else s.get("color", 0)
    ratio = ratios.get((fg, bg))
    if ratio is None:
        ratio = ratios[(fg, bg)] = contrast(fg, bg)
    if ratio < SAME_COLOUR:
        sp.reason, sp.check = "hidden_text", None
    elif ratio < LOW_CONTRAST:
        sp.reason, sp.check = "low_contrast", None


def classify(page_dict: dict, page_rect: tuple[float, float, float, float], render_all: bool = False) -> PageText:
    """Spans of one page (from ``get_text("dict")`` with vectors, plus image boxes) with a hidden reason each.

    Spans that only the rendered page can decide get a ``check``. ``render_all`` (the page paints shadings
    or patterns, or draws Type3 glyphs, which can be anything or nothing: none of it is in the text dict)
    sends every undecided span to that check."""
    blocks = page_dict["blocks"]
    page_area = _area(page_rect) or 1.0
    shapes = _page_shapes(blocks)
    out = PageText()
    out.images_area = min(1.0, sum(_area(bb) * _overlap(bb, page_rect) for _, bb in shapes.images) / page_area)
    scan_images = [(i, bb) for i, bb in shapes.images
                   if i not in shapes.flat and _area(bb) * _overlap(bb, page_rect) >= 0.8 * page_area]
    pending = _page_spans(blocks, page_rect, out)
    if pending:
        _judge_by_shapes(pending, shapes, render_all)
    if scan_images:
        out.scan_page = True
        _scan_layer(out, ("invisible_render",))
    return out


def mark_clipped(page_text: PageText, clips: list[tuple]) -> None:
    """Send undecided spans inside the boxes of clipping paths other than one rectangle to the render check
    (text extraction clips text to such a path's box, not to its shape)."""
    for sp in page_text.spans:
        if sp.reason is None and sp.check is None and any(_overlap(sp.bbox, box) > COVER_SHARE for box in clips):
            sp.check = "clip"


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


def _own_reason(s: dict, bbox: tuple, page_rect: tuple) -> FlagKind | None:
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


def _scan_layer(out: PageText, kinds: tuple[str, ...]) -> None:
    """A page image with a text layer that is invisible or under the image: an OCR'd scan, not hiding."""
    layer = [sp for sp in out.spans if sp.reason in kinds]
    total = sum(_letters(sp.text) for sp in out.spans)
    if total and sum(_letters(sp.text) for sp in layer) >= 0.9 * total:
        out.ocr_layer = True
        for sp in out.spans:
            sp.check = None
        for sp in layer:
            sp.reason = None


# Render check. A pixel "changes" when removing the text moves any colour channel by more than WEAK levels;
# text over a picture whose pixels move by less than STRONG almost everywhere is barely visible.
WEAK, STRONG = 12, 48
ZOOM = 1.0  # 72 dpi: every glyph of readable text moves pixels
MAX_SIDE_PX = 1000  # render size cap for large pages
HIDDEN_KIND: dict[str | None, FlagKind] = {"cover": "covered_text", "image": "covered_text", "behind": "hidden_text", "clip": "clipped_text",
               None: "hidden_text"}


def _render(page, zoom: float):
    """The page as a person sees it, but unrotated: text and image boxes are in unrotated coordinates."""
    import pymupdf

    return page.get_pixmap(matrix=page.derotation_matrix * pymupdf.Matrix(zoom, zoom), alpha=False,
                           colorspace=pymupdf.csRGB)


def _changed(full, empty):
    """Pixels where any colour channel differs by more than WEAK levels between two RGB pixmaps (H x W bools)."""
    import numpy as np

    a = np.frombuffer(full.samples_mv, dtype=np.uint8)
    b = np.frombuffer(empty.samples_mv, dtype=np.uint8)
    d = np.maximum(a, b)
    d -= np.minimum(a, b)
    m = (d > WEAK).reshape(full.height, full.width * 3)
    return m[:, 0::3] | m[:, 1::3] | m[:, 2::3]


def _strong_share(full, empty, box: tuple[int, int, int, int]) -> float:
    """Share of a box's pixels that change by more than STRONG levels."""
    import numpy as np

    x0, y0, x1, y1 = box
    shape = (full.height, full.width, 3)
    a = np.frombuffer(full.samples_mv, dtype=np.uint8).reshape(shape)[y0:y1, x0:x1].astype(np.int16)
    b = np.frombuffer(empty.samples_mv, dtype=np.uint8).reshape(shape)[y0:y1, x0:x1]
    return float((np.abs(a - b).max(axis=2) > STRONG).mean()) if a.size else 0.0


def verify_with_render(page, page_text: PageText, without_text, text_flags: int) -> None:
    """Decide the page by its looks: render it as it is and with all text removed (``without_text()`` gives
    that page); a span whose glyphs change no pixel is hidden. Runs only when a span has a ``check``."""
    if not any(sp.check for sp in page_text.spans):
        return
    import numpy as np

    bare = without_text()
    if bare is None:  # the text could not be taken out: the cheap checks stand
        for sp in page_text.spans:
            sp.check = None
        return
    rect = page.rect * page.derotation_matrix
    zoom = min(ZOOM, MAX_SIDE_PX / max(rect.width, rect.height, 1))
    full, empty = _render(page, zoom), _render(bare, zoom)
    if (full.width, full.height) != (empty.width, empty.height):
        return
    weak = _changed(full, empty)
    height, width = weak.shape

    def px(b: tuple) -> tuple[int, int, int, int]:
        x0 = min(max(int((b[0] - rect.x0) * zoom), 0), width)
        y0 = min(max(int((b[1] - rect.y0) * zoom), 0), height)
        x1 = min(max(int(np.ceil((b[2] - rect.x0) * zoom)), 0), width)
        y1 = min(max(int(np.ceil((b[3] - rect.y0) * zoom)), 0), height)
        return x0, y0, x1, y1

    todo = [sp for sp in page_text.spans if sp.reason is None and _letters(sp.text)]
    partial = _judge(np, todo, full, empty, weak, rect, zoom)
    if partial:
        _split_words(page, page_text, partial, weak, px, text_flags)
    for sp in page_text.spans:
        sp.check = None
    if page_text.scan_page and not page_text.ocr_layer and not _flat(np, empty):
        _scan_layer(page_text, ("invisible_render", "covered_text"))


def _flat(np, pix) -> bool:
    """Whether a rendered page is (nearly) one colour: a stretched single-colour picture, not a scan, which
    always shows something (the print on the scanned paper)."""
    a = np.frombuffer(pix.samples_mv, dtype=np.uint8).reshape(pix.height, pix.width, 3).astype(np.int16)
    return float((np.abs(a - np.median(a.reshape(-1, 3), axis=0)).max(axis=2) > WEAK).mean()) < 0.001


def _judge(np, todo: list[Span], full, empty, weak, rect, zoom: float) -> list[Span]:
    """Give a hidden reason to each span whose own pixels do not change; return the spans only partly hidden."""
    if not todo:
        return []
    height, width = weak.shape
    b = np.array([sp.bbox for sp in todo], dtype=float)
    b[:, [0, 2]] = np.clip((b[:, [0, 2]] - rect.x0) * zoom, 0, width)
    b[:, [1, 3]] = np.clip((b[:, [1, 3]] - rect.y0) * zoom, 0, height)
    boxes = np.column_stack([np.floor(b[:, :2]), np.ceil(b[:, 2:])]).astype(int).tolist()
    # Pixels inside one span's box only: where other text is drawn on the same spot, its pixels do not speak
    # for this span (hidden text under visible text, or a bold made by printing a word twice).
    alone = _box_count(np, boxes, height, width) == 1
    hit = weak & alone
    partial: list[Span] = []
    for k, sp in enumerate(todo):
        x0, y0, x1, y1 = boxes[k]
        size = (x1 - x0) * (y1 - y0)
        own = np.count_nonzero(alone[y0:y1, x0:x1]) if size else 0
        if own < 0.15 * size:  # other text covers nearly all of it: only a later opaque shape decides
            if sp.shut or not size:
                sp.reason = HIDDEN_KIND[sp.check]
            continue
        region = hit[y0:y1, x0:x1]
        if np.count_nonzero(region) <= max(1, own // 1000):
            sp.reason = HIDDEN_KIND[sp.check]
        elif sp.check == "image" and _strong_share(full, empty, (x0, y0, x1, y1)) < 0.004:
            sp.reason = "low_contrast"
        elif len(sp.text.split()) >= 2 and _longest_blank(region.any(axis=0)) >= 1.5 * sp.size * zoom:
            partial.append(sp)  # a stretch of the span changes nothing: look word by word
    return partial


def _box_count(np, boxes: list, height: int, width: int):
    """How many of the boxes (pixel x0, y0, x1, y1) cover each pixel (H x W)."""
    edges = np.zeros((height + 1, width + 1), dtype=np.int16)
    b = np.array(boxes, dtype=int).reshape(-1, 4)
    np.add.at(edges, (b[:, 1], b[:, 0]), 1)
    np.add.at(edges, (b[:, 1], b[:, 2]), -1)
    np.add.at(edges, (b[:, 3], b[:, 0]), -1)
    np.add.at(edges, (b[:, 3], b[:, 2]), 1)
    return edges.cumsum(axis=0).cumsum(axis=1)[:height, :width]


def _longest_blank(columns) -> int:
    """Longest run of False in a 1-D boolean array."""
    import numpy as np

    marks = np.flatnonzero(np.concatenate(([True], columns, [True])))
    return int((np.diff(marks) - 1).max())


def _split_words(page, page_text: PageText, spans: list[Span], weak, px, text_flags: int) -> None:
    """Split partly hidden spans into runs of whole words, visible or hidden, using each glyph's box."""
    import pymupdf

    blocks = page.get_text("rawdict", flags=text_flags, clip=pymupdf.INFINITE_RECT())["blocks"]
    for sp in spans:
        b, li, si = sp.key
        try:
            chars = blocks[b]["lines"][li]["spans"][si]["chars"]
        except (IndexError, KeyError):
            continue
        if "".join(c["c"] for c in chars) != sp.text:
            continue
        words: list[tuple[bool, list[dict]]] = []  # each word with the spaces after it
        for c in chars:
            if c["c"].isspace() and words:
                words[-1][1].append(c)
                continue
            if not words or words[-1][1][-1]["c"].isspace():
                words.append((False, []))
            words[-1][1].append(c)
        marked: list[tuple[bool, list[dict]]] = []
        for _, group in words:
            seen = [_glyph_shows(c, weak, px) for c in group if not c["c"].isspace()]
            marked.append((sum(seen) * 2 >= len(seen) if seen else True, group))
        if all(v for v, _ in marked):
            continue
        parts: list[Span] = []
        for visible, group in marked:
            if parts and (parts[-1].reason is None) == visible:
                last = parts[-1]
                last.text += "".join(c["c"] for c in group)
                last.bbox = _union(last.bbox, _box_of(group))
                continue
            parts.append(Span("".join(c["c"] for c in group), _box_of(group), sp.order, sp.line, None if visible
                              else HIDDEN_KIND[sp.check], key=sp.key, size=sp.size))
        at = page_text.spans.index(sp)
        page_text.spans[at: at + 1] = parts


def _glyph_shows(c: dict, weak, px) -> bool:
    x0, y0, x1, y1 = c["bbox"]
    inset = 0.15 * (x1 - x0)  # neighbouring glyph boxes overlap a little
    a, b, cc, d = px((x0 + inset, y0, x1 - inset, y1))
    return bool(weak[b:d, a:max(cc, a + 1)].any())


def _box_of(chars: list[dict]) -> tuple[float, float, float, float]:
    boxes = [c["bbox"] for c in chars if not c["c"].isspace()] or [c["bbox"] for c in chars]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _union(a: tuple, b: tuple) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def hidden_flags(page_text: PageText, page_no: int) -> list[DocFlag]:
    """Consecutive hidden spans with the same reason become one flag whose snippet is their text."""
    flags: list[DocFlag] = []
    run: list[Span] = []

    def close() -> None:
        if not run:
            return
        text = " ".join(" ".join(sp.text.split()) for sp in run).strip()
        kind = run[0].reason  # the run holds hidden spans only
        if kind is not None and _letters(text) >= 2:
            flags.append(DocFlag(kind=kind, snippet=text[:500], page=page_no))
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

"""Checks before a PDF page is interpreted: page size, decompressed content size, image size.

They turn a hostile file (a decompression bomb, a 200-inch page, a gigapixel image) into a clear
error in milliseconds instead of a stalled or killed worker.
"""

from __future__ import annotations

import re
import zlib

from core.config import Limits
from core.documents.model import DocumentError

MAX_IMAGE_PIXELS = 60_000_000
SCAN_BYTES = 4 * 1024 * 1024  # content up to this size is searched for clipping paths, inline images, shadings
_CLIP = re.compile(rb"W\*?\s+n(?=\s|$)")  # the clip operator; the byte before is checked separately (faster)
# A clip to one rectangle: "x y w h re W n" after an operator that does not build a path. MuPDF's text
# extraction clips text to such a box exactly; any other clipping path needs a look at the rendered page.
_RECT_CLIP = re.compile(rb"(?:^|\s)([A-Za-z'\"*]+)\s+(?:[-+.\d]+\s+){4}re\s+W\*?\s+n(?=\s|$)")
_PATH_OPS = {b"m", b"l", b"c", b"v", b"y", b"h", b"re"}
_INLINE_IMAGE = re.compile(rb"BI\s")
_SHADING = re.compile(rb"/[^\s/]+\s+sh(?=\s|$)|/Pattern\s+c[sS](?=\s|$)")  # a shading, or a pattern colour space
_OPERATOR_BEFORE = b" \t\r\n])>"


def _has_operator(rx: re.Pattern, body: bytes) -> bool:
    for m in rx.finditer(body):
        if m.start() == 0 or body[m.start() - 1] in _OPERATOR_BEFORE:
            return True
    return False


def _inflate(doc, xref: int, cap: int) -> tuple[int, bytes | None]:  # doc: pymupdf.Document
    """(decompressed size, the bytes when small) of a stream, stopped as soon as the size passes ``cap``."""
    raw = doc.xref_stream_raw(xref) or b""
    filters = re.findall(r"/(\w+)", doc.xref_get_key(xref, "Filter")[1])
    if not filters:
        return len(raw), raw
    if filters != ["FlateDecode"]:
        body = doc.xref_stream(xref) or b""  # rare filters (LZW, ASCII85...): MuPDF decodes them
        return len(body), body
    inflater = zlib.decompressobj()
    size, pending, parts = 0, raw, []
    while pending and size <= cap:
        try:
            chunk = inflater.decompress(pending, 1 << 20)
        except zlib.error:
            break  # MuPDF reads what it can of a damaged stream; that is its call
        size += len(chunk)
        if size <= SCAN_BYTES:
            parts.append(chunk)
        pending = inflater.unconsumed_tail
        if not chunk:
            break
    return size, (b"".join(parts) if size <= SCAN_BYTES else None)


def _has_shaped_clip(body: bytes) -> bool:
    """A clipping path other than one rectangle (a curve, a polygon, several rectangles)."""
    clips = sum(1 for m in _CLIP.finditer(body) if m.start() == 0 or body[m.start() - 1] in _OPERATOR_BEFORE)
    if not clips:
        return False
    rects = sum(1 for m in _RECT_CLIP.finditer(body) if m.group(1) not in _PATH_OPS)
    return clips > rects


class PageContent:
    """What a page's content streams contain, read once: clipping paths (and whether any is more than one
    rectangle), inline images, shadings or patterns."""

    def __init__(self, has_clip: bool, has_inline_image: bool, has_shading: bool = False,
                 has_shaped_clip: bool = False) -> None:
        self.has_clip = has_clip
        self.has_inline_image = has_inline_image
        self.has_shading = has_shading
        self.has_shaped_clip = has_shaped_clip


def check_page(doc, page, filename: str, limits: Limits) -> PageContent:  # page: pymupdf.Page
    """Raise DocumentError for a page too big to read safely; say what its content holds otherwise."""
    rect = page.mediabox
    if max(rect.width, rect.height) > limits.max_page_side_pt or min(rect.width, rect.height) <= 0:
        raise DocumentError(
            filename, "huge_page",
            f"page {page.number + 1} is {rect.width:.0f} × {rect.height:.0f} points, larger than any real page "
            f"(limit {limits.max_page_side_pt:.0f}). Export the resume again at a normal paper size (A4 or Letter).")
    xrefs = list(page.get_contents())
    forms = [x[0] for x in page.get_xobjects()]
    total = 0
    has_clip = has_inline = has_shading = has_shaped_clip = False
    for xref in xrefs + forms:
        size, body = _inflate(doc, xref, limits.max_stream_bytes - total)
        total += size
        if total > limits.max_stream_bytes:
            raise DocumentError(
                filename, "bomb",
                f"page {page.number + 1} unpacks to more than {limits.max_stream_bytes // (1024 * 1024)} MiB of drawing "
                "instructions, which no resume needs (a decompression bomb or a broken export). Export it again as PDF.")
        if body is not None:
            has_clip = has_clip or _has_operator(_CLIP, body)
            has_inline = has_inline or _has_operator(_INLINE_IMAGE, body)
            has_shading = has_shading or _SHADING.search(body) is not None
            has_shaped_clip = has_shaped_clip or (has_clip and _has_shaped_clip(body))
        else:
            has_clip = has_inline = has_shading = has_shaped_clip = True
    for img in page.get_images(full=True):
        width, height = img[2], img[3]
        if width * height > MAX_IMAGE_PIXELS:
            raise DocumentError(
                filename, "huge_image",
                f"page {page.number + 1} holds an image of {width} × {height} pixels ({width * height // 1_000_000} "
                "megapixels), far more than a scan needs. Save the resume again at 300 dpi or as a text PDF.")
    return PageContent(has_clip, has_inline, has_shading, has_shaped_clip)

"""PDF -> visible text in reading order, hidden-text flags, OCR of scanned pages, a second engine."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.config import Limits
from core.documents.deadline import extend_deadline
from core.documents.model import DocFlag, DocumentError
from core.documents.pdf_guard import check_page
from core.documents.pdf_hidden import PageText, classify, hidden_flags, mark_clipped, verify_with_render
from core.documents.pdf_layout import Seg, order
from core.documents.text_clean import normalize_line

if TYPE_CHECKING:
    import pymupdf

ENGINES = ("auto", "pymupdf", "pdfplumber")
_WORD_SPLIT = re.compile(r"\w[\t\r]")


@dataclass
class PdfText:
    pages_text: list[str]
    pages: int
    flags: list[DocFlag] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    engine: str = "pymupdf"
    ocr_pages: list[int] = field(default_factory=list)
    image_only_pages: list[int] = field(default_factory=list)


def _open(data: bytes, filename: str):
    import pymupdf

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise DocumentError(filename, "corrupt", f"the PDF is damaged and cannot be opened ({exc}). "
                            "Export it again from the original and re-upload.") from exc
    if doc.needs_pass:
        doc.close()
        raise DocumentError(filename, "encrypted", "the PDF is password-protected. Ask the candidate for an unprotected "
                            "copy, or open it and save it without a password.")
    return doc


_ODD = re.compile("[\t\r\ufffd\ue000-\uf8ff]|\\(cid:")
_SINGLE = re.compile(r"(?<!\S)[^\W\d_](?!\S)")


def _garbled(raw: str) -> bool:
    """Text a reader would not accept: words split by tabs, replacement glyphs, unmapped CIDs, letter-spaced."""
    if not _ODD.search(raw):  # the common case: only the letter-spacing test is left, on a sample
        sample = raw[:3000]
        return len(_SINGLE.findall(sample)) > 0.5 * max(len(sample.split()), 40)
    letters = sum(map(str.isalpha, raw))
    if letters < 20:
        return False
    words = raw.split()
    if len(_WORD_SPLIT.findall(raw)) > 0.4 * len(words):
        return True
    bad = sum(1 for ch in raw if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff") + 5 * raw.count("(cid:")
    if bad > 0.1 * letters:
        return True
    singles = sum(1 for w in words if len(w) == 1 and w.isalpha())
    return singles > 0.5 * len(words)


def _segments(pt: PageText) -> list[Seg]:
    """Visible spans grouped back into their lines; a removed span in the middle leaves a space."""
    segs: list[Seg] = []
    by_line: dict[int, list] = {}
    for sp in pt.spans:
        by_line.setdefault(sp.line, []).append(sp)
    for spans in by_line.values():
        parts: list[str] = []
        box: list[float] | None = None
        gap = False
        for sp in spans:
            if sp.reason is not None:
                gap = True
                continue
            if gap and parts:
                parts.append(" ")
            gap = False
            parts.append(sp.text)
            if sp.text.strip():
                b = sp.bbox
                box = list(b) if box is None else [min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])]
        text = normalize_line("".join(parts))
        if text and box is not None:
            segs.append(Seg(box[0], box[1], box[2], box[3], text))
    return segs


def _chars(page, flags: int) -> Counter:
    out: Counter = Counter()
    for block in page.get_text("rawdict", flags=flags, clip=_infinite())["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                for c in span["chars"]:
                    if not c["c"].isspace():
                        out[(round(c["origin"][0], 1), round(c["origin"][1], 1), c["c"], tuple(c["bbox"]))] += 1
    return out


def _infinite():
    import pymupdf

    return pymupdf.INFINITE_RECT()


def _clipped(page, pt: PageText, flags: int) -> list[DocFlag]:
    """Text that a clipping path cuts away: present without clipping, absent with it."""
    import pymupdf

    no_clip = flags & ~pymupdf.TEXT_CLIP
    # A cheap count first (no vectors, plain text): most clipping paths cut no text at all.
    everything = page.get_textpage(flags=no_clip & ~pymupdf.TEXT_COLLECT_VECTORS, clip=_infinite()).extractText()
    kept = sum(len("".join(sp.text.split())) for sp in pt.spans)
    if len("".join(everything.split())) <= kept:
        return []
    missing = _chars(page, no_clip) - _chars(page, flags)
    if not missing:
        return []
    rows: dict[float, list[tuple]] = {}
    for (x, y, ch, bbox) in missing:
        rows.setdefault(y, []).append((x, ch, bbox))
    parts: list[str] = []
    for y in sorted(rows):
        row = sorted(rows[y])
        text = row[0][1]
        for prev, cur in zip(row, row[1:]):
            height = max(cur[2][3] - cur[2][1], 1.0)
            text += (" " if cur[2][0] - prev[2][2] > 0.2 * height else "") + cur[1]
        parts.append(text)
    snippet = " ".join(parts)
    if sum(c.isalnum() for c in snippet) < 2:
        return []
    return [DocFlag(kind="clipped_text", snippet=snippet[:500], page=page.number + 1)]


def _shaped_clips(page) -> list[tuple]:
    """Boxes of the page's clipping paths that are not one rectangle (a circle, a polygon, several boxes):
    text extraction clips text to such a path's box, so text inside the box needs the render check."""
    out: list[tuple] = []
    for item in page.get_drawings(extended=True):
        if item.get("type") != "clip":
            continue
        box = item["scissor"]
        parts = item["items"]
        if len(parts) == 1 and (parts[0][0] == "re" or (parts[0][0] == "qu" and parts[0][1].is_rectangular)):
            continue
        if parts and all(p[0] == "l" and all(_on_edge(pt, box) for pt in p[1:]) for p in parts) and len(parts) <= 4:
            continue  # a rectangle drawn as lines
        if not box.is_empty:
            out.append(tuple(box))
    return out


def _on_edge(point, box) -> bool:
    return (min(abs(point.x - box.x0), abs(point.x - box.x1)) < 0.5) and box.y0 - 0.5 <= point.y <= box.y1 + 0.5 or \
        (min(abs(point.y - box.y0), abs(point.y - box.y1)) < 0.5) and box.x0 - 0.5 <= point.x <= box.x1 + 0.5


class _WithoutText:
    """The same PDF opened a second time; a page is handed out with all its text removed (by redaction, which
    leaves pictures and shapes alone), so the render check can see what the page looks like without text."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._doc: pymupdf.Document | None = None

    def page(self, number: int) -> pymupdf.Page | None:
        import pymupdf
        from pymupdf import mupdf

        try:
            if self._doc is None:
                self._doc = pymupdf.open(stream=self._data, filetype="pdf")
            page = self._doc[number]
            page.add_redact_annot(page.rect, fill=(), cross_out=False)  # an empty colour: no fill
            page.apply_redactions(images=mupdf.PDF_REDACT_IMAGE_NONE, graphics=mupdf.PDF_REDACT_LINE_ART_NONE,
                                  text=mupdf.PDF_REDACT_TEXT_REMOVE)
            return page
        except (RuntimeError, ValueError):  # MuPDF could not rewrite this page's content
            return None

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()


def _hidden_layers(data: bytes, doc) -> dict[int, list[DocFlag]]:
    """Text on optional-content layers that are switched off (not shown, so not read; flagged here)."""
    ocgs = doc.get_ocgs()
    off = [xref for xref, info in ocgs.items() if not info.get("on", True)]
    if not off:
        return {}
    import pymupdf

    full = pymupdf.open(stream=data, filetype="pdf")
    try:
        for item in full.layer_ui_configs():
            if not item.get("on"):
                full.set_layer_ui_config(item["number"], action=0)  # 0: switch on
        out: dict[int, list[DocFlag]] = {}
        for n in range(doc.page_count):
            seen = {" ".join(line.split()) for line in doc[n].get_text().splitlines()}
            extra = [" ".join(line.split()) for line in full[n].get_text().splitlines()]
            extra = [line for line in extra if line and line not in seen]
            if extra:
                out[n] = [DocFlag(kind="hidden_layer", snippet=" ".join(extra)[:500], page=n + 1)]
        return out
    finally:
        full.close()


def read_pdf(data: bytes, filename: str, limits: Limits, engine: str = "auto", ocr: bool = True) -> PdfText:
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}; use one of {', '.join(ENGINES)}")
    try:
        return _read(data, filename, limits, engine, ocr)
    except (DocumentError, MemoryError):
        raise
    except Exception as exc:  # MuPDF reports a broken structure met mid-way as one of several error types
        if any(w in str(exc).lower() for w in ("malloc", "out of memory", "cannot allocate", "memory")):
            raise MemoryError(str(exc)) from exc
        raise DocumentError(filename, "corrupt", f"the PDF is damaged and cannot be read ({exc}). "
                            "Export it again from the original and re-upload.") from exc


def _read(data: bytes, filename: str, limits: Limits, engine: str, ocr: bool) -> PdfText:
    import pymupdf

    doc = _open(data, filename)
    with doc:
        if doc.page_count == 0:
            raise DocumentError(filename, "empty", "the PDF has no pages. Ask the candidate for the file again.")
        if doc.page_count > limits.max_pages:
            raise DocumentError(filename, "too_many_pages", f"the PDF has {doc.page_count} pages; the limit is "
                                f"{limits.max_pages}. Upload the resume part only.")
        # Ligatures are expanded ("ﬂ" -> "fl") so the model and the skill matcher read plain words.
        flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_COLLECT_VECTORS | pymupdf.TEXT_CLIP
        result = PdfText(pages_text=[], pages=doc.page_count)
        layer_flags = _hidden_layers(data, doc)
        hidden_rects: dict[int, list[tuple]] = {}
        raw_parts: list[str] = []
        without_text = _WithoutText(data)
        for page in doc:
            content = check_page(doc, page, filename, limits)
            pdict = page.get_text("dict", flags=flags, clip=pymupdf.INFINITE_RECT())
            if content.has_inline_image or page.get_images():
                for info in page.get_image_info(xrefs=True):
                    pdict["blocks"].append({"type": 1, "bbox": info["bbox"], "late": True,
                                            "flat": _single_colour(doc, info)})
            render_all = content.has_shading or any(font[2] == "Type3" for font in page.get_fonts())
            # Text and image boxes are in unrotated coordinates, so the page's box must be too.
            pt = classify(pdict, tuple(page.rect * page.derotation_matrix), render_all=render_all)
            if content.has_shaped_clip and not any(sp.check for sp in pt.spans):
                mark_clipped(pt, _shaped_clips(page))  # a page rendered anyway needs no list of its clips
            verify_with_render(page, pt, lambda n=page.number: without_text.page(n), flags)
            page_flags = hidden_flags(pt, page.number + 1) + layer_flags.get(page.number, [])
            if content.has_clip:
                page_flags += _clipped(page, pt, flags)
            result.flags.extend(page_flags)
            hidden_rects[page.number] = [sp.bbox for sp in pt.spans if sp.reason]
            lines = order(_segments(pt))
            raw_parts.append("".join(sp.text for sp in pt.spans if sp.reason is None))
            letters = sum(sum(map(str.isalnum, line)) for line in lines)
            if letters < 20 and pt.images_area >= 0.02:
                result.image_only_pages.append(page.number + 1)
            if pt.ocr_layer:
                result.ocr_pages.append(page.number + 1)
            result.pages_text.append("\n".join(lines))
        without_text.close()
        raw = "\n".join(raw_parts)
        if engine == "pdfplumber" or (engine == "auto" and _garbled(raw)):
            _use_plumber(data, result, hidden_rects, forced=engine == "pdfplumber")
        if result.image_only_pages:
            _ocr_pages(doc, result, limits, ocr)
    return result


def _single_colour(doc, info: dict) -> bool:
    """Whether a picture is one colour all over (a 1x1 pixel stretched to any size, a blank bitmap): it can
    cover text, but it is never a scanned page."""
    import pymupdf

    if info.get("width", 0) * info.get("height", 0) <= 1:
        return True
    if not info.get("xref"):
        return False  # an inline picture: the rendered page decides (pdf_hidden.verify_with_render)
    try:
        return bool(pymupdf.Pixmap(doc, info["xref"]).is_unicolor)
    except (RuntimeError, ValueError):
        return False


def _use_plumber(data: bytes, result: PdfText, hidden_rects: dict[int, list[tuple]], forced: bool) -> None:
    from core.documents.pdf_plumber import read_pages

    try:
        lines = read_pages(data, list(range(result.pages)), hidden_rects)
    except Exception as exc:  # pdfminer raises many types on odd files; PyMuPDF's text stands
        result.warnings.append(f"the second PDF engine could not read this file ({type(exc).__name__}); PyMuPDF's text is used")
        return
    texts = ["\n".join(lines.get(n, [])) for n in range(result.pages)]
    joined = "\n".join(texts)
    if forced or (len(joined.strip()) >= 0.5 * len("\n".join(result.pages_text).strip()) and not _garbled(joined)):
        result.pages_text = texts
        result.engine = "pdfplumber"
        if not forced:
            result.warnings.append("PyMuPDF's text was garbled (split words or unreadable glyphs); pdfplumber's text is used")


def _ocr_pages(doc, result: PdfText, limits: Limits, enabled: bool) -> None:
    from core.documents import ocr

    pages = result.image_only_pages
    if not enabled or ocr.languages() is None:
        return
    todo = pages[: limits.max_ocr_pages]
    if len(pages) > len(todo):
        result.warnings.append(f"only the first {len(todo)} scanned pages were read by OCR (limit {limits.max_ocr_pages})")
    extend_deadline(limits.ocr_page_timeout_s * len(todo))
    for n in todo:
        try:
            text = ocr.ocr_page(doc[n - 1], limits.ocr_page_timeout_s)
        except RuntimeError as exc:
            result.warnings.append(f"OCR failed on page {n}: {exc}")
            continue
        lines = [normalize_line(line) for line in text.splitlines()]
        page_text = "\n".join(line for line in lines if line)
        if sum(ch.isalnum() for ch in page_text) >= 20:
            existing = result.pages_text[n - 1]
            result.pages_text[n - 1] = (existing + "\n" + page_text).strip() if existing else page_text
            result.ocr_pages.append(n)
    result.ocr_pages.sort()

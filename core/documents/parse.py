"""bytes -> Document: the single entry point for every file the product reads.

``parse_bytes`` checks the cheap limits, then runs the real work (``parse_local``) in an isolated
worker process (see ``isolate``). ``Document.text`` is what a model will see: hidden text removed,
invisible characters removed, visible instruction-like text kept but flagged.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from core.config import Limits
from core.documents.injection import find_injections, is_instruction_like
from core.documents.isolate import ParseOptions, keep_workers, parse_isolated
from core.documents.language import detect_language
from core.documents.model import DocFlag, Document, DocumentError
from core.documents.sniff import DOCX, PDF, TEXT, identify
from core.documents.text_clean import normalize_line, strip_invisible

MAX_FLAGS = 60


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for enc in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _check_size(data: bytes, name: str, limits: Limits) -> None:
    if not data:
        raise DocumentError(name, "empty", "the file is empty (0 bytes). Upload the resume again.")
    if len(data) > limits.max_bytes:
        raise DocumentError(
            name,
            "too_big",
            f"the file is {len(data) / 1024 / 1024:.1f} MiB; the limit is {limits.max_bytes // (1024 * 1024)} MiB. "
            "Compress the PDF or remove images.",
        )


def _isolation_on() -> bool:
    from core.config import settings

    return settings().parse_isolation


def parse_bytes(data: bytes, filename: str, limits: Limits | None = None, *, engine: str = "auto",
                ocr: bool = True) -> Document:
    """Read one file. Raises DocumentError (with a message for the user) when it cannot be read.

    ``engine`` picks the PDF extractor: ``auto`` (PyMuPDF, pdfplumber when PyMuPDF's text is garbled),
    ``pymupdf`` or ``pdfplumber``. ``ocr`` reads scanned pages with Tesseract when it is installed.
    """
    limits = limits or Limits()
    name = Path(filename).name or "upload"
    _check_size(data, name, limits)
    options = ParseOptions(engine=engine, ocr=ocr)
    if _isolation_on():
        return parse_isolated(data, name, limits, options)
    return parse_local(data, name, limits, options)


def parse_path(path: str | Path, limits: Limits | None = None, *, engine: str = "auto", ocr: bool = True) -> Document:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(p.name, "unreadable", f"the file cannot be opened ({exc.strerror}). Check the path.") from exc
    return parse_bytes(data, p.name, limits, engine=engine, ocr=ocr)


def _scan_error(name: str, ocr_ran: bool, ocr_wanted: bool) -> DocumentError:
    if ocr_ran:
        return DocumentError(name, "scanned", "the PDF is a scan and OCR found no readable text in it. "
                             "Ask the candidate for a text PDF or DOCX, or a sharper scan.")
    how = ("OCR is switched off for this upload" if not ocr_wanted else
           "OCR is not installed here (Debian packages tesseract-ocr and tesseract-ocr-rus)")
    return DocumentError(name, "scanned", f"the PDF is a scan with no text layer, and {how}. "
                         "Ask the candidate for a text PDF or DOCX, or install OCR and upload it again.")


@dataclass
class _Read:
    """What one reader took from a file: its text, the page each stretch of text starts on, and what it noticed."""

    text: str
    engine: str
    flags: list[DocFlag]
    pages: int = 1
    page_starts: list[int] = field(default_factory=lambda: [0])
    page_numbers: list[int | None] = field(default_factory=lambda: [None])
    warnings: list[str] = field(default_factory=list)
    ocr_done: bool = False

    def page_of(self, offset: int) -> int | None:
        """The page the text at ``offset`` came from (None for formats without pages)."""
        starts = self.page_starts
        return self.page_numbers[max(0, bisect.bisect_right(starts, offset) - 1)] if starts else None


def _read_pdf(data: bytes, name: str, limits: Limits, options: ParseOptions) -> _Read:
    """A PDF's pages joined, invisible characters removed, with warnings for pages read by OCR or not read."""
    from core.documents.pdf_reader import read_pdf

    pdf = read_pdf(data, name, limits, engine=options.engine, ocr=options.ocr)
    texts: list[str] = []
    invisible_flags: list[DocFlag] = []
    for n, page_text in enumerate(pdf.pages_text, 1):
        clean, invisible = strip_invisible(page_text, page=n)
        texts.append(clean.strip())
        invisible_flags.extend(invisible)
    read = _Read("", pdf.engine, pdf.flags + invisible_flags, pages=pdf.pages, page_starts=[], page_numbers=[],
                 warnings=list(pdf.warnings), ocr_done=bool(pdf.ocr_pages))
    for n, t in ((n, t) for n, t in enumerate(texts, 1) if t):
        if read.text:
            read.text += "\n\n"
        read.page_starts.append(len(read.text))
        read.page_numbers.append(n)
        read.text += t
    if pdf.image_only_pages and sum(ch.isalnum() for ch in read.text) < limits.min_chars:
        raise _scan_error(name, bool(pdf.ocr_pages) or (options.ocr and _ocr_available()), options.ocr)
    skipped = [n for n in pdf.image_only_pages if n not in pdf.ocr_pages]
    if skipped:
        read.warnings.append(f"pages {', '.join(map(str, skipped))} are images without text and were not read")
    if pdf.ocr_pages:
        read.warnings.append(
            f"pages {', '.join(map(str, pdf.ocr_pages))} are scans read by OCR; check names and numbers")
        if len(pdf.ocr_pages) == pdf.pages:
            read.engine = "ocr"
    return read


def _read_docx(data: bytes, name: str, limits: Limits) -> _Read:
    """A DOCX's text with invisible characters removed."""
    from core.documents.docx_reader import read_docx

    text, flags = read_docx(data, name, limits)
    text, invisible = strip_invisible(text)
    return _Read(text, "docx", flags + invisible)


def _read_plain(data: bytes, name: str) -> _Read:
    """A plain-text file decoded and its lines normalized; refused when its name claims another format."""
    claimed = Path(name).suffix.lower()
    if claimed in (".pdf", ".docx", ".doc", ".odt", ".rtf"):
        raise DocumentError(
            name, "mismatch",
            f"the file is named {claimed} but is not one: its contents are plain text (checked by its contents, "
            "not its name), so it is damaged or was renamed. Export the resume again as PDF or DOCX, or save it "
            "as .txt if it really is plain text.")
    raw, invisible = strip_invisible(_decode_text(data))
    text = "\n".join(normalize_line(line) for line in raw.splitlines()).strip()
    return _Read(text, "text", list(invisible))


def _read_any(data: bytes, name: str, limits: Limits, options: ParseOptions) -> tuple[str, _Read]:
    """The file's media type (by its contents, never its name) and what its reader took from it."""
    media, what = identify(data)
    if media == PDF:
        return media, _read_pdf(data, name, limits, options)
    if media == DOCX:
        return media, _read_docx(data, name, limits)
    if media == TEXT:
        return media, _read_plain(data, name)
    raise DocumentError(
        name,
        "unsupported",
        f"this is not a PDF, DOCX or plain-text file: its contents show {what} (checked by its contents, not its "
        "name). Save the resume as PDF or DOCX and upload it again.",
    )


def _bound_text(read: _Read, name: str, media: str, limits: Limits) -> None:
    """Refuse a file with almost no text; cut one over the character limit, with a warning."""
    text = read.text
    if len(text.strip()) < limits.min_chars:
        raise DocumentError(
            name,
            "no_text",
            f"the file has almost no text ({len(text.strip())} characters), so there is no resume to assess. "
            "Check that it is the right file" + (" (a PDF of blank pages or only pictures)." if media == PDF else "."),
        )
    if len(text) > limits.max_chars:
        read.warnings.append(f"text cut to the first {limits.max_chars} characters of {len(text)}")
        read.text = text[: limits.max_chars]


def _flag_text(read: _Read) -> None:
    """Add instruction-like text to the flags, cap them, and mark hidden text that reads like instructions."""
    flags = read.flags + find_injections(read.text, read.page_of)
    if len(flags) > MAX_FLAGS:
        read.warnings.append(
            f"{len(flags)} pieces of hidden or suspicious text were found; the first {MAX_FLAGS} are listed")
        flags = flags[:MAX_FLAGS]
    hidden = [f for f in flags if f.kind != "injection"]
    for f in hidden:
        if is_instruction_like(f.snippet):
            f.detail = (f.detail + "; " if f.detail else "") + "reads like instructions to an AI"
    if hidden:
        read.warnings.append(f"{len(hidden)} piece(s) of hidden text were removed from what the model reads; "
                             "see the flags. A person decides what it means.")
    read.flags = flags


def parse_local(data: bytes, name: str, limits: Limits, options: ParseOptions | None = None) -> Document:
    """The whole reading, in this process. Callers use ``parse_bytes``, which isolates it."""
    options = options or ParseOptions()
    _check_size(data, name, limits)
    media, read = _read_any(data, name, limits, options)
    _bound_text(read, name, media, limits)
    _flag_text(read)
    return Document(
        filename=name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media,
        text=read.text,
        pages=read.pages,
        language=detect_language(read.text),
        engine=read.engine,
        warnings=read.warnings,
        flags=read.flags,
        ocr=read.ocr_done,
    )


def _ocr_available() -> bool:
    from core.documents import ocr

    return ocr.languages() is not None


def warm_up() -> None:
    """Import the readers and load the language profiles once (a worker does this before its first file)."""
    import docx  # noqa: F401
    import pymupdf  # noqa: F401

    import core.documents.docx_reader  # noqa: F401
    import core.documents.pdf_reader  # noqa: F401

    detect_language("warm-up text in English so that the language profiles are loaded once")


def parse_many(items: Iterable[tuple[bytes, str]], workers: int = 2, limits: Limits | None = None,
               options: ParseOptions | None = None) -> list[Document | DocumentError]:
    """Parse many files on ``workers`` processes; results in input order, a DocumentError where a file failed."""
    jobs: Sequence[tuple[bytes, str]] = list(items)
    options = options or ParseOptions()
    keep_workers(workers)

    def one(item: tuple[bytes, str]) -> Document | DocumentError:
        try:
            return parse_bytes(item[0], item[1], limits, engine=options.engine, ocr=options.ocr)
        except DocumentError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="hirelab-parse") as pool:
        return list(pool.map(one, jobs))

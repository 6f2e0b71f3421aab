"""bytes -> Document: the single entry point for every file the product reads."""

from __future__ import annotations

import hashlib
from pathlib import Path

from core.config import Limits
from core.documents.language import detect_language
from core.documents.model import Document, DocumentError
from core.documents.sniff import DOCX, PDF, TEXT, sniff


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for enc in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def parse_bytes(data: bytes, filename: str, limits: Limits | None = None) -> Document:
    """Read one file. Raises DocumentError (with a message for the user) when it cannot be read."""
    limits = limits or Limits()
    name = Path(filename).name or "upload"
    if not data:
        raise DocumentError(name, "empty", "the file is empty (0 bytes). Upload the resume again.")
    if len(data) > limits.max_bytes:
        raise DocumentError(
            name,
            "too_big",
            f"the file is {len(data) / 1024 / 1024:.1f} MiB; the limit is {limits.max_bytes // (1024 * 1024)} MiB. "
            "Compress the PDF or remove images.",
        )
    media = sniff(data)
    warnings: list[str] = []
    pages = 1
    if media == PDF:
        from core.documents.pdf_reader import read_pdf

        pdf = read_pdf(data, name, limits)
        text, pages = pdf.text, pdf.pages
        if pdf.image_only_pages and len(pdf.image_only_pages) == pdf.pages and len(text.strip()) < limits.min_chars:
            raise DocumentError(
                name,
                "scanned",
                "the PDF is a scan with no text layer, so there is nothing to read. "
                "Ask the candidate for a text PDF or DOCX, or run OCR on it first.",
            )
        if pdf.image_only_pages:
            warnings.append(f"pages {', '.join(map(str, pdf.image_only_pages))} are images without text and were skipped")
        engine = "pymupdf"
    elif media == DOCX:
        from core.documents.docx_reader import read_docx

        text, engine = read_docx(data, name, limits), "docx"
    elif media == TEXT:
        text, engine = _decode_text(data).strip(), "text"
    else:
        raise DocumentError(
            name,
            "unsupported",
            "this is not a PDF, DOCX or plain-text file (checked by its contents, not its name). "
            "Save the resume as PDF or DOCX and upload it again.",
        )
    if len(text.strip()) < limits.min_chars:
        raise DocumentError(
            name,
            "no_text",
            f"the file has almost no text ({len(text.strip())} characters), so there is no resume to assess. "
            "Check that it is the right file.",
        )
    if len(text) > limits.max_chars:
        warnings.append(f"text cut to the first {limits.max_chars} characters of {len(text)}")
        text = text[: limits.max_chars]
    return Document(
        filename=name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media,
        text=text,
        pages=pages,
        language=detect_language(text),
        engine=engine,
        warnings=warnings,
    )


def parse_path(path: str | Path, limits: Limits | None = None) -> Document:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(p.name, "unreadable", f"the file cannot be opened ({exc.strerror}). Check the path.") from exc
    return parse_bytes(data, p.name, limits)

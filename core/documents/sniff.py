"""Decide a file's type from its bytes, never from its name."""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"

_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-format Microsoft Office file (.doc, .xls or .ppt)"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
]


def _zip_kind(data: bytes) -> str | None:
    """DOCX, or a description of the other ZIP-based format it is."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100].decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, ValueError):
        return "a damaged ZIP archive"
    if "word/document.xml" in names:
        return DOCX
    if mimetype == "application/epub+zip":
        return "an EPUB e-book"
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return "an OpenDocument file (.odt or similar)"
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint presentation"
    return "a ZIP archive"


def identify(data: bytes) -> tuple[str | None, str]:
    """(PDF, DOCX, TEXT or None, what the bytes really are in words) — the words go into error messages."""
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF, "a PDF"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        kind = _zip_kind(data)
        return (DOCX, "a DOCX document") if kind == DOCX else (None, kind or "a ZIP archive")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return None, what
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "a binary file"
    for enc in ("utf-8", "utf-16"):
        try:
            data[:4096].decode(enc)
            return TEXT, "plain text"
        except UnicodeDecodeError as exc:
            if exc.start > 4090:  # cut mid-character at the sample's end
                return TEXT, "plain text"
    try:
        data[:4096].decode("cp1251")
        return TEXT, "plain text"
    except UnicodeDecodeError:
        return None, "a binary file"


def sniff(data: bytes) -> str | None:
    """Return PDF, DOCX or TEXT, or None when the bytes are none of these."""
    return identify(data)[0]

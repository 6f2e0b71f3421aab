"""Decide a file's type from its bytes, never from its name."""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"


def sniff(data: bytes) -> str | None:
    """Return PDF, DOCX or TEXT, or None when the bytes are none of these."""
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        return DOCX if "word/document.xml" in names else None
    if b"\x00" in head:
        return None
    for enc in ("utf-8", "utf-16"):
        try:
            data[:4096].decode(enc)
            return TEXT
        except UnicodeDecodeError as exc:
            if exc.start > 4090:  # cut mid-character at the sample's end
                return TEXT
    try:
        data[:4096].decode("cp1251")
        return TEXT
    except UnicodeDecodeError:
        return None

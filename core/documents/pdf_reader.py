"""PDF text via PyMuPDF, in reading order."""

from __future__ import annotations

from dataclasses import dataclass

from core.config import Limits
from core.documents.model import DocumentError


@dataclass
class PdfText:
    text: str
    pages: int
    image_only_pages: list[int]


def read_pdf(data: bytes, filename: str, limits: Limits) -> PdfText:
    import pymupdf

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise DocumentError(
            filename, "corrupt", f"the PDF is damaged and cannot be opened ({exc}). Export it again from the original and re-upload."
        ) from exc
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise DocumentError(
                filename,
                "encrypted",
                "the PDF is password-protected. Ask the candidate for an unprotected copy, or open it and save it without a password.",
            )
        if doc.page_count == 0:
            raise DocumentError(filename, "empty", "the PDF has no pages. Ask the candidate for the file again.")
        if doc.page_count > limits.max_pages:
            raise DocumentError(
                filename,
                "too_many_pages",
                f"the PDF has {doc.page_count} pages; the limit is {limits.max_pages}. Upload the resume part only.",
            )
        parts: list[str] = []
        image_only: list[int] = []
        for page in doc:
            text = page.get_text("text", sort=True)
            if not text.strip() and page.get_images(full=False):
                image_only.append(page.number + 1)
            parts.append(text.strip())
        return PdfText("\n\n".join(p for p in parts if p), doc.page_count, image_only)

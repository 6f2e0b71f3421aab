"""What a parsed file is: a Document, or a DocumentError saying what is wrong and what to do."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

FlagKind = Literal[
    "hidden_text",
    "tiny_text",
    "invisible_render",
    "transparent_text",
    "low_contrast",
    "off_page",
    "covered_text",
    "hidden_layer",
    "docx_hidden",
    "invisible_chars",
    "injection",
]


class DocFlag(BaseModel):
    """Something a recruiter should see: hidden or instruction-like text, with the snippet that raised it."""

    kind: FlagKind
    snippet: str
    page: int | None = None
    detail: str = ""


class Document(BaseModel):
    """A file turned into text in reading order. ``text`` is exactly what a model will see."""

    filename: str
    sha256: str
    media_type: str
    text: str
    pages: int = Field(ge=0)
    language: str
    engine: str = Field(description="Extractor used: pymupdf, pdfplumber, ocr, docx, text")
    warnings: list[str] = Field(default_factory=list)
    flags: list[DocFlag] = Field(default_factory=list)
    ocr: bool = False


class DocumentError(Exception):
    """A file we cannot read. ``message`` says what is wrong and what the user can do."""

    def __init__(self, filename: str, code: str, message: str) -> None:
        super().__init__(f"{filename}: {message}")
        self.filename = filename
        self.code = code
        self.message = message

"""What a parsed file is: a Document, or a DocumentError saying what is wrong and what to do."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.messages import LocalizedError

FlagKind = Literal[
    "hidden_text",
    "tiny_text",
    "invisible_render",
    "transparent_text",
    "low_contrast",
    "off_page",
    "clipped_text",
    "covered_text",
    "hidden_layer",
    "docx_hidden",
    "invisible_chars",
    "injection",
]


# What each flag kind means, for people (CLI, cards). Hidden text is removed from ``Document.text``;
# instruction-like text is visible, so it stays in the text and is only flagged.
FLAG_TITLES: dict[str, dict[str, str]] = {
    "hidden_text": {"en": "text in the background colour", "ru": "текст цветом фона"},
    "tiny_text": {"en": "text too small to read", "ru": "текст слишком мелкий, чтобы его прочесть"},
    "invisible_render": {"en": "text drawn invisibly", "ru": "невидимо нарисованный текст"},
    "transparent_text": {"en": "fully transparent text", "ru": "полностью прозрачный текст"},
    "low_contrast": {"en": "text barely visible against its background", "ru": "текст почти не виден на фоне"},
    "off_page": {"en": "text outside the page", "ru": "текст за пределами страницы"},
    "clipped_text": {"en": "text cut away by a clipping path", "ru": "текст, обрезанный маской"},
    "covered_text": {"en": "text covered by an image or shape", "ru": "текст, закрытый картинкой или фигурой"},
    "hidden_layer": {"en": "text on a layer that is switched off", "ru": "текст на выключенном слое"},
    "docx_hidden": {"en": "text formatted as hidden in Word", "ru": "текст со скрытым форматированием Word"},
    "invisible_chars": {"en": "invisible or direction-control characters", "ru": "невидимые или управляющие символы"},
    "injection": {"en": "instruction-like text aimed at an AI", "ru": "текст, похожий на инструкции для ИИ"},
}


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


class DocumentError(LocalizedError):
    """A file we cannot read. ``message`` says what is wrong and what the user can do."""

    def __init__(self, filename: str, code: str, message: str) -> None:
        super().__init__(f"{filename}: {message}")
        self.filename = filename
        self.code = code
        self.message = message

    def text(self, lang: str = "en") -> str:
        """What is wrong and what to do, in ``lang`` (English keeps the exact figures)."""
        from core.messages import TABLES, msg

        key = f"doc_err_{self.code}"
        return self.message if lang == "en" or key not in TABLES["en"] else msg(key, lang)

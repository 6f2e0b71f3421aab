"""Every unreadable file is an error that says what is wrong and what to do — never an invented resume."""

import io

import pymupdf
import pytest

from core.config import Limits
from core.documents import DocumentError, parse_bytes

RESUME = "Jane Roe\nBackend engineer, 5 years of Python, Django and PostgreSQL.\nBuilt billing APIs."


def _pdf(text: str = RESUME, **save) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    return doc.tobytes(**save)


def _image_only_pdf() -> bytes:
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 100), False)
    pix.clear_with(200)
    doc = pymupdf.open()
    doc.new_page().insert_image(pymupdf.Rect(72, 72, 272, 172), pixmap=pix)
    return doc.tobytes()


def _docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


CASES = {
    "encrypted": (lambda: _pdf(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner"), "password"),
    "corrupt": (lambda: _pdf()[:300], "damaged"),
    "empty": (lambda: b"", "empty"),
    "image_only": (_image_only_pdf, "scan"),
    "empty_docx": (lambda: _docx(""), "almost no text"),
    "zip_renamed": (lambda: b"PK\x03\x04" + b"\x00" * 64, "not a PDF, DOCX"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_gives_clear_error(case):
    make, needle = CASES[case]
    with pytest.raises(DocumentError) as info:
        parse_bytes(make(), f"{case}.pdf")
    assert needle in info.value.message
    assert info.value.filename == f"{case}.pdf"


def test_too_big_file_names_the_limit():
    with pytest.raises(DocumentError, match="limit is 1 MiB"):
        parse_bytes(_pdf() + b"\n%" + b"x" * (1024 * 1024), "big.pdf", Limits(max_bytes=1024 * 1024))


def test_good_pdf_and_docx_read_in_order():
    pdf = parse_bytes(_pdf(), "cv.pdf")
    assert pdf.text.splitlines()[0] == "Jane Roe" and pdf.pages == 1 and pdf.language == "en"
    doc = parse_bytes(_docx(RESUME), "cv.docx")
    assert "Built billing APIs." in doc.text and doc.engine == "docx"

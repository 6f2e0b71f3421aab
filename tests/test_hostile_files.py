"""Hostile files, generated here: each is answered with a clear error (or read safely) within the time limit,
the reader never takes the test process down, and its memory stays under the cap."""

from __future__ import annotations

import io
import time
import zipfile
import zlib

import pymupdf
import pytest

from core.config import Limits
from core.documents import Document, DocumentError, parse_bytes, parse_many
from core.documents.isolate import peak_worker_rss_mb
from fixtures.raw_pdf import pdf_stream, raw_pdf

RESUME = "Jane Roe\nBackend engineer, 5 years of Python, Django and PostgreSQL.\nBuilt billing APIs for 2M users."
LIMIT_S = Limits().timeout_s


def _pdf(text: str = RESUME, pages: int = 1, **save) -> bytes:
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page().insert_text((72, 72), text)
    return doc.tobytes(**save)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT_OPS = b"BT /F1 11 Tf 72 720 Td (Jane Roe, backend engineer with Python and PostgreSQL experience.) Tj ET"


def cyclic_pages() -> bytes:
    # The page tree's Kids point back at the tree itself.
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])


def cyclic_xobject() -> bytes:
    # A form XObject that draws itself, forever.
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /X1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        pdf_stream(TEXT_OPS + b"\n/X1 Do"),
        pdf_stream(b"/X1 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X1 5 0 R >> >>"),
        FONT,
    ])


def cyclic_outline() -> bytes:
    # Bookmarks whose /Next chain loops.
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        pdf_stream(TEXT_OPS),
        FONT,
        b"<< /Type /Outlines /First 7 0 R /Last 8 0 R /Count 2 >>",
        b"<< /Title (A) /Parent 6 0 R /Next 8 0 R /Dest [3 0 R /Fit] >>",
        b"<< /Title (B) /Parent 6 0 R /Next 7 0 R /Prev 7 0 R /Dest [3 0 R /Fit] >>",
    ])


def content_bomb(mib: int = 100) -> bytes:
    # MiBs of drawing instructions (spaces) that compress to a few hundred KiB.
    zeros = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    body = b"".join(zeros.compress(chunk) for _ in range(mib)) + zeros.flush()
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
    ])


def huge_page() -> bytes:
    doc = pymupdf.open()
    doc.new_page(width=200_000, height=200_000).insert_text((72, 72), RESUME)
    return doc.tobytes()


def image_bomb() -> bytes:
    # An image that claims 40000 x 40000 pixels (4.8 GB decoded), stored in a few KiB.
    row = zlib.compressobj(9)
    data = b"".join(row.compress(b"\x00" * 40000 * 3) for _ in range(10)) + row.flush()
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        pdf_stream(TEXT_OPS + b"\nq 500 0 0 500 50 50 cm /Im1 Do Q"),
        b"<< /Type /XObject /Subtype /Image /Width 40000 /Height 40000 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream",
        FONT,
    ])


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def epub() -> bytes:
    return _zip({"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<container/>", "OEBPS/ch1.xhtml": b"<p>Hi</p>"})


def docx_bomb() -> bytes:
    # A DOCX whose parts unpack to 80 MiB of zeros.
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", "word/media/big.bin": b"\0" * (80 << 20)})


def docx_entities() -> bytes:
    # "Billion laughs" entity expansion inside document.xml.
    lol = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %c "%s">' % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 10) for i in range(8)) + b"]>"
    body = lol + (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
                  b"<w:t>&i;</w:t></w:r></w:p></w:body></w:document>")
    ct = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
          b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="word/document.xml"/></Relationships>')
    return _zip({"[Content_Types].xml": ct, "_rels/.rels": rels, "word/document.xml": body})


CORPUS = {
    "encrypted.pdf": (lambda: _pdf(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner"), "password"),
    "truncated.pdf": (lambda: _pdf()[:400], "damaged"),
    "junk_after_header.pdf": (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40, "damaged"),
    "cyclic_page_tree.pdf": (cyclic_pages, None),
    "cyclic_xobject.pdf": (cyclic_xobject, None),
    "cyclic_outline.pdf": (cyclic_outline, None),
    "content_bomb.pdf": (content_bomb, "decompression bomb"),
    "huge_page.pdf": (huge_page, "larger than any real page"),
    "image_bomb.pdf": (image_bomb, "megapixels"),
    "zip_renamed.pdf": (lambda: _zip({"a.txt": b"hello"}), "ZIP archive"),
    "epub_renamed.pdf": (epub, "EPUB"),
    "docx_zip_bomb.docx": (docx_bomb, "unpacks to"),
    "docx_entities.docx": (docx_entities, None),
    "too_many_pages.pdf": (lambda: _pdf(pages=31), "31 pages"),
    "png_renamed.pdf": (lambda: pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 20, 20), False).tobytes("png"), "PNG image"),
    "text_renamed.docx": (lambda: (RESUME * 3).encode(), "named .docx but is not one"),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_is_answered_in_time(name):
    make, needle = CORPUS[name]
    data = make()
    started = time.monotonic()
    try:
        result: Document | DocumentError = parse_bytes(data, name)
    except DocumentError as exc:
        result = exc
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT_S + 5, f"{name} took {elapsed:.1f} s"
    if needle is None:  # a broken structure may still be readable; either way it is a clean answer
        assert isinstance(result, (Document, DocumentError))
        if isinstance(result, DocumentError):
            assert result.message.endswith(".") and len(result.message) > 40
        return
    assert isinstance(result, DocumentError), f"{name} was read as a resume: {result.text[:80]!r}"
    assert needle in result.message
    assert result.filename == name


def _slow_pdf() -> bytes:
    # 30 pages of 400,000 visible text-show operations each: legitimate but slow to interpret (about 12 s here).
    ops = b"BT /F1 10 Tf 10 700 Td " + b"(x) Tj 0.001 0 Td " * 400_000 + b"ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count 30 >>" % b" ".join(b"%d 0 R" % (4 + i) for i in range(30)),
               FONT]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 34 0 R /Resources << /Font << /F1 3 0 R >> >> >>"] * 30
    objects.append(pdf_stream(ops))
    return raw_pdf(objects)


def test_a_file_over_the_time_limit_is_stopped_and_the_next_file_is_read():
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        parse_bytes(_slow_pdf(), "slow.pdf", Limits(timeout_s=1.0))
    assert time.monotonic() - started < 8
    assert info.value.code == "timeout" and "longer than 1 s" in info.value.message
    doc = parse_bytes(_pdf(), "after.pdf")
    assert doc.text.startswith("Jane Roe")


def test_a_file_over_the_memory_cap_gets_an_error_not_a_crash():
    # A real DOCX whose text part unpacks to 250 MiB: allowed by the size limits here, not by a 450 MiB memory cap (the reader itself takes about 300).
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    head, _, _ = parts["word/document.xml"].partition(b"<w:body>")
    paragraphs = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * (250 * (1 << 20) // 34)
    parts["word/document.xml"] = head + b"<w:body>" + paragraphs + b"</w:body></w:document>"
    del paragraphs
    data = _zip(parts)
    del parts
    limits = Limits(max_docx_unpacked_bytes=1 << 30, max_memory_mb=450)
    with pytest.raises(DocumentError) as info:
        parse_bytes(data, "memory.docx", limits)
    assert info.value.code == "too_complex" and "more than 450 MiB" in info.value.message
    assert parse_bytes(_pdf(), "after.pdf").text.startswith("Jane Roe")


def test_batch_keeps_order_and_turns_failures_into_values():
    items = [(_pdf(), "a.pdf"), (b"", "empty.pdf"), (epub(), "book.pdf"), (_pdf("Ivan Petrov\n" + RESUME), "b.pdf")]
    out = parse_many(items, workers=2)
    assert [type(r).__name__ for r in out] == ["Document", "DocumentError", "DocumentError", "Document"]
    assert out[3].text.startswith("Ivan Petrov") and "EPUB" in out[2].message


def test_worker_memory_stayed_under_one_gib():
    for name in ("image_bomb.pdf", "cyclic_xobject.pdf", "huge_page.pdf"):
        try:
            parse_bytes(CORPUS[name][0](), name)
        except DocumentError:
            pass
    assert 0 < peak_worker_rss_mb() < 1024

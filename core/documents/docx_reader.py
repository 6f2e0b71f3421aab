"""DOCX text via python-docx: paragraphs and tables in document order."""

from __future__ import annotations

import io
import zipfile

from core.config import Limits
from core.documents.model import DocumentError


def read_docx(data: bytes, filename: str, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile as exc:
        raise DocumentError(filename, "corrupt", "the DOCX file is damaged. Save it again from Word and re-upload.") from exc
    if unpacked > limits.max_docx_unpacked_bytes:
        raise DocumentError(
            filename,
            "too_big",
            f"the DOCX unpacks to {unpacked // (1024 * 1024)} MiB (limit {limits.max_docx_unpacked_bytes // (1024 * 1024)} MiB). "
            "Remove embedded media or save as PDF.",
        )
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise DocumentError(filename, "corrupt", f"the DOCX file cannot be read ({exc}). Save it again from Word and re-upload.") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = cell.text.strip()
                    if t and (not cells or cells[-1] != t):  # merged cells repeat their text
                        cells.append(t)
                lines.append(" | ".join(cells))
    return "\n".join(lines).strip()

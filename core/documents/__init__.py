"""Files in, Documents out. ``parse_bytes`` and ``parse_path`` are the only entry points."""

from core.documents.model import DocFlag, Document, DocumentError
from core.documents.parse import parse_bytes, parse_path

__all__ = ["DocFlag", "Document", "DocumentError", "parse_bytes", "parse_path"]

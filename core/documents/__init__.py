"""Files in, Documents out. ``parse_bytes`` and ``parse_path`` are the entry points (each file is read in an
isolated worker process); ``parse_many`` reads a batch on a pool of workers."""

from core.documents.isolate import ParseOptions
from core.documents.model import FLAG_TITLES, DocFlag, Document, DocumentError
from core.documents.parse import parse_bytes, parse_many, parse_path

__all__ = ["FLAG_TITLES", "DocFlag", "Document", "DocumentError", "ParseOptions", "parse_bytes", "parse_many", "parse_path"]

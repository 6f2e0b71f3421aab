"""Gradio's upload route: one upload's size and file count measured as its body streams in, and the files one
address may upload per rate window."""

from __future__ import annotations

import math

from core.hosting.config import HostingConfig
from core.hosting.errors import HostingLimitError
from core.hosting.throttle import limiter


class UploadMeter:
    """One upload request's size and file count, measured as its body streams in (``feed`` each chunk):
    raises :class:`HostingLimitError` (413) as soon as it holds more than ``max_files`` files or more than
    ``max_upload_bytes`` bytes, so a refused upload is never read to its end. A declared Content-Length over the
    limit is refused before any byte is read (``check_declared``)."""

    def __init__(self, config: HostingConfig, content_type: str | None) -> None:
        self.config = config
        boundary = _boundary(content_type or "")
        self._delimiter = b"--" + boundary if boundary else b""
        self._tail = b""
        self.bytes = 0
        self.delimiters = 0  # a body of n parts has n + 1 (the last one closes it)

    @property
    def files(self) -> int:
        return max(0, self.delimiters - 1)

    def check_declared(self, content_length: str | None) -> None:
        try:
            declared = int(content_length or "")
        except ValueError:
            return
        if declared > self.config.max_upload_bytes:
            raise self._too_big()

    def feed(self, chunk: bytes) -> None:
        self.bytes += len(chunk)
        if self.bytes > self.config.max_upload_bytes:
            raise self._too_big()
        if self._delimiter:
            window = self._tail + chunk
            self.delimiters += window.count(self._delimiter)
            keep = len(self._delimiter) - 1  # a delimiter split across two chunks is counted with the second
            self._tail = window[-keep:]  # shorter than a delimiter: it never holds one already counted
            if self.files > self.config.max_files:
                raise HostingLimitError(key="host_upload_too_many", max=self.config.max_files, status=413)

    def _too_big(self) -> HostingLimitError:
        return HostingLimitError(key="host_upload_too_big", max=f"{self.config.max_upload_bytes / 1024 / 1024:g}",
                                 status=413)


def _boundary(content_type: str) -> bytes:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "boundary" and value.strip():
            return value.strip().strip('"').encode("latin-1", errors="replace")
    return b""


def admit_upload(config: HostingConfig, address: str, files: int) -> None:
    """Spend ``files`` of the address's upload allowance (``upload_rate`` files per ``rate_window_s``), or raise
    :class:`HostingLimitError` (429) saying how long to wait. A refused upload spends nothing."""
    bucket = limiter(config.upload_rate, config.rate_window_s, purpose="uploads")
    wait = bucket.take(address, cost=max(1, files))
    if wait > 0:
        raise HostingLimitError(key="host_upload_rate", seconds=max(1, math.ceil(wait)), limit=config.upload_rate,
                                window=f"{config.rate_window_s:g}", status=429)

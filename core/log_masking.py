"""Secrets kept out of the server's log: an interview link's ``token=`` (and any ``key=``/``access_token=``)
in a logged address is replaced by ``***``. The server installs :func:`install` once where it sets up
logging; uvicorn's access log writes the path with its query string, so without it every opened
interview link would be in the log for anyone who reads it."""

from __future__ import annotations

import logging
import re

MASK = "***"
_SECRET = re.compile(r"(?i)(\b(?:token|access_token|key)=)[^&#\s\"']+")
LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn", "gradio", "httpx")


def mask(text: str) -> str:
    """``text`` with the value of every ``token=`` (and ``access_token=``, ``key=``) replaced by ``***``."""
    return _SECRET.sub(lambda m: m.group(1) + MASK, text)


def _masked(value: object) -> object:
    return mask(value) if isinstance(value, str) else value


class SecretMask(logging.Filter):
    """Masks secrets in a record's message and its arguments (uvicorn passes the path as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _masked(v) for k, v in record.args.items()}
        return True


def install(loggers: tuple[str, ...] = LOGGERS) -> None:
    """Add the mask to each logger named (once; safe to call again after uvicorn configures logging)."""
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, SecretMask) for f in logger.filters):
            logger.addFilter(SecretMask())

"""How every `hirelab` command answers an error the user can fix: any :class:`LocalizedError` (the root of the
product's errors) ends the command with its message on stderr and exit code 2, the CLI's code for a refused
input (1 says the work ran and its outcome is bad, 3 that a training run needs attention).

Decorate a command with :func:`refuses` (under ``@app.command``) instead of writing its own try/except; a command
with a ``--lang`` option gets the message in that language, the others in English.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import typer

from core.messages import LocalizedError, norm_lang

REFUSED = 2  # exit code of a refused input or setting

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = REFUSED) -> NoReturn:
    """End the command: ``error: MESSAGE`` on stderr and exit ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def error_message(exc: LocalizedError, lang: str = "en") -> str:
    """The error's words for the CLI: English as the error says it (``str``), or its text in ``lang``."""
    return str(exc) if norm_lang(lang) == "en" else exc.text(lang)


def refuses(command: Callable[P, R]) -> Callable[P, R]:
    """The command, with any LocalizedError it raises turned into its message and exit code 2 (in the language of
    the command's ``lang`` argument when it has one)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except LocalizedError as exc:
            lang = kwargs.get("lang")
            fail(error_message(exc, lang if isinstance(lang, str) else "en"))

    return run

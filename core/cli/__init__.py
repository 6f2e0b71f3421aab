"""`hirelab ...` (also `python -m core ...`). One module per command group, registered below."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="hirelab",
    help="Interpretable AI assistant for IT hiring: screen resumes, grade answers, compare models, train the grader.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module adds its commands to ``app`` on import. Add one line per new module.
from core.cli import compare as _compare  # noqa: E402,F401
from core.cli import grade as _grade  # noqa: E402,F401
from core.cli import models as _models  # noqa: E402,F401
from core.cli import parse as _parse  # noqa: E402,F401
from core.cli import questions as _questions  # noqa: E402,F401
from core.cli import screen as _screen  # noqa: E402,F401
from core.cli import train as _train  # noqa: E402,F401


def main() -> None:
    app()

"""The `hirelab` Typer application; each command module adds its commands to it (see ``cli/__init__.py``)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="hirelab",
    help="Interpretable AI assistant for IT hiring: screen resumes, grade answers, compare models, train the grader.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

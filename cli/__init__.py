"""`hirelab ...` (also `python -m cli ...`). One module per command group, registered below."""

from __future__ import annotations

from cli.app import app

# Each module adds its commands to ``app`` on import. Add one line per new module.
from cli import compare as _compare  # noqa: E402,F401
from cli import fairness as _fairness  # noqa: E402,F401
from cli import grade as _grade  # noqa: E402,F401
from cli import models as _models  # noqa: E402,F401
from cli import parse as _parse  # noqa: E402,F401
from cli import questions as _questions  # noqa: E402,F401
from cli import records as _records  # noqa: E402,F401
from cli import screen as _screen  # noqa: E402,F401
from cli import train as _train  # noqa: E402,F401


def main() -> None:
    app()

"""``python -m cli ...``: the same commands as the ``hirelab`` console script."""

from cli import main

main()

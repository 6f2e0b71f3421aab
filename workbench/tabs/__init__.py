"""The workbench's tabs, in display order. Each module has ``TEXTS`` and ``build(ctx)``."""

from workbench.tabs import compare, fairness, grading, interviews, questions, screen, train

TABS = [screen, grading, interviews, questions, compare, train, fairness]

"""The workbench's tabs, in display order. Each module has ``TITLE_KEY`` and ``build()``."""

from workbench.tabs import candidates, compare, fairness, grading, interviews, questions, screen, train

TABS = [screen, grading, candidates, interviews, questions, compare, train, fairness]

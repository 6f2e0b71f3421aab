"""The workbench's tabs, in display order. Each module has ``TEXTS`` and ``build(ctx)``."""

from workbench.tabs import compare, screen, train

TABS = [screen, compare, train]

"""The ``rules`` engine: no language model. A deterministic baseline from the facts a service found (carried by
the request's typed task, core.engines.tasks) and MiniLM embeddings.

``engine``: the Engine (a task in, JSON text out); ``fit``: resume vs job; ``grade``, ``grade_model``,
``grade_text``: an answer's grade, its learned weights and its sentences; ``text``: text pieces; ``embed``: MiniLM.
"""

from core.engines.rules.engine import FIT_FILES, GRADE_FILES, RulesEngine, code_version

__all__ = ["FIT_FILES", "GRADE_FILES", "RulesEngine", "code_version"]

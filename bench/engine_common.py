"""Shared by the engine benchmarks: prompts, timing, machine facts and how results are written.

Every benchmark measures the product's own engine (``get_engine``), on the bundled model unless told
otherwise, and writes bench/results/<name>.json. Ratios are taken between figures of one run.
"""

from __future__ import annotations

import time
from pathlib import Path

import results_io
from results_io import REPO, RESULTS  # noqa: F401  (re-exported for the engine benchmarks)

# Open-ended prompts that make the model write until the token budget ends (so every row of a batch
# produces the same number of tokens and tokens/s compares like with like).
STORY_PROMPTS = [
    "Write a detailed story about a programmer who debugs a memory leak at night.",
    "Explain in detail how a hash map works, with an example in Python.",
    "Describe, step by step, how to deploy a web service with Docker.",
    "Write a long letter to a friend about learning machine learning.",
    "Explain the difference between processes and threads with examples.",
    "Describe a day in the life of a data engineer, hour by hour.",
    "Write a detailed guide to writing good unit tests.",
    "Explain how a relational database executes a query with a join.",
]


def machine() -> dict:
    import torch

    return results_io.machine(torch=torch.__version__, torch_threads=torch.get_num_threads(),
                              cuda=torch.cuda.get_device_name(0) if torch.cuda.is_available() else None)


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - started


def write_result(name: str, payload: dict) -> Path:
    return results_io.write_result(name, payload, machine())

"""What this machine has: an installed package, a CUDA GPU. Imports nothing of the project, so any module may ask."""

from __future__ import annotations

import importlib.util


def has_package(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def cuda_available() -> bool:
    if not has_package("torch"):
        return False
    import torch

    return bool(torch.cuda.is_available())

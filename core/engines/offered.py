"""What a model picker offers: the profiles that can run on this machine (``core.availability``) of those
the profiles file lists (``core.models``). Its own module, so that neither of those two imports the other."""

from __future__ import annotations

from dataclasses import dataclass

from core.availability import checked_here
from core.models import load_profiles


@dataclass(frozen=True)
class Offered:
    """What a model picker offers: the profiles that can run here, its default, and why each other one is left out."""

    names: list[str]
    default: str
    left_out: dict[str, tuple[str, ...]]  # profile -> reason codes (``Availability.why``)


def runnable_profiles(names: list[str], default: str) -> Offered:
    """The profiles of ``names`` that can run on this machine, the default kept where it runs (else the first that
    does); where none runs (a broken install) every one is offered, so each says why when it is used."""
    _, profiles = load_profiles()
    found = {n: checked_here(profiles[n]) for n in names if n in profiles}
    runnable = [n for n in names if n not in found or found[n].ok]
    left_out = {n: a.why or ("config",) for n, a in found.items() if not a.ok}
    if not any(found[n].ok for n in runnable if n in found):
        return Offered(list(names), default, {})
    return Offered(runnable, default if default in runnable else runnable[0], left_out)

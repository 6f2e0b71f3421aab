"""Runs going on in this process, so that the same work is never started twice and can be followed.

A ``Flight`` is one run of given inputs (a screening of one job, files, profile and options). A second request
for the same inputs while it is going on follows it (its progress, then its outcome) instead of starting
another run; a page reloaded mid-run follows it the same way and draws its progress bar again.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.services.runs import new_run_id

Progress = Callable[[float | None, str], None]


def inputs_key(*parts: object) -> str:
    """A stable key for a run's inputs (job, files' hashes, profile, options)."""
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class Flight:
    """A run going on in this process: its latest progress, and its outcome once it has landed."""

    key: str
    run_id: str
    fraction: float | None = 0.0
    message: str = ""
    version: int = 0
    landed: bool = False
    outcome: Any = None
    error: BaseException | None = None
    followers: int = 0
    cond: threading.Condition = field(default_factory=threading.Condition)

    def relay(self, progress: Progress | None) -> Progress:
        """The leader's progress callback, its every report also kept here for whoever follows the run."""

        def on(fraction: float | None, message: str) -> None:
            with self.cond:
                self.fraction, self.message, self.version = fraction, message, self.version + 1
                self.cond.notify_all()
            if progress is not None:
                progress(fraction, message)

        on.lang = getattr(progress, "lang", "en")  # type: ignore[attr-defined]
        return on

    def follow(self, progress: Progress | None = None) -> Any:
        """Wait for the run to land, drawing its progress on ``progress`` (from the caller's thread) as it
        goes; returns its outcome, or raises the error it ended with."""
        seen = -1
        with self.cond:
            self.followers += 1
            self.cond.notify_all()
        try:
            while True:
                with self.cond:
                    self.cond.wait_for(lambda: self.landed or self.version != seen)  # noqa: B023 -- waited on here
                    landed, seen, fraction, message = self.landed, self.version, self.fraction, self.message
                if landed:
                    break
                if progress is not None and message:
                    progress(fraction, message)
        finally:
            with self.cond:
                self.followers -= 1
        if self.error is not None:
            raise self.error
        return self.outcome


_lock = threading.Lock()
_flights: dict[str, Flight] = {}  # inputs key -> the run of those inputs going on now
_promised: dict[str, str] = {}  # inputs key -> the run id promised to a request that has not started yet
_landed: dict[str, Flight] = {}  # run id -> a recent flight that has landed (a press queued behind it gets its outcome)
KEEP_LANDED = 32


def take_off(key: str, run_id: str | None, kind: str) -> tuple[Flight, bool]:
    """The flight of these inputs: (the one going on, False) to follow, or (a new one, True) to fly."""
    with _lock:
        going = _flights.get(key)
        if going is not None:
            return going, False
        flight = Flight(key, run_id or _promised.pop(key, None) or new_run_id(kind))
        _flights[key] = flight
        return flight, True


def land(flight: Flight, outcome: Any = None, error: BaseException | None = None) -> None:
    """The flight is over (with its outcome or its error): its followers get it, new requests start afresh."""
    with _lock:
        if _flights.get(flight.key) is flight:
            del _flights[flight.key]
        if _promised.get(flight.key) == flight.run_id:
            del _promised[flight.key]
        if error is None:
            _landed[flight.run_id] = flight
            while len(_landed) > KEEP_LANDED:
                del _landed[next(iter(_landed))]
    with flight.cond:
        flight.landed, flight.outcome, flight.error = True, outcome, error
        flight.cond.notify_all()


def reserve(key: str, kind: str) -> str:
    """The run id a request for these inputs will record into: that of the run going on (or promised) for the
    same inputs, else a fresh one, promised to them until it lands."""
    with _lock:
        going = _flights.get(key)
        if going is not None:
            return going.run_id
        if key not in _promised:
            _promised[key] = new_run_id(kind)
        return _promised[key]


def landed(run_id: str | None, key: str) -> Flight | None:
    """The recent flight of this run id when it has landed with these very inputs, else None."""
    with _lock:
        flight = _landed.get(run_id or "")
    return flight if flight is not None and flight.key == key else None


def flight_of(run_id: str) -> Flight | None:
    """The flight of this run when it is going on in this process, else None."""
    with _lock:
        return next((f for f in _flights.values() if f.run_id == run_id), None)

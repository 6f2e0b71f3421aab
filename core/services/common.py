"""Small pieces every service shares: cache keys, progress reporting, profile resolution."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[float | None, str], None]  # fraction None: no honest fraction yet (a model is loading)


def cache_key(kind: str, *parts: object) -> str:
    """Stable key for a stored result: kind + profile + adapter + prompt version + input."""
    blob = json.dumps([kind, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report(progress: Progress | None, fraction: float | None, message: str) -> None:
    if progress is not None:
        progress(None if fraction is None else max(0.0, min(1.0, fraction)), message)


def part_of(progress: Progress | None, start: float, width: float, label: str) -> Progress:
    """Progress of one part of a larger run: its fractions placed on [start, start + width], its messages
    prefixed with ``label``; a fraction of None (a model loading) stays None."""

    def on(fraction: float | None, message: str) -> None:
        report(progress, None if fraction is None else start + width * fraction, f"{label}: {message}")

    return on


def loading_message(profile_name: str, expected_seconds: float | None) -> str:
    """What to say while a model loads: no percentage, only how long the first load usually takes."""
    if expected_seconds is None:
        return f"loading model '{profile_name}' (first time only; later runs reuse it)"
    return f"loading model '{profile_name}' (first time takes ~{expected_seconds:.0f} s)"


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


@dataclass
class ItemClock:
    """Items done of a total, seconds per item and time left, as one progress message per finished item.

    The clock starts when the model starts working (not while it loads); ``start``/``width`` place the
    items on the run's whole progress bar.
    """

    total: int
    verb: str  # "assessed", "graded"
    noun: str  # "resumes", "answers"
    progress: Progress | None = None
    start: float = 0.0
    width: float = 1.0
    expected_each: float | None = None  # seconds per item in recent runs, said until the first item is done
    done: int = 0
    started: float = field(default_factory=time.perf_counter)

    def begin(self) -> None:
        self.started = time.perf_counter()
        text = f"{self.verb} 0 of {self.total} {self.noun} · working on them"
        if self.expected_each:
            text += (f" · recent runs took about {duration(self.expected_each)} per {self.noun.rstrip('s')}"
                     f" (about {duration(self.expected_each * self.total)} in all)")
        report(self.progress, self.start, text)

    def tick(self, done: int | None = None) -> None:
        self.done = self.done + 1 if done is None else done
        report(self.progress, self.start + self.width * self.done / max(self.total, 1), self.message())

    def per_item(self) -> float | None:
        return (time.perf_counter() - self.started) / self.done if self.done else None

    def message(self) -> str:
        text = f"{self.verb} {self.done} of {self.total} {self.noun}"
        each = self.per_item()
        if each is None:
            return text
        text += f" · {each:.1f} s per {self.noun.rstrip('s')}"
        left = self.total - self.done
        return text + (f" · about {duration(each * left)} left" if left else "")

"""Small pieces every service shares: cache keys, progress reporting, profile resolution."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core.messages import has, msg, number

Progress = Callable[[float | None, str], None]  # fraction None: no honest fraction yet (a model is loading)


def cache_key(kind: str, *parts: object) -> str:
    """Stable key for a stored result: kind + profile + adapter + prompt version + input."""
    blob = json.dumps([kind, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def progress_lang(progress: Progress | None) -> str:
    """The language a progress callback wants its messages in (its ``lang`` attribute; English without one)."""
    return getattr(progress, "lang", "en")


def report(progress: Progress | None, fraction: float | None, message: str) -> None:
    if progress is not None:
        progress(None if fraction is None else max(0.0, min(1.0, fraction)), message)


def part_of(progress: Progress | None, start: float, width: float, label: str) -> Progress:
    """Progress of one part of a larger run: its fractions placed on [start, start + width], its messages
    prefixed with ``label``; a fraction of None (a model loading) stays None."""

    def on(fraction: float | None, message: str) -> None:
        report(progress, None if fraction is None else start + width * fraction, f"{label}: {message}")

    on.lang = progress_lang(progress)  # type: ignore[attr-defined]
    return on


def loading_message(profile_name: str, expected_seconds: float | None, lang: str = "en") -> str:
    """What to say while a model loads: no percentage, only how long the first load usually takes."""
    if expected_seconds is None:
        return msg("prog_loading", lang, profile=profile_name)
    return msg("prog_loading_expected", lang, profile=profile_name, seconds=f"{expected_seconds:.0f}")


def duration(seconds: float, lang: str = "en") -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return msg("dur_s", lang, s=seconds)
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return msg("dur_ms", lang, m=minutes, s=f"{rest:02d}")
    return msg("dur_hm", lang, h=minutes // 60, m=f"{minutes % 60:02d}")


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

    def _one(self, lang: str) -> str:
        return msg(f"prog_per_{self.noun}", lang) if has(f"prog_per_{self.noun}") else self.noun.rstrip("s")

    def _items(self) -> str:
        lang = progress_lang(self.progress)
        verb = msg(f"prog_{self.verb}", lang) if has(f"prog_{self.verb}") else self.verb
        noun = msg(f"prog_of_{self.noun}", lang, n=self.total) if has(f"prog_of_{self.noun}") else self.noun
        return msg("prog_items", lang, verb=verb, done=self.done, total=self.total, noun=noun)

    def begin(self) -> None:
        self.started = time.perf_counter()
        lang = progress_lang(self.progress)
        text = self._items() + msg("prog_working", lang)
        if self.expected_each:
            text += msg("prog_recent", lang, each=duration(self.expected_each, lang), one=self._one(lang),
                        all=duration(self.expected_each * self.total, lang))
        report(self.progress, self.start, text)

    def tick(self, done: int | None = None) -> None:
        self.done = self.done + 1 if done is None else done
        report(self.progress, self.start + self.width * self.done / max(self.total, 1), self.message())

    def per_item(self) -> float | None:
        return (time.perf_counter() - self.started) / self.done if self.done else None

    def message(self) -> str:
        lang = progress_lang(self.progress)
        text = self._items()
        each = self.per_item()
        if each is None:
            return text
        text += msg("prog_each", lang, each=number(round(each, 1), lang), one=self._one(lang))
        left = self.total - self.done
        return text + (msg("prog_left", lang, left=duration(each * left, lang)) if left else "")

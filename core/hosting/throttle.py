"""How often one person may ask: a token bucket per key for requests and uploads, and the sign-in throttle
that pauses a name or an address after repeated failures. One of each per process, shared by every request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """A token bucket per key: ``limit`` requests at once, refilled at ``limit`` per ``window_s`` seconds.
    ``clock`` is injectable (tests); thread-safe; full buckets are dropped once there are many keys, so memory
    stays bounded."""

    MAX_KEYS = 10_000

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._rate = limit / window_s  # tokens per second
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None, cost: float = 1.0) -> float:
        """Spend ``cost`` tokens of ``key`` (one request; an upload spends one per file, at most ``limit``):
        0.0 when admitted, else the seconds until there are enough again."""
        now = self.clock() if now is None else now
        cost = min(float(cost), float(self.limit))
        with self._lock:
            tokens, when = self._buckets.get(key, (float(self.limit), now))
            tokens = min(float(self.limit), tokens + max(0.0, now - when) * self._rate)
            if tokens >= cost:
                self._buckets[key] = (tokens - cost, now)
                if len(self._buckets) > self.MAX_KEYS:
                    self._forget_full(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (cost - tokens) / self._rate

    def _forget_full(self, now: float) -> None:
        full = [k for k, (tokens, when) in self._buckets.items()
                if tokens + (now - when) * self._rate >= self.limit]
        for k in full:
            del self._buckets[k]


_limiters: dict[tuple[str, int, float], RateLimiter] = {}
_limiters_lock = threading.Lock()


def limiter(limit: int, window_s: float, purpose: str = "requests") -> RateLimiter:
    """The process's one limiter for this rate and purpose (its buckets live as long as the server)."""
    with _limiters_lock:
        return _limiters.setdefault((purpose, limit, window_s), RateLimiter(limit, window_s))


class SignInThrottle:
    """Failed sign-ins per key (a name or an address). After ``failures`` failures the key is paused for
    ``lockout_s`` seconds, and each further failure doubles the pause (at most ``MAX_PAUSE_S``); a failure-free
    stretch of ten pauses forgets the count. ``clock`` is injectable (tests); thread-safe; memory bounded."""

    MAX_KEYS = 10_000
    MAX_PAUSE_S = 3600.0

    def __init__(self, failures: int, lockout_s: float, clock=time.monotonic) -> None:  # noqa: ANN001
        self.failures, self.lockout_s, self.clock = max(1, failures), lockout_s, clock
        self._book: dict[str, tuple[int, float, float]] = {}  # key -> (failures, last failure, paused until)
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again (0.0: it may now)."""
        with self._lock:
            entry = self._book.get(key)
        return max(0.0, entry[2] - self.clock()) if entry else 0.0

    def failed(self, key: str) -> float:
        """Count one failure of ``key``; returns the pause it now has (0.0: none yet)."""
        now = self.clock()
        with self._lock:
            count, last, _ = self._book.get(key, (0, now, 0.0))
            if now - last > 10 * self.lockout_s:
                count = 0  # a long quiet stretch: start again
            count += 1
            pause = 0.0
            if count >= self.failures:
                pause = min(self.MAX_PAUSE_S, self.lockout_s * 2 ** min(count - self.failures, 20))
            self._book[key] = (count, now, now + pause if pause else 0.0)
            if len(self._book) > self.MAX_KEYS:
                self._forget(now)
            return pause

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._book.pop(key, None)

    def _forget(self, now: float) -> None:
        stale = [k for k, (_, last, until) in self._book.items() if until <= now and now - last > self.lockout_s]
        for k in stale or sorted(self._book, key=lambda k: self._book[k][1])[: len(self._book) // 2]:
            del self._book[k]


ADDRESS_FAILURES_FACTOR = 4  # one address (a team behind one NAT) may fail this many times as often as one name
_throttles: dict[tuple[str, int, float], SignInThrottle] = {}


def _throttle(kind: str, failures: int, lockout_s: float) -> SignInThrottle:
    with _limiters_lock:
        return _throttles.setdefault((kind, failures, lockout_s), SignInThrottle(failures, lockout_s))


def name_throttle(failures: int, lockout_s: float) -> SignInThrottle:
    """The process's sign-in throttle per name (used by :class:`Login` and the login route's pre-check)."""
    return _throttle("name", failures, lockout_s)


def address_throttle(failures: int, lockout_s: float) -> SignInThrottle:
    """The process's sign-in throttle per client address (``ADDRESS_FAILURES_FACTOR`` times the name's failures)."""
    return _throttle("address", failures * ADDRESS_FAILURES_FACTOR, lockout_s)

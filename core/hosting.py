"""Hosted-mode security: who may sign in, how much one request may send, how often one person may ask, and
which files the web server must never hand out.

Hosted means other people reach the server: ``SPACE_ID`` is set, ``HIRELAB_HOSTED=1``, demo mode is on (the
public demo; ``HIRELAB_DEMO=1`` locally behaves as the Space), or it serves on an address other than loopback.
A hosted server needs users (``HIRELAB_USERS="name:password,name2:password2"``
or ``HIRELAB_USERS_FILE``, one ``name:password`` a line) and refuses to start without them, except the public
demo (``Settings.demo``: a Space or ``HIRELAB_DEMO=1``), which keeps nothing and may run open.

The server applies it as ``HostingConfig.from_settings(host).launch_kwargs()``: the keywords of Gradio's
``Blocks.launch()`` and ``gr.mount_gradio_app()`` (auth callback, auth_message, max_file_size, allowed_paths,
blocked_paths). The candidate interview page (token links) must NOT require the recruiter login: mount it
with ``public_kwargs()`` (the same limits and blocked paths, no ``auth``). Gradio has no setting for the count
of files in one request or for a per-user rate, so the workbench's Screen and Grade handlers call
:func:`admit` (through ``workbench.guard``).

Settings (environment, read in ``core.config``): HIRELAB_MAX_UPLOAD_MB (5), HIRELAB_MAX_FILES (20),
HIRELAB_RATE_LIMIT requests per HIRELAB_RATE_WINDOW_S seconds per user (30 per 60); for Gradio's upload route
(``workbench.limits``), HIRELAB_MAX_UPLOAD_TOTAL_MB per request (50) and HIRELAB_UPLOAD_RATE files per rate window
per address (100); for sign-in, HIRELAB_LOGIN_FAILURES failures per name (5; 4x as many per address) before a pause
of HIRELAB_LOGIN_LOCKOUT_S seconds (60), doubling with each further failure up to an hour.

The client's address (the rate limits' key for anyone not signed in, and the sign-in throttle's) is the TCP peer,
except on a Space: there every request comes through the Space's proxy, which appends the address it received the
request from to ``X-Forwarded-For``; the right-most entry is therefore the one the trusted proxy wrote, and
anything to its left was sent by the client and may be forged (:func:`client_key`).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import math
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.config import ASSETS, REPO_ROOT, Settings, settings
from core.messages import LocalizedError, msg

LOOPBACK_NAMES = {"", "localhost", "localhost.localdomain"}
# what the app itself hands out: Gradio copies these into its upload folder before serving them
APP_FILES = (ASSETS / "samples", ASSETS / "question_bank")
USERS_HINT = ('set HIRELAB_USERS="name:password,name2:password2" or HIRELAB_USERS_FILE=/path/to/users '
              "(one name:password a line)")


class HostingError(LocalizedError):
    """The server cannot start as configured; the message says which variable to set."""


class HostingLimitError(LocalizedError):
    """One request is over a hosted limit (too many files, too many requests); the words are in the tables.
    ``status`` is the HTTP answer for a refusal made before Gradio sees the request (413 too large, 429 too often)."""

    def __init__(self, message: str = "", *, key: str | None = None, status: int = 429, **kw: object) -> None:
        super().__init__(message, key=key, **kw)
        self.status = status


@dataclass(frozen=True)
class User:
    name: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Login:
    """Gradio's auth callback: ``login(name, password) -> bool``. Every user is compared every time, each
    comparison in constant time over digests, so the answer's timing says nothing about names or passwords.

    Gradio calls it with the name and password only (no request), so it throttles per name: after
    ``failures`` wrong passwords for one name, every sign-in as that name is refused (the right password too)
    for ``lockout_s`` seconds, doubling with each further failure. The per-address throttle is
    ``workbench.limits`` on the login route, which also answers a paused name with 429 and the time left."""

    users: tuple[User, ...] = field(repr=False)
    failures: int = 5
    lockout_s: float = 60.0

    def __call__(self, username: str, password: str) -> bool:
        throttle = name_throttle(self.failures, self.lockout_s)
        key = login_name_key(username)
        if throttle.wait(key) > 0:
            return False  # paused: the password is not even compared
        name_d, pass_d = _digest(username), _digest(password)
        ok = False
        for user in self.users:
            same = hmac.compare_digest(_digest(user.name), name_d) & hmac.compare_digest(_digest(user.password), pass_d)
            ok |= same
        if ok:
            throttle.succeeded(key)
        else:
            throttle.failed(key)
        return ok


def login_name_key(username: str | None) -> str:
    """The sign-in throttle's key for a name, as Gradio passes it to the callback (stripped)."""
    return f"name:{(username or '').strip()}"


def _digest(text: str | None) -> bytes:
    return hashlib.sha256((text or "").encode("utf-8")).digest()


def parse_users(entries: list[str], where: str) -> list[User]:
    """``name:password`` entries (blank ones and ``#`` comments skipped); a password may hold any character."""
    users: list[User] = []
    for raw in entries:
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        name, sep, password = entry.partition(":")
        if not sep or not name.strip() or not password:
            raise HostingError(f"{where}: the entry {name.strip()[:40]!r} is not name:password (both parts non-empty)")
        users.append(User(name.strip(), password))
    return users


@functools.lru_cache(maxsize=8)
def _users_in_file(path: str, mtime_ns: int, size: int) -> tuple[User, ...]:
    """The users a file lists, read again only when the file changes (every hosted request asks for them)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise HostingError(f"HIRELAB_USERS_FILE={path} cannot be read ({exc.strerror}): "
                           "point it at a readable file with one name:password a line") from exc
    return tuple(parse_users(text.splitlines(), f"HIRELAB_USERS_FILE={path}"))


def read_users(env_users: str, users_file: Path | None) -> tuple[User, ...]:
    users = parse_users(env_users.split(","), "HIRELAB_USERS")
    if users_file is not None:
        try:
            stamp = users_file.stat()
        except OSError as exc:
            raise HostingError(f"HIRELAB_USERS_FILE={users_file} cannot be read ({exc.strerror}): "
                               "point it at a readable file with one name:password a line") from exc
        users += _users_in_file(str(users_file), stamp.st_mtime_ns, stamp.st_size)
    names = [u.name for u in users]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise HostingError(f"user {twice[0]!r} is listed twice in HIRELAB_USERS / HIRELAB_USERS_FILE: keep one entry")
    return tuple(users)


def is_loopback(host: str) -> bool:
    """Whether ``host`` serves this machine only (empty: Gradio's default, 127.0.0.1)."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


# Rate limit -------------------------------------------------------------------------------------------------
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


# Sign-in throttle -------------------------------------------------------------------------------------------
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


# Files the server must never hand out ---------------------------------------------------------------------
def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def blocked_paths(candidates: list[Path], keep: list[Path]) -> list[str]:
    """``candidates`` to block, except the branches that lead to a folder in ``keep`` (files the app itself
    serves or writes for download): such a candidate is replaced by its children, recursively, so everything
    around the kept folder stays blocked. Only kept folders inside a candidate count: a private folder that
    itself lies in a kept one (a checkout under the system temp folder) stays blocked as a whole."""
    keep = [k.resolve() for k in keep]
    out: list[str] = []

    def add(path: Path, kept: list[Path]) -> None:
        if any(_inside(path, k) for k in kept):
            return  # the app's own files
        if not any(_inside(k, path) for k in kept):
            out.append(str(path))
            return
        if not path.is_dir():
            return
        try:
            children = sorted(path.iterdir())
        except OSError:
            return
        for child in children:
            add(child, kept)

    for c in dict.fromkeys(p.expanduser().resolve() for p in candidates):
        add(c, [k for k in keep if _inside(k, c) and k != c])
    return list(dict.fromkeys(out))


def _served_folders() -> list[Path]:
    """Where the app's own files live while Gradio serves them: its upload folder, the system temp folder
    (downloads are written there), Gradio's example cache, and the sample files the app hands out."""
    temp = Path(tempfile.gettempdir())
    upload = Path(os.environ.get("GRADIO_TEMP_DIR") or temp / "gradio")
    cache = Path(os.environ.get("GRADIO_EXAMPLES_CACHE") or Path.cwd() / ".gradio" / "cached_examples")
    return [temp, upload, cache.absolute(), *APP_FILES]


def _private_folders(s: Settings) -> list[Path]:
    """Where hirelab keeps what must stay private: the store, runs, adapters, cached models, profiles, the
    code and model files of the repository, system settings and the home folder."""
    paths = [s.home, s.runs_dir, s.cache_dir, REPO_ROOT, Path("/etc"), Path.home()]
    if s.db_url.startswith("sqlite:///"):
        paths.append(Path(s.db_url.removeprefix("sqlite:///")).parent)
    paths.append(s.models_file)
    if s.hosting.users_file is not None:
        paths.append(s.hosting.users_file)
    return paths


# The configuration ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HostingConfig:
    hosted: bool
    why_hosted: str  # what made it hosted, for the refusal message ("" when not hosted)
    demo: bool
    users: tuple[User, ...] = field(repr=False)
    max_file_bytes: int
    max_files: int
    rate_limit: int
    rate_window_s: float
    private: tuple[Path, ...] = field(repr=False)
    max_upload_bytes: int = 50 * 1024 * 1024  # all files of one upload request together
    upload_rate: int = 100  # files one address may upload per rate window
    login_failures: int = 5  # per name before sign-in pauses (4x per address)
    login_lockout_s: float = 60.0  # folders never served (see blocked())
    allowed: tuple[str, ...] = ()  # nothing beyond the app's own temporary files
    behind_proxy: bool = False  # on a Space every request comes through its proxy (X-Forwarded-For names the client)

    @classmethod
    def from_settings(cls, host: str | None = None, s: Settings | None = None) -> "HostingConfig":
        """The configuration for a server bound to ``host`` (default: HIRELAB_HOST / GRADIO_SERVER_NAME)."""
        s = s or settings()
        env = s.hosting
        host = env.host if host is None else host
        reasons = [why for why, on in (("SPACE_ID is set", bool(env.space_id)), ("HIRELAB_HOSTED=1", env.hosted),
                                        ("it is the public demo", s.demo),
                                        (f"it serves on {host}, not only this machine", not is_loopback(host))) if on]
        return cls(hosted=bool(reasons), why_hosted="; ".join(reasons), demo=s.demo,
                   users=read_users(env.users, env.users_file),
                   max_file_bytes=int(env.max_upload_mb * 1024 * 1024), max_files=env.max_files,
                   rate_limit=env.rate_limit, rate_window_s=env.rate_window_s,
                   private=tuple(_private_folders(s)), behind_proxy=bool(env.space_id),
                   max_upload_bytes=int(env.max_upload_total_mb * 1024 * 1024), upload_rate=env.upload_rate,
                   login_failures=env.login_failures, login_lockout_s=env.login_lockout_s)

    def check(self) -> None:
        """Refuse a hosted server with no users, unless it is the public demo (which keeps nothing)."""
        if self.hosted and not self.users and not self.demo:
            raise HostingError(f"hirelab is served to other people ({self.why_hosted}) but no users are set, so anyone "
                               f"could open the store: {USERS_HINT}. For the open public demo that keeps nothing, "
                               "set HIRELAB_DEMO=1 instead.")

    def blocked(self) -> list[str]:
        """Gradio's ``blocked_paths``: the private folders, around the app's own files (worked out when asked:
        it lists folders, and the handlers read the configuration on every request)."""
        return blocked_paths(list(self.private), _served_folders())

    @property
    def login(self) -> Login | None:
        return Login(self.users, self.login_failures, self.login_lockout_s) if self.users else None

    def public_kwargs(self) -> dict[str, object]:
        """Gradio keywords without the login: limits and blocked paths (the candidate interview page)."""
        self.check()
        kw: dict[str, object] = {"allowed_paths": list(self.allowed), "blocked_paths": self.blocked()}
        if self.hosted:
            kw["max_file_size"] = self.max_file_bytes
        return kw

    def launch_kwargs(self) -> dict[str, object]:
        """Keywords for ``Blocks.launch()`` / ``gr.mount_gradio_app()``: the login (when users are set), the
        upload size limit (hosted), and the files the server may never serve."""
        kw = self.public_kwargs()
        if self.users:
            kw["auth"] = self.login
            kw["auth_message"] = f"{msg('host_login', 'en')}<br>{msg('host_login', 'ru')}"
        return kw

    def limits_on(self, signed_in: bool) -> bool:
        """Per-request limits apply on a hosted server and to anyone signed in (a shared server)."""
        return self.hosted or signed_in

    @property
    def uploads_limited(self) -> bool:
        """Gradio's upload route is limited on a hosted server and wherever people sign in (a shared server)."""
        return self.hosted or bool(self.users)


def client_address(client_host: str | None, forwarded_for: str | None, behind_proxy: bool) -> str:
    """The client's address: the TCP peer; behind a Space's proxy, the right-most X-Forwarded-For entry.

    The Space's proxy appends the address it got the request from to whatever X-Forwarded-For the client sent,
    so only the last entry was written by the trusted proxy: the entries to its left are the client's own words
    ("X-Forwarded-For: 1.2.3.4" sent by an attacker stays on the left and is ignored)."""
    if behind_proxy and forwarded_for:
        entries = [e.strip() for e in forwarded_for.split(",") if e.strip()]
        if entries:
            return entries[-1]
    return client_host or "unknown"


def client_key(username: str | None, client_host: str | None, forwarded_for: str | None, behind_proxy: bool) -> str:
    """Whose bucket a request spends: the signed-in name, else the client's address (:func:`client_address`)."""
    if username:
        return f"user:{username}"
    return f"ip:{client_address(client_host, forwarded_for, behind_proxy)}"


def admit(config: HostingConfig, who: str, files: int = 0, signed_in: bool = False) -> None:
    """Let one request through or raise :class:`HostingLimitError`: at most ``max_files`` files in it, and at
    most ``rate_limit`` requests per ``rate_window_s`` seconds for ``who``. A refused request spends nothing."""
    if not config.limits_on(signed_in):
        return
    if files > config.max_files:
        raise HostingLimitError(key="host_too_many_files", n=files, max=config.max_files)
    wait = limiter(config.rate_limit, config.rate_window_s).take(who)
    if wait > 0:
        raise HostingLimitError(key="host_rate_limited", seconds=max(1, math.ceil(wait)), limit=config.rate_limit,
                                window=f"{config.rate_window_s:g}")


# Gradio's upload route ------------------------------------------------------------------------------------
class UploadMeter:
    """One upload request's size and file count, measured as its body streams in (``feed`` each chunk):
    raises :class:`HostingLimitError` (413) as soon as it holds more than ``max_files`` files or more than
    ``max_upload_bytes`` bytes, so a refused upload is never read to its end. A declared Content-Length over the
    limit is refused before any byte is read (``check_declared``)."""

    def __init__(self, config: HostingConfig, content_type: str | None) -> None:
        self.config = config
        boundary = _boundary(content_type or "")
        self._delimiter = b"--" + boundary if boundary else b""
        self._tail = b""
        self.bytes = 0
        self.delimiters = 0  # a body of n parts has n + 1 (the last one closes it)

    @property
    def files(self) -> int:
        return max(0, self.delimiters - 1)

    def check_declared(self, content_length: str | None) -> None:
        try:
            declared = int(content_length or "")
        except ValueError:
            return
        if declared > self.config.max_upload_bytes:
            raise self._too_big()

    def feed(self, chunk: bytes) -> None:
        self.bytes += len(chunk)
        if self.bytes > self.config.max_upload_bytes:
            raise self._too_big()
        if self._delimiter:
            window = self._tail + chunk
            self.delimiters += window.count(self._delimiter)
            keep = len(self._delimiter) - 1  # a delimiter split across two chunks is counted with the second
            self._tail = window[-keep:]  # shorter than a delimiter: it never holds one already counted
            if self.files > self.config.max_files:
                raise HostingLimitError(key="host_upload_too_many", max=self.config.max_files, status=413)

    def _too_big(self) -> HostingLimitError:
        return HostingLimitError(key="host_upload_too_big", max=f"{self.config.max_upload_bytes / 1024 / 1024:g}",
                                 status=413)


def _boundary(content_type: str) -> bytes:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "boundary" and value.strip():
            return value.strip().strip('"').encode("latin-1", errors="replace")
    return b""


def admit_upload(config: HostingConfig, address: str, files: int) -> None:
    """Spend ``files`` of the address's upload allowance (``upload_rate`` files per ``rate_window_s``), or raise
    :class:`HostingLimitError` (429) saying how long to wait. A refused upload spends nothing."""
    bucket = limiter(config.upload_rate, config.rate_window_s, purpose="uploads")
    wait = bucket.take(address, cost=max(1, files))
    if wait > 0:
        raise HostingLimitError(key="host_upload_rate", seconds=max(1, math.ceil(wait)), limit=config.upload_rate,
                                window=f"{config.rate_window_s:g}", status=429)

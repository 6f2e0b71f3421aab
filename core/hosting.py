"""Hosted-mode security: who may sign in, how much one request may send, how often one person may ask, and
which files the web server must never hand out.

Hosted means other people reach the server: ``SPACE_ID`` is set, ``HIRELAB_HOSTED=1``, demo mode is on (the
public demo; ``HIRELAB_DEMO=1`` locally behaves as the Space), or it serves on an address other than loopback. A hosted server needs users (``HIRELAB_USERS="name:password,name2:password2"``
or ``HIRELAB_USERS_FILE``, one ``name:password`` a line) and refuses to start without them, except the public
demo (``Settings.demo``: a Space or ``HIRELAB_DEMO=1``), which keeps nothing and may run open.

The server applies it as ``HostingConfig.from_settings(host).launch_kwargs()``: the keywords of Gradio's
``Blocks.launch()`` and ``gr.mount_gradio_app()`` (auth callback, auth_message, max_file_size, allowed_paths,
blocked_paths). The candidate interview page (token links) must NOT require the recruiter login: mount it
with ``public_kwargs()`` (the same limits and blocked paths, no ``auth``). Gradio has no setting for the count
of files in one request or for a per-user rate, so the workbench's Screen and Grade handlers call
:func:`admit` (through ``workbench.guard``).

Settings (environment, read in ``core.config``): HIRELAB_MAX_UPLOAD_MB (5), HIRELAB_MAX_FILES (20),
HIRELAB_RATE_LIMIT requests per HIRELAB_RATE_WINDOW_S seconds per user (30 per 60).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.config import ASSETS, REPO_ROOT, Settings, settings
from core.messages import LocalizedError, msg

LOOPBACK_NAMES = {"", "localhost", "localhost.localdomain"}
# what the app itself hands out: Gradio copies these into its upload folder before serving them
APP_FILES = (ASSETS / "samples", ASSETS / "question_bank")
USERS_HINT = ('set HIRELAB_USERS="name:password,name2:password2" or HIRELAB_USERS_FILE=/path/to/users '
              "(one name:password a line)")


class HostingError(ValueError):
    """The server cannot start as configured; the message says which variable to set."""


class HostingLimitError(LocalizedError):
    """One request is over a hosted limit (too many files, too many requests); the words are in the tables."""


@dataclass(frozen=True)
class User:
    name: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Login:
    """Gradio's auth callback: ``login(name, password) -> bool``. Every user is compared every time, each
    comparison in constant time over digests, so the answer's timing says nothing about names or passwords."""

    users: tuple[User, ...] = field(repr=False)

    def __call__(self, username: str, password: str) -> bool:
        name_d, pass_d = _digest(username), _digest(password)
        ok = False
        for user in self.users:
            same = hmac.compare_digest(_digest(user.name), name_d) & hmac.compare_digest(_digest(user.password), pass_d)
            ok |= same
        return ok


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


def read_users(env_users: str, users_file: Path | None) -> tuple[User, ...]:
    users = parse_users(env_users.split(","), "HIRELAB_USERS")
    if users_file is not None:
        try:
            text = users_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise HostingError(f"HIRELAB_USERS_FILE={users_file} cannot be read ({exc.strerror}): "
                               "point it at a readable file with one name:password a line") from exc
        users += parse_users(text.splitlines(), f"HIRELAB_USERS_FILE={users_file}")
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
    Thread-safe; full buckets are dropped once there are many keys, so memory stays bounded."""

    MAX_KEYS = 10_000

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit, self.window_s = limit, window_s
        self._rate = limit / window_s  # tokens per second
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one token of ``key``: 0.0 when admitted, else the seconds until one is there again."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, when = self._buckets.get(key, (float(self.limit), now))
            tokens = min(float(self.limit), tokens + max(0.0, now - when) * self._rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > self.MAX_KEYS:
                    self._forget_full(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self._rate

    def _forget_full(self, now: float) -> None:
        full = [k for k, (tokens, when) in self._buckets.items()
                if tokens + (now - when) * self._rate >= self.limit]
        for k in full:
            del self._buckets[k]


_limiters: dict[tuple[int, float], RateLimiter] = {}
_limiters_lock = threading.Lock()


def limiter(limit: int, window_s: float) -> RateLimiter:
    """The process's one limiter for this rate (its buckets live as long as the server)."""
    with _limiters_lock:
        return _limiters.setdefault((limit, window_s), RateLimiter(limit, window_s))


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
    private: tuple[Path, ...] = field(repr=False)  # folders never served (see blocked())
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
                   private=tuple(_private_folders(s)), behind_proxy=bool(env.space_id))

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
        return Login(self.users) if self.users else None

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


def client_key(username: str | None, client_host: str | None, forwarded_for: str | None, behind_proxy: bool) -> str:
    """Whose bucket a request spends: the signed-in name, else the client's address (on a Space, the first
    address of X-Forwarded-For: every request reaches the app through the Space's proxy)."""
    if username:
        return f"user:{username}"
    if behind_proxy and forwarded_for:
        return f"ip:{forwarded_for.split(',')[0].strip()}"
    return f"ip:{client_host or 'unknown'}"


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

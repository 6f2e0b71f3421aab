"""Who may sign in: the users from HIRELAB_USERS and HIRELAB_USERS_FILE, and Gradio's sign-in callback that
compares them in constant time and pauses a name after repeated failures (core.hosting.throttle)."""

from __future__ import annotations

import functools
import hashlib
import hmac
from dataclasses import dataclass, field
from pathlib import Path

from core.hosting.errors import HostingError
from core.hosting.throttle import name_throttle

USERS_HINT = ('set HIRELAB_USERS="name:password,name2:password2" or HIRELAB_USERS_FILE=/path/to/users '
              "(one name:password a line)")


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

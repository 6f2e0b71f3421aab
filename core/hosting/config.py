"""The hosted-mode configuration a server starts with: whether it is hosted (and why), its users, limits and
blocked paths, as Gradio's launch keywords."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from core.config import Settings, settings
from core.hosting.errors import HostingError
from core.hosting.paths import blocked_paths, private_folders, served_folders
from core.hosting.users import USERS_HINT, Login, User, read_users
from core.messages import msg

LOOPBACK_NAMES = {"", "localhost", "localhost.localdomain"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` serves this machine only (empty: Gradio's default, 127.0.0.1)."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


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
                   private=tuple(private_folders(s)), behind_proxy=bool(env.space_id),
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
        return blocked_paths(list(self.private), served_folders())

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

"""Settings from the environment, in one place.

Every path the product writes to derives from ``HIRELAB_HOME`` unless set explicitly.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSETS = REPO_ROOT / "assets"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def _demo_from_env() -> bool:
    """Demo mode: on a Hugging Face Space (``SPACE_ID`` set) or with ``HIRELAB_DEMO=1``."""
    return bool(os.environ.get("SPACE_ID")) or os.environ.get("HIRELAB_DEMO", "").strip().lower() in {"1", "true", "yes", "on"}


_demo_scratch: Path | None = None


def _demo_home() -> Path:
    """The demo's home: a fresh temporary folder name per process (never HIRELAB_HOME), created by whatever
    writes there first (every writer makes its folder) and removed when the process exits."""
    global _demo_scratch
    if _demo_scratch is None:
        _demo_scratch = Path(tempfile.gettempdir()) / f"hirelab-demo-{os.getpid()}-{secrets.token_hex(6)}"
        atexit.register(shutil.rmtree, _demo_scratch, ignore_errors=True)
    return _demo_scratch


@dataclass(frozen=True)
class Limits:
    """Caps on what a single uploaded document may be."""

    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 30
    max_chars: int = 60_000
    max_docx_unpacked_bytes: int = 50 * 1024 * 1024
    min_chars: int = 40
    max_page_side_pt: float = 14_400.0  # the largest page the PDF format allows (200 inches)
    max_stream_bytes: int = 64 * 1024 * 1024  # a page's content once decompressed
    max_ocr_pages: int = 10
    timeout_s: float = 15.0  # wall clock per file, in a separate process
    ocr_page_timeout_s: float = 30.0  # extra time per scanned page sent to OCR
    max_memory_mb: int = 1024  # address-space cap of the parsing process


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a number: set it to a number such as {default:g}, or unset it") from None
    if number <= 0:
        raise ValueError(f"{name}={value!r} must be above zero: set it to a number such as {default:g}, or unset it")
    return number


@dataclass(frozen=True)
class HostingEnv:
    """What the environment says about serving hirelab to other people (read by ``core.hosting``)."""

    space_id: str = field(default_factory=lambda: os.environ.get("SPACE_ID", ""))
    hosted: bool = field(default_factory=lambda: _env_flag("HIRELAB_HOSTED"))
    host: str = field(default_factory=lambda: os.environ.get("HIRELAB_HOST") or os.environ.get("GRADIO_SERVER_NAME") or "")
    port: int = field(default_factory=lambda: int(_env_number("HIRELAB_PORT", float(os.environ.get("GRADIO_SERVER_PORT") or 7860))))
    space_gpu_extras: bool = field(default_factory=lambda: os.environ.get("HIRELAB_SPACE_GPU_EXTRAS", "1") != "0")
    users: str = field(default_factory=lambda: os.environ.get("HIRELAB_USERS", ""), repr=False)  # name:password,...
    users_file: Path | None = field(default_factory=lambda: _env_path("HIRELAB_USERS_FILE", Path()) if os.environ.get("HIRELAB_USERS_FILE") else None)
    max_upload_mb: float = field(default_factory=lambda: _env_number("HIRELAB_MAX_UPLOAD_MB", 5))
    max_files: int = field(default_factory=lambda: max(1, int(_env_number("HIRELAB_MAX_FILES", 20))))
    rate_limit: int = field(default_factory=lambda: max(1, int(_env_number("HIRELAB_RATE_LIMIT", 30))))  # requests per window
    rate_window_s: float = field(default_factory=lambda: _env_number("HIRELAB_RATE_WINDOW_S", 60))
    # one upload request (all its files) and the files one address may upload per rate window (core.hosting)
    max_upload_total_mb: float = field(default_factory=lambda: _env_number("HIRELAB_MAX_UPLOAD_TOTAL_MB", 50))
    upload_rate: int = field(default_factory=lambda: max(1, int(_env_number("HIRELAB_UPLOAD_RATE", 100))))
    # sign-in: after this many failures for one name (or 4x as many from one address) sign-in pauses for
    # HIRELAB_LOGIN_LOCKOUT_S seconds, doubling with each further failure (at most an hour)
    login_failures: int = field(default_factory=lambda: max(1, int(_env_number("HIRELAB_LOGIN_FAILURES", 5))))
    login_lockout_s: float = field(default_factory=lambda: _env_number("HIRELAB_LOGIN_LOCKOUT_S", 60))


@dataclass(frozen=True)
class Settings:
    """``demo`` (a Space, or HIRELAB_DEMO=1): the store lives in memory and every path the product would write
    to is a private temporary folder of the process, so nothing a visitor sends is kept and HIRELAB_HOME is never
    touched; training is refused; pickers offer only the profiles that run here (``core.services.demo``)."""

    demo: bool = field(default_factory=_demo_from_env)
    home: Path = Path()
    db_url: str = ""
    runs_dir: Path = Path()
    limits: Limits = field(default_factory=Limits)
    hosting: HostingEnv = field(default_factory=HostingEnv)
    # HIRELAB_RETENTION_DAYS: candidates not updated for this many days are deleted (None: never)
    retention_days: int | None = field(default_factory=lambda: _env_days("HIRELAB_RETENTION_DAYS"))
    # HIRELAB_MODELS: a YAML file of extra or changed model profiles (default: models.yaml under the home)
    models_file: Path = Path()
    # HIRELAB_DEFAULT_PROFILE: the profile used when none is chosen ("" : the `default:` of assets/models.yaml)
    default_profile: str = field(default_factory=lambda: os.environ.get("HIRELAB_DEFAULT_PROFILE", "").strip())
    # HIRELAB_PROFILE_<NAME>_<FIELD>=value: one field of one profile changed
    profile_overrides: tuple[tuple[str, str], ...] = field(default_factory=lambda: _profile_overrides())
    # HIRELAB_CACHE_DIR: exported base weights and other rebuildable files (default: XDG cache / hirelab)
    cache_dir: Path = field(default_factory=lambda: _env_path(
        "HIRELAB_CACHE_DIR", _env_path("XDG_CACHE_HOME", Path.home() / ".cache") / "hirelab"))
    # HIRELAB_PARSE_ISOLATION=0: read files in this process instead of a capped worker (debugging only)
    parse_isolation: bool = field(default_factory=lambda: os.environ.get("HIRELAB_PARSE_ISOLATION", "1").strip().lower()
                                  not in ("0", "false", "off", "no"))
    # HIRELAB_EVAL_DIR: third-party evaluation data, measured on and never trained on
    eval_dir: Path = field(default_factory=lambda: _env_path("HIRELAB_EVAL_DIR", REPO_ROOT.parent / "shared" / "eval"))

    def __post_init__(self) -> None:
        if self.home == Path():
            home = _demo_home() if self.demo else _env_path("HIRELAB_HOME", Path.home() / ".hirelab")
            object.__setattr__(self, "home", home)
        if self.demo and not self.db_url:
            object.__setattr__(self, "db_url", "sqlite://")  # in memory: gone when the process ends
        if self.demo and self.runs_dir == Path():
            object.__setattr__(self, "runs_dir", self.home / "runs")
        if not self.db_url:
            url = os.environ.get("HIRELAB_DB_URL") or f"sqlite:///{self.home / 'hirelab.db'}"
            object.__setattr__(self, "db_url", url)
        if self.runs_dir == Path():
            object.__setattr__(self, "runs_dir", _env_path("HIRELAB_RUNS_DIR", self.home / "runs"))
        if self.models_file == Path():
            object.__setattr__(self, "models_file", _env_path("HIRELAB_MODELS", self.home / "models.yaml"))


def _profile_overrides() -> tuple[tuple[str, str], ...]:
    """(what follows HIRELAB_PROFILE_, value): ``ADAPTER_MODEL`` is field ``model`` of profile ``adapter``; the
    profile list (core.models) splits it, as only it knows the profile names."""
    prefix = "HIRELAB_PROFILE_"
    return tuple((key.removeprefix(prefix), value) for key, value in sorted(os.environ.items()) if key.startswith(prefix))


def _env_days(name: str) -> int | None:
    """A whole number of days from the environment; unset, empty or not a number means off."""
    value = (os.environ.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def settings() -> Settings:
    """Fresh settings read from the environment (cheap; tests change the environment)."""
    return Settings()

"""Start, stop, resume and list training runs.

A run is a folder under the runs directory (``config.yaml``, ``train.log``, ``metrics.jsonl``,
``checkpoints/``, the adapter) and a row in the store's ``runs`` table. The training process is started
from an argument list (no shell) in its own session, so it goes on when the browser or the terminal
that started it is closed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.config import REPO_ROOT, settings
from core.messages import LocalizedError, has, msg
from core.store import get_store
from core.store.run_records import TRAINING_KINDS, TrainingSummary, restart_summary
from training.config import ConfigError, RunConfig
from training.health import NEEDS_ATTENTION
from training.metrics import LOG, read_result

ACTIVE = ("starting", "running", "stopping")
_procs: dict[str, subprocess.Popen[bytes]] = {}


class LaunchError(LocalizedError):
    """A run cannot be started, stopped or resumed; the message (``launch_err_*``) says why and what to do."""


@dataclass(frozen=True)
class _Status:
    """A run's status written for the reader (``t_status_*``); an unknown one as stored."""

    code: str

    def text(self, lang: str = "en") -> str:
        return msg(f"t_status_{self.code}", lang) if has(f"t_status_{self.code}") else self.code


class TrainingDisabled(LaunchError):
    """Demo mode: no run is created, started, resumed or registered (the words are in the message tables)."""


def refuse_in_demo() -> None:
    if settings().demo:
        raise TrainingDisabled(key="demo_no_training")


@dataclass(frozen=True)
class RunInfo:
    """A training run as the store keeps it: its typed summary and its config (None when unreadable)."""

    id: str
    kind: str
    name: str
    status: str
    path: str
    created_at: datetime | None = None
    summary: TrainingSummary = TrainingSummary()
    config: RunConfig | None = None

    @property
    def adapter(self) -> str | None:
        return self.summary.adapter

    @property
    def profile(self) -> str | None:
        return self.summary.profile

    @property
    def max_steps(self) -> int:
        """The steps the run was set to (-1: by epochs, or the config is unreadable)."""
        return self.config.train.max_steps if self.config is not None else -1


def runs_dir() -> Path:
    return settings().runs_dir


def run_dir(run_id: str) -> Path:
    return runs_dir() / run_id


def new_run_id(kind: str) -> str:
    return f"{kind}-{datetime.now().strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"


def check_before_launch(cfg: RunConfig) -> str | None:
    """Refuse what would fail at once (missing dataset, CUDA without a GPU, a plan that will not fit unless
    allowed); return a memory warning or None."""
    from training.dataset.build import resolve_path

    if not resolve_path(cfg.data.path).exists():
        raise LaunchError(key="launch_err_no_dataset", path=cfg.data.path)
    if cfg.kind == "grpo" and cfg.grpo.init_adapter.strip():
        from training.artifacts import resolve_adapter
        from training.modeling import TrainingError

        try:
            resolve_adapter(cfg.grpo.init_adapter)
        except TrainingError as exc:
            raise LaunchError.from_error(exc) from exc
    if cfg.hardware.device != "cuda":
        return None
    import torch

    from training.vram import WontFit, gate_plan

    if not torch.cuda.is_available():
        raise LaunchError(key="train_err_no_cuda")
    try:
        return gate_plan(cfg).warning
    except WontFit as exc:
        raise LaunchError.from_error(exc) from exc


def create_run(cfg: RunConfig) -> RunInfo:
    from training.dataset.build import resolve_path

    refuse_in_demo()
    cfg.validate()
    cfg.data.path = str(resolve_path(cfg.data.path).resolve())  # the process runs in another folder
    run_id = new_run_id(cfg.kind)
    folder = run_dir(run_id)
    folder.mkdir(parents=True, exist_ok=False)
    cfg.save(folder / "config.yaml")
    name = cfg.name or run_id
    get_store().save_run(run_id, cfg.kind, name, "created", cfg.to_dict(), path=str(folder))
    return RunInfo(run_id, cfg.kind, name, "created", str(folder), config=cfg)


def _spawn(run_id: str, resume: bool) -> int:
    folder = run_dir(run_id)
    args = [sys.executable, "-m", "training.run", "--run-dir", str(folder)]
    if resume:
        args.append("--resume")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TOKENIZERS_PARALLELISM": "false"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    with open(folder / LOG, "ab") as log:
        log.write(f"\n=== {'resume' if resume else 'start'} {datetime.now(timezone.utc).isoformat()} ===\n".encode())
        log.flush()
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=str(REPO_ROOT),
                                env=env, start_new_session=True)
    _procs[run_id] = proc
    # reap the process the moment it ends, whether or not anyone looks at the run again (no zombie)
    threading.Thread(target=proc.wait, name=f"reap-{run_id}", daemon=True).start()
    (folder / "pid").write_text(str(proc.pid), encoding="utf-8")
    return proc.pid


def launch(cfg: RunConfig) -> RunInfo:
    """Validate, plan, create the run and start its process. Returns at once."""
    refuse_in_demo()
    warning = check_before_launch(cfg)
    info = create_run(cfg)
    if warning:
        with open(Path(info.path) / LOG, "a", encoding="utf-8") as log:
            log.write(f"[hirelab] memory plan: {warning}\n")
    _start(info.id, resume=False)
    return get_run(info.id)


def _start(run_id: str, resume: bool) -> None:
    store = get_store()
    store.set_run_status(run_id, "starting")  # before the process exists, so it never overwrites "running"
    try:
        _spawn(run_id, resume)
    except OSError as exc:
        store.set_run_status(run_id, "failed", restart_summary() | {"error": "could not start the training "
                             f"process: {exc}"})
        raise LaunchError(key="launch_err_spawn", error=exc) from exc


def _pid(run_id: str) -> int | None:
    try:
        return int((run_dir(run_id) / "pid").read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def is_alive(run_id: str) -> bool:
    proc = _procs.get(run_id)
    if proc is not None:
        return proc.poll() is None
    pid = _pid(run_id)
    if pid is None:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            if fh.read().rsplit(")", 1)[-1].split()[0] == "Z":
                return False
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"training.run" in fh.read()
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return sys.platform != "linux"


def _info(row: Any) -> RunInfo:
    try:
        config: RunConfig | None = RunConfig.from_dict(row.config) if isinstance(row.config, dict) and row.config else None
    except ConfigError:  # a row written by an older version, or by a run whose config was unreadable
        config = None
    return RunInfo(row.id, row.kind, row.name, row.status, row.path, row.created_at, TrainingSummary.parse(row.summary),
                   config)


def get_run(run_id: str) -> RunInfo:
    """The run's current state; an active run whose process is gone is marked failed."""
    store = get_store()
    row = store.get_run(run_id)
    if row is None:
        raise LaunchError(key="launch_err_no_run", run=run_id)
    if row.status in ACTIVE and not is_alive(run_id):
        row = store.get_run(run_id)  # it may have finished between the two reads
        if row is not None and row.status in ACTIVE:
            final = read_result(run_dir(run_id))
            if final is not None:  # the process reported; a late "stopping" must not hide that
                store.set_run_status(run_id, final["status"], restart_summary() | (final.get("summary") or {}))
            else:
                store.set_run_status(run_id, "failed", {"error": "the training process ended without reporting "
                                                        "(killed or out of memory); see train.log"})
            row = store.get_run(run_id)
    assert row is not None
    return _info(row)


def list_runs(kind: str | None = None, limit: int = 100) -> list[RunInfo]:
    rows = get_store().list_runs(kind or TRAINING_KINDS, limit)  # never crowded out by screening or grading runs
    return [get_run(r.id) for r in rows if r.kind in TRAINING_KINDS]


def stop_run(run_id: str) -> RunInfo:
    """Ask the run to stop: it finishes the current step, saves a checkpoint and the adapter, and exits."""
    info = get_run(run_id)
    if info.status not in ACTIVE:
        raise LaunchError(key="launch_err_not_running", run=run_id, status=_Status(info.status))
    pid = _pid(run_id)
    if pid is None:
        raise LaunchError(key="launch_err_no_pid", run=run_id)
    get_store().set_run_status(run_id, "stopping")
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    return get_run(run_id)


def resume_run(run_id: str) -> RunInfo:
    """Start a stopped or failed run again from its last checkpoint."""
    from training.run import last_checkpoint

    refuse_in_demo()
    info = get_run(run_id)
    if info.status in ACTIVE:
        raise LaunchError(key="launch_err_still_active", run=run_id, status=_Status(info.status))
    if info.status == "completed" or (info.status == NEEDS_ATTENTION and not info.summary.stopped_early):
        raise LaunchError(key="launch_err_all_steps", run=run_id)
    if last_checkpoint(run_dir(run_id)) is None:
        raise LaunchError(key="launch_err_no_checkpoint", run=run_id)
    _start(run_id, resume=True)
    return get_run(run_id)


def register_run_adapter(run_id: str) -> RunInfo:
    """Register a run's saved adapter as a model profile on purpose (a run that needs attention is not
    registered by itself); the reasons it needed attention stay in its summary."""
    from training.artifacts import register_adapter

    refuse_in_demo()
    info = get_run(run_id)
    if info.status in ACTIVE:
        raise LaunchError(key="launch_err_wait", run=run_id, status=_Status(info.status))
    if not info.adapter or not Path(info.adapter).is_dir():
        raise LaunchError(key="launch_err_no_adapter", run=run_id, status=_Status(info.status))
    if info.profile:
        return info
    if info.config is None:
        raise LaunchError(key="launch_err_bad_config", run=run_id)
    profile = register_adapter(run_id, info.config, Path(info.adapter))
    get_store().set_run_status(run_id, info.status, {"profile": profile.name, "registered_on_request": True})
    return get_run(run_id)


def wait_run(run_id: str, timeout: float | None = None, poll: float = 1.0) -> RunInfo:
    """Block until the run is no longer active (or ``timeout`` seconds pass)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        info = get_run(run_id)
        if info.status not in ACTIVE:
            proc = _procs.pop(run_id, None)
            if proc is not None:
                proc.wait(timeout=30)
            return info
        if deadline is not None and time.monotonic() > deadline:
            return info
        time.sleep(poll)

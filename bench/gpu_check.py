#!/usr/bin/env python3
"""GPU check: prove the CUDA paths of this checkout on any CUDA machine, with no network, and measure them.

    python bench/gpu_check.py [--out DIR] [--budget 440] [--stages prep,engine,...] [--tiny]
                              [--wheels DIR] [--tokenizer DIR]

Each stage of ``bench/gpu_check_stages.py`` runs in its own process with its own time limit, inside one
overall budget, and writes ``<stage>.json`` as it goes; ``summary.json`` gathers the headlines, the machine
and the commit checked. A stage that fails, hangs or is cut by its limit is recorded and the next one runs.

Stages: prep (random-initialised model with the real Qwen2.5-Coder-7B shape + a LoRA adapter), engine
(tokens/s at batch 1/8/32, free vs constrained, peak memory, dtype and batch size as the profile sets them),
lora (base + adapter in one mixed batch), fourbit (4-bit load memory and speed), sft and grpo (t4-7b
presets through the launcher: seconds/step, measured peak vs the planner's prediction), presets (the T4
presets' predicted peaks).

``--tiny`` runs every stage on CPU against a 2-layer model of the same architecture (a few minutes);
``tests/test_gpu_check.py`` runs it. ``--wheels DIR`` first installs the wheels in DIR (what a bare CUDA
image lacks: xgrammar, bitsandbytes, trl, ...) into a private folder the stages import from. The driver
itself uses only the standard library and never touches the GPU.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent  # always the code of this checkout
STAGES_PY = HERE / "gpu_check_stages.py"
RESULTS = PROJECT / "bench" / "results" / "gpu_check"
# (stage, cap in seconds, least seconds worth starting with); presets needs no model and no GPU
STAGES = [("prep", 150, 60), ("engine", 100, 45), ("lora", 80, 40), ("fourbit", 100, 50), ("sft", 140, 70),
          ("grpo", 160, 75), ("presets", 60, 10)]
NEEDS_MODEL = {"engine", "lora", "fourbit", "sft", "grpo"}
T0 = time.monotonic()


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} +{time.monotonic() - T0:5.0f}s] {text}", flush=True)


def sh(cmd: str) -> str:
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"


def version_tuple(v: str) -> tuple:
    out = []
    for part in v.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out)


def preflight(site: str, wheels: Path | None) -> dict:
    """Install the wheels of ``wheels`` into ``site``, and a fallback from ``wheels/ifneeded`` only where the
    machine's own version is too old."""
    import importlib.metadata as md

    done: dict = {}
    if wheels is None:
        return done
    found = sorted(wheels.glob("*.whl"))
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--no-compile",
                        "--no-cache-dir", "--upgrade", "--target", site, *map(str, found)], capture_output=True, text=True)
    done["wheels"] = {"installed": [w.name for w in found], "rc": r.returncode, "stderr": r.stderr[-500:]}
    need = {"typing_extensions": "4.16.0"}  # pydantic-core 2.50.4 requires typing-extensions>=4.16.0
    for name, least in need.items():
        try:
            have = md.version(name)
        except md.PackageNotFoundError:
            have = None
        if have is None or version_tuple(have) < version_tuple(least):
            fallback = sorted((wheels / "ifneeded").glob(f"{name}-*.whl"))
            r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--no-compile",
                                "--no-cache-dir", "--upgrade", "--target", site, *map(str, fallback)],
                               capture_output=True, text=True)
            done[name] = {"had": have, "installed": [w.name for w in fallback], "rc": r.returncode,
                          "stderr": r.stderr[-500:]}
        else:
            done[name] = {"had": have, "installed": []}
    return done


def kill_training(work: Path, stage: str) -> list[int]:
    """Training processes started (in their own session) by this stage's launcher: end them by pid."""
    killed = []
    home = work / f"home-{stage}"
    for pidfile in home.glob("runs/*/pid"):
        try:
            pid = int(pidfile.read_text().strip())
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if b"training.run" in cmd:
            try:
                os.killpg(pid, signal.SIGKILL)
                killed.append(pid)
            except OSError:
                pass
    return killed


def run_stage(name: str, timeout: float, args, env: dict) -> dict:
    cmd = [sys.executable, str(STAGES_PY), name, "--work", str(args.work), "--tokens", str(args.tokens)]
    cmd += ["--tiny"] if args.tiny else []
    cmd += ["--tokenizer", str(args.tokenizer)] if args.tokenizer else []
    say(f"=== stage {name}: timeout {timeout:.0f} s ===")
    tail: collections.deque[str] = collections.deque(maxlen=50)
    (args.work / "results" / f"{name}.json").unlink(missing_ok=True)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                            env=env, cwd=str(PROJECT), start_new_session=True, errors="replace")

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip("\n")
            tail.append(line[-600:])
            print(f"  [{name}] {line}", flush=True)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    timed_out = False
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        say(f"stage {name}: timeout after {timeout:.0f} s, ending it")
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except OSError:
            pass
        try:
            rc = proc.wait(timeout=8)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            rc = proc.wait()
    killed = kill_training(args.work, name) if name in ("sft", "grpo") else []
    reader.join(timeout=5)
    seconds = time.monotonic() - started
    path = args.out / f"{name}.json"  # the stage writes only under WORK; OUT is written here alone
    try:
        res = json.loads((args.work / "results" / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        res = {"stage": name, "status": "no_result_file", "steps": {}}
    if timed_out:
        res["status"] = "timeout"
    elif rc != 0 and res.get("status") in ("running", "ok", "partial"):
        res["status"] = f"exit_{rc}"
    res.update(rc=rc, wall_seconds=round(seconds, 1), timeout_s=round(timeout), killed_training_pids=killed)
    if res["status"] not in ("ok",):
        res["output_tail"] = list(tail)[-40:]
    path.write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    say(f"stage {name}: {res['status']} (rc {rc}) in {seconds:.0f} s")
    return res


HEADLINE = ("batch_size_ok", "expected_dtype", "tokens_per_s", "completion_tokens", "requests", "batch_size", "peak_allocated_gb", "seconds", "ok",
            "items", "graded_ok", "errors", "valid_objects", "adapter_differs_from_base", "base_rows_equal_base_only_run", "same_engine_as_base",
            "param_dtype", "allocated_gb", "linear4bit_modules", "init_seconds", "save_seconds", "params_b",
            "step_seconds", "finish", "graded_by", "adapters_in_provenance")


def headline(res: dict) -> dict:
    out = {"status": res.get("status"), "wall_seconds": res.get("wall_seconds")}
    if res.get("error"):
        out["error"] = res["error"][:300]
    steps = {}
    for key, step in (res.get("steps") or {}).items():
        if not isinstance(step, dict):
            continue
        s = {k: step[k] for k in HEADLINE if k in step}
        if not step.get("ok", True):
            s["error"] = str(step.get("error", ""))[:300]
        if key == "planner" or key.startswith("t4-"):
            for name, p in step.items():
                if isinstance(p, dict) and "total_gb" in p:
                    s[name] = {k: p.get(k) for k in ("total_gb", "verdict")}
        if key == "run":  # a training run through the launcher
            s.update({k: step.get(k) for k in ("run_status", "steps", "attention", "backend_trained",
                                               "step_seconds_median", "predicted_gb", "measured_peak_gb",
                                               "planner_error_pct", "error")})
        steps[key] = s
    out["steps"] = steps
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=None,
                    help="folder for <stage>.json and summary.json (default bench/results/gpu_check; --tiny: WORK/out)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/gpucheck-work"), help="models, runs and scratch")
    ap.add_argument("--budget", type=float, default=440.0, help="seconds for all stages together")
    ap.add_argument("--stages", default=",".join(s for s, _, _ in STAGES))
    ap.add_argument("--tiny", action="store_true", help="CPU dry run: a 2-layer model of the same architecture")
    ap.add_argument("--tokens", type=int, default=0, help="max_new_tokens for the engine (default 64, tiny 8)")
    ap.add_argument("--wheels", type=Path, default=None, help="install these wheels first (a bare CUDA image)")
    ap.add_argument("--site", default="/tmp/gpucheck-site", help="where --wheels are installed")
    ap.add_argument("--tokenizer", type=Path, default=None,
                    help="tokenizer folder for the random model (default: the bundled SmolLM2's)")
    args = ap.parse_args()
    args.out = args.out or (args.work / "out" if args.tiny else RESULTS)
    args.tokens = args.tokens or (8 if args.tiny else 64)
    args.out.mkdir(parents=True, exist_ok=True)
    args.work.mkdir(parents=True, exist_ok=True)
    wanted = [s.strip() for s in args.stages.split(",") if s.strip()]
    summary: dict = {"benchmark": "gpu_check", "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     "command": "python bench/gpu_check.py " + " ".join(sys.argv[1:]), "tiny": args.tiny,
                     "budget_s": args.budget, "stages_wanted": wanted, "python": sys.version,
                     "commit": sh(f"git -C {PROJECT} rev-parse HEAD"),
                     "uncommitted_changes": bool(sh(f"git -C {PROJECT} status --porcelain --untracked-files=no"))}
    say(f"gpucheck driver: out {args.out}, work {args.work}, budget {args.budget:.0f} s, stages {wanted}")
    summary["machine"] = {"nvidia_smi": sh("nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version "
                                           "--format=csv,noheader"),
                          "df": sh("df -h /tmp /dev/shm | tail -n +2"), "free": sh("free -g | head -2"),
                          "nproc": os.cpu_count()}
    say(f"machine: {summary['machine']}")
    summary["preflight"] = preflight(args.site, args.wheels)
    say(f"preflight: {summary['preflight']}")

    base_env = {**os.environ}
    site = args.site if args.wheels else ""
    base_env["PYTHONPATH"] = os.pathsep.join(p for p in (site, str(PROJECT), os.environ.get("PYTHONPATH", "")) if p)
    base_env.update(PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_DATASETS_OFFLINE="1",
                    TOKENIZERS_PARALLELISM="false", HIRELAB_EVAL_DIR=str(args.work / "no-eval"),
                    HIRELAB_CACHE_DIR=str(args.work / "cache"), HF_HOME=str(args.work / "hf-home"))
    for key in list(base_env):
        if key.startswith("HIRELAB_PROFILE_") or key in ("HIRELAB_MODELS", "HIRELAB_DEFAULT_PROFILE", "HIRELAB_DB_URL",
                                                         "HIRELAB_RUNS_DIR"):
            base_env.pop(key)
    (args.work / "no-eval").mkdir(parents=True, exist_ok=True)
    deadline = T0 + args.budget
    results: dict = {}
    summary["stages"] = results
    paths: dict | None = None
    for name, cap, least in STAGES:
        if name not in wanted:
            continue
        left = deadline - time.monotonic() - 5
        if name in NEEDS_MODEL and paths is None:
            paths_file = args.work / "paths.json"
            if paths_file.exists() and "prep" not in wanted:
                paths = json.loads(paths_file.read_text())
            else:
                results[name] = {"status": "skipped", "reason": "no model: the prep stage did not finish"}
                continue
        if left < least:
            results[name] = {"status": "skipped", "reason": f"only {left:.0f} s of the budget left"}
            say(f"stage {name}: skipped, {left:.0f} s left")
            continue
        env = dict(base_env)
        home = args.work / f"home-{name}"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True, exist_ok=True)
        env["HIRELAB_HOME"] = str(home)
        if paths and name in NEEDS_MODEL:  # presets plans the shipped profiles' real model
            env["HIRELAB_PROFILE_BASE_MODEL"] = paths["model_dir"]
            env["HIRELAB_PROFILE_ADAPTER_MODEL"] = paths["model_dir"]
            env["HIRELAB_PROFILE_ADAPTER_ADAPTER"] = paths["adapter_dir"]
        if name in ("engine", "lora"):  # 16-bit weights; the shipped profiles say 4-bit
            env["HIRELAB_PROFILE_BASE_LOAD_IN_4BIT"] = "false"
            env["HIRELAB_PROFILE_ADAPTER_LOAD_IN_4BIT"] = "false"
        if args.tiny:
            env["HIRELAB_PROFILE_BASE_DEVICE"] = "cpu"
            env["HIRELAB_PROFILE_ADAPTER_DEVICE"] = "cpu"
        res = run_stage(name, min(cap * (4 if args.tiny else 1), left), args, env)
        results[name] = headline(res)
        if name == "prep":
            paths_file = args.work / "paths.json"
            model_ok = (res.get("steps", {}).get("make_model") or {}).get("ok")
            if paths_file.exists() and model_ok:
                paths = json.loads(paths_file.read_text())
                summary["paths"] = paths
        summary["elapsed_s"] = round(time.monotonic() - T0, 1)
        (args.out / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False, default=str),
                                               encoding="utf-8")
    summary["elapsed_s"] = round(time.monotonic() - T0, 1)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False, default=str),
                                           encoding="utf-8")
    say("=== summary ===")
    print(json.dumps({k: {"status": v.get("status"), "wall_seconds": v.get("wall_seconds")} for k, v in results.items()},
                     indent=1), flush=True)
    say(f"done in {time.monotonic() - T0:.0f} s; files in {args.out}: {sorted(p.name for p in args.out.iterdir())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

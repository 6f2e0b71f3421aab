"""Cost of xgrammar-constrained JSON decoding in the transformers engine, per generated token.

    python bench/engine_constrained_overhead.py [--model offline] [--tokens 48] [--prompts 8] [--rounds 2]

The same grading prompts run free and constrained to GradeAssessment, at batch 1 and batch 8, the
two modes taking turns within each round. The outputs differ in length, so the figure is time per
generated token; overhead = constrained / free - 1 at the same batch size. Grammar compilation
(once per schema) is reported apart. Goal: <= 10%.
Writes bench/results/engine_constrained_overhead.json.
"""

from __future__ import annotations

import argparse

from engine_common import timed, write_result
from valid_output_prompts import PROMPTS, messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="offline", help="model profile (a transformers one)")
    parser.add_argument("--tokens", type=int, default=48, help="new tokens per request")
    parser.add_argument("--prompts", type=int, default=8, help="requests per configuration and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)

    from core.engines import ChatRequest, Sampling, get_engine
    from core.schemas import GradeAssessment

    engine = get_engine(args.model)
    items = PROMPTS[: args.prompts]

    def requests(constrained: bool) -> list:
        return [ChatRequest(messages(item, with_schema=True), schema=GradeAssessment, constrained=constrained,
                            sampling=Sampling(max_new_tokens=args.tokens)) for item in items]

    _, compile_s = timed(engine._grammar, GradeAssessment) if hasattr(engine, "_grammar") else (None, 0.0)
    engine.generate(requests(False)[:1])  # warm-up
    totals = {(batch, mode): [0, 0.0] for batch in (1, 8) for mode in ("free", "constrained")}
    for rnd in range(args.rounds):
        for (batch, mode), acc in totals.items():
            reqs = requests(mode == "constrained")
            for start in range(0, len(reqs), batch):
                results, took = timed(engine.generate, reqs[start : start + batch])
                acc[0] += sum(r.completion_tokens for r in results)
                acc[1] += took
            print(f"round {rnd + 1} batch {batch} {mode}: {acc[0]} tokens, {1000 * acc[1] / max(acc[0], 1):.1f} ms/token",
                  flush=True)
    rows = []
    for batch in (1, 8):
        row: dict = {"batch": batch}
        for mode in ("free", "constrained"):
            tokens, seconds = totals[(batch, mode)]
            row[mode] = {"completion_tokens": tokens, "seconds": round(seconds, 2),
                         "ms_per_token": round(1000 * seconds / max(tokens, 1), 2)}
        row["overhead"] = round(row["constrained"]["ms_per_token"] / row["free"]["ms_per_token"] - 1, 3)
        rows.append(row)
    path = write_result("engine_constrained_overhead", {
        "model_profile": args.model, "engine": engine.name, "schema": "GradeAssessment",
        "grammar_compile_seconds": round(compile_s, 2), "new_tokens_per_request": args.tokens, "rows": rows,
        "goal": "overhead <= 10%", "goal_met": all(r["overhead"] <= 0.10 for r in rows),
    })
    print(f"overhead: {[r['overhead'] for r in rows]} -> {path}")


if __name__ == "__main__":
    main()

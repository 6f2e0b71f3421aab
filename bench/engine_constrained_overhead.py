"""Cost of xgrammar-constrained JSON decoding in the transformers engine, per generated token.

    python bench/engine_constrained_overhead.py [--model offline] [--tokens 48] [--prompts 8] [--rounds 2]

The same grading prompts run free and constrained to GradeAssessment, at batch 1 and batch 8, the
two modes taking turns within each round. The outputs differ in length, so the figure is time per
generated token; overhead = constrained / free - 1 at the same batch size, per round, and the median
over rounds is the figure (a shared machine's load changes between rounds, not within one).
Grammar compilation (once per schema) is reported apart. On a shared machine the A/B wall-clock
figure is noisy, so the run also times the grammar step itself (xgrammar's logits processor: accept
the last token, fill the token bitmask, mask the logits) inside the constrained generations:
grammar_share = time in that step / the rest of the constrained generation time. Goal: <= 10%.
Writes bench/results/engine_constrained_overhead.json.
"""

from __future__ import annotations

import statistics

from engine_common import timed, write_result
from results_io import model_parser, parse
from valid_output_prompts import PROMPTS, messages


def _time_grammar_steps() -> list[float]:
    """Accumulate the seconds spent in xgrammar's HF logits processor (instrumentation for this run)."""
    import time

    from xgrammar.contrib import hf

    spent = [0.0]
    original = hf.LogitsProcessor.__call__

    def timed_call(self, input_ids, scores):
        started = time.perf_counter()
        try:
            return original(self, input_ids, scores)
        finally:
            spent[0] += time.perf_counter() - started

    hf.LogitsProcessor.__call__ = timed_call
    return spent


def main() -> None:
    parser = model_parser(__doc__, model_help="model profile (a transformers one)")
    parser.add_argument("--tokens", type=int, default=32, help="new tokens per request")
    parser.add_argument("--prompts", type=int, default=8, help="requests per configuration and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parse(parser)

    from core.engines import ChatRequest, Sampling, get_engine
    from core.schemas import GradeAssessment

    engine = get_engine(args.model)
    items = PROMPTS[: args.prompts]
    grammar_time = _time_grammar_steps()

    def requests(constrained: bool) -> list:
        return [ChatRequest(messages(item, with_schema=True), schema=GradeAssessment, constrained=constrained,
                            sampling=Sampling(max_new_tokens=args.tokens)) for item in items]

    _, compile_s = timed(engine._grammar, GradeAssessment) if hasattr(engine, "_grammar") else (None, 0.0)
    engine.generate(requests(False)[:1])  # warm-up
    per_round: list[dict] = []
    for rnd in range(args.rounds):
        figures: dict = {}
        for batch in (1, 8):
            for mode in ("free", "constrained"):
                reqs = requests(mode == "constrained")
                tokens, seconds, grammar_before = 0, 0.0, grammar_time[0]
                for start in range(0, len(reqs), batch):
                    results, took = timed(engine.generate, reqs[start : start + batch])
                    tokens += sum(r.completion_tokens for r in results)
                    seconds += took
                figures[(batch, mode)] = 1000 * seconds / max(tokens, 1)
                if mode == "constrained":
                    spent = grammar_time[0] - grammar_before
                    figures[(batch, "grammar_share")] = spent / max(seconds - spent, 1e-9)
                print(f"round {rnd + 1} batch {batch} {mode}: {tokens} tokens, {figures[(batch, mode)]:.1f} ms/token",
                      flush=True)
        per_round.append(figures)
    rows = []
    for batch in (1, 8):
        overheads = [f[(batch, "constrained")] / f[(batch, "free")] - 1 for f in per_round]
        rows.append({
            "batch": batch,
            "free_ms_per_token": [round(f[(batch, "free")], 1) for f in per_round],
            "constrained_ms_per_token": [round(f[(batch, "constrained")], 1) for f in per_round],
            "overhead_per_round": [round(o, 3) for o in overheads],
            "overhead": round(statistics.median(overheads), 3),
            "grammar_share_per_round": [round(f[(batch, "grammar_share")], 4) for f in per_round],
            "grammar_share": round(statistics.median(f[(batch, "grammar_share")] for f in per_round), 4),
        })
    path = write_result("engine_constrained_overhead", {
        "model_profile": args.model, "engine": engine.name, "schema": "GradeAssessment",
        "grammar_compile_seconds": round(compile_s, 2), "new_tokens_per_request": args.tokens, "rows": rows,
        "goal": "overhead <= 10%", "goal_met_wall_clock": all(r["overhead"] <= 0.10 for r in rows),
        "goal_met_grammar_share": all(r["grammar_share"] <= 0.10 for r in rows),
    })
    print(f"wall-clock overhead: {[r['overhead'] for r in rows]}, grammar share: {[r['grammar_share'] for r in rows]}"
          f" -> {path}")


if __name__ == "__main__":
    main()

"""Valid-output rate of a model on 50 grading prompts: constrained decoding vs prompt-only JSON.

    python bench/valid_output_rate.py [--model offline] [--mode both|constrained|prompt] [--limit 50]
                                      [--tokens 512] [--batch 8] [--threads N]

Both modes send the same messages (the product's grading prompt plus the JSON schema) through the
product's output contract (generate_structured: validate, one repair retry). "constrained" lets the
engine enforce the schema while decoding (xgrammar); "prompt" only asks for JSON in the prompt, the
usual approach. Reported per mode: valid on the first attempt, valid after the repair retry,
truncated answers, the error kinds, tokens and time. Figures are saved after every batch (with
"complete": false until the mode is done) and merged into one results file, so the two modes can
run as separate commands. Writes bench/results/valid_output_rate.json.
"""

from __future__ import annotations

import json
from collections import Counter

from pathlib import Path

from engine_common import RESULTS, timed, write_result
from results_io import model_parser, parse
from valid_output_prompts import PROMPTS, messages


def _error_kind(error: str | None) -> str:
    if not error:
        return "none"
    for key in ("truncated", "no JSON object", "cut off", "invalid JSON", "does not match"):
        if key in error:
            return key
    return "other"


def summarize(outcomes: list, seconds: float, total: int) -> dict:
    first_ok = sum(o.ok and o.attempts == 1 for o in outcomes)
    ok = sum(o.ok for o in outcomes)
    n = max(len(outcomes), 1)
    return {
        "prompts": len(outcomes), "complete": len(outcomes) == total,
        "valid_first_attempt": first_ok, "valid_first_attempt_rate": round(first_ok / n, 3),
        "valid_after_repair": ok, "valid_after_repair_rate": round(ok / n, 3),
        "repairs_tried": sum(o.attempts == 2 for o in outcomes),
        "truncated_last_attempt": sum(o.finish_reason == "length" for o in outcomes),
        "failure_kinds": dict(Counter(_error_kind(o.error) for o in outcomes if not o.ok)),
        "valid_by_answer_kind": {k: sum(o.ok for o, it in zip(outcomes, PROMPTS) if it.kind == k)
                                 for k in ("good", "partial", "wrong", "off_topic", "short")},
        "completion_tokens": sum(o.completion_tokens for o in outcomes),
        "seconds": round(seconds, 1),
    }


def run_mode(engine, constrained: bool, limit: int, tokens: int, batch: int, save) -> dict:
    """Generate in chunks of ``batch``; ``save`` gets the figures so far after each chunk."""
    from core.engines import ChatRequest, Sampling, generate_structured
    from core.schemas import GradeAssessment

    items = PROMPTS[:limit]
    requests = [ChatRequest(messages(item), schema=GradeAssessment, constrained=constrained,
                            sampling=Sampling(max_new_tokens=tokens)) for item in items]
    outcomes, seconds = [], 0.0
    for start in range(0, len(requests), batch):
        chunk, took = timed(generate_structured, engine, requests[start : start + batch])
        outcomes += chunk
        seconds += took
        print(f"  {'constrained' if constrained else 'prompt-only'}: {len(outcomes)}/{len(requests)}", flush=True)
        save(summarize(outcomes, seconds, len(requests)))
    return summarize(outcomes, seconds, len(requests))


def main() -> None:
    parser = model_parser(__doc__)
    parser.add_argument("--mode", choices=("both", "constrained", "prompt"), default="both")
    parser.add_argument("--limit", type=int, default=50, help="first N of the 50 prompts")
    parser.add_argument("--tokens", type=int, default=512, help="token budget per answer")
    parser.add_argument("--batch", type=int, default=8)
    args = parse(parser)
    from core.engines import get_engine

    engine = get_engine(args.model)

    def save(name: str, figures: dict) -> Path:
        """Merge this mode's figures into the results file (read just before writing: modes run apart)."""
        path = RESULTS / "valid_output_rate.json"
        previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        modes = previous.get("modes", {}) if previous.get("model_profile") == args.model else {}
        modes[name] = figures
        return write_result("valid_output_rate", {"model_profile": args.model, "engine": engine.name,
                                                  "schema": "GradeAssessment", "modes": modes})

    out = None
    for name, constrained in (("constrained", True), ("prompt_only", False)):
        if args.mode in ("both", "constrained" if constrained else "prompt"):
            command = (f"python bench/valid_output_rate.py --model {args.model} --mode "
                       f"{'constrained' if constrained else 'prompt'} --limit {args.limit} --tokens {args.tokens}"
                       f" --batch {args.batch}" + (f" --threads {args.threads}" if args.threads else ""))
            figures = run_mode(engine, constrained, args.limit, args.tokens, args.batch,
                               lambda f, name=name, command=command: save(name, f | {"command": command}))
            out = save(name, figures | {"command": command})
            print(name, json.dumps(figures, ensure_ascii=False), flush=True)
    print(f"-> {out}")


if __name__ == "__main__":
    main()

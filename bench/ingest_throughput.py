"""Bulk ingest throughput: N resumes (default 1,000) through the process pool on 2 cores.

    python bench/ingest_throughput.py [--n 1000] [--workers 2] [--cores 2]

The corpus cycles through every resume in ``assets/samples/resumes`` and ``../shared/eval/resumes``
that reads as a resume (files that are errors by design are left out). Each file goes through
``parse_many`` (type check, limits, hidden-text check, reading order, invisible characters,
instruction-like text, language: each in an isolated worker process with its timeout and memory
cap), then ``extract_facts`` (contacts, links, skills, years, education, checklist). The process
and its workers are pinned to ``--cores`` CPUs. Two figures: a cold run (worker start-up
included) and a warm run (workers already started). Goal: under 10 s for 1,000 resumes.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from ingest_common import resume_files, write_result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cores", type=int, default=2)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[: args.cores]))

    from core.documents import Document, parse_many
    from core.documents.isolate import shutdown
    from core.facts import extract_facts

    readable = []
    for _, path in resume_files():
        data = path.read_bytes()
        if isinstance(parse_many([(data, path.name)], workers=1)[0], Document):
            readable.append((data, path.name))
    shutdown()  # the cold run starts its own workers
    items = [readable[i % len(readable)] for i in range(args.n)]

    def run() -> tuple[float, int, int]:
        started = time.perf_counter()
        docs = parse_many(items, workers=args.workers)
        ok = 0
        for doc in docs:
            if isinstance(doc, Document):
                extract_facts(doc)
                ok += 1
        return time.perf_counter() - started, ok, len(docs) - ok

    def cpu(who: int) -> float:
        use = resource.getrusage(who)
        return use.ru_utime + use.ru_stime

    cold, ok, failed = run()
    shutdown()
    # What starting the workers costs (imports, warm-up), measured on its own and taken out below.
    kids = cpu(resource.RUSAGE_CHILDREN)
    parse_many(items[:2], workers=args.workers)
    shutdown()
    startup = cpu(resource.RUSAGE_CHILDREN) - kids
    parse_many(items[:2], workers=args.workers)  # workers are up before the warm run starts
    own, kids = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    warm, ok2, failed2 = run()
    own_after = cpu(resource.RUSAGE_SELF)
    shutdown()  # workers exit and are waited for, so their CPU time is counted
    warm_cpu = (own_after - own) + (cpu(resource.RUSAGE_CHILDREN) - kids - startup)
    result = {
        "resumes": args.n, "distinct_files": len(readable), "workers": args.workers, "cores": args.cores,
        "cold_seconds": round(cold, 2), "warm_seconds": round(warm, 2),
        "warm_resumes_per_second": round(args.n / warm, 1), "ok": ok2, "failed": failed2,
        "warm_cpu_seconds": round(warm_cpu, 2),
        "warm_seconds_on_idle_cores_estimate": round(warm_cpu / args.cores, 2),
        "load_note": "wall time depends on other load on the machine; the CPU figure does not",
        "goal": "1,000 resumes on 2 cores in under 10 s",
    }
    path = write_result("ingest_throughput", result)
    print(f"{args.n} resumes ({len(readable)} distinct) on {args.cores} cores, {args.workers} workers: "
          f"cold {cold:.2f} s, warm {warm:.2f} s ({args.n / warm:.0f}/s); CPU {warm_cpu:.1f} s "
          f"(= {warm_cpu / args.cores:.1f} s on {args.cores} idle cores); ok {ok2}, failed {failed2}. "
          f"Written to {path.relative_to(path.parents[2])}")


if __name__ == "__main__":
    main()

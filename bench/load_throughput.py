"""Requests per second and latency of the workbench server under 1, 5 and 20 simultaneous users.

    python bench/load_throughput.py [--users 1 5 20] [--timeout 600] [--concurrency 1]

Serves the workbench on loopback as ``python app.py`` does (the same queue), then for each crowd size
runs the load test's driver (fixtures/load.py): every user screens the sample resume against the
sample job and grades one answer, with the ``rules`` profile, each with its own words. Writes requests/s,
p50/p95 latency per endpoint (seconds from sending to the answer, queue wait included) and errors, plus
answers that reached the wrong user and store rows lost or doubled (goal 0 for both).
``--concurrency N`` serves N runs of each endpoint at once instead of app.py's one (written to
load_throughput_concurrency<N>.json), to see whether a higher limit would pay on this machine.
A private store under a temporary HIRELAB_HOME keeps the user's store untouched.
"""

from __future__ import annotations

import argparse
import os
import tempfile

from results_io import machine, write_result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed for one crowd size")
    parser.add_argument("--concurrency", type=int, default=1, help="runs of one endpoint at once (app.py: 1)")
    args = parser.parse_args()
    os.environ["HIRELAB_HOME"] = tempfile.mkdtemp(prefix="hirelab-bench-")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio

    from fixtures.load import mixups, run_users, served_workbench, store_problems, user_inputs

    levels = []
    with served_workbench(args.concurrency) as url:
        run_users(url, user_inputs(1), args.timeout)  # warm-up: the rules engine loads MiniLM on first use
        for users in args.users:
            inputs = user_inputs(users)
            run = run_users(url, inputs, args.timeout)
            level = {**run.summary(), "wrong_user": len(mixups(run, inputs)),
                     "store_problems": store_problems(run, inputs)}
            levels.append(level)
            ep = level["endpoints"]
            print(f"{users:>3} users: {level['requests_per_s']} req/s, connect p95 {ep['connect']['p95_s']} s, screen p50/p95 {ep['screen']['p50_s']}/"
                  f"{ep['screen']['p95_s']} s, grade p50/p95 {ep['grade']['p50_s']}/{ep['grade']['p95_s']} s, "
                  f"errors {level['errors']}, wrong user {level['wrong_user']}, store problems {len(level['store_problems'])}")
    name = "load_throughput" if args.concurrency == 1 else f"load_throughput_concurrency{args.concurrency}"
    out = write_result(name, {
        "profile": "rules", "queue": f"default_concurrency_limit={args.concurrency}"
                                      + (" (as app.py serves)" if args.concurrency == 1 else ""),
        "per_user": "one /screen (pasted sample resume vs sample job) then one /grade_one",
        "levels": levels,
    }, machine(gradio=gradio.__version__))
    print(out)


if __name__ == "__main__":
    main()

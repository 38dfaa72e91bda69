"""Offline planning time per question, next to the time to run the answer on DuckDB.

Goal: planning and compiling < 5 ms per question at the median. Every question of the visible
eval set is planned (question -> plan) and compiled (plan -> SQL) ``--repeat``
times after one warm-up; the baseline is running the compiled SQL on the sample.

    python benchmarks/bench_planner.py [--repeat 5] [--file tests/eval/dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--file", type=Path, default=ROOT / "tests" / "eval" / "dev.jsonl")
    args = parser.parse_args()

    from lgda_nb import Engine
    from lgda_nb.errors import LGDAError
    from lgda_nb.planner import compile_plan

    questions = [json.loads(line)["question"] for line in args.file.read_text().splitlines()]
    engine = Engine()
    planner, model = engine.planner, engine.model  # builds the value index once
    plan_ms: list[float] = []
    run_ms: list[float] = []
    for question in questions:
        try:
            planner.plan(question)
        except LGDAError:
            continue
        samples = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            plan = planner.plan(question)
            sql = compile_plan(plan, model)
            samples.append((time.perf_counter() - start) * 1000)
        plan_ms.append(statistics.median(samples))
        start = time.perf_counter()
        engine.run_sql(sql)
        run_ms.append((time.perf_counter() - start) * 1000)
    engine.close()

    plan_median, run_median = statistics.median(plan_ms), statistics.median(run_ms)
    print(f"{len(plan_ms)} questions, median of {args.repeat} plans each")
    print(f"  plan + compile (median)     {plan_median:7.2f} ms   (goal < 5 ms)")
    print(f"  plan + compile (p95)        {sorted(plan_ms)[int(0.95 * len(plan_ms))]:7.2f} ms")
    print(f"  run_sql of the answer       {run_median:7.2f} ms")
    print(f"  ratio planning / running    {plan_median / run_median:7.2f}x")


if __name__ == "__main__":
    main()

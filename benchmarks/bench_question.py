"""A question in ``%%lgda --no-cache`` beside raw DuckDB running the SQL it was answered with.

Issue 17's goal: a question costs at most 2x its own SQL's raw time on the default
sample. Each question is first asked once to learn the SQL the backend ran
(``Result.executed_sql``); then rounds interleave the whole question cell (planning,
compiling, the policy check, the query, the insight, the chart and every MIME type
formatted, as a kernel does) with raw DuckDB ``.df()`` on that SQL. The two sides read
two copies of one sample file. Prints the medians, the ratio and the difference.

The security validator remembers texts that passed, so from the second round on a
question's SQL is not parsed again; ``--fresh`` forgets them before each question (not
timed), which measures a question whose SQL was never seen before.

    python benchmarks/bench_question.py [--rounds 25] [--scale 0.1] [--fresh]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench_vs_peers import _sample, _shell

QUESTIONS = (
    "revenue by product category",
    "number of orders per month in 2024",
    "top 10 brands by revenue",
    "average order value by country",
    "how many users signed up per traffic source",
)
GOAL = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument(
        "--fresh", action="store_true", help="forget checked SQL before each question"
    )
    args = parser.parse_args()
    audit_dir = tempfile.TemporaryDirectory()
    os.environ["LGDA_SECURITY__AUDIT_FILE"] = str(Path(audit_dir.name) / "audit.jsonl")

    import duckdb

    from lgda_nb._config import set_config
    from lgda_nb.jupyter._magics import close_kernel_engine, kernel_engine

    ip = _shell()
    sample = _sample(args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        copies = {side: Path(shutil.copy(sample, Path(tmp) / f"{side}.duckdb")) for side in "rl"}
        direct = duckdb.connect(str(copies["r"]), read_only=True)
        close_kernel_engine()
        set_config(**{"duckdb.database": str(copies["l"])})
        ip.run_line_magic("load_ext", "lgda_nb")
        engine = kernel_engine()
        sqls = {q: engine.ask(q, use_cache=False).executed_sql for q in QUESTIONS}
        sides = {
            "raw": lambda q: direct.execute(sqls[q]).df(),
            "lgda": lambda q: ip.run_cell_magic("lgda", "--no-cache", q),
        }
        for question in QUESTIONS:  # warm both sides
            for cell in sides.values():
                cell(question)
        samples: dict[str, dict[str, list[float]]] = {q: {"raw": [], "lgda": []} for q in QUESTIONS}
        order = list(sides)
        for _ in range(args.rounds):
            order.reverse()  # alternate who goes first
            for question in QUESTIONS:
                for side in order:
                    if args.fresh and side == "lgda":
                        engine.validator.clear()
                    start = time.perf_counter()
                    sides[side](question)
                    samples[question][side].append((time.perf_counter() - start) * 1000)
        close_kernel_engine()
        direct.close()
    audit_dir.cleanup()
    fresh = ", checked SQL forgotten before each question" if args.fresh else ""
    print(
        f"scale {args.scale}, median ms of {args.rounds} interleaved rounds{fresh} "
        f"(goal <= {GOAL}x)"
    )
    print(f"  {'question':<44} {'raw SQL':>9} {'question':>9} {'ratio':>6} {'diff':>8}")
    ratios = []
    for question, by_side in samples.items():
        raw, ours = statistics.median(by_side["raw"]), statistics.median(by_side["lgda"])
        ratios.append(ours / raw)
        print(f"  {question:<44} {raw:7.2f}ms {ours:7.2f}ms {ours / raw:5.2f}x {ours - raw:6.2f}ms")
    print(f"  median ratio {statistics.median(ratios):.2f}x")


if __name__ == "__main__":
    main()

"""``%load_ext lgda_nb`` against a bare IPython start, as whole processes.

Goal: within 15% of bare IPython. Prints the medians and the ratio.

    python benchmarks/bench_load_ext.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

IPYTHON = str(Path(sys.executable).with_name("ipython"))


def _median_seconds(argv: list[str], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    base = [IPYTHON, "--quick", "--no-banner", "-c"]
    _median_seconds([*base, "pass"], 2)  # warm the OS file cache
    bare = _median_seconds([*base, "pass"], args.repeat)
    ours = _median_seconds([*base, "%load_ext lgda_nb"], args.repeat)
    print(f"IPython start, median of {args.repeat} runs")
    print(f"  bare ipython -c        {bare:6.3f} s")
    print(f"  with %load_ext lgda_nb {ours:6.3f} s")
    print(f"  ratio (goal <= 1.15x)  {ours / bare:6.2f}x")


if __name__ == "__main__":
    main()

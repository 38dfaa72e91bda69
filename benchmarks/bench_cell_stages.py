"""Where ``%%lgda --sql --no-cache`` spends its fixed time on a small query.

Runs the cell as ``bench_vs_peers.py`` does (a real IPython shell, every MIME type
formatted, the sample copied so DuckDB sees a file of its own), with a timer around
each step of the run path: the magic, the engine's stages, the policy check, the row
cap, the backend call and its worker thread, the PII check of the answer, the audit
records and the cell's display. Prints the median cell and raw DuckDB ``.df()`` time
and each step's mean microseconds per cell (steps nest: a step's time includes the
steps it calls). The timers add about 1 us each.

    python benchmarks/bench_cell_stages.py [--cells 1000] [--scale 0.1] [--sql "SELECT 1 AS one"]
    python benchmarks/bench_cell_stages.py --question "revenue by product category"

With ``--question`` the cell is ``%%lgda --no-cache`` on the question (planning,
compiling, the facts, the insight and the chart are timed as well), beside raw
DuckDB ``.df()`` on the SQL the question was answered with.

Run it with ``LGDA_OBSERVABILITY__LOG_LEVEL=warning`` as well to see what the log lines
of the default ``info`` level cost.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: (module, function or Class.method) timed in place.
STEPS = (
    ("IPython.core.interactiveshell", "InteractiveShell.run_cell_magic"),
    ("lgda_nb.jupyter._magics", "LGDAMagics._arguments"),
    ("lgda_nb.jupyter._magics", "kernel_engine"),
    ("lgda_nb.jupyter._magics", "LGDAMagics._run"),
    ("lgda_nb.jupyter._magics", "display"),
    ("lgda_nb.jupyter._display", "ResultMeta.bundle"),
    ("lgda_nb.engine._engine", "Engine.run_sql"),
    ("lgda_nb.engine._engine", "configure_logging"),
    ("lgda_nb.engine._engine", "Engine._audit_start"),
    ("lgda_nb.engine._engine", "Engine._run_stages"),
    ("lgda_nb.engine._engine", "Engine._audit"),
    ("lgda_nb.engine._engine", "Engine.known_tables"),
    ("lgda_nb.security._validator", "SecurityValidator.validate"),
    ("lgda_nb.engine._sql", "backend_sql"),
    ("lgda_nb.engine._execute", "_call_backend"),
    ("lgda_nb.backends._duckdb", "DuckDBBackend.execute"),
    ("lgda_nb.backends._duckdb", "_wait"),
    ("lgda_nb.backends._duckdb", "as_frame"),
    ("lgda_nb.engine._execute", "protect"),
    ("lgda_nb.security", "apply_policy"),
    ("lgda_nb.security._audit", "AuditLog.append"),
    ("lgda_nb._config", "remember_secrets"),
    ("lgda_nb.planner._offline", "OfflinePlanner.plan"),
    ("lgda_nb.engine._engine", "Engine.interpreted"),
    ("lgda_nb.planner", "compile_plan"),
    ("lgda_nb.insight", "analyze"),
    ("lgda_nb.insight", "chart_spec"),
    ("lgda_nb.insight", "insight_text"),
    ("lgda_nb.engine._analyze", "_follow_ups"),
    ("lgda_nb.engine._analyze", "_shape_of"),
    ("lgda_nb.engine._analyze", "_partial_periods"),
)


class Timers:
    """Nanoseconds and calls per step, for the cells run since ``clear``."""

    def __init__(self) -> None:
        self.total: defaultdict[str, int] = defaultdict(int)
        self.calls: defaultdict[str, int] = defaultdict(int)

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter_ns()
            try:
                return fn(*args, **kwargs)
            finally:
                self.total[label] += time.perf_counter_ns() - start
                self.calls[label] += 1

        return timed

    def install(self) -> None:
        """Time every step of ``STEPS`` and the engine's SQL stages."""
        for module_name, name in STEPS:
            owner: Any = importlib.import_module(module_name)
            attribute = name
            if "." in name:
                cls, attribute = name.split(".")
                owner = getattr(owner, cls)
            setattr(owner, attribute, self.wrap(name, getattr(owner, attribute)))
        from lgda_nb.engine import _engine

        _engine.SQL_STAGES = tuple(
            self.wrap(f"stage {stage.__name__}", stage) for stage in _engine.SQL_STAGES
        )
        _engine.ASK_STAGES = (
            tuple(self.wrap(f"stage {stage.__name__}", stage) for stage in _engine.ASK_STAGES[:2])
            + _engine.SQL_STAGES
        )

    def clear(self) -> None:
        self.total.clear()
        self.calls.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--sql", default="SELECT 1 AS one")
    parser.add_argument("--question", help="time a question cell instead of --sql")
    args = parser.parse_args()
    os.environ["LGDA_SECURITY__MAX_ROWS"] = "200000"  # as bench_vs_peers.py
    audit_dir = tempfile.TemporaryDirectory()
    os.environ["LGDA_SECURITY__AUDIT_FILE"] = str(Path(audit_dir.name) / "audit.jsonl")

    from bench_vs_peers import _cells, _sample, _shell

    timers = Timers()
    timers.install()
    ip = _shell()
    with tempfile.TemporaryDirectory() as tmp:
        cells = _cells(ip, _sample(args.scale), Path(tmp))
        if args.question:
            from lgda_nb.jupyter._magics import kernel_engine

            question = args.question
            args.sql = kernel_engine().ask(question, use_cache=False).executed_sql
            direct = cells["raw"]
            cells["lgda"] = lambda sql: ip.run_cell_magic("lgda", "--no-cache", question)
            cells["raw"] = lambda sql: direct(args.sql)
        for _ in range(100):  # warm: first-use imports, remembered checks, file cache
            cells["lgda"](args.sql)
            cells["raw"](args.sql)
        timers.clear()
        ours: list[float] = []
        raw: list[float] = []
        for _ in range(args.cells):
            for side, samples in (("lgda", ours), ("raw", raw)):
                start = time.perf_counter_ns()
                cells[side](args.sql)
                samples.append((time.perf_counter_ns() - start) / 1000)
        from lgda_nb.jupyter._magics import close_kernel_engine

        close_kernel_engine()
    audit_dir.cleanup()
    cell, direct = statistics.median(ours), statistics.median(raw)
    print(f"{args.question or args.sql!r} at scale {args.scale}, {args.cells} cells")
    print(
        f"  %%lgda cell {cell:8.0f} us (median)   raw .df() {direct:6.0f} us   "
        f"difference {cell - direct:6.0f} us"
    )
    print(f"  {'step (nested)':<40} {'us/cell':>8} {'calls/cell':>10}")
    for label in sorted(timers.total, key=lambda k: -timers.total[k]):
        per_cell = timers.total[label] / args.cells / 1000
        print(f"  {label:<40} {per_cell:8.1f} {timers.calls[label] / args.cells:10.0f}")


if __name__ == "__main__":
    main()

"""``%%lgda --sql --no-cache`` beside raw DuckDB and jupysql, in one IPython process.

Issue 17's table: raw DuckDB ``.df()``, jupysql on a native DuckDB connection (the
best peer) and ``%%lgda --sql --no-cache``, each cell run through a real IPython
``InteractiveShell`` with the extensions loaded, on a group-by aggregate, a 100k-row
select and a 1-row point query (plus ``SELECT 1`` for the fixed cost). Rounds are
interleaved and each round takes the next of every order of the sides, so every side
sees the same machine load and follows each other side as often. Goal: lgda <= 1.2x
raw on each query at scale 1.

Each side gets a DataFrame back and displays what it would in a notebook (every
MIME type formatted, as a kernel does; nothing printed). The cell's value itself is
not drawn unless ``--render``, which adds formatting it as a kernel does for ``Out``
(the table a notebook shows) to every side. The three sides read three
copies of one sample file, because DuckDB allows one configuration per file and
process. Samples are built once into the user cache (``lgda sample --scale S``).

    pip install -e '.[bench]'
    python benchmarks/bench_vs_peers.py [--rounds 25] [--scale 0.1 --scale 1] [--render]
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

QUERIES = {
    "group-by aggregate": (
        "SELECT p.category, COUNT(*) AS items, SUM(oi.sale_price) AS revenue "
        "FROM order_items AS oi JOIN products AS p ON p.id = oi.product_id "
        "GROUP BY p.category ORDER BY revenue DESC"
    ),
    "100k-row select": (
        "SELECT id, order_id, user_id, product_id, status, created_at, sale_price "
        "FROM order_items LIMIT 100000"
    ),
    "1-row point query": "SELECT * FROM users WHERE id = 42",
    "SELECT 1": "SELECT 1 AS one",
}
SIDES = ("raw", "jupysql", "lgda")


def _sample(scale: float) -> Path:
    """The sample at ``scale`` in the user cache, built on first use."""
    from lgda_nb._config import load_config
    from lgda_nb.backends._duckdb import default_sample_path
    from lgda_nb.sample import build_sample

    path = default_sample_path(load_config(**{"duckdb.sample_scale": scale}))
    if not path.exists():
        print(f"building the scale {scale} sample at {path} (once) ...", flush=True)
        build_sample(path, scale=scale)
    return path


def _shell() -> Any:
    from IPython.core.displaypub import DisplayPublisher
    from IPython.testing.globalipapp import start_ipython

    class _Discard(DisplayPublisher):  # type: ignore[misc]
        """Formats are computed (as a kernel would), nothing is printed."""

        def publish(self, data: Any, metadata: Any = None, **kwargs: Any) -> None:
            return None

    ip = start_ipython()
    ip.display_formatter.active_types = list(ip.display_formatter.format_types)
    ip.display_pub = _Discard(shell=ip)
    return ip


def _cells(ip: Any, sample: Path, tmp: Path) -> dict[str, Callable[[str], Any]]:
    """One callable per side, each taking SQL and returning a DataFrame."""
    import duckdb

    from lgda_nb._config import set_config
    from lgda_nb.jupyter._magics import close_kernel_engine

    copies = {side: Path(shutil.copy(sample, tmp / f"{side}.duckdb")) for side in SIDES}
    direct = duckdb.connect(str(copies["raw"]), read_only=True)

    ip.user_ns["jupysql_conn"] = duckdb.connect(str(copies["jupysql"]), read_only=True)
    if "sql" not in ip.extension_manager.loaded:
        ip.run_line_magic("load_ext", "sql")
    for option in ("autopandas = True", "displaylimit = 0", "feedback = 0"):
        ip.run_line_magic("config", f"SqlMagic.{option}")
    ip.run_line_magic("sql", "jupysql_conn --alias bench")

    close_kernel_engine()
    set_config(**{"duckdb.database": str(copies["lgda"])})
    if "lgda_nb" not in ip.extension_manager.loaded:
        ip.run_line_magic("load_ext", "lgda_nb")
    return {
        "raw": lambda sql: direct.execute(sql).df(),
        "jupysql": lambda sql: ip.run_cell_magic("sql", "", sql),
        "lgda": lambda sql: ip.run_cell_magic("lgda", "--sql --no-cache", sql),
    }


def _rendered(ip: Any, cells: dict[str, Callable[[str], Any]]) -> dict[str, Callable[[str], Any]]:
    """Each side's cell followed by what a kernel does with the cell's value (``Out``):
    every MIME type of it formatted."""
    return {
        side: lambda sql, c=cell: ip.display_formatter.format(c(sql))
        for side, cell in cells.items()
    }


def _measure(cells: dict[str, Callable[[str], Any]], rounds: int) -> dict[str, dict[str, float]]:
    samples: dict[str, dict[str, list[float]]] = {
        name: {side: [] for side in SIDES} for name in QUERIES
    }
    for sql in QUERIES.values():  # warm: file cache, first-use imports, connections
        for side in SIDES:
            cells[side](sql)
    # Every order of the sides in turn, not a rotation of one: rotating (a, b, c) keeps
    # c always right after b, and a side pays for what the one before it leaves behind
    # (its garbage, its DuckDB threads winding down, cold CPU caches).
    orders = itertools.cycle(itertools.permutations(SIDES))
    for _ in range(rounds):
        order = next(orders)
        for name, sql in QUERIES.items():
            for side in order:
                start = time.perf_counter()
                cells[side](sql)
                samples[name][side].append((time.perf_counter() - start) * 1000)
    return {
        name: {side: statistics.median(values) for side, values in by_side.items()}
        for name, by_side in samples.items()
    }


def _table(
    scale: float, rows: int, rounds: int, medians: dict[str, dict[str, float]], *, rendered: bool
) -> str:
    drawn = ", cell value drawn as Out" if rendered else ""
    lines = [
        f"scale {scale} ({rows:,} order items), median ms of {rounds} interleaved rounds{drawn}",
        f"  {'query':<20} {'raw .df()':>10} {'jupysql':>10} {'%%lgda':>10}"
        f" {'jupysql/raw':>12} {'lgda/raw':>9} {'lgda-raw':>9}",
    ]
    for name, by_side in medians.items():
        raw, peer, ours = by_side["raw"], by_side["jupysql"], by_side["lgda"]
        lines.append(
            f"  {name:<20} {raw:8.2f}ms {peer:8.2f}ms {ours:8.2f}ms"
            f" {peer / raw:11.2f}x {ours / raw:8.2f}x {ours - raw:7.2f}ms"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=30, help="30: every order of the sides 5 times"
    )
    parser.add_argument(
        "--scale", type=float, action="append", help="repeatable; default 0.1 and 1"
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help="also format each cell's value as a kernel does for Out (pandas' HTML table)",
    )
    parser.add_argument("--only", choices=list(QUERIES), action="append", help="repeatable")
    args = parser.parse_args()
    if args.only:
        for name in set(QUERIES) - set(args.only):
            del QUERIES[name]
    os.environ.setdefault("PLOOMBER_STATS_ENABLED", "false")  # jupysql's telemetry
    # Security settings come from the environment: a runtime change would be audited.
    os.environ["LGDA_SECURITY__MAX_ROWS"] = "200000"
    audit_dir = tempfile.TemporaryDirectory()
    os.environ["LGDA_SECURITY__AUDIT_FILE"] = str(Path(audit_dir.name) / "audit.jsonl")

    import duckdb
    import pandas as pd

    ip = _shell()
    tables = []
    for scale in args.scale or [0.1, 1.0]:
        sample = _sample(scale)
        with tempfile.TemporaryDirectory() as tmp:
            cells = _cells(ip, sample, Path(tmp))
            with duckdb.connect(str(sample), read_only=True) as con:
                rows = con.execute("SELECT COUNT(*) FROM order_items").fetchall()[0][0]
            for side, cell in cells.items():  # each side answers with a DataFrame
                answer = cell(QUERIES["SELECT 1"])
                assert isinstance(answer, pd.DataFrame), (side, type(answer))
            medians = _measure(_rendered(ip, cells) if args.render else cells, args.rounds)
            from lgda_nb.jupyter._magics import close_kernel_engine

            close_kernel_engine()
            ip.run_line_magic("sql", "--close bench")
            ip.user_ns.pop("jupysql_conn").close()
        tables.append(_table(scale, rows, args.rounds, medians, rendered=args.render))
        print(tables[-1], flush=True)
    audit_dir.cleanup()
    if len(tables) > 1:
        print("\n" + "\n\n".join(tables))


if __name__ == "__main__":
    main()

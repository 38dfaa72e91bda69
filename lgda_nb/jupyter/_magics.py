"""``%%lgda``, ``%lgda_config`` and ``%lgda_stats``: thin front-ends over the engine.

Only IPython is imported here; the engine (pandas, DuckDB, sqlglot) loads on the
first cell that needs it. Errors are raised, not printed, so the cell fails
(Run All and nbval stop) while IPython shows the error's compact
``_render_traceback_`` instead of a traceback.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError as IPythonUsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display

if TYPE_CHECKING:
    from lgda_nb.engine import Engine

_engine_lock = threading.Lock()
#: ``%%lgda`` option lines already parsed, and how many are kept.
_parsed_lines: dict[str, Any] = {}
_PARSED_LINES_KEPT = 64
_engine: Engine | None = None
_engine_version = -1


def kernel_engine() -> Engine:
    """The kernel's engine, rebuilt when the config changes (``%lgda_config``)."""
    global _engine, _engine_version
    from lgda_nb._config import config_version, get_config
    from lgda_nb.engine import Engine

    with _engine_lock:
        version = config_version()
        if _engine is None or version != _engine_version:
            connected = None
            if _engine is not None:
                connected = _engine._data  # connected tables outlive a config change
                _engine.close()
            _engine = Engine(get_config())
            _engine._data = connected
            _engine_version = version
        return _engine


def close_kernel_engine() -> None:
    """Close the kernel's engine (``%unload_ext``)."""
    global _engine
    with _engine_lock:
        if _engine is not None:
            _engine.close()
            _engine = None


def _usage_error(message: str, hint: str | None = None) -> Exception:
    from lgda_nb.errors import UsageError

    return UsageError(message, hint=hint)


def _debug_requested(args: Any) -> bool:
    if getattr(args, "debug", False):
        return True
    from lgda_nb._config import get_config

    return get_config().debug


@magics_class
class LGDAMagics(Magics):
    """Ask questions and run SQL from notebook cells."""

    @magic_arguments()
    @argument("--sql", action="store_true", help="The cell is BigQuery SQL, not a question.")
    @argument(
        "--explain", action="store_true", help="Show the plan and SQL without running anything."
    )
    @argument("--no-chart", action="store_true", help="Do not draw a chart.")
    @argument(
        "--dry-run", action="store_true", help="Show the warehouse's cost estimate; run nothing."
    )
    @argument("--to", metavar="VAR", help="Also store the result DataFrame in variable VAR.")
    @argument("--limit", type=int, metavar="N", help="Return at most N rows.")
    @argument("--no-cache", action="store_true", help="Do not use the in-kernel result cache.")
    @argument("--debug", action="store_true", help="Show tracebacks with errors.")
    @cell_magic
    def lgda(self, line: str, cell: str) -> Any:
        """Answer the question in the cell, or run its SQL with ``--sql``.

        Shows the answer table, a chart, a short insight and a collapsible block
        with the plan and the SQL that ran. The DataFrame is the cell's value (so
        ``_`` holds it) and, with ``--to VAR``, is stored in ``VAR``. On any
        failure the cell fails with a short message and a hint, and ``VAR`` keeps
        its old value.
        """
        try:
            args = self._arguments(line)
        except IPythonUsageError as exc:
            raise _usage_error(
                f"{exc}".replace("UsageError: ", "").strip() or "Unknown option.",
                hint="Options: --sql, --explain, --no-chart, --to VAR, --limit N, --no-cache, "
                "--debug (see %%lgda?).",
            ) from None
        try:
            return self._run(args, cell)
        except Exception as exc:
            from lgda_nb.errors import LGDAError

            if isinstance(exc, LGDAError):
                exc.show_traceback = _debug_requested(args)
                self._show_card(exc)
            raise

    def _arguments(self, line: str) -> Any:
        """The options of a ``%%lgda`` line, parsed once per distinct line: notebooks
        repeat a handful, and argparse costs about 50 us a cell. A copy each time, so a
        cell never sees what another changed."""
        parsed = _parsed_lines.get(line)
        if parsed is None:
            parsed = parse_argstring(self.lgda, line)
            if len(_parsed_lines) >= _PARSED_LINES_KEPT:
                _parsed_lines.clear()
            _parsed_lines[line] = parsed
        return copy.copy(parsed)

    def _show_card(self, error: Any) -> None:
        """In a notebook, the error as a compact card; the cell still fails after it."""
        formatter = self.shell.display_formatter if self.shell is not None else None
        if formatter is None or "text/html" not in formatter.active_types:
            return  # a terminal: the one-paragraph text is the card
        from lgda_nb.jupyter._display import error_html

        display({"text/html": error_html(error), "text/plain": error.as_text()}, raw=True)
        error.card_shown = True

    def _run(self, args: Any, cell: str) -> Any:
        if args.to is not None and not args.to.isidentifier():
            raise _usage_error(
                f"--to needs a Python variable name, not {args.to!r}.",
                hint="Use a name such as --to orders_by_status.",
            )
        if args.limit is not None and args.limit < 1:
            raise _usage_error(f"--limit needs a positive number of rows, not {args.limit}.")
        text = cell.strip()
        if not text:
            raise _usage_error(
                "The cell is empty: there is nothing to run.",
                hint="Write a question (or, with --sql, a SELECT statement) below the %%lgda line.",
            )
        from lgda_nb.jupyter._display import ExplainView, ResultMeta, chart_bundle, show_readable

        engine = kernel_engine()
        if args.dry_run:
            canonical, estimate = engine.dry_run(text, sql=args.sql)
            if estimate is None:
                note = f"The {engine.backend.name} backend runs locally; nothing is billed."
            else:
                note = (
                    f"Estimate: {estimate:,} bytes processed "
                    f"(about ${engine.dollars(estimate):,.4f}); nothing was run."
                )
            display(ExplainView(None, canonical, note=note))
            return None
        if args.explain:
            if args.sql:
                display(ExplainView(None, engine.check_sql(text)))
            else:
                display(ExplainView(*engine.explain(text)))
            return None
        use_cache = not args.no_cache
        with _job_progress() as on_progress:
            run = engine.run_sql if args.sql else engine.ask
            result = run(text, limit=args.limit, use_cache=use_cache, on_progress=on_progress)

        assert self.shell is not None
        if args.to:
            self.shell.user_ns[args.to] = result.df
        self.shell.user_ns["_lgda_result"] = result
        formatter = self.shell.display_formatter
        html = formatter is None or "text/html" in formatter.active_types
        display(ResultMeta(result).bundle(html=html), raw=True)
        if result.chart and not args.no_chart:
            display(chart_bundle(result.chart), raw=True)
        return show_readable(result)  # the same DataFrame, its table drawn for reading

    @line_magic
    def lgda_config(self, line: str) -> Any:
        """Show the effective config, or change it for this kernel: ``%lgda_config key=value``.

        Keys are dotted (``duckdb.timeout_seconds``) or env-style
        (``LGDA_DUCKDB__TIMEOUT_SECONDS``). Secrets are never shown.
        """
        from lgda_nb._config import describe_config, set_config
        from lgda_nb.jupyter._display import Table

        changes: dict[str, str] = {}
        for token in line.split():
            key, sep, value = token.partition("=")
            if not sep or not key:
                raise _usage_error(
                    f"{token!r} is not a key=value pair.",
                    hint="Write %lgda_config duckdb.timeout_seconds=30 (or no arguments to show).",
                )
            changes[key] = value
        if changes:
            set_config(**changes)
        rows = describe_config()
        if changes:
            wanted = {_normal_key(k) for k in changes}
            rows = [row for row in rows if row[0] in wanted]
        display(Table(["setting", "value", "source", "environment variable"], rows))

    @line_magic
    def lgda_connect(self, line: str) -> Any:
        """Connect DataFrames and files as read-only tables; without arguments, list them.

        ``%lgda_connect df_sales df_customers data/*.parquet events=logs/*.jsonl``: a
        variable holding a DataFrame (pandas, polars, Arrow) becomes a table named after
        it, without a ``df_`` prefix or ``_df`` suffix; anything else is a Parquet, CSV
        or JSON-lines file, folder or glob, one table per file of a glob, named from its
        stem; ``name=VALUE`` names the table. ``%lgda_connect --drop sales`` disconnects.
        """
        import shlex

        from lgda_nb.jupyter._display import Table

        engine = kernel_engine()
        try:
            tokens = shlex.split(line)
        except ValueError as exc:
            raise _usage_error(f"Cannot read the arguments: {exc}.") from None
        if tokens[:1] == ["--drop"]:
            engine.disconnect(*tokens[1:])
            tokens = []
        elif tokens:
            made = engine._add_sources(self._sources(tokens))
            rows = [list(row.values()) for row in made]
            return Table(["table", "source", "rows", "columns"], rows, title="connected")
        rows = [list(row.values()) for row in engine.connected()]
        return Table(["table", "source", "rows", "columns"], rows, title="connected tables")

    def _sources(self, tokens: list[str]) -> list[Any]:
        """The tables ``tokens`` name: variables holding DataFrames, paths, name=value."""
        from lgda_nb.engine._connect import sources_for

        assert self.shell is not None
        namespace = self.shell.user_ns
        paths: list[str] = []
        named: dict[str, Any] = {}
        origins: dict[str, str] = {}
        for token in tokens:
            name, sep, value = token.partition("=")
            if not sep:
                name, value = "", token
            if value.isidentifier() and value in namespace:
                table = name or _table_of(value)
                named[table], origins[table] = namespace[value], value
            elif name:
                named[name] = value
            else:
                paths.append(value)
        return sources_for(paths, named, origins=origins)

    @magic_arguments()
    @argument("action", choices=["init", "check"], help="Write a model file, or check one.")
    @argument("file", nargs="?", help="The model file to check.")
    @argument("--out", metavar="FILE", help="init: write here instead of showing the text.")
    @argument("--name", help="init: the model's name.")
    @argument("--force", action="store_true", help="init: overwrite --out if it exists.")
    @line_magic
    def lgda_model(self, line: str) -> Any:
        """Write or check a semantic model file for the kernel's data, connected tables
        included: ``%lgda_model init --out model.toml``, ``%lgda_model check model.toml``.
        Use a file with ``%lgda_config planner.model_file=model.toml``.
        """
        from pathlib import Path

        from lgda_nb.jupyter._display import Table
        from lgda_nb.planner._model_file import check_model, init_model

        usage = "Write %lgda_model init --out model.toml, or %lgda_model check model.toml."
        try:
            args = parse_argstring(self.lgda_model, line)
        except IPythonUsageError as exc:
            raise _usage_error(str(exc).strip() or "Unknown option.", hint=usage) from None
        engine = kernel_engine()
        if args.action == "check":
            if args.file is None or not Path(args.file).expanduser().is_file():
                raise _usage_error(f"{args.file or 'A model file'!r} does not exist.", hint=usage)
            problems = check_model(Path(args.file).expanduser(), engine)
            rows = [[problem.line or "", problem.message] for problem in problems]
            count = f"{len(problems) or 'no'} problem{'s' * (len(problems) != 1)}"
            return Table(["line", "problem"], rows, title=f"{args.file}: {count}")
        out = Path(args.out).expanduser() if args.out else None
        if out is not None and out.exists() and not args.force:
            raise _usage_error(
                f"{args.out!r} exists already.",
                hint="Add --force to overwrite it, or another --out.",
            )
        text, found = init_model(engine, name=args.name)
        if out is None:
            print(text, end="")
            return None
        out.write_text(text, encoding="utf-8")
        model = found.model
        print(
            f"Wrote {args.out}: {len(found.tables)} tables, {len(model.metrics)} metrics, "
            f"{len(model.dimensions)} dimensions, {len(model.joins)} joins, "
            f"{len(found.pii)} columns of personal data.\nEdit it, check it with "
            f"%lgda_model check {args.out}, and use it with "
            f"%lgda_config planner.model_file={args.out}"
        )
        return None

    @line_magic
    def lgda_audit(self, line: str) -> Any:
        """The latest audit records (``%lgda_audit 50`` for more): who ran what, and how."""
        from lgda_nb._config import get_config
        from lgda_nb.jupyter._display import Table
        from lgda_nb.security import AuditLog, audit_path

        text = line.strip() or "20"
        if not text.isdigit() or int(text) < 1:
            raise _usage_error(
                f"%lgda_audit takes a number of records, not {text!r}.",
                hint="Write %lgda_audit or %lgda_audit 50.",
            )
        path = audit_path(get_config().security.audit_file)
        records = AuditLog(path).calls(int(text))  # a call once: its end, or its start
        columns = ["ts", "user", "kind", "outcome", "rule", "rows", "duration_ms", "sql"]
        rows = [[_short(record.get(c)) for c in columns] for record in records]
        display(Table(columns, rows, title=f"lgda audit trail ({path})"))

    @line_magic
    def lgda_stats(self, line: str) -> Any:
        """Per-stage calls, errors and p50/p95 latency since the kernel started."""
        from lgda_nb._observability import get_metrics
        from lgda_nb.jupyter._display import Table

        rows = get_metrics().stage_table()
        columns = ["stage", "calls", "errors", "p50_ms", "p95_ms"]
        display(
            Table(columns, [[row[c] for c in columns] for row in rows], title="lgda stage stats")
        )
        engine = kernel_engine()
        breakers = [engine.breaker.snapshot(), *engine.llm_breaker_snapshots()]
        display(
            Table(list(breakers[0]), [list(b.values()) for b in breakers], title="circuit breakers")
        )
        counters = dict(get_metrics().counters)
        if counters:
            display(Table(["counter", "value"], sorted(counters.items()), title="counters"))

    @line_magic
    def lgda_cache(self, line: str) -> Any:
        """Cache entries, bytes, hit rate and evictions; ``%lgda_cache clear`` empties it."""
        from lgda_nb.jupyter._display import Table

        engine = kernel_engine()
        command = line.strip()
        if command not in {"", "clear"}:
            raise _usage_error(
                f"%lgda_cache takes no argument or 'clear', not {command!r}.",
                hint="Write %lgda_cache to see the cache, %lgda_cache clear to empty it.",
            )
        if command == "clear":
            engine.query_cache.clear()
            engine.plan_cache.clear()
        snapshot = engine.query_cache.snapshot()
        display(Table(list(snapshot), [list(snapshot.values())], title="lgda query cache"))


#: A running job's progress line appears only once it has taken this long.
PROGRESS_AFTER_SECONDS = 1.0


@contextlib.contextmanager
def _job_progress() -> Iterator[Callable[[dict[str, Any]], None]]:
    """While a warehouse job runs, a line with its state, time and bytes; gone when done.

    Yields the listener to hand to the call (``on_progress``); backends without jobs
    never call it.
    """
    from lgda_nb.jupyter._display import progress_line

    handle: Any = None

    def show(progress: dict[str, Any]) -> None:
        nonlocal handle
        bundle = {"text/plain": "", "text/html": ""}
        if not progress["final"]:
            bundle = progress_line(progress)
        if handle is None:
            if progress["final"] or progress["elapsed"] < PROGRESS_AFTER_SECONDS:
                return  # quick jobs finish without a flicker
            handle = display(bundle, raw=True, display_id=True)
        else:
            handle.update(bundle, raw=True)

    yield show


def _table_of(variable: str) -> str:
    """The table a DataFrame variable becomes: ``df_sales`` and ``sales_df`` are ``sales``."""
    for affix in ("df_", "_df"):
        stripped = variable.removeprefix(affix) if affix == "df_" else variable.removesuffix(affix)
        if stripped != variable and stripped.isidentifier():
            return stripped
    return variable


def _short(value: Any, width: int = 80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _normal_key(key: str) -> str:
    from lgda_nb._config import normalize_key

    return normalize_key(key)

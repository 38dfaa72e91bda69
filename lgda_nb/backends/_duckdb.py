"""The embedded backend: DuckDB, read-only, with no way out to files or URLs.

The database is opened read-only with external access disabled, extension
autoloading off and the configuration locked afterwards, so nothing that runs
through it (even SQL that slipped past the validator) can read or write a file,
reach a URL, attach another database or change those settings back.
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import re
import select
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lgda_nb.backends import CallContext
from lgda_nb.errors import (
    ConfigError,
    ExecutionError,
    LGDAError,
    QueryCancelledError,
    QueryTimeoutError,
    SampleDataError,
    SecurityError,
    SQLError,
    SQLSyntaxError,
    TransientBackendError,
    UnknownColumnError,
    UnknownTableError,
)

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb._config import UnifiedConfig
    from lgda_nb.engine._connect import ConnectedData

__all__ = ["DuckDBBackend", "default_sample_path", "map_duckdb_errors"]

_MISSING_COLUMN = re.compile(r'column "?([^"\s]+)"? not found', re.IGNORECASE)
_MISSING_TABLE = re.compile(r'Table with name "?([^"\s]+?)"? does not exist', re.IGNORECASE)


def default_sample_path(config: UnifiedConfig) -> Path:
    """Where the generated sample lives: one file per (scale, seed, generator version)."""
    from lgda_nb.sample import GENERATOR_VERSION

    settings = config.duckdb
    if settings.sample_dir is not None:
        directory = settings.sample_dir.expanduser()
    else:
        import platformdirs

        directory = platformdirs.user_cache_path("lgda_nb", appauthor=False)
    name = f"thelook_s{settings.sample_scale:g}_seed{settings.sample_seed}_v{GENERATOR_VERSION}"
    return directory / f"{name}.duckdb"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return re.sub(r"^[A-Za-z ]+ Error: ", "", text)


#: The lines of a DuckDB error that point into the query: ``LINE 1: ...`` and its caret.
_QUERY_LINE = re.compile(r"^LINE \d+: .*\n[ ^]*$", re.M)
#: ``security.guard_generated``'s refusal, exactly (a query's own ERROR() text is not one).
_GUARD_TEXT = re.compile(
    r"Refused by the shape rule: [A-Z_/]+ would generate more than [\d,]+ elements\."
)


def _data_free(exc: BaseException, error: type[LGDAError], sql: str | None) -> LGDAError:
    """``error`` saying what went wrong while the query ran, without the values the
    driver quoted (see ``_data_free.py``); the driver's exception, which stays the cause,
    is reduced the same way so a traceback shows no value either."""
    from lgda_nb.backends._data_free import driver_kind, reduce_error

    text = str(exc).strip()
    kind, _ = driver_kind(text)
    reduced = reduce_error(_first_line(exc), sql=sql, kind=kind)
    where = "\n".join(match.group(0) for match in _QUERY_LINE.finditer(text))
    detail = f"{kind or type(exc).__name__}: {reduced.message}" + (f"\n{where}" if where else "")
    with contextlib.suppress(Exception):  # a driver exception that will not take new args
        exc.args = (detail,)
    return error(reduced.message, hint=reduced.hint, detail=detail)


@contextlib.contextmanager
def map_duckdb_errors(  # noqa: PLR0912 - one branch per driver error family
    *, sql: str | None = None
) -> Iterator[None]:
    """Translate every duckdb exception into the LGDAError tree (``raise ... from``).

    ``sql`` is given while a query runs: errors raised then are reduced to their kind,
    position and names, since they can quote values from the rows; names in the query
    (unknown columns, syntax) are kept whole.
    """
    import duckdb

    try:
        with _engine_faults():  # before any clause below can read them as the SQL's fault
            yield
    except LGDAError:
        raise
    except duckdb.InterruptException as exc:  # a timeout is told apart by the caller
        raise _interrupted(exc) from exc
    except duckdb.ParserException as exc:
        raise SQLSyntaxError(
            f"The SQL does not parse: {_first_line(exc)}", detail=str(exc)
        ) from exc
    except duckdb.PermissionException as exc:
        raise SecurityError(
            "The embedded database refused to touch files or URLs.", detail=str(exc)
        ) from exc
    except duckdb.CatalogException as exc:
        table = _MISSING_TABLE.search(str(exc))
        if table:
            raise UnknownTableError(
                f"Table {table.group(1)!r} does not exist.", name=table.group(1), detail=str(exc)
            ) from exc
        raise SQLError(_first_line(exc), detail=str(exc)) from exc
    except duckdb.BinderException as exc:
        column = _MISSING_COLUMN.search(str(exc))
        if column:
            raise UnknownColumnError(
                f"Column {column.group(1)!r} does not exist.", name=column.group(1), detail=str(exc)
            ) from exc
        raise SQLError(_first_line(exc), detail=str(exc)) from exc
    except duckdb.InvalidInputException as exc:
        text = _first_line(exc)
        # The validator's run-time bound on a generator: its exact text, written in the
        # query (not an ERROR() of the query's own that starts the same way).
        if _GUARD_TEXT.fullmatch(text) and (sql is None or f"'{text}'" in sql):
            error = SecurityError(text, hint="Generate a smaller range.", detail=text)
            error.rule = "shape"
            raise error from exc
        raise _data_free(exc, SQLError, sql) from exc
    except (
        duckdb.ConversionException,
        duckdb.OutOfRangeException,
        duckdb.NotImplementedException,
        duckdb.DataError,
    ) as exc:
        raise _data_free(exc, SQLError, sql) from exc
    except duckdb.Error as exc:
        if sql is not None:  # while a query runs, any other error may quote a value too
            raise _data_free(exc, ExecutionError, sql) from exc
        raise ExecutionError(_first_line(exc), detail=str(exc)) from exc


#: Damage found in the database file while reading it (DuckDB raises its base Error).
_CORRUPT = "Corrupt database file"


def engine_fault(exc: BaseException) -> LGDAError | None:  # noqa: PLR0911 - one per fault
    """The LGDAError for a fault of DuckDB itself, or None when the query may be at fault.

    Memory, spill space, files, a closed connection and internal errors are the
    engine's or the machine's, whatever the query: their hints are about those, never
    about the SQL. Only a closed connection is retryable (the retry gets a fresh one);
    the rest would fail the same way again. Their texts quote sizes and file paths,
    never row values. An interrupt is not here: the timeout decides what it was.
    """
    import duckdb

    said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, duckdb.OutOfMemoryException):
        if "max_temp_directory_size" in str(exc):
            return ExecutionError(
                "The query needs more memory than DuckDB may use, and more disk to spill "
                "to than it may take.",
                hint="Aggregate or filter more, or raise LGDA_DUCKDB__MAX_TEMP_DIRECTORY_SIZE "
                "(or LGDA_DUCKDB__MEMORY_LIMIT).",
                detail=said,
            )
        return ExecutionError(
            "The query needs more memory than DuckDB may use.",
            hint="Aggregate or filter more, or raise LGDA_DUCKDB__MEMORY_LIMIT.",
            detail=said,
        )
    if isinstance(exc, duckdb.ConnectionException):
        return TransientBackendError(
            "The connection to the DuckDB database was closed.",
            hint="Run it again: the next query opens a fresh connection.",
            detail=said,
        )
    # (not a query's own ERROR() or a value it failed to convert that says the same)
    if _CORRUPT in str(exc) and not isinstance(exc, duckdb.ProgrammingError | duckdb.DataError):
        return ExecutionError(
            "The database file is damaged: DuckDB read a block that does not match its checksum.",
            hint="Restore or rebuild the file (`lgda sample` rebuilds the built-in sample), "
            "then run it again.",
            detail=said,
        )
    if isinstance(exc, duckdb.IOException):
        if "No space left" in str(exc):
            return ExecutionError(
                "The disk DuckDB writes its temporary files to is full.",
                hint="Free disk space beside the database file (DuckDB spills to "
                "<database>.tmp), or aggregate or filter more.",
                detail=said,
            )
        return ExecutionError(
            "DuckDB could not read or write a file it needs: the database file or its "
            "temporary spill directory.",
            hint="Check that the database file is still in place and readable, and that "
            "DuckDB may create <database>.tmp beside it; then run it again.",
            detail=said,
        )
    # After an internal error DuckDB refuses every query on the file with a FatalException
    # ("database has been invalidated") until it is re-opened.
    if isinstance(exc, duckdb.InternalError | duckdb.FatalException):
        return ExecutionError(
            "DuckDB failed inside the engine (an internal error), not because of the SQL.",
            hint="Run it again: the database is re-opened on the next call. If the same "
            "query fails again, it meets a DuckDB bug: write it another way, or restart "
            "the kernel.",
            detail=said,
        )
    if isinstance(exc, duckdb.OperationalError):
        return ExecutionError(
            "DuckDB could not run the query for a reason of its own, not the SQL's.",
            hint="Run it again; if it keeps failing, restart the kernel.",
            detail=said,
        )
    return None


def _broken(exc: BaseException) -> bool:
    """Whether the connection that raised ``exc`` can never run a query again."""
    import duckdb

    return isinstance(
        exc, duckdb.ConnectionException | duckdb.InternalError | duckdb.FatalException
    )


@contextlib.contextmanager
def _engine_faults() -> Iterator[None]:
    """``engine_fault``'s errors raised as such; any other driver error goes on as it was."""
    import duckdb

    try:
        yield
    except duckdb.InterruptException:
        raise
    except duckdb.Error as exc:
        error = engine_fault(exc)
        if error is None:
            raise
        raise error from exc


def _interrupted(exc: BaseException) -> QueryCancelledError:
    """DuckDB stopped the query at a request from outside this call and its timeout."""
    return QueryCancelledError(
        "The query was interrupted before it finished.",
        hint="Nothing was found wrong with the query; run it again.",
        detail=str(exc).strip().splitlines()[0] if str(exc).strip() else None,
    )


class DuckDBBackend:
    """Runs DuckDB-dialect SQL against the sample or a user's DuckDB file."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, config: UnifiedConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._con: Any = None
        self._tables: dict[str, dict[str, str]] | None = None
        self._running: CallContext | None = None
        self.path = self._resolve_path()
        self._executor: _Worker | None = None
        #: Inode, size and modification time of the file the connection opened.
        self._opened: tuple[int, int, int] = (0, 0, 0)
        #: DataFrames and files connected as tables, registered on every connection.
        self.connected: ConnectedData | None = None
        #: The connection's TimeZone setting: the zone of its TIMESTAMPTZ columns.
        self._timezone = "UTC"

    def _resolve_path(self) -> Path:
        configured = self._config.duckdb.database
        if configured is None:
            return default_sample_path(self._config)
        path = configured.expanduser()
        if not path.is_file():
            raise ConfigError(
                f"LGDA_DUCKDB__DATABASE={str(configured)!r} does not exist or is not a file.",
                hint="Point LGDA_DUCKDB__DATABASE at an existing DuckDB file, or unset it "
                "to use the built-in thelook sample.",
            )
        return path

    def _connect(self) -> Any:
        """The open connection; re-opened when the database file was replaced or changed.

        Called with ``self._lock`` held. DuckDB shares one database instance per file in
        a process, so every idle connection to the file is closed before re-opening; if
        another is busy, this one stays on the old file for now, and ``identity`` still
        names the file it reads, so a cache key never mixes the two.
        """
        unchanged = self._con is not None and _signature(self.path) == self._opened
        if self._con is not None and (unchanged or not self._close_all_for_reopen()):
            return self._con
        import duckdb

        if self._config.duckdb.database is None and not self.path.exists():
            self._build_sample()
        opened = _signature(self.path)  # before opening: a later change is seen next call
        options: dict[str, Any] = {
            "enable_external_access": False,
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
        }
        if self._config.duckdb.threads:
            options["threads"] = self._config.duckdb.threads
        if self._config.duckdb.memory_limit:
            options["memory_limit"] = self._config.duckdb.memory_limit
        if self._config.duckdb.max_temp_directory_size:
            options["max_temp_directory_size"] = self._config.duckdb.max_temp_directory_size
        try:
            con = duckdb.connect(str(self.path), read_only=True, config=options)
        except duckdb.Error as exc:
            raise ConfigError(
                f"Cannot open {str(self.path)!r} as a DuckDB database: {_first_line(exc)}",
                hint="Check that LGDA_DUCKDB__DATABASE names a readable DuckDB file "
                "(not CSV or Parquet), or unset it to use the thelook sample.",
                detail=str(exc),
            ) from exc
        # DuckDB shares one database instance per file and process: a second engine on
        # the same file finds the settings already made and the configuration locked.
        with map_duckdb_errors():
            timezone, locked = con.execute(
                "SELECT current_setting('TimeZone'), current_setting('lock_configuration')"
            ).fetchall()[0]
            if not locked:
                if timezone != "UTC":
                    con.execute("SET TimeZone = 'UTC'")
                    timezone = "UTC"
                con.execute("SET lock_configuration = true")
        if self.connected is not None:
            with map_duckdb_errors():
                self.connected.register(con)
        self._con = con
        self._timezone = timezone
        self._opened = opened
        _OPEN.add(self)
        return con

    def attach_connected(self, connected: ConnectedData, *, dropped: tuple[str, ...] = ()) -> None:
        """Register ``connected`` on the open connection (and every later one), after
        unregistering ``dropped`` names; the table list is read again."""
        with self._lock, map_duckdb_errors():
            self.connected = connected
            if self._con is not None:
                connected.register(self._con, dropped=dropped)
            self._tables = None

    def _close_all_for_reopen(self) -> bool:
        """Close this process's idle connections to the file; False if one is busy."""
        others = [b for b in list(_OPEN) if b is not self and b._con is not None]
        for other in others:
            if other.path.resolve() != self.path.resolve():
                continue
            if not other._lock.acquire(blocking=False):
                return False  # running a query: try again on the next call
            try:
                other._drop()
            finally:
                other._lock.release()
        self._drop()
        return True

    def _drop(self) -> None:
        if self._con is not None:
            self._con.close()
        self._con = None
        self._tables = None

    def _build_sample(self) -> None:
        from lgda_nb.sample import build_sample

        settings = self._config.duckdb
        try:
            build_sample(self.path, scale=settings.sample_scale, seed=settings.sample_seed)
        except (OSError, ValueError) as exc:
            raise SampleDataError(
                f"Could not build the thelook sample at {str(self.path)!r}.",
                hint="Check that the directory is writable, or set LGDA_DUCKDB__SAMPLE_DIR.",
                detail=str(exc),
            ) from exc

    def identity(self) -> str:
        """Which data answers come from: the file and when it last changed (cache keys).

        Opens the database first (building the sample if it is missing), so the first
        answer is keyed by the same file time as the ones after it.
        """
        with self._lock, map_duckdb_errors():
            self._connect()
            opened = self._opened
        own = f"duckdb:{self.path.resolve()}:{':'.join(str(part) for part in opened)}"
        return f"{own}|{self.connected.version()}" if self.connected else own

    def tables(self) -> dict[str, dict[str, str]]:
        if self._tables is None:
            with self._lock, map_duckdb_errors():
                con = self._connect()
                try:
                    rows = con.execute(
                        "SELECT table_name, column_name, data_type "
                        "FROM information_schema.columns "
                        "WHERE table_schema = 'main' "
                        "ORDER BY table_name, ordinal_position"
                    ).fetchall()
                except Exception as exc:
                    self._forget_if_broken(con, exc)
                    raise
            tables: dict[str, dict[str, str]] = {}
            for table, column, dtype in rows:
                tables.setdefault(table, {})[column] = dtype
            self._tables = tables
        return self._tables

    def execute(self, sql: str, call: CallContext | None = None) -> pd.DataFrame:
        """Run ``sql`` with a deadline, stoppable by a kernel interrupt or a cancel.

        Past ``duckdb.timeout_seconds`` the query is interrupted and
        ``QueryTimeoutError`` raised; a kernel interrupt (SIGINT, or
        ``_thread.interrupt_main``) or a cancel of ``call`` interrupts it too and
        raises ``QueryCancelledError``, leaving the connection ready for the next
        query. On the main thread of a POSIX process (where a notebook's cells run)
        the query runs on the calling thread, watched by one long-lived watchdog
        thread that sees the interrupt through the signal wake-up file descriptor;
        elsewhere it runs on a worker thread the caller can always walk away from.
        """
        timeout = self._config.duckdb.timeout_seconds
        call = call or CallContext(call_id="")
        if call.cancelled.is_set():
            raise QueryCancelledError("The query was cancelled.")
        with self._lock:
            con = self._connect()
            deadline = time.monotonic() + timeout  # the query's own time, not the wait
            self._running = call
            try:
                outcome = None
                if _WATCHABLE and threading.current_thread() is threading.main_thread():
                    outcome = _run_watched(con, sql, self._timezone, call, deadline)
                if outcome is None:  # off the main thread, or no wake-up descriptor here
                    outcome = self._run_on_worker(con, sql, call, deadline)
            finally:
                self._running = None
            if outcome.why == "signal":
                raise QueryCancelledError(
                    "The query was cancelled.", hint="Run the cell again when you are ready."
                ) from None
            if call.cancelled.is_set():
                raise QueryCancelledError("The query was cancelled.")
            if outcome.why == "timeout":
                raise QueryTimeoutError(
                    f"The query ran past its timeout of {timeout:g} s and was stopped.",
                    hint="Narrow the query (filters, LIMIT) or raise LGDA_DUCKDB__TIMEOUT_SECONDS.",
                )
            if outcome.error is not None:
                self._forget_if_broken(con, outcome.error)
                with map_duckdb_errors(sql=sql):
                    raise outcome.error
        return cast("pd.DataFrame", outcome.frame)

    def _run_on_worker(self, con: Any, sql: str, call: CallContext, deadline: float) -> _Outcome:
        """Run the query on this backend's worker thread and wait for it with the
        deadline; a query the interrupt does not stop is left to the worker."""
        timezone = self._timezone
        outcome = _Outcome()
        done = _Done()
        abandoned = threading.Event()

        def work() -> None:
            try:
                outcome.frame = as_frame(con.execute(sql), timezone)
            except BaseException as exc:  # handed to the caller below
                outcome.error = exc
            finally:
                done.set()
                if abandoned.is_set():  # the caller moved on to a fresh connection
                    with contextlib.suppress(Exception):
                        con.close()

        self._worker().submit(work)
        try:
            if _wait(con, done, call, deadline):
                outcome.why = "timeout"
        except KeyboardInterrupt:
            con.interrupt()
            done.wait(5.0)
            outcome.why = "signal"
        self._abandon_if_stuck(con, done, abandoned)
        return outcome

    def _forget_if_broken(self, con: Any, error: BaseException) -> None:
        """A closed or invalidated connection is never handed out again: the next call
        opens a fresh one. After an internal error DuckDB invalidates the whole database
        instance, which every connection to the file in this process shares, so the
        idle ones are closed too. Called with ``self._lock`` held."""
        if self._con is not con or not _broken(error):
            return
        import duckdb

        if isinstance(error, duckdb.ConnectionException) or not self._close_all_for_reopen():
            with contextlib.suppress(Exception):
                self._drop()

    def _abandon_if_stuck(self, con: Any, done: _Done, abandoned: threading.Event) -> None:
        """A query the interrupt did not stop keeps its connection busy: leave that
        connection to the worker, which closes it when the query returns, so the next
        call opens a fresh one instead of failing on a busy connection."""
        if done.is_set() or self._con is not con:
            return
        abandoned.set()
        self._con = None
        self._tables = None
        if self._executor is not None:  # its one thread is busy: the next query gets a new one
            self._executor.stop()
            self._executor = None
        import structlog

        structlog.get_logger("lgda_nb.duckdb").warning(
            "duckdb_connection_abandoned", reason="the query did not stop on interrupt"
        )

    def _worker(self) -> _Worker:
        """The one long-lived thread that runs this backend's queries.

        A new thread per query costs memory as well as time: glibc gives each new
        thread its own malloc arena, so a kernel that ran many queries held far more
        memory than DuckDB itself needed.
        """
        if self._executor is None:
            self._executor = _Worker()
        return self._executor

    def cancel(self) -> None:
        """Cancel the query running now, whoever started it (``Engine.cancel`` cancels
        one call through its ``CallContext`` instead)."""
        running = self._running
        if running is not None:
            running.cancelled.set()

    def close(self) -> None:
        with self._lock:
            self._drop()
            _OPEN.discard(self)
            if self._executor is not None:
                self._executor.stop()
                self._executor = None


def _wait(con: Any, done: _Done, call: CallContext, deadline: float) -> bool:
    """Wait for the query; interrupt it when the call is cancelled or the deadline
    passes. True if it ran out of time."""
    while not done.wait(max(0.0, min(0.25, deadline - time.monotonic()))):
        late = time.monotonic() >= deadline
        if late or call.cancelled.is_set():  # a Cancel of this call, from another thread
            con.interrupt()
            done.wait(1.0)
            return late
    return False


class _Outcome:
    """What one query came to: its frame, the error it raised, and why it was stopped
    (``"signal"`` for a kernel interrupt, ``"timeout"``, ``"cancel"``), if it was."""

    __slots__ = ("error", "frame", "why")

    def __init__(self) -> None:
        self.frame: pd.DataFrame | None = None
        self.error: BaseException | None = None
        self.why: str | None = None


#: Whether a query may run on the calling main thread, watched through the signal
#: wake-up file descriptor (a non-blocking pipe, which needs POSIX).
_WATCHABLE = os.name == "posix"


def _run_watched(
    con: Any, sql: str, timezone: str, call: CallContext, deadline: float
) -> _Outcome | None:
    """Run the query on the calling (main) thread while the watchdog interrupts it at
    the deadline, on a cancel of ``call`` or on a kernel interrupt.

    This saves the hand-over to a worker thread and back on every query. A kernel
    interrupt raises ``KeyboardInterrupt`` here once DuckDB returns; it is read as a
    cancel, whether it comes while the query runs or just after. None, with nothing run,
    where the wake-up descriptor cannot be set (the caller runs it on the worker).
    """
    outcome = _Outcome()
    watchdog = _Watchdog.get()
    try:
        with watchdog.watching(con, call, deadline) as watch:
            try:
                outcome.frame = as_frame(con.execute(sql), timezone)
            except Exception as exc:  # handed to the caller
                outcome.error = exc
        outcome.why = watch.why
    except KeyboardInterrupt:
        outcome.why = "signal"
    except ValueError:  # set_wakeup_fd refused before the query ran
        return None
    return outcome


class _Watch:
    """One watched query: its connection, call and deadline, the wake-up descriptor it
    displaced, and why the watchdog interrupted it (``None`` while it has not)."""

    __slots__ = ("call", "con", "deadline", "previous", "why")

    def __init__(self, con: Any, call: CallContext, deadline: float, previous: int) -> None:
        self.con = con
        self.call = call
        self.deadline = deadline
        self.previous = previous
        self.why: str | None = None


class _Watchdog:
    """One daemon thread per process that interrupts the query running on the main
    thread when its deadline passes, its call is cancelled or SIGINT arrives.

    A query running in DuckDB holds the main thread in C++, so Python's SIGINT handler
    only runs after the query returns, and a long query would not stop. While a query
    is watched, the signal wake-up descriptor is this watchdog's pipe: the interpreter
    writes a byte to it when any signal arrives, the watchdog interrupts the query and
    passes the byte on to the descriptor it displaced (an event loop's, if any).
    """

    _instance: _Watchdog | None = None
    _made = threading.Lock()

    @classmethod
    def get(cls) -> _Watchdog:
        with cls._made:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)
        self._lock = threading.Lock()
        self._watch: _Watch | None = None
        #: The descriptor the last watched query displaced, set back when it ended.
        self._displaced = -1
        self._armed = threading.Event()
        threading.Thread(target=self._run, name="lgda-duckdb-watch", daemon=True).start()

    @contextlib.contextmanager
    def watching(self, con: Any, call: CallContext, deadline: float) -> Iterator[_Watch]:
        """Watch the query run inside the block (main thread only)."""
        import signal

        previous = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        if previous == self._write:  # a restore cut short by a second SIGINT: the one before
            previous = self._displaced
        self._displaced = previous
        watch = _Watch(con, call, deadline, previous)
        self._pass_on(previous)  # bytes left from before belong to the displaced descriptor
        with self._lock:
            self._watch = watch
            self._armed.set()
        try:
            yield watch
        finally:
            with self._lock:
                self._watch = None
                self._armed.clear()
            with contextlib.suppress(ValueError):  # it may have been closed meanwhile
                signal.set_wakeup_fd(previous)

    def _run(self) -> None:
        while True:
            self._armed.wait()
            watch = self._watch
            if watch is None:  # between a query's end and the flag's clearing
                time.sleep(0.001)
                continue
            if watch.why is None:
                wait = min(0.25, max(0.0, watch.deadline - time.monotonic()))
            else:  # interrupted already: wait for the query to return
                wait = 0.25
            readable, _, _ = select.select([self._read], [], [], wait)
            signalled = bool(readable) and self._pass_on(watch.previous)
            with self._lock:
                if self._watch is not watch or watch.why is not None:
                    continue
                if signalled:
                    watch.why = "signal"
                elif time.monotonic() >= watch.deadline:
                    watch.why = "timeout"
                elif watch.call.cancelled.is_set():  # a Cancel of this call, from another thread
                    watch.why = "cancel"
                else:
                    continue
                with contextlib.suppress(Exception):
                    watch.con.interrupt()

    def _pass_on(self, previous: int) -> bool:
        """Empty the pipe, writing what it held to ``previous`` (if any); whether it
        held anything."""
        try:
            data = os.read(self._read, 512)
        except BlockingIOError:
            return False
        if previous != -1:
            with contextlib.suppress(OSError):
                os.write(previous, data)
        return bool(data)


class _Done:
    """Set once by the worker when its query ends; waited for by the caller.

    An ``Event`` wakes its waiter through a condition whose lock the setter still
    holds, so the caller can wake only to block again; a bare lock, released once,
    hands over with one wake-up (about 0.1 ms less per query on a busy machine).
    Only the caller waits, only the worker sets.
    """

    __slots__ = ("_lock",)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lock.acquire()

    def set(self) -> None:
        """Mark the query ended (called once)."""
        self._lock.release()

    def is_set(self) -> bool:
        return not self._lock.locked()

    def wait(self, timeout: float) -> bool:
        """Whether the query ended within ``timeout`` seconds (at once if it had)."""
        if self._lock.acquire(timeout=max(0.0, timeout)):
            self._lock.release()  # stays set for whoever asks next
            return True
        return False


class _Worker:
    """One daemon thread running submitted calls in order. A daemon, unlike the
    standard executors' threads, so a query that never returns cannot hold up the
    interpreter's exit."""

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="lgda-duckdb", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (call := self._calls.get()) is not None:
            call()  # the call hands its own result and errors back

    def submit(self, call: Callable[[], None]) -> None:
        self._calls.put(call)

    def stop(self) -> None:
        """End the thread after the call it is running, if any. An idle thread is waited
        for (briefly), so none is left to the interpreter's exit; a query that never
        returns is not."""
        self._calls.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=1.0)


#: Backends with an open connection, to close them all when their file is replaced.
_OPEN: weakref.WeakSet[DuckDBBackend] = weakref.WeakSet()


def _signature(path: Path) -> tuple[int, int, int]:
    """What changes when a file is replaced or rewritten: inode, size, mtime in ns."""
    try:
        stat = path.stat()
    except OSError:
        return (0, 0, 0)
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


#: Result types read as NumPy arrays (``fetchnumpy``) and made into the DataFrame that
#: ``.df()`` would give; any other type in a result (TIME, BLOB, UUID, ENUM, lists,
#: structs, maps) goes through ``.df()`` itself.
_NUMPY_TYPES = frozenset(
    {
        "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT",
        "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT",
        "DOUBLE", "FLOAT", "VARCHAR", "BOOLEAN", "DATE", "TIMESTAMP",
        "TIMESTAMP WITH TIME ZONE", "INTERVAL",
    }
)  # fmt: skip


def as_frame(cursor: Any, timezone: str) -> pd.DataFrame:
    """The result of ``cursor`` as the DataFrame DuckDB's ``.df()`` gives, with counts
    kept integers (``_integers_as_integers``).

    ``.df()`` costs about 1 ms of fixed time per result whatever its size (1.5 ms
    for ``SELECT 1`` against 0.3 ms to fetch it), more than half of the toolkit's own
    overhead on a small query. Results of everyday types are fetched as NumPy arrays
    instead and framed without a copy: the same columns, dtypes and values (NULLs as
    ``.df()`` has them: nullable integers and booleans, NaN, NaT) and a TIMESTAMPTZ
    in the connection's ``timezone``; a test compares both on every type.
    """
    import pandas as pd

    description = cursor.description or ()
    types = [str(column[1]) for column in description]
    if not all(kind in _NUMPY_TYPES or kind.startswith("DECIMAL(") for kind in types):
        return _integers_as_integers(cursor.df(), types)
    import numpy as np

    arrays = cursor.fetchnumpy()  # keyed by the names .df() gives (a, a_1)
    columns: dict[str, Any] = {}
    for (name, fetched), kind in zip(arrays.items(), types, strict=True):
        values = _unmasked(fetched) if isinstance(fetched, np.ma.MaskedArray) else fetched
        if kind == "TIMESTAMP WITH TIME ZONE":  # fetched as UTC wall time
            values = pd.DatetimeIndex(values).tz_localize("UTC").tz_convert(timezone).array
        elif kind == "VARCHAR":
            values = _text(values)
        columns[name] = values
    return _integers_as_integers(pd.DataFrame(columns, copy=False), types)


def _text(values: Any) -> Any:
    """A text column (Python strings, None where NULL) as the string array ``.df()``
    gives, made by Arrow from the strings at once: pandas' own inference of an object
    column costs about 50 us a column whatever its length, several times a small
    answer's fetch. Left as it is for pandas to infer, as ``.df()`` is, when empty
    (an object column) or where pandas' text type is not Arrow's (pandas 2 without
    its string option)."""
    dtype = _arrow_text_dtype()
    if dtype is None or not len(values):
        return values
    import pyarrow as pa
    from pandas.arrays import ArrowStringArray

    strings = pa.chunked_array([pa.array(values, type=pa.large_string())])
    return cast(Any, ArrowStringArray)(strings, dtype=dtype)  # pandas 3: dtype, stubs: not yet


@functools.cache
def _arrow_text_dtype() -> Any:
    """pandas' default text type when it is Arrow-backed strings, else None."""
    import pandas as pd

    dtype = pd.Series(["x"]).dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return dtype
    return None


def _unmasked(values: Any) -> Any:
    """A masked NumPy column (one with NULLs) as ``.df()`` holds it."""
    import numpy as np
    import pandas as pd

    mask = np.ma.getmaskarray(values)
    kind = values.dtype.kind
    if kind in "iu":
        return pd.arrays.IntegerArray(values.data, mask)
    if kind == "b":
        return pd.arrays.BooleanArray(values.data, mask)
    if kind in "mM":
        return values.filled(np.array("NaT", dtype=values.dtype))
    if kind == "f":
        return values.filled(np.nan)
    filled = values.data.copy()  # text: None where NULL (filled(None) means its default)
    filled[mask] = None
    return filled


#: DuckDB types that pandas receives as float64 although they hold integers: COUNT_IF
#: and SUM over integers return HUGEINT, where BigQuery returns INT64.
_WIDE_INTEGERS = {"HUGEINT", "UHUGEINT", "UBIGINT"}
_INT64_MAX = 2**63 - 1


def _integers_as_integers(df: pd.DataFrame, types: list[str]) -> pd.DataFrame:
    """Counts stay integers, as on BigQuery: 58, never 58.0 (nullable when a value is NULL)."""
    if len(types) != len(df.columns):
        return df
    for index, kind in enumerate(types):
        if kind not in _WIDE_INTEGERS:
            continue  # most columns: no pandas work at all
        column = df.iloc[:, index]
        if column.dtype.kind != "f":
            continue
        present = column.dropna()
        if len(present) and present.abs().max() > _INT64_MAX:
            continue  # too wide for int64: keep the float rather than overflow
        exact = column.astype("int64" if len(present) == len(column) else "Int64")
        df.isetitem(index, exact.array)
    return df

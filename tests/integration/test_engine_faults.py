"""Faults of the engine itself never blame the SQL.

Each case provokes a fault of DuckDB or of its resources for real where it can (a tiny
memory limit, a spill limit, a spill directory it cannot create, a closed connection,
the database file removed, replaced or damaged between calls, an interrupt from
outside the call) and checks the error's class, message and hint: the hint is about
the engine or the resource, never "Check the SQL against the table's columns", and
only a fault a second try can get past is retryable. Internal and fatal DuckDB errors
and a full disk cannot be caused on purpose; they are raised by a stand-in connection
or mapped from the driver's own exception class.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from lgda_nb.errors import (
    ConfigError,
    CostLimitError,
    ExecutionError,
    LGDAError,
    QueryCancelledError,
    SQLError,
    TransientBackendError,
)

QUERY = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status"
#: A sort of 9 million rows: spills to disk under a small memory limit.
SORT = (
    "SELECT COUNT(*) AS n FROM (SELECT a.id AS x, b.id AS y, "
    "TO_HEX(MD5(CONCAT(CAST(a.id AS STRING), '-', CAST(b.id AS STRING)))) AS h "
    "FROM events a, events b WHERE a.id < 3000 AND b.id < 3000 ORDER BY h)"
)
#: One list of 4 million strings: a list aggregate cannot spill, it needs the memory.
HOARD = (
    "SELECT ARRAY_LENGTH(ARRAY_AGG(CONCAT(CAST(a.id AS STRING), '-', CAST(b.id AS STRING)))) "
    "AS n FROM events a, events b WHERE a.id < 2000 AND b.id < 2000"
)
ENDLESS = "SELECT COUNT(*) AS n FROM events a, events b, events c, events d"
#: What only the query's own mistakes may say.
BLAMES_THE_SQL = ("Check the SQL", "Fix the SQL", "casts and functions", "column values")


@dataclass
class Fault:
    """One engine fault: how to cause it, and the error the user must see."""

    name: str
    #: Runs the failing call on an engine over a copy of the sample; returns the error.
    provoke: Callable[[Engine, Path], LGDAError]
    error: type[LGDAError]
    message: str
    hint: str
    retryable: bool = False
    settings: dict[str, Any] = field(default_factory=dict)


def _fails(engine: Engine, sql: str = QUERY) -> LGDAError:
    with pytest.raises(LGDAError) as info:
        engine.run_sql(sql, use_cache=False)
    return info.value


def _spill_dir_is_a_file(engine: Engine, database: Path) -> LGDAError:
    Path(f"{database}.tmp").write_text("not a directory")
    return _fails(engine, SORT)


def _closed_connection(engine: Engine, database: Path) -> LGDAError:
    engine.run_sql(QUERY, use_cache=False)
    backend: Any = engine.backend
    backend._con.close()  # closed under the engine's feet, between two calls
    with pytest.raises(LGDAError) as info:
        backend.execute(QUERY)
    # the broken connection was dropped: the next call opens a fresh one
    assert len(engine.run_sql(QUERY, use_cache=False).df) == 5
    # and within one call, the engine's retry of the transient error gets the fresh one
    backend._con.close()
    answer = engine.run_sql(QUERY, use_cache=False)
    assert len(answer.df) == 5
    assert [a["error"].split(":")[0] for a in answer.attempts] == ["TransientBackendError"]
    return info.value


def _file_removed(engine: Engine, database: Path) -> LGDAError:
    engine.run_sql(QUERY, use_cache=False)
    database.unlink()
    return _fails(engine)


def _file_overwritten(engine: Engine, database: Path) -> LGDAError:
    engine.run_sql(QUERY, use_cache=False)
    size = database.stat().st_size
    database.write_bytes(bytes(range(256)) * (size // 256))
    return _fails(engine)


def _block_damaged(engine: Engine, database: Path) -> LGDAError:
    """Blocks overwritten in place with size and modification time kept, so the engine
    sees the same file and reads the damage (a disk error, not a replaced file)."""
    import os

    engine.run_sql(QUERY, use_cache=False)
    stat = database.stat()
    headers, block = 3 * 4096, 256 * 1024  # DuckDB's file layout: three headers, then blocks
    with database.open("r+b") as file:
        for offset in range(headers + 4096, stat.st_size, block):  # inside every block
            file.seek(offset)
            file.write(b"\xde\xad\xbe\xef" * 1024)
    os.utime(database, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    columns = ", ".join(f"MAX({c}) AS {c}" for c in ("id", "user_id", "session_id", "city", "uri"))
    return _fails(engine, f"SELECT COUNT(*) AS n, {columns} FROM events")


def _interrupted_from_outside(engine: Engine, database: Path) -> LGDAError:
    """Someone interrupts the connection directly (not this call's cancel, not its timeout)."""
    engine.run_sql(QUERY, use_cache=False)
    backend: Any = engine.backend
    timer = threading.Timer(0.3, backend._con.interrupt)
    timer.start()
    try:
        return _fails(engine, ENDLESS)
    finally:
        timer.cancel()


class _FailingConnection:
    """The real connection, except that its next query raises ``error`` (DuckDB's internal
    and fatal errors are bugs: no query causes one on purpose)."""

    def __init__(self, real: Any, error: BaseException) -> None:
        self.real, self.error = real, error

    def execute(self, sql: str, *args: Any) -> Any:
        raise self.error

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def _raises(make: Callable[[], BaseException]) -> Callable[[Engine, Path], LGDAError]:
    def provoke(engine: Engine, database: Path) -> LGDAError:
        engine.run_sql(QUERY, use_cache=False)
        backend: Any = engine.backend
        backend._con = _FailingConnection(backend._con, make())
        error = _fails(engine)
        # the invalidated database is re-opened: the next call answers
        assert not isinstance(backend._con, _FailingConnection)
        assert len(engine.run_sql(QUERY, use_cache=False).df) == 5
        return error

    return provoke


def _internal() -> BaseException:
    import duckdb

    return duckdb.InternalException("INTERNAL Error: Attempted to access index 3 of 3")


def _fatal() -> BaseException:
    import duckdb

    return duckdb.FatalException(
        "FATAL Error: Failed: database has been invalidated because of a previous fatal error."
    )


FAULTS = [
    Fault(
        "memory limit",
        lambda engine, _: _fails(engine, HOARD),
        ExecutionError,
        "needs more memory than DuckDB may use",
        "LGDA_DUCKDB__MEMORY_LIMIT",
        settings={"duckdb.memory_limit": "20MB"},
    ),
    Fault(
        "spill limit",
        lambda engine, _: _fails(engine, SORT),
        ExecutionError,
        "more disk to spill to than it may take",
        "LGDA_DUCKDB__MAX_TEMP_DIRECTORY_SIZE",
        settings={"duckdb.memory_limit": "20MB", "duckdb.max_temp_directory_size": "1MB"},
    ),
    Fault(
        "spill directory cannot be made",
        _spill_dir_is_a_file,
        ExecutionError,
        "could not read or write a file it needs",
        "<database>.tmp",
        settings={"duckdb.memory_limit": "20MB"},
    ),
    Fault(
        "connection closed",
        _closed_connection,
        TransientBackendError,
        "connection to the DuckDB database was closed",
        "fresh connection",
        retryable=True,
    ),
    Fault(
        "database file removed",
        _file_removed,
        ConfigError,
        "database does not exist",
        "readable DuckDB file",
    ),
    Fault(
        "database file overwritten",
        _file_overwritten,
        ConfigError,
        "not a valid DuckDB database file",
        "readable DuckDB file",
    ),
    Fault(
        "database block damaged",
        _block_damaged,
        ExecutionError,
        "database file is damaged",
        "Restore or rebuild the file",
    ),
    Fault(
        "interrupted from outside",
        _interrupted_from_outside,
        QueryCancelledError,
        "interrupted before it finished",
        "Nothing was found wrong with the query",
    ),
    Fault(
        "internal error",
        _raises(_internal),
        ExecutionError,
        "internal error), not because of the SQL",
        "re-opened on the next call",
    ),
    Fault(
        "database invalidated",
        _raises(_fatal),
        ExecutionError,
        "internal error), not because of the SQL",
        "re-opened on the next call",
    ),
]


@pytest.fixture
def database(sample_path: Path, tmp_path: Path) -> Path:
    """A copy of the sample of its own: its settings and its damage stay in this test."""
    copy = tmp_path / "faults.duckdb"
    shutil.copyfile(sample_path, copy)
    return copy


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_engine_faults_say_what_failed_and_never_blame_the_sql(
    fault: Fault, database: Path
) -> None:
    """Each engine fault: its own class, message and hint; retryable only where a second
    try can succeed; the breaker is not opened by a fault that is not an outage."""
    config = load_config(**{"duckdb.database": str(database), **fault.settings})
    with Engine(config) as engine:
        error = fault.provoke(engine, database)
        breaker = engine.breaker.state
    assert type(error) is fault.error, f"{type(error).__name__}: {error}"
    assert fault.message in error.message
    assert fault.hint in error.hint
    assert not any(words in error.hint for words in BLAMES_THE_SQL), error.hint
    assert not isinstance(error, SQLError)
    assert error.retryable is fault.retryable
    assert breaker == "closed"


def _engine_fault_classes() -> list[type[BaseException]]:
    import duckdb

    families = (duckdb.OperationalError, duckdb.InternalError, duckdb.FatalException)
    found = {
        value
        for value in vars(duckdb).values()
        if isinstance(value, type) and issubclass(value, families)
    }
    return sorted(found, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("driver_error", _engine_fault_classes(), ids=lambda cls: cls.__name__)
def test_every_engine_fault_class_gets_an_engine_hint(driver_error: type[BaseException]) -> None:
    """Every DuckDB error class of the engine's own (operational, internal, fatal) maps
    to an error whose hint is about the engine."""
    from lgda_nb.backends._duckdb import map_duckdb_errors

    with pytest.raises(LGDAError) as info, map_duckdb_errors():
        raise driver_error("driver said no")
    assert isinstance(info.value, ExecutionError)
    assert info.value.hint != ExecutionError.default_hint
    assert not any(words in info.value.hint for words in BLAMES_THE_SQL), info.value.hint


def test_a_full_disk_is_named_as_such() -> None:
    """DuckDB's 'No space left on device' while spilling: the disk, not the query."""
    import duckdb

    from lgda_nb.backends._duckdb import map_duckdb_errors

    full = duckdb.IOException(
        'IO Error: Could not write file "faults.duckdb.tmp/duckdb_temp_block-4.block": '
        "No space left on device"
    )
    with pytest.raises(ExecutionError) as info, map_duckdb_errors():
        raise full
    assert "disk" in info.value.message
    assert "is full" in info.value.message
    assert "Free disk space" in info.value.hint
    assert info.value.retryable is False


def test_a_query_that_merely_says_the_same_words_is_still_the_query(database: Path) -> None:
    """ERROR('Corrupt database file') is the query's own error, not damage to the file."""
    with Engine(load_config(**{"duckdb.database": str(database)})) as engine:
        error = _fails(engine, "SELECT ERROR('Corrupt database file') AS x FROM orders")
    assert isinstance(error, SQLError)


# -- BigQuery: the service's own faults, in its own words, through the official client --


class _BigQueryFault:
    """A loopback server answering every BigQuery request with one error, in the REST
    API's own format (status, message, ``errors[].reason``), so the official client
    parses it as it would Google's. Counts the requests."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        import json

        self.requests = 0
        self.body = json.dumps(
            {
                "error": {
                    "code": status,
                    "message": message,
                    "errors": [{"message": message, "domain": "global", "reason": reason}],
                }
            }
        ).encode()
        self.status = status

    def __enter__(self) -> _BigQueryFault:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        fault = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                fault.requests += 1
                self.send_response(fault.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(fault.body)))
                self.end_headers()
                self.wfile.write(fault.body)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}"
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class ServiceFault:
    """BigQuery's answer, and the error the user must see."""

    name: str
    status: int
    reason: str
    said: str
    error: type[LGDAError]
    message: str
    hint: str
    retryable: bool = False


SERVICE_FAULTS = [
    ServiceFault(
        "rate limit", 403, "rateLimitExceeded",
        "Exceeded rate limits: too many api requests per user per method for this user_method.",
        TransientBackendError, "limiting how fast this project", "Try again", retryable=True,
    ),
    ServiceFault(
        "quota", 403, "quotaExceeded",
        "Quota exceeded: Your project exceeded quota for free query bytes scanned.",
        ExecutionError, "used up a BigQuery quota", "quota to refill",
    ),
    ServiceFault(
        "resources", 400, "resourcesExceeded",
        "Resources exceeded during query execution: The query could not be executed in the "
        "allotted memory.",
        ExecutionError, "more resources than BigQuery gives one query", "Aggregate or filter",
    ),
    ServiceFault(
        "response too large", 403, "responseTooLarge",
        "Response too large to return. Consider specifying a destination table.",
        ExecutionError, "too large for BigQuery to return", "add a LIMIT",
    ),
    ServiceFault(
        "bytes billed", 400, "bytesBilledLimitExceeded",
        "Query exceeded limit for bytes billed: 10485760. 20971520 or higher required.",
        CostLimitError, "more bytes than the ceiling allows", "MAXIMUM_BYTES_BILLED",
    ),
    ServiceFault(
        "billing", 403, "billingNotEnabled",
        "Billing has not been enabled for this project.",
        ConfigError, "Billing is not enabled", "LGDA_BIGQUERY__PROJECT",
    ),
    ServiceFault(
        "credentials", 401, "authError",
        "Request had invalid authentication credentials.",
        ConfigError, "credentials", "gcloud auth",
    ),
    ServiceFault(
        "job lost", 404, "notFound",
        "Not found: Job lgda-test:US.lgda_0123456789abcdef",
        ExecutionError, "no longer knows the job", "Run it again",
    ),
    ServiceFault(
        "other", 501, "notImplemented",
        "The service is not implemented here.",
        ExecutionError, "failed on its side (HTTP 501)", "reason of its own",
    ),
]  # fmt: skip


@pytest.mark.parametrize("fault", SERVICE_FAULTS, ids=lambda fault: fault.name)
def test_bigquery_service_faults_never_blame_the_sql(fault: ServiceFault) -> None:
    """Each fault of BigQuery or of the project's limits: its own class, message and
    hint, never the SQL's; only rate limits are retried (within the default attempts)."""
    import stamina

    from lgda_nb._config import RetrySettings
    from lgda_nb.backends._bigquery import BigQueryBackend

    stamina.set_testing(True, attempts=RetrySettings().attempts)  # default attempts, no waits
    try:
        with _BigQueryFault(fault.status, fault.reason, fault.said) as server:
            backend = BigQueryBackend(
                load_config(
                    backend="bigquery",
                    **{
                        "bigquery.api_endpoint": server.url,
                        "bigquery.project": "lgda-test",
                        "bigquery.dataset": "lgda-test.faults",
                    },
                )
            )
            with pytest.raises(LGDAError) as info:
                backend.execute("SELECT 1 AS one")
            backend.close()
    finally:
        stamina.set_testing(False)
    error = info.value
    assert type(error) is fault.error, f"{type(error).__name__}: {error}"
    assert fault.message in error.message
    assert fault.hint in error.hint
    assert not any(words in error.hint for words in BLAMES_THE_SQL), error.hint
    assert error.retryable is fault.retryable
    if fault.status != 401:  # a 401 makes the client refresh the credentials and fail there
        assert fault.said.split(":")[0] in (error.detail or "")
    # one request (the job insert), or every default attempt when it is worth retrying
    assert server.requests == (RetrySettings().attempts if fault.retryable else 1)


@pytest.mark.parametrize(
    ("status", "reason", "said", "error"),
    [
        (400, "invalidQuery", "Unrecognized name: statuss at [1:8]", SQLError),
        (403, "accessDenied", "Access Denied: Table thelook:orders: User does not have "
         "permission to query table.", ConfigError),
    ],
)  # fmt: skip
def test_the_sql_and_permissions_keep_their_own_errors(
    status: int, reason: str, said: str, error: type[LGDAError]
) -> None:
    """The split is by reason: the query's own mistakes stay SQL errors, a permission
    stays a configuration error."""
    from google.api_core import exceptions as gexc

    from lgda_nb.backends._bigquery import map_bigquery_errors

    raised = gexc.from_http_status(status, said, errors=[{"reason": reason, "message": said}])
    with pytest.raises(LGDAError) as info, map_bigquery_errors():
        raise raised
    assert isinstance(info.value, error)


def test_credentials_that_cannot_be_refreshed_say_so() -> None:
    """Expired or revoked credentials (google-auth's RefreshError, raised as a request is
    signed) are a configuration error naming the fix, not an unexpected one."""
    from google.auth import exceptions as auth_exc

    from lgda_nb.backends._bigquery import map_bigquery_errors

    with pytest.raises(ConfigError) as info, map_bigquery_errors():
        raise auth_exc.RefreshError("invalid_grant: Token has been expired or revoked.")
    assert "could not be refreshed" in info.value.message
    assert "gcloud auth application-default login" in info.value.hint

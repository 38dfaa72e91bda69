"""Google BigQuery through the official client: the warehouse users scale out to.

Billing project (``LGDA_BIGQUERY__PROJECT``) and data location
(``LGDA_BIGQUERY__DATASET``) are separate; jobs run with the data's dataset as
default dataset, so checked SQL keeps bare table names. Every job is estimated
with a dry run first (``estimate``) and carries ``maximum_bytes_billed``, labels
and an ``lgda_`` job id. The client's own retries are switched off: each API call
is retried here with the toolkit's stamina strategy (a fixed job id makes a
retried insert safe), and the engine does not retry this backend again, so
retries never multiply.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from lgda_nb import __version__
from lgda_nb.backends import CallContext
from lgda_nb.errors import (
    BackendUnavailableError,
    ConfigError,
    ExecutionError,
    LGDAError,
    QueryCancelledError,
    QueryTimeoutError,
    SQLError,
    SQLSyntaxError,
    TransientBackendError,
    UnknownColumnError,
    UnknownTableError,
)

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb._config import UnifiedConfig

__all__ = ["BigQueryBackend", "map_bigquery_errors"]
T = TypeVar("T")

_UNRECOGNIZED = re.compile(r"Unrecognized name: (\w+)|column \"?(\w+)\"? not found", re.I)
_NOT_FOUND_TABLE = re.compile(
    r"Not found: Table [\w.:-]+\.(\w+)|Table \"?(\w+)\"? does not exist", re.I
)
_TRANSIENT_STATUS = {429, 500, 502, 503, 504}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


#: Where an unreachable endpoint is most likely a local emulator that is not running.
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})
_EMULATOR_HINT = (
    "Start the local emulator with `scripts/bigquery-emulator.sh start` (it prints the "
    "endpoint), or point LGDA_BIGQUERY__API_ENDPOINT at one that answers."
)
_NETWORK_HINT = (
    "Check the network and LGDA_BIGQUERY__API_ENDPOINT (unset means Google's own), then "
    "try again; for the local emulator run `scripts/bigquery-emulator.sh start`."
)


def _is_loopback(endpoint: str | None) -> bool:
    from urllib.parse import urlsplit

    if not endpoint:
        return False
    host = urlsplit(endpoint if "//" in endpoint else f"//{endpoint}").hostname or ""
    return host in _LOOPBACK_HOSTS or host.startswith("127.")


def _not_connected(exc: BaseException | None) -> bool:
    """Whether no connection was made at all (refused, no route, unknown host).

    Then no request reached the server, unlike a reset or a read timeout. The
    driver wraps the socket error a few levels deep (requests -> urllib3's
    ``MaxRetryError.reason`` -> ``NewConnectionError`` -> ``ConnectionRefusedError``).
    """
    from urllib3.exceptions import NewConnectionError

    seen: set[int] = set()
    pending = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError | NewConnectionError):
            return True
        linked = (current.__cause__, current.__context__, getattr(current, "reason", None))
        pending.extend(e for e in (*linked, *current.args) if isinstance(e, BaseException))
    return False


def _emulator_down(endpoint: str, exc: BaseException) -> BackendUnavailableError:
    """A refused connection on loopback: the emulator is not running; retrying won't help."""
    return BackendUnavailableError(
        f"Nothing answers at {endpoint}: the BigQuery emulator there is not running.",
        hint=_EMULATOR_HINT,
        detail=_first_line(exc),
    )


#: ``POST https://...: `` before the server's own words in the client's messages.
_REQUEST_PREFIX = re.compile(r"^(?:GET|POST|PUT|PATCH|DELETE) \S+: ")
#: The job lines the client adds to a message: where and which job, never a value.
_JOB_LINES = re.compile(r"^(?:Location|Job ID): .*$", re.M)


def _driver_line(message: str) -> str:
    """The server's first line, without the request the client prefixes."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    return _REQUEST_PREFIX.sub("", first)


def _named_in(name: str, sql: str | None) -> bool:
    """Whether ``name`` is a word of the query (so an error naming it quotes the query)."""
    return bool(sql) and re.search(rf"\b{re.escape(name)}\b", sql or "", re.I) is not None


def _data_free(exc: Exception, message: str, line: str, sql: str | None) -> SQLError:
    """``SQLError`` with the kind, position and names of a run-time error, not the values
    it quoted (see ``_data_free.py``); the client's exception, kept as the cause, says
    no more than that (its ``message`` and ``errors`` are replaced)."""
    from lgda_nb.backends._data_free import reduce_error

    reduced = reduce_error(line, sql=sql)
    job_lines = "\n".join(m.group(0) for m in _JOB_LINES.finditer(message))
    detail = reduced.message + (f"\n{job_lines}" if job_lines else "")
    with contextlib.suppress(Exception):  # best effort: the client's attributes may change
        exc.message = detail  # type: ignore[attr-defined]
        exc.debug_message = detail  # type: ignore[attr-defined]
        exc._errors = []  # type: ignore[attr-defined]
        exc._details = []  # type: ignore[attr-defined]
    return SQLError(reduced.message, hint=reduced.hint, detail=detail)


_SERVICE_HINT = (
    "BigQuery could not run the job for a reason of its own (the detail has its words); "
    "try again later, and check the service's status if it keeps failing."
)


def _reason(exc: BaseException) -> str:
    """BigQuery's machine-readable reason (``quotaExceeded``), from the HTTP error or
    the failed job's ``errorResult``."""
    errors = getattr(exc, "errors", None) or ()
    first = errors[0] if errors else None
    return str(first.get("reason") or "") if isinstance(first, dict) else ""


def service_fault(exc: Exception, message: str) -> LGDAError | None:  # noqa: PLR0911 - per reason
    """The LGDAError for a fault of BigQuery or of the project's limits, or None when the
    query may be at fault.

    Rate limits, quotas, resources, result size, billing and credentials say nothing
    about the SQL, so their hints never do. As in the official client's retry, only rate
    limits and a table that is briefly unavailable are worth a retry; 5xx statuses are
    transient in ``map_bigquery_errors`` already.
    """
    reason, status = _reason(exc), getattr(exc, "code", None)
    said = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    if reason in {"rateLimitExceeded", "jobRateLimitExceeded", "tableUnavailable"}:
        return TransientBackendError(
            "BigQuery is limiting how fast this project may send requests right now."
            if reason != "tableUnavailable"
            else "A table the query reads is briefly unavailable in BigQuery.",
            hint="Try again in a moment.",
            detail=said,
        )
    if reason == "quotaExceeded":
        return ExecutionError(
            "The project has used up a BigQuery quota.",
            hint="Wait for the quota to refill (the detail names it), or ask an administrator "
            "of the billing project (LGDA_BIGQUERY__PROJECT) to raise it.",
            detail=said,
        )
    if reason in {"resourcesExceeded", "billingTierLimitExceeded"}:
        return ExecutionError(
            "The query needs more resources than BigQuery gives one query.",
            hint="Aggregate or filter earlier, avoid ORDER BY over many rows without a "
            "LIMIT, or split the work into steps.",
            detail=said,
        )
    if reason == "responseTooLarge":
        return ExecutionError(
            "The answer is too large for BigQuery to return.",
            hint="Aggregate more, or add a LIMIT.",
            detail=said,
        )
    if reason == "bytesBilledLimitExceeded":
        from lgda_nb.errors import CostLimitError

        return CostLimitError(
            "The query would bill more bytes than the ceiling allows, so BigQuery refused it.",
            detail=said,
        )
    if reason == "billingNotEnabled":
        return ConfigError(
            "Billing is not enabled for the BigQuery project that runs the jobs.",
            hint="Enable billing for LGDA_BIGQUERY__PROJECT, or set it to a project that "
            "has billing.",
            detail=said,
        )
    if status == 401:
        return ConfigError(
            "BigQuery did not accept the credentials.",
            hint="Run `gcloud auth application-default login` again, or check "
            "GOOGLE_APPLICATION_CREDENTIALS (or LGDA_BIGQUERY__CREDENTIALS_FILE).",
            detail=said,
        )
    if isinstance(status, int) and status >= 500 and status not in _TRANSIENT_STATUS:
        return ExecutionError(
            f"BigQuery failed on its side (HTTP {status}).", hint=_SERVICE_HINT, detail=said
        )
    if status == 404 and "Not found: Job" in message:
        return ExecutionError(
            "BigQuery no longer knows the job this query ran as.",
            hint="Run it again.",
            detail=said,
        )
    if status == 404 and "Not found: Dataset" in message:
        return ConfigError(
            "The dataset in LGDA_BIGQUERY__DATASET does not exist, or this project cannot see it.",
            hint="Set LGDA_BIGQUERY__DATASET to project.dataset of a dataset the billing "
            "project may read.",
            detail=said,
        )
    return None


@contextlib.contextmanager
def _service_faults() -> Iterator[None]:
    """``service_fault``'s errors raised as such; any other error goes on as it was.
    Credentials that cannot be refreshed (expired, revoked) are said to be so."""
    from google.api_core import exceptions as gexc
    from google.auth import exceptions as auth_exc

    try:
        yield
    except auth_exc.RefreshError as exc:
        raise ConfigError(
            "The Google Cloud credentials could not be refreshed (expired or revoked).",
            hint="Run `gcloud auth application-default login` again, or check "
            "GOOGLE_APPLICATION_CREDENTIALS (or LGDA_BIGQUERY__CREDENTIALS_FILE).",
            detail=_first_line(exc),
        ) from exc
    except gexc.GoogleAPICallError as exc:
        fault = service_fault(exc, getattr(exc, "message", None) or _first_line(exc))
        if fault is None:
            raise
        raise fault from exc


@contextlib.contextmanager
def map_bigquery_errors(  # noqa: PLR0912 - one branch per driver error family
    endpoint: str | None = None,
) -> Iterator[None]:
    """Translate google-cloud / google-auth / transport errors into the LGDAError tree.

    An error from a job that ran, or one of the kinds raised while rows are read, is
    reduced to its kind, position and names: it can quote values from the rows.

    ``endpoint`` is the configured API endpoint: a connection refused on loopback
    is an emulator that is not running, so it fails at once as
    ``BackendUnavailableError`` instead of being retried. Elsewhere it may be a
    network blip, so it stays transient (``BigQueryBackend._call`` retries it within
    its budget, then says which endpoint it could not reach).
    """
    from google.api_core import exceptions as gexc
    from google.auth import exceptions as auth_exc

    from lgda_nb.backends._data_free import may_quote_values

    try:
        with _service_faults():  # before any clause below can read them as the SQL's fault
            yield
    except LGDAError:
        raise
    except auth_exc.DefaultCredentialsError as exc:
        raise ConfigError(
            "No Google Cloud credentials were found for BigQuery.",
            hint="Run `gcloud auth application-default login`, or set "
            "GOOGLE_APPLICATION_CREDENTIALS (or LGDA_BIGQUERY__CREDENTIALS_FILE) to a "
            "service-account JSON file.",
            detail=str(exc),
        ) from exc
    except gexc.GoogleAPICallError as exc:
        status = getattr(exc, "code", None)
        message = getattr(exc, "message", None) or _first_line(exc)
        if status in _TRANSIENT_STATUS:
            raise TransientBackendError(
                f"BigQuery is busy or unavailable right now (HTTP {status}).", detail=message
            ) from exc
        if isinstance(exc, gexc.Forbidden):
            raise ConfigError(
                f"BigQuery refused access: {message}",
                hint="Check that the billing project may run jobs and read the dataset "
                "(roles/bigquery.jobUser and roles/bigquery.dataViewer).",
                detail=str(exc),
            ) from exc
        job = getattr(exc, "query_job", None)
        sql = getattr(job, "query", None)
        line = _driver_line(message)
        # A job that ran read rows, and a run-time error (the emulator runs queries even
        # for a dry run, and may add one under another) may quote them: only its kind,
        # position and names are kept.
        ran = job is not None and not getattr(job, "dry_run", False)
        quoting = [text for text in message.splitlines() if may_quote_values(text)]
        if quoting:
            line = _driver_line(quoting[0])
        if ran or quoting:
            column = _UNRECOGNIZED.search(line)
            name = (column.group(1) or column.group(2)) if column else None
            if name is not None and not quoting and _named_in(name, sql):
                raise UnknownColumnError(
                    f"Column {name!r} does not exist.", name=name, detail=line
                ) from exc
            raise _data_free(exc, message, line, sql) from exc
        column = _UNRECOGNIZED.search(message)
        if column:
            name = column.group(1) or column.group(2)
            raise UnknownColumnError(
                f"Column {name!r} does not exist.", name=name, detail=message
            ) from exc
        table = _NOT_FOUND_TABLE.search(message)
        if table or isinstance(exc, gexc.NotFound):
            name = (table.group(1) or table.group(2)) if table else None
            raise UnknownTableError(
                f"Table {name!r} does not exist." if name else f"Not found: {message}",
                name=name,
                detail=message,
            ) from exc
        if "Syntax error" in message:
            raise SQLSyntaxError(f"BigQuery could not parse the SQL: {message}") from exc
        if isinstance(exc, gexc.BadRequest):
            raise SQLError(message, detail=str(exc)) from exc
        raise ExecutionError(message, hint=_SERVICE_HINT, detail=str(exc)) from exc
    # requests' ConnectionError is an OSError; google-auth wraps it in TransportError.
    except (OSError, auth_exc.TransportError) as exc:
        if endpoint and _is_loopback(endpoint) and _not_connected(exc):
            raise _emulator_down(endpoint, exc) from exc
        raise TransientBackendError(
            "Could not reach BigQuery.", hint=_NETWORK_HINT, detail=str(exc)
        ) from exc


class BigQueryBackend:
    """Runs BigQuery SQL as jobs in the billing project over the configured dataset."""

    name = "bigquery"
    dialect = "bigquery"

    def __init__(self, config: UnifiedConfig) -> None:
        try:
            import google.cloud.bigquery  # noqa: F401
        except ImportError:
            raise ConfigError(
                "The BigQuery backend needs the google-cloud-bigquery package.",
                hint="pip install 'lgda-nb[bigquery]'",
            ) from None
        self._config = config
        settings = config.bigquery
        data_project, _, dataset = settings.dataset.rpartition(".")
        if not data_project or not dataset:
            raise ConfigError(
                f"LGDA_BIGQUERY__DATASET={settings.dataset!r} is not 'project.dataset'.",
                hint="Set it like my-project.my_dataset.",
            )
        self.data_project, self.dataset = data_project, dataset
        self._client: Any = None
        self._lock = threading.Lock()
        #: The calls running now, by id(), for ``cancel`` (each call has its own flag).
        self._running: dict[int, CallContext] = {}
        self._tables: tuple[float, dict[str, dict[str, str]]] | None = None

    # -- client ----------------------------------------------------------------
    @property
    def client(self) -> Any:
        """The ``bigquery.Client``, created once (credentials resolved lazily)."""
        with self._lock:
            if self._client is None:
                self._client = self._make_client()
            return self._client

    def _make_client(self) -> Any:
        from google.api_core.client_options import ClientOptions
        from google.cloud import bigquery

        settings = self._config.bigquery
        options = (
            ClientOptions(api_endpoint=settings.api_endpoint) if settings.api_endpoint else None
        )
        with map_bigquery_errors(settings.api_endpoint):
            if settings.api_endpoint:
                from google.auth.credentials import AnonymousCredentials

                credentials: Any = AnonymousCredentials()
                project = settings.project or self.data_project or ""
            elif settings.credentials_file:
                from google.oauth2 import service_account

                credentials = service_account.Credentials.from_service_account_file(
                    str(settings.credentials_file.expanduser())
                )
                project = settings.project or credentials.project_id or ""
            else:
                import google.auth

                credentials, default_project = google.auth.default()
                project = settings.project or default_project or ""
        if not project:
            raise ConfigError(
                "BigQuery needs a billing project to run jobs in.",
                hint="Set LGDA_BIGQUERY__PROJECT to your project id "
                "(or `gcloud config set project PROJECT`).",
            )
        self.project = project
        return bigquery.Client(
            project=project,
            credentials=credentials,
            location=settings.location,
            client_options=options,
        )

    def identity(self) -> str:
        """Which data answers come from (cache keys)."""
        return f"bigquery:{self._config.bigquery.project}:{self._config.bigquery.dataset}"

    def _job_config(
        self, *, dry_run: bool, parameters: list[Any] | None = None, call_id: str = ""
    ) -> Any:
        from google.cloud import bigquery

        settings = self._config.bigquery
        labels = {"tool": "lgda-nb", "version": __version__.replace(".", "-")}
        if call_id:
            labels["correlation_id"] = call_id
        return bigquery.QueryJobConfig(
            dry_run=dry_run,
            use_query_cache=not dry_run,
            default_dataset=f"{self.data_project}.{self.dataset}",
            maximum_bytes_billed=settings.maximum_bytes_billed,
            labels=labels,
            query_parameters=parameters or [],
        )

    @staticmethod
    def _no_retry() -> Any:
        from google.api_core.retry import Retry

        # One retry layer: the toolkit's stamina strategy decides and counts.
        return Retry(predicate=lambda exc: False)

    # -- the Backend protocol -----------------------------------------------------
    def tables(self) -> dict[str, dict[str, str]]:
        """Columns of the dataset's tables from INFORMATION_SCHEMA, cached for a while."""
        now = time.monotonic()
        ttl = self._config.bigquery.schema_ttl_seconds
        if self._tables is not None and now - self._tables[0] < ttl:
            return self._tables[1]
        sql = (
            f"SELECT table_name, column_name, data_type FROM "
            f"`{self.data_project}.{self.dataset}`.INFORMATION_SCHEMA.COLUMNS "
            "ORDER BY table_name, ordinal_position"
        )
        deadline = time.monotonic() + self._config.bigquery.timeout_seconds

        def read() -> dict[str, dict[str, str]]:
            job = self.client.query(
                sql, retry=self._no_retry(), job_retry=None, timeout=self._http_timeout()
            )
            found: dict[str, dict[str, str]] = {}
            for row in job.result(retry=self._no_retry(), timeout=self._http_timeout()):
                found.setdefault(row[0], {})[row[1]] = row[2]
            return found

        tables = self._call(read, deadline)
        self._tables = (now, tables)
        return tables

    # Each HTTP call is retried on its own (idempotently), so a flaky network costs one
    # request, not the whole job; the engine does not wrap this backend in retries again.
    retries_inside = True

    def _call(
        self,
        fn: Callable[[], T],
        deadline: float | None = None,
        on_retry: Callable[[int, BaseException], None] | None = None,
    ) -> T:
        """One API call under the toolkit's retry strategy, within the job's deadline."""
        from lgda_nb._retry import RetryStrategy

        strategy = RetryStrategy.from_config(self._config.retry, "backend")
        if deadline is not None:
            strategy.budget = max(0.05, min(strategy.budget, deadline - time.monotonic()))

        endpoint = self._config.bigquery.api_endpoint

        def attempt() -> T:
            with map_bigquery_errors(endpoint):
                return fn()

        try:
            return strategy.call(attempt, on_retry=on_retry or (lambda n, e: None))
        except TransientBackendError as exc:
            cause = exc.__cause__
            if cause is not None and _not_connected(cause):
                # Retried within the budget and still no connection: say where. It stays
                # transient, so the breaker counts it and a remote outage opens it.
                where = endpoint or "bigquery.googleapis.com"
                raise TransientBackendError(
                    f"Could not connect to BigQuery at {where}.",
                    hint=_NETWORK_HINT,
                    detail=_first_line(cause),
                ) from cause
            if deadline is not None and time.monotonic() >= deadline:
                raise QueryTimeoutError(
                    "BigQuery did not answer within the timeout.",
                    hint="Try again later, or raise LGDA_BIGQUERY__TIMEOUT_SECONDS.",
                ) from None
            raise

    def estimate(self, sql: str, call: CallContext | None = None) -> int:
        """Bytes the query would process, from a dry run (nothing is billed)."""
        call = call or CallContext(call_id="")
        text, parameters = parameterize(sql)
        deadline = time.monotonic() + self._config.bigquery.timeout_seconds
        config = self._job_config(dry_run=True, parameters=parameters, call_id=call.call_id)
        job = self._call(
            lambda: self.client.query(
                text, job_config=config, retry=self._no_retry(), job_retry=None,
                timeout=self._http_timeout(),
            ),
            deadline,
            call.on_retry,
        )  # fmt: skip
        return int(job.total_bytes_processed or 0)

    def _http_timeout(self) -> float:
        return min(30.0, self._config.bigquery.timeout_seconds)

    def execute(self, sql: str, call: CallContext | None = None) -> pd.DataFrame:
        """Run a job; past the timeout, on a kernel interrupt or when ``call`` is
        cancelled, the job is cancelled too."""
        call = call or CallContext(call_id="")
        settings = self._config.bigquery
        text, parameters = parameterize(sql)
        started = time.monotonic()
        deadline = started + settings.timeout_seconds
        # A fixed job id makes a retried insert safe: a second insert of the same job
        # finds it instead of running the query twice.
        job_id = f"lgda_{uuid.uuid4().hex}"
        config = self._job_config(dry_run=False, parameters=parameters, call_id=call.call_id)
        job = self._call(lambda: self._insert(text, config, job_id), deadline, call.on_retry)
        self._running[id(call)] = call
        try:
            self._wait(job, started, settings.timeout_seconds, call)
            table = self._call(lambda: self._download(job), deadline, call.on_retry)
            # DATE columns as datetime64, like the DuckDB backend, so notebooks match.
            frame: pd.DataFrame = table.to_pandas(date_as_object=False)
        except KeyboardInterrupt:
            self._cancel(job)
            raise QueryCancelledError("The query was cancelled; the BigQuery job too.") from None
        finally:
            self._running.pop(id(call), None)
            self._report(job, started, call, final=True)
        if call.cancelled.is_set():
            raise QueryCancelledError("The query was cancelled; the BigQuery job too.")
        return frame

    def _download(self, job: Any) -> Any:
        """The finished job's rows as Arrow; a fresh iterator each try, so retries are whole."""
        rows = job.result(retry=self._no_retry(), timeout=self._http_timeout())
        large = (rows.total_rows or 0) > 100_000
        return rows.to_arrow(create_bqstorage_client=large and _storage_installed())

    def _insert(self, text: str, config: Any, job_id: str) -> Any:
        from google.api_core import exceptions as gexc

        try:
            return self.client.query(
                text,
                job_config=config,
                job_id=job_id,
                retry=self._no_retry(),
                job_retry=None,
                timeout=self._http_timeout(),
            )
        except gexc.Conflict:
            return self.client.get_job(job_id, retry=self._no_retry())

    def _wait(self, job: Any, started: float, timeout: float, call: CallContext) -> None:
        """Poll the job until done, reporting progress; cancel it past the timeout.

        Each poll is a request like the insert and the download: a failed one is
        retried under ``retry.*`` (attempts, time budget), and one that keeps failing
        ends the call with the same error as any request out of retries, after a
        best-effort cancel of the job, rather than waiting blind until the timeout.
        """
        deadline = started + timeout

        def poll() -> bool:
            return bool(job.done(retry=self._no_retry(), timeout=self._http_timeout()))

        while True:
            try:
                done = self._call(poll, deadline, call.on_retry)
            except LGDAError:
                self._cancel(job)
                raise
            self._report(job, started, call)
            if done:
                return
            if call.cancelled.is_set():
                self._cancel(job)
                raise QueryCancelledError("The query was cancelled; the BigQuery job too.")
            if time.monotonic() - started > timeout:
                self._cancel(job)
                raise QueryTimeoutError(
                    f"The BigQuery job ran past its timeout of {timeout:g} s and was cancelled.",
                    hint="Narrow the query or raise LGDA_BIGQUERY__TIMEOUT_SECONDS.",
                )
            time.sleep(min(0.5, max(0.05, timeout / 20)))

    def _report(self, job: Any, started: float, call: CallContext, *, final: bool = False) -> None:
        callback = call.on_progress
        if callback is None:
            return
        with contextlib.suppress(Exception):  # a display problem never fails a query
            callback(
                {
                    "job_id": job.job_id,
                    "state": "DONE" if final else str(job.state or "PENDING"),
                    "elapsed": time.monotonic() - started,
                    "bytes_processed": job.total_bytes_processed,
                    "final": final,
                }
            )

    def cancel(self) -> None:
        """Cancel every job running now (``Engine.cancel`` cancels one call instead)."""
        for call in list(self._running.values()):
            call.cancelled.set()

    def _cancel(self, job: Any) -> None:
        with contextlib.suppress(Exception):
            job.cancel(retry=self._no_retry(), timeout=self._http_timeout())

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


_COMPARISONS = ("EQ", "NEQ", "GT", "GTE", "LT", "LTE", "In", "Like", "ILike", "Between")


def parameterize(sql: str) -> tuple[str, list[Any]]:
    """Move string values compared in the query into BigQuery query parameters.

    The SQL was generated from a checked tree, so its literals are already
    escaped; sending them as ``@p0``-style parameters as well means user values
    never travel as SQL text to the warehouse.
    """
    import sqlglot
    from google.cloud import bigquery
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="bigquery")
    comparisons = tuple(getattr(exp, name) for name in _COMPARISONS)
    parameters: list[Any] = []
    names: dict[str, str] = {}  # one parameter per value, so GROUP BY still matches SELECT
    for literal in list(tree.find_all(exp.Literal)):
        if not literal.is_string or not isinstance(literal.parent, comparisons):
            continue
        name = names.get(literal.this)
        if name is None:
            name = names[literal.this] = f"p{len(parameters)}"
            parameters.append(bigquery.ScalarQueryParameter(name, "STRING", literal.this))
        literal.replace(exp.Parameter(this=exp.Var(this=name)))
    if not parameters:
        return sql, []
    return tree.sql(dialect="bigquery"), parameters


def _storage_installed() -> bool:
    try:
        import google.cloud.bigquery_storage  # noqa: F401
    except ImportError:
        return False
    return True

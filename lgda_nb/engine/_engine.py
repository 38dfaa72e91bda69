"""The engine: one pipeline of plain stages, timed, logged and counted.

``run_sql`` enters the pipeline at ``validate_sql``. Each stage is a function
from state to state; the loop around them times and logs each one, and a
failure leaves no partial answer behind.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from lgda_nb._cache import BoundedCache, QueryCache
from lgda_nb._config import UnifiedConfig, get_config
from lgda_nb._observability import configure_logging, new_correlation_id, stage_ms, timed_stage
from lgda_nb._retry import CircuitBreaker, RetryStrategy
from lgda_nb.engine._analyze import analyze_df, report
from lgda_nb.engine._execute import execute_sql
from lgda_nb.engine._plan import plan, synthesize_sql
from lgda_nb.engine._result import Result
from lgda_nb.engine._state import STAGE_LABELS, Stage, _State
from lgda_nb.engine._validate import validate_sql
from lgda_nb.errors import InternalError, LGDAError

if TYPE_CHECKING:
    import pandas as pd
    from sqlglot import exp

    from lgda_nb.backends import Backend
    from lgda_nb.engine._connect import ConnectedData, Source
    from lgda_nb.llm import Completion, ExampleStore
    from lgda_nb.planner import OfflinePlanner, Plan, Planner, SemanticModel
    from lgda_nb.security import SecurityValidator
    from lgda_nb.security._masking import ScanMasking

logger = structlog.get_logger("lgda_nb.engine")


def _check_text(text: str, what: str) -> None:
    """Text must be valid Unicode: undecodable bytes (lone surrogates) cannot be read."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        from lgda_nb.errors import UsageError

        bad = text[exc.start : exc.end].encode("utf-8", "backslashreplace").decode("ascii")
        raise UsageError(
            f"The {what} contains bytes that are not valid text ({bad}).",
            hint="Retype it, or check the file or terminal encoding it came from (UTF-8).",
        ) from None


SQL_STAGES: tuple[Stage, ...] = (validate_sql, execute_sql, analyze_df, report)
ASK_STAGES: tuple[Stage, ...] = (plan, synthesize_sql, *SQL_STAGES)


class Engine:
    """Runs questions and SQL through the pipeline against one backend.

    ``Engine()`` uses the process-wide config (``lgda_nb.get_config()``);
    pass a ``UnifiedConfig`` to pin one. The backend is created on first use.
    """

    def __init__(self, config: UnifiedConfig | None = None) -> None:
        self.config = config if config is not None else get_config()
        self._backend: Backend | None = None
        self._model: SemanticModel | None = None
        #: Phrases taught with ``teach``, kept when the model is chosen again.
        self._taught: dict[str, str] = {}
        self._planner: Planner | None = None
        self._offline_planner: OfflinePlanner | None = None
        self._llm_breakers: dict[str, CircuitBreaker] = {}
        self._data_bounds: dict[str, tuple[pd.Timestamp | None, pd.Timestamp | None]] = {}
        self._active: list[_State] = []  # runs in progress, for cancel()
        #: DataFrames and files connected as tables (``connect``); None until the first
        #: connect, or until the configured ``duckdb.files`` are read.
        self._data: ConnectedData | None = None
        self.llm_cache: BoundedCache[str, Completion] = BoundedCache(
            max_bytes=64 * 1024**2,
            max_entries=self.config.llm.response_cache_entries,
            ttl=self.config.cache.ttl_seconds,
        )
        self._validator: SecurityValidator | None = None
        #: The tables the masking was built for, and the masking; rebuilt when they change.
        self._masking: tuple[dict[str, dict[str, str]], ScanMasking | None] | None = None
        self._salt = secrets.token_hex(16)  # one per engine: pseudonyms stable in a kernel
        self._lock = threading.RLock()
        cache = self.config.cache
        self.query_cache = QueryCache(
            max_bytes=cache.max_bytes, max_entries=cache.max_entries, ttl=cache.ttl_seconds
        )
        self.plan_cache: BoundedCache[str, Plan] = BoundedCache(
            max_bytes=cache.plan_entries, max_entries=cache.plan_entries, ttl=cache.ttl_seconds
        )
        self.breaker = CircuitBreaker.from_config(
            f"the {self.config.backend} backend", self.config.retry
        )

    def scan_masking(self, tables: dict[str, dict[str, str]] | None = None) -> ScanMasking | None:
        """The personal columns masked where their tables are read, from
        ``security.pii_policy`` and the backend's tables (rebuilt when those change, as
        when a database file is replaced); one secret salt per engine. ``tables``: the
        backend's tables, when the caller has just read them."""
        tables = self.known_tables() if tables is None else tables
        with self._lock:
            known = self._masking
            if known is None or (known[0] is not tables and known[0] != tables):
                from lgda_nb.security._masking import ScanMasking

                policy = self.config.security.pii_policy
                known = (tables, ScanMasking.from_policy(policy, tables, salt=self._salt))
                self._masking = known
            return known[1]

    def redact(self, text: str) -> str:
        """``text`` without the masking salt or a configured secret: SQL shown, logged or
        quoted in errors."""
        from lgda_nb._secrets import scrub
        from lgda_nb.security._masking import REDACTED

        return scrub(text.replace(self._salt, REDACTED)) if text else text

    def _scrub(self, error: LGDAError) -> None:
        """No masking salt in what an error says (a backend may quote the SQL it ran);
        secrets are scrubbed by the error itself."""
        for name in ("message", "hint", "detail"):
            value = getattr(error, name, None)
            if isinstance(value, str):
                setattr(error, name, self.redact(value))
        if error.args and isinstance(error.args[0], str):
            error.args = (self.redact(error.args[0]), *error.args[1:])

    def dollars(self, size: int) -> float:
        """On-demand price of scanning ``size`` bytes."""
        return size / 1024**4 * self.config.bigquery.price_per_tib

    def dry_run(self, text: str, *, sql: bool) -> tuple[str, int | None]:
        """Canonical SQL and the backend's byte estimate (None where nothing is billed)."""
        from lgda_nb.engine._sql import to_backend

        canonical = self.check_sql(text) if sql else self.explain(text)[1]
        estimate = getattr(self.backend, "estimate", None)
        if not callable(estimate):
            return canonical, None
        tree = self.validator.validate(canonical, known_tables=self.known_tables()).tree
        return canonical, int(estimate(to_backend(tree, dialect=self.backend.dialect)))

    def known_tables(self) -> dict[str, dict[str, str]]:
        """The backend's tables and columns, with transient failures retried (``schema``),
        behind the backend's circuit breaker."""
        from lgda_nb._observability import get_metrics

        def on_retry(number: int, error: BaseException) -> None:
            get_metrics().increment("retries.schema")
            logger.warning("retry", operation="schema", attempt=number, cause=type(error).__name__)

        from lgda_nb._retry import is_transient

        backend = self.backend
        # Guarded by the breaker: a service down from the start fails fast once open, and
        # its failures count. A success proves little (the list is usually remembered),
        # so it neither clears the count nor closes a half-open breaker.
        probe = self.breaker.before_call()
        try:
            if getattr(backend, "retries_inside", False):
                return backend.tables()  # it retries its own calls; no second layer
            return self.retry_strategy("schema").call(backend.tables, on_retry=on_retry)
        except Exception as exc:
            if is_transient(exc):
                self.breaker.record_failure()
                probe = False
            raise
        finally:
            if probe:
                self.breaker.release_probe()

    def retry_strategy(self, operation: str) -> RetryStrategy:
        """How calls of ``operation`` (backend, llm, schema) are retried."""
        return RetryStrategy.from_config(self.config.retry, operation)

    def cache_context(self, limit: int) -> dict[str, Any]:
        """Everything besides the SQL that changes an answer (no secrets)."""
        backend = self.backend
        identity = getattr(backend, "identity", None)
        security = self.config.security
        return {
            "backend": identity() if callable(identity) else backend.name,
            "allowed": sorted(self.allowed_tables),
            "pii": sorted(security.pii_policy.items()),
            "pii_default": security.pii_default,
            "limit": limit,
            "as_of": self.config.planner.as_of,
        }

    @property
    def backend(self) -> Backend:
        """The backend named by ``config.backend``, created on first use."""
        with self._lock:
            if self._backend is None:
                from lgda_nb.backends import create_backend

                backend = create_backend(self.config)
                if hasattr(backend, "attach_connected"):  # DuckDB: connected tables
                    try:
                        data = self._connected_data(backend)
                        if data is not None and len(data):
                            backend.attach_connected(data)
                    except BaseException:
                        backend.close()
                        raise
                self._backend = backend
            return self._backend

    @property
    def allowed_tables(self) -> frozenset[str]:
        """The tables SQL may read: ``security.allowed_tables`` and the connected ones."""
        allowed = frozenset(self.config.security.allowed_tables)
        if self._data is None:
            return allowed
        return allowed | frozenset(self._data.names())

    def _connected_data(self, backend: Backend) -> ConnectedData | None:
        """The engine's connected tables; the first time, with ``duckdb.files`` read."""
        if self._data is not None:
            return self._data
        files = self.config.duckdb.files
        if not files:
            return None
        from lgda_nb.engine._connect import ConnectedData, sources_for

        data = ConnectedData()
        named = {}
        paths = []
        for spec in files:
            name, sep, path = spec.partition("=")
            if sep and name.strip().isidentifier():
                named[name.strip()] = path.strip()
            else:
                paths.append(spec)
        data.add(sources_for(paths, named), taken=backend.tables())
        self._data = data
        return data

    @staticmethod
    def _require_duckdb(backend: Backend) -> None:
        if not hasattr(backend, "attach_connected"):
            from lgda_nb.errors import ConfigError

            raise ConfigError(
                f"DataFrames and files can be connected to the embedded DuckDB backend only, "
                f"not to {backend.name}.",
                hint="Use LGDA_BACKEND=duckdb (the default) for connected data, or load it "
                "into a BigQuery dataset and point LGDA_BIGQUERY__DATASET there.",
            )

    def connect(self, *paths: str | Path, **tables: Any) -> list[dict[str, Any]]:
        """Connect DataFrames and files as read-only tables, and say what each became.

        ``paths`` are Parquet, CSV or JSON-lines files, folders or globs, each file of a
        glob its own table named from its stem (``data/*.parquet``); ``tables`` name a
        DataFrame (pandas, polars, Arrow) or a path each: ``connect(sales=df,
        events="logs/*.jsonl")``. Questions and SQL then read them, with the same policy,
        masking, cache and audit; the model is inferred from the connected tables unless
        ``planner.model_file`` names one. A name the database already has, a missing
        file, an unreadable row or unusable column names raise ``DataSourceError``, and
        nothing is connected. Connecting a name again replaces it.
        """
        from lgda_nb.engine._connect import sources_for

        self._require_duckdb(self.backend)  # before any file is read
        return self._add_sources(sources_for(paths, tables))

    def _add_sources(self, made: list[Source]) -> list[dict[str, Any]]:
        from lgda_nb._config import check_pii_policy

        names = {source.name.lower() for source in made}
        policy = self.config.security.pii_policy
        check_pii_policy(  # a policy key naming a new table's column that it lacks
            {k: v for k, v in policy.items() if k.lower().rpartition(".")[0] in names},
            {source.name: list(source.columns) for source in made},
        )
        backend = self.backend
        self._require_duckdb(backend)
        with self._lock:
            data = self._data if self._data is not None else _new_data()
            mine = {name.lower() for name in data.names()}
            data.add(made, taken=[t for t in backend.tables() if t.lower() not in mine])
            self._data = data
        backend.attach_connected(data)  # type: ignore[attr-defined]
        self._data_changed(tables=True)
        return [source.describe() for source in made]

    def disconnect(self, *names: str) -> None:
        """Disconnect connected tables by name (all of them without names)."""
        data = self._data
        if data is None:
            return
        chosen = list(names) or data.names()
        data.remove(*chosen)
        if self._backend is not None:
            self._backend.attach_connected(data, dropped=tuple(chosen))  # type: ignore[attr-defined]
        self._data_changed(tables=True)

    def connected(self) -> list[dict[str, Any]]:
        """The connected tables: name, source, rows and columns."""
        return [] if self._data is None else [s.describe() for s in self._data.sources()]

    def _data_changed(self, *, tables: bool) -> None:
        """Forget what was read from the data: the inferred model, the value index,
        where time starts and stops, planned questions; the policy when tables came or
        went. Cached answers stay: their keys carry the data's version."""
        with self._lock:
            if self.config.planner.model_file is None:
                self._model = None
            self._planner = None
            self._offline_planner = None
            self._data_bounds.clear()
            if tables:
                self._validator = None
        self.plan_cache.clear()

    def _sync_data(self) -> None:
        """Register again a DataFrame or file that changed since the last call."""
        data = self._data
        if data is None or not len(data):
            return
        if data.refresh():
            self.backend.attach_connected(data)  # type: ignore[attr-defined]
            self._data_changed(tables=False)

    @property
    def model(self) -> SemanticModel:
        """The semantic model: the configured file, the built-in thelook model when the
        data has its tables, or one inferred from the schema of the allowed tables."""
        with self._lock:
            return self._load_model()

    def _load_model(self) -> SemanticModel:
        if self._model is None:
            from lgda_nb.engine._planners import choose_model

            model = choose_model(self)
            if self._taught:
                model = replace(model, phrases={**model.phrases, **self._taught})
            self._model = model
        return self._model

    @property
    def planner(self) -> Planner:
        """The configured planner: the offline one, or the chain of LLM providers in
        ``llm.provider`` then ``llm.fallback`` (usually ending in ``offline``)."""
        with self._lock:
            if self._planner is None:
                llm = self.config.llm
                if llm.provider == "offline":
                    self._planner = self._load_offline_planner()
                else:
                    from lgda_nb.engine._planners import llm_planner

                    self._planner = llm_planner(self, [llm.provider, *llm.fallback])
            return self._planner

    @property
    def offline_planner(self) -> OfflinePlanner:
        """The offline planner, with an index of the data's low-cardinality values."""
        with self._lock:
            return self._load_offline_planner()

    def _load_offline_planner(self) -> OfflinePlanner:
        if self._offline_planner is None:
            from lgda_nb.engine._planners import offline_planner

            self._offline_planner = offline_planner(self)
        return self._offline_planner

    def _llm_breaker(self, name: str) -> CircuitBreaker:
        with self._lock:
            if name not in self._llm_breakers:
                self._llm_breakers[name] = CircuitBreaker.from_config(
                    f"the {name} provider", self.config.retry
                )
            return self._llm_breakers[name]

    def llm_breaker_snapshots(self) -> list[dict[str, object]]:
        """The state of each provider's breaker, for ``%lgda_stats``."""
        with self._lock:
            return [breaker.snapshot() for breaker in self._llm_breakers.values()]

    @property
    def examples(self) -> ExampleStore:
        """Worked examples for LLM prompts: the built-in ones and the user's file."""
        from lgda_nb.engine._planners import example_store

        return example_store(self.config)

    def add_example(self, question: str, sql: str) -> None:
        """Teach LLM planners a pattern: ``sql`` answers ``question``.

        The SQL must pass the same checks as ``run_sql`` (a refused statement raises
        ``SecurityError`` and is not stored); its canonical form is appended to
        ``llm.examples_file`` and used in prompts for similar questions.
        """
        from lgda_nb.engine._planners import add_example

        add_example(self, question, sql)

    def teach(self, phrase: str, meaning: str) -> Plan:
        """Read ``phrase`` as ``meaning`` in every question from now on, in this engine.

        ``meaning`` is written in words the toolkit already reads and must be a question
        it answers on its own ("customers who spent over $1000"); the plan it reads as is
        returned so you can check it. A meaning that does not read raises
        ``PlanningError`` and nothing is learned. To keep a phrase, write it as a
        ``[[synonyms]]`` entry in the model file (README "Semantic model files").
        """
        from lgda_nb.engine._planners import teach

        return teach(self, phrase, meaning)

    def data_bounds(self, column: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """Where the data of a ``table.column`` timestamp starts and stops (UTC, naive);
        the configured as-of time, if any, is the stop. Read once per engine; ``None``
        where unknown."""
        import pandas as pd

        from lgda_nb.engine._values import naive_utc, read_bounds

        with self._lock:
            if column not in self._data_bounds:
                self._data_bounds[column] = read_bounds(self, column)
            start, end = self._data_bounds[column]
        if self.config.planner.as_of:
            end = naive_utc(pd.Timestamp(self.config.planner.as_of))
        return start, end

    def plan_sql(self, planned: Plan) -> str:
        """The SQL of a plan: the model's own, or compiled from the semantic model."""
        return self.compiled(planned)[0]

    def compiled(self, planned: Plan) -> tuple[str, exp.Query | None]:
        """The SQL of a plan and, when it was compiled from the semantic model, the tree
        it was written from (None for SQL a model wrote)."""
        if planned.sql is not None:
            return planned.sql, None
        from lgda_nb import planner
        from lgda_nb.planner._sqlgen import bigquery_sql

        tree = planner.compile_tree(planned, self.model, as_of=self.config.planner.as_of)
        return bigquery_sql(tree), tree

    def ask(
        self,
        question: str,
        *,
        limit: int | None = None,
        use_cache: bool = True,
        on_stage: Callable[[str], None] | None = None,
        on_progress: Callable[[dict[str, Any]], None] | None = None,
        call_id: str | None = None,
    ) -> Result:
        """Answer a plain-English question: plan, SQL, checks, execution, facts, insight.

        Raises ``PlanningError`` (with questions it can answer) when the question
        cannot be mapped confidently; nothing is executed in that case.
        ``on_stage`` is told each stage as it starts ("planning", "running", ...);
        ``on_progress`` a warehouse job's progress. ``call_id`` names the call (its
        correlation id) so another thread can ``cancel(call_id)`` it.
        """
        _check_text(question, "question")
        if limit is not None and limit < 1:
            from lgda_nb.errors import UsageError

            raise UsageError(f"The row limit must be at least 1, not {limit}.")
        cap = self.config.security.max_rows
        state = _State.start(
            sql="",
            question=question,
            limit=min(limit, cap) if limit is not None else cap,
            correlation_id=call_id or new_correlation_id(),
            use_cache=use_cache,
            on_stage=on_stage,
            on_progress=on_progress,
        )
        return self._run(ASK_STAGES, state)

    def explain(self, question: str) -> tuple[Plan, str]:
        """The plan and canonical SQL for ``question``, checked but not executed.

        A bug in planning is an ``InternalError``, as in ``ask``: a clear message, never
        a raw traceback."""
        self._sync_data()
        try:
            planned = self.interpreted(self.planner.plan(question))
            sql, tree = self.compiled(planned)
            known = self.known_tables()
            return planned, self.validator.validate(sql, known_tables=known, tree=tree).canonical
        except LGDAError:
            raise
        except Exception as exc:
            logger.exception("internal_error", stage="explain")
            raise InternalError.caught(exc, "the plan stage", stage="plan") from exc

    def interpreted(self, plan: Plan) -> Plan:
        """``plan`` with its interpretation sentence, written from the plan and the model,
        and no configured secret in its calls, notes or SQL (a provider may quote an
        error body that echoes the key)."""
        from lgda_nb._secrets import scrub_value

        plan = scrub_value(plan)
        if plan.interpretation:
            return plan
        from lgda_nb.planner._interpret import interpret

        return replace(plan, interpretation=interpret(plan, self.model))

    def check_sql(self, sql: str) -> str:
        """Validate ``sql`` as ``run_sql`` would and return its canonical form; run nothing."""
        return self.validator.validate(sql, known_tables=self.known_tables()).canonical

    @property
    def validator(self) -> SecurityValidator:
        """The SQL policy every statement passes, from ``config.security``."""
        with self._lock:
            return self._load_validator()

    def _load_validator(self) -> SecurityValidator:
        if self._validator is None:
            from lgda_nb.security import SecurityValidator, policy_from_config

            policy = policy_from_config(self.config)
            if self._data is not None and len(self._data):
                policy = replace(policy, allowed_tables=self.allowed_tables)
            self._validator = SecurityValidator(policy)
        return self._validator

    def run_sql(
        self,
        sql: str,
        *,
        limit: int | None = None,
        use_cache: bool = True,
        on_stage: Callable[[str], None] | None = None,
        on_progress: Callable[[dict[str, Any]], None] | None = None,
        call_id: str | None = None,
    ) -> Result:
        """Run BigQuery-dialect SQL through the same checks as generated SQL.

        ``limit`` caps the rows returned (never above ``security.max_rows``); the
        listeners and ``call_id`` are as for ``ask``.
        Raises an ``LGDAError`` subclass on any failure; nothing partial is returned.
        """
        _check_text(sql, "SQL")
        if limit is not None and limit < 1:
            from lgda_nb.errors import UsageError

            raise UsageError(f"The row limit must be at least 1, not {limit}.")
        cap = self.config.security.max_rows
        state = _State.start(
            sql=sql,
            question=None,
            limit=min(limit, cap) if limit is not None else cap,
            correlation_id=call_id or new_correlation_id(),
            use_cache=use_cache,
            on_stage=on_stage,
            on_progress=on_progress,
        )
        return self._run(SQL_STAGES, state)

    def _run(self, stages: tuple[Stage, ...], state: _State) -> Result:
        configure_logging(self.config)
        with self._lock:
            self._active.append(state)
        try:
            self._audit_start(state)
            try:
                self._sync_data()
            except LGDAError as exc:  # a connected file gone: a failed call, audited
                exc.correlation_id = state.correlation_id
                self._audit(state, time.perf_counter(), error=exc)
                raise
            return self._run_cached(stages, state)
        finally:
            with self._lock:
                self._active = [s for s in self._active if s is not state]

    def _run_cached(self, stages: tuple[Stage, ...], state: _State) -> Result:
        text_key = None
        if state.use_cache and self.config.cache.enabled:
            from lgda_nb._cache import cache_key

            kind = "ask" if state.question is not None else "sql"
            text = state.question if state.question is not None else state.sql
            state.cache_context = self.cache_context(state.limit)  # once per call
            text_key = cache_key(f"{kind}:{text}", state.cache_context)
            started = time.perf_counter()
            hit = self.query_cache.get_result(text_key)
            if hit is not None:
                hit.timings = {"cache": time.perf_counter() - started}
                hit.correlation_id = state.correlation_id
                state.canonical, state.tables, state.df = hit.sql, hit.tables, hit.df
                state.bytes = hit.bytes
                self._audit(state, started, cached=True)
                return hit
        result = self._run_stages(stages, state)
        if text_key is not None and state.cache_context is not None:
            answer_key = cache_key(state.executed_sql, state.cache_context)  # not redacted
            self.query_cache.put_result(text_key, result, answer_key=answer_key)
        return result

    def _run_stages(self, stages: tuple[Stage, ...], state: _State) -> Result:
        """Run ``stages`` in order; one log line per call: ``done`` with every stage's
        duration, or ``failed`` (``internal_error``) where a stage failed, with the
        durations so far (a line per stage cost about 50 us each)."""
        call = state.correlation_id
        started = time.perf_counter()
        try:
            index = 0
            while index < len(stages):
                stage = stages[index]
                if state.cancelled.is_set():
                    from lgda_nb.errors import QueryCancelledError

                    raise QueryCancelledError(
                        f"Cancelled before the {stage.__name__} stage; nothing was shown.",
                        stage=stage.__name__,
                    )
                state.tell(STAGE_LABELS.get(stage.__name__, stage.__name__))
                try:
                    with timed_stage(stage.__name__, state.timings, emit=False):
                        stage(self, state)
                    index += 1
                except LGDAError as exc:
                    exc.stage = exc.stage or stage.__name__
                    exc.correlation_id = state.correlation_id
                    self._scrub(exc)
                    logger.warning(
                        "failed",
                        correlation_id=call,
                        stage=stage.__name__,
                        code=exc.code,
                        error=exc.message,
                        stages=stage_ms(state.timings),
                    )
                    if self._repair(state, exc):
                        index = stages.index(synthesize_sql)
                        continue
                    raise
                except Exception as exc:
                    # A bug, not a user error: still a clear message, never a partial answer.
                    logger.exception(
                        "internal_error",
                        correlation_id=call,
                        stage=stage.__name__,
                        stages=stage_ms(state.timings),
                    )
                    name = stage.__name__
                    error = InternalError.caught(exc, f"the {name} stage", stage=name)
                    error.correlation_id = state.correlation_id
                    raise error from exc
        except LGDAError as exc:
            exc.attempts = list(state.attempts)
            self._audit(state, started, error=exc)
            raise
        assert state.result is not None
        logger.info(
            "done",
            correlation_id=call,
            rows=state.result.row_count,
            backend=state.result.backend,
            stages=stage_ms(state.timings),
        )
        self._audit(state, started)
        return state.result

    def _repair(self, state: _State, error: LGDAError) -> bool:
        """Let the planner re-plan generated SQL that failed in a way it can act on.

        Only for questions, only for SQL errors (unknown column, type mismatch, bad
        function), never for refusals, and at most ``retry.repair_attempts`` times.
        Every failed attempt (SQL, error) is kept. Returns whether to try again.
        """
        from lgda_nb.errors import SQLError

        if (
            state.plan is None
            or not isinstance(error, SQLError)
            or state.repairs >= self.config.retry.repair_attempts
        ):
            return False
        repair = getattr(self.planner, "repair", None)
        if not callable(repair):
            return False
        new_plan = repair(state.plan, state.sql, error)
        if new_plan is None:
            return False
        from lgda_nb._secrets import scrub_value

        new_plan = scrub_value(new_plan)
        state.attempts.append(
            {"stage": error.stage, "attempt": state.repairs + 1, "sql": state.sql,
             "error": f"{type(error).__name__}: {error.message}"}
        )  # fmt: skip
        state.repairs += 1
        state.plan = new_plan
        return True

    def _audit_start(self, state: _State) -> None:
        """The call's ``start`` record, before any stage runs: a process killed mid-query
        still leaves it. Refused with ``AuditError`` when it cannot be written and the
        audit is required."""
        from lgda_nb.security import current_user

        security = self.config.security
        state.user = current_user(security.audit_user, locked=security.locked)
        record = {
            "event": "start",
            "user": state.user,
            "kind": "ask" if state.question is not None else "sql",
            "question": state.question,
            "sql": state.sql or None,
            "backend": self.config.backend,
            "outcome": "started",
            "correlation_id": state.correlation_id,
        }
        try:
            self._write_audit(record, withheld="nothing ran")
        except LGDAError as exc:
            exc.correlation_id = state.correlation_id
            raise

    def _write_audit(self, record: dict[str, Any], *, withheld: str) -> None:
        from lgda_nb.security._audit import audit_path, write_record

        write_record(
            audit_path(self.config.security.audit_file),
            record,
            required=self.config.audit_required,
            withheld=withheld,
            locked=self.config.security.locked,
        )

    def _audit(
        self,
        state: _State,
        started: float,
        error: LGDAError | None = None,
        *,
        cached: bool = False,
    ) -> None:
        """The call's ``end`` record. When it cannot be written and the audit is required,
        an answer is withheld (``AuditError``); a failed call keeps its own error."""
        from lgda_nb.errors import AuditError
        from lgda_nb.security import current_user, sql_hash

        security = self.config.security
        sql = state.canonical or state.sql
        df = state.df if error is None else None
        record = {
            "event": "end",
            "user": state.user or current_user(security.audit_user, locked=security.locked),
            "kind": "ask" if state.question is not None else "sql",
            "question": state.question,
            "sql": sql,
            "sql_hash": sql_hash(sql) if sql else None,
            "tables": list(state.tables),
            "backend": self.config.backend,
            "outcome": "ok" if error is None else error.code,
            "error": None if error is None else error.message,
            "stage": None if error is None else error.stage,
            "rule": getattr(error, "rule", None),
            "rows": None if df is None else len(df),
            "bytes": None if df is None else state.bytes,
            "pii_masked": [f.column for f in state.pii if f.action == "mask"],
            "cached": cached or state.cached,
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            "correlation_id": state.correlation_id,
        }
        try:
            self._write_audit(record, withheld="the answer is withheld")
        except AuditError as audit_error:
            if error is not None:
                return  # logged; the call's own error says more than the audit's
            audit_error.correlation_id = state.correlation_id
            raise

    def cancel(self, call_id: str | None = None) -> int:
        """Cancel one call: the one named ``call_id`` (an ``ask``/``run_sql`` argument,
        or ``Result.correlation_id``), or without an id the calls this thread started.

        Other calls on the same engine (a dashboard's refresh, another panel) go on.
        A cancelled call's query is interrupted where the backend can do that, and the
        call stops before its next stage either way. Returns how many calls it reached.
        """
        me = threading.get_ident()
        with self._lock:
            chosen = [
                s for s in self._active
                if (s.correlation_id == call_id if call_id is not None else s.call.thread == me)
            ]  # fmt: skip
        for state in chosen:
            state.cancelled.set()
        return len(chosen)

    def cancel_all(self) -> int:
        """Cancel every call running on this engine, from any thread."""
        with self._lock:
            running = list(self._active)
        for state in running:
            state.cancelled.set()
        return len(running)

    def close(self) -> None:
        """Close the backend's connections."""
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


def _new_data() -> ConnectedData:
    from lgda_nb.engine._connect import ConnectedData

    return ConnectedData()

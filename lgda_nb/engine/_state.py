"""What one call carries through the stages, and the stage signature."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import structlog

if TYPE_CHECKING:
    import pandas as pd
    from sqlglot import exp

    from lgda_nb.backends import CallContext
    from lgda_nb.engine._engine import Engine
    from lgda_nb.engine._result import Result
    from lgda_nb.insight import Facts, Shape
    from lgda_nb.insight._facts import Columns
    from lgda_nb.planner import Plan
    from lgda_nb.security import PIIFinding
    from lgda_nb.security._masking import ScanMasking

logger = structlog.get_logger("lgda_nb.engine")


@dataclass(frozen=True)
class Call:
    """What one ``ask``/``run_sql`` call was asked, fixed while it runs."""

    #: The question (``ask``), or None (``run_sql``).
    question: str | None
    #: The row cap, already bounded by ``security.max_rows``.
    limit: int
    use_cache: bool
    #: What the backend is told about this call: its id, listeners and cancel flag.
    context: CallContext
    #: Told the stage being worked on ("planning", "running", ...), for status lines.
    on_stage: Callable[[str], None] | None = None

    def tell(self, label: str) -> None:
        """Report progress; a failing listener never stops the work."""
        if self.on_stage is not None:
            try:
                self.on_stage(label)
            except Exception as exc:
                logger.warning("on_stage_failed", error=str(exc))


@dataclass
class _State:
    """What the stages pass along; only ``report`` turns it into a ``Result``.

    The call's own inputs are the frozen ``request``; the rest is what stages produce.
    """

    request: Call
    #: The SQL to run: the caller's (``run_sql``), or the plan's (``synthesize_sql``).
    sql: str
    plan: Plan | None = None
    #: The query ``sql`` was written from, when it was compiled here: the validator
    #: checks it instead of parsing ``sql`` again.
    tree: exp.Query | None = None
    timings: dict[str, float] = field(default_factory=dict)
    # validate_sql
    canonical: str = ""
    tables: tuple[str, ...] = ()
    executed_sql: str = ""
    injected_limit: bool = False
    #: The scan masking the backend SQL was written with (None: no personal columns).
    masking: ScanMasking | None = None
    #: Who the audit says asked, read once per call.
    user: str = ""
    # execute_sql
    cache_context: dict[str, Any] | None = None
    cached: bool = False
    bytes: int = 0
    bytes_estimate: int | None = None
    df: pd.DataFrame | None = None
    truncated: bool = False
    pii: list[PIIFinding] = field(default_factory=list)
    # analyze_df
    shape: Shape | None = None
    #: The rows the facts and chart read (quarters as dates); ``df`` is what users get.
    facts_df: pd.DataFrame | None = None
    #: The columns of the rows the facts and chart read, each read once for both.
    facts_table: Columns | None = None
    facts: Facts | None = None
    # report
    result: Result | None = None
    # recovery
    repairs: int = 0
    attempts: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        *,
        sql: str,
        question: str | None,
        limit: int,
        correlation_id: str,
        use_cache: bool,
        on_stage: Callable[[str], None] | None,
        on_progress: Callable[[dict[str, Any]], None] | None,
    ) -> _State:
        """A new call's state, with its own context (id, listeners, cancel flag)."""
        from lgda_nb.backends import CallContext

        context = CallContext(correlation_id, on_progress=on_progress)
        request = Call(question, limit, use_cache, context, on_stage=on_stage)
        return cls(request=request, sql=sql)

    @property
    def question(self) -> str | None:
        return self.request.question

    @property
    def limit(self) -> int:
        return self.request.limit

    @property
    def use_cache(self) -> bool:
        return self.request.use_cache

    @property
    def call(self) -> CallContext:
        return self.request.context

    @property
    def correlation_id(self) -> str:
        return self.request.context.call_id

    @property
    def cancelled(self) -> threading.Event:
        """Set by ``Engine.cancel``; checked before each stage and watched by the backend."""
        return self.request.context.cancelled

    def tell(self, label: str) -> None:
        """Report progress; a failing listener never stops the work."""
        self.request.tell(label)


#: What a status line says while each stage runs.
STAGE_LABELS = {
    "plan": "planning",
    "synthesize_sql": "writing SQL",
    "validate_sql": "validating",
    "execute_sql": "running",
    "analyze_df": "analysing",
    "report": "reporting",
}


Stage = Callable[["Engine", _State], None]

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
    from lgda_nb.planner import Plan
    from lgda_nb.security import PIIFinding

logger = structlog.get_logger("lgda_nb.engine")


@dataclass
class _State:
    """What the stages pass along; only ``report`` turns it into a ``Result``."""

    sql: str
    limit: int
    correlation_id: str
    question: str | None = None
    plan: Plan | None = None
    timings: dict[str, float] = field(default_factory=dict)
    canonical: str = ""
    tree: exp.Query | None = None
    tables: tuple[str, ...] = ()
    executed_sql: str = ""
    injected_limit: bool = False
    use_cache: bool = True
    cache_context: dict[str, Any] | None = None
    cached: bool = False
    bytes: int = 0
    bytes_estimate: int | None = None
    repairs: int = 0
    attempts: list[dict[str, Any]] = field(default_factory=list)
    df: pd.DataFrame | None = None
    truncated: bool = False
    pii: list[PIIFinding] = field(default_factory=list)
    shape: Shape | None = None
    #: The rows the facts and chart read (quarters as dates); ``df`` is what users get.
    facts_df: pd.DataFrame | None = None
    facts: Facts | None = None
    result: Result | None = None
    #: Told the stage being worked on ("planning", "running", ...), for status lines.
    on_stage: Callable[[str], None] | None = None
    #: Told a warehouse job's progress while it runs (the notebook's progress line).
    on_progress: Callable[[dict[str, Any]], None] | None = None
    #: What the backend is told about this call: its id, listeners and cancel flag.
    call: CallContext = field(init=False)

    def __post_init__(self) -> None:
        from lgda_nb.backends import CallContext

        self.call = CallContext(self.correlation_id, on_progress=self.on_progress)

    @property
    def cancelled(self) -> threading.Event:
        """Set by ``Engine.cancel``; checked before each stage and watched by the backend."""
        return self.call.cancelled

    def tell(self, label: str) -> None:
        """Report progress; a failing listener never stops the work."""
        if self.on_stage is not None:
            try:
                self.on_stage(label)
            except Exception as exc:
                logger.warning("on_stage_failed", error=str(exc))


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

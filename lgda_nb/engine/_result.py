"""``Result``: everything one question or query produced, and how it renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Result:
    """The answer to one ``Engine.ask`` or ``Engine.run_sql`` call.

    ``sql`` is the canonical BigQuery SQL; ``executed_sql`` is what the backend
    ran (its dialect, tables resolved, row cap applied). ``timings`` maps each
    stage to seconds.
    """

    question: str | None
    sql: str
    executed_sql: str
    df: pd.DataFrame
    backend: str
    timings: dict[str, float] = field(default_factory=dict)
    plan: Any = None
    #: One sentence restating what was computed, with the filters and rules applied.
    interpretation: str = ""
    summary: str = ""
    chart: dict[str, Any] | None = None
    cached: bool = False
    truncated: bool = False
    row_limit: int | None = None
    tables: tuple[str, ...] = ()
    correlation_id: str = ""
    attempts: list[dict[str, Any]] = field(default_factory=list)
    facts: Any = None
    follow_ups: tuple[str, ...] = ()
    #: Columns found to hold personal data and what was done (``PIIFinding``).
    pii: tuple[Any, ...] = ()
    #: Memory the answer takes (deep), as counted for the cache bound and the audit;
    #: measured only when the answer is cached (0 with the cache off).
    bytes: int = 0
    #: Bytes the warehouse estimated it would process (BigQuery dry run), if any.
    bytes_estimate: int | None = None

    @property
    def row_count(self) -> int:
        """Rows in ``df`` (after any truncation to the row limit)."""
        return len(self.df)

    @property
    def provider(self) -> str | None:
        """Who planned the question: ``offline`` or ``provider/model``; ``None`` for SQL."""
        return getattr(self.plan, "source", None)

    @property
    def elapsed(self) -> float:
        """Seconds spent in all stages together."""
        return sum(self.timings.values())

    def __repr__(self) -> str:
        return (
            f"<Result {self.row_count} rows x {len(self.df.columns)} columns "
            f"from {self.backend} in {self.elapsed:.3f}s>"
        )

    def __str__(self) -> str:
        from lgda_nb.jupyter._display import result_text

        return result_text(self, with_table=True)

    def _repr_html_(self) -> str:
        from lgda_nb.jupyter._display import result_html

        return result_html(self, with_table=True)

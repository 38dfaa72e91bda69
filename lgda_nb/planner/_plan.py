"""The plan: what a planner understood, before any SQL exists."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol


@dataclass(frozen=True)
class Filter:
    """``dimension`` compared with literal ``values`` (user text stays a literal).

    ``op`` is ``in`` (one of the values; ``negate`` makes it "not in"), a comparison
    (``>``, ``>=``, ``<``, ``<=``, ``=``) with one number, or ``between`` two numbers
    (both included).
    """

    dimension: str
    values: tuple[str | int | float, ...]
    negate: bool = False
    op: str = "in"


@dataclass(frozen=True)
class Condition:
    """A condition on a measure of each ``per`` (a dimension): "orders with more than 3
    items" (per order), "countries with at least 200 orders" (per country).

    Only the rows of a ``per`` value whose measure passes count toward the answer.
    ``op`` is a comparison (``>``, ``>=``, ``<``, ``<=``, ``=``) with one number, or
    ``between`` two (both included).
    """

    metric: str
    per: str
    op: str
    values: tuple[int | float, ...]


#: Every kind of time window, with the words that describe it. ``n``, ``year``,
#: ``month`` (1-12) and ``years`` (``low``/``high`` for a range) fill the words.
WINDOW_KINDS: dict[str, str] = {
    "last_days": "last {n} days",
    "recent_months": "{n} most recent months",
    "complete_months": "last {n} complete months",
    "recent_years": "last {n} years",
    "this_year": "this year",
    "last_year": "last year",
    "year": "in {year}",
    "years": "{years}",
    "year_range": "{low} to {high}",
    "since_year": "since {year}",
    "before_year": "before {year}",
    "through_year": "through {year}",
    "after_year": "after {year}",
    "this_month": "this month",
    "last_month": "last month",
    "month": "{month_name} {year}",
    "this_quarter": "this quarter",
    "last_quarter": "last quarter",
    "quarter": "Q{n} {year}",
    "today": "today",
    "yesterday": "yesterday",
    "this_week": "this week",
    "last_week": "last week",
    "complete_weeks": "last {n} complete weeks",
    "year_to_date": "year to date",
    "since_date": "since {month_name} {n}, {year}",
    "after_date": "after {month_name} {n}, {year}",
    "before_date": "before {month_name} {n}, {year}",
    "through_date": "through {month_name} {n}, {year}",
}
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True)
class TimeWindow:
    """A window on the metric's time column, relative to the as-of time or absolute.

    ``kind`` is one of ``WINDOW_KINDS``; relative windows count back from the as-of
    time (``last_days`` with ``n``; ``quarter`` with ``n`` 1-4 and ``year``).
    """

    kind: str
    n: int = 0
    year: int = 0
    month: int = 0
    years: tuple[int, ...] = ()
    label: str = ""

    def described(self) -> TimeWindow:
        """This window with its ``label`` written from the kind when it has none."""
        if self.label or self.kind not in WINDOW_KINDS:
            return self
        years = self.years or (0,)
        month = _MONTH_NAMES[self.month - 1] if 1 <= self.month <= 12 else str(self.month)
        label = WINDOW_KINDS[self.kind].format(
            n=self.n,
            year=self.year,
            month_name=month,
            years=" and ".join(str(y) for y in self.years),
            low=years[0],
            high=years[-1],
        )
        return replace(self, label=label)


@dataclass(frozen=True)
class Plan:
    """Metrics x dimensions x filters x time, ordered and limited, with a confidence."""

    question: str
    metrics: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    #: Conditions on a measure of each order, customer, group... ("with more than 3 items").
    conditions: tuple[Condition, ...] = ()
    #: The model's default rules not applied ("regardless of status" drops the rule on
    #: which statuses count as revenue); named filters of the model.
    ignore_rules: tuple[str, ...] = ()
    time_window: TimeWindow | None = None
    grain: str | None = None
    order: str = "auto"  # auto | desc | asc | time
    limit: int | None = None
    #: The ranking restarts in each value of this dimension ("top 2 brands per category").
    per: str | None = None
    share: bool = False
    #: Shares of the rows shown (the filters narrow the whole), not of the unfiltered whole.
    share_of_rows: bool = False
    #: Shares restart in each value of this breakdown ("each category's share of its
    #: department's revenue": the categories of a department add up to 100).
    share_within: str | None = None
    growth: bool = False
    #: A running total beside each period of the grain ("with a running total").
    cumulative: bool = False
    funnel: bool = False
    #: Compare the window with the period before it (current, previous, change %).
    compare: bool = False
    #: Apply the time window to this column instead of the metric's own date
    #: ("customers who signed up in 2025" -> users.created_at).
    time_column: str | None = None
    #: The funnel's steps asked, in the funnel's order ("from product view": product,
    #: cart, purchase); empty means every step.
    steps: tuple[str, ...] = ()
    #: Only sessions that have an event matching each filter ("sessions that viewed a
    #: product"), or with ``negate`` none ("but no purchase"); dated by their first event.
    session_filters: tuple[Filter, ...] = ()
    #: The % of those sessions that also match these ("went on to purchase").
    session_rate: tuple[Filter, ...] = ()
    confidence: float = 1.0
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: SQL written by a language model; ``None`` means the plan is compiled from the
    #: semantic model. Either way the engine validates it before it runs.
    sql: str | None = None
    #: One plain sentence restating what is computed, conventions included.
    interpretation: str = ""
    #: Who planned it: ``offline`` or ``provider/model``.
    source: str = "offline"
    #: What each provider in the chain did (``ProviderCall``): answered, skipped, failed.
    calls: tuple[Any, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, shown in the detail block and the CLI's JSON output."""
        return asdict(self)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON schema of ``to_dict()``'s output (metrics, dimensions, typed filters,
        time window, order, limits, ...), for tools and model prompts that emit plans."""
        from pydantic import TypeAdapter

        schema: dict[str, Any] = TypeAdapter(cls).json_schema()
        return schema

    def describe(self) -> str:
        """One line a person can check: what will be computed."""
        if self.sql is not None:
            because = f": {self.notes[0]}" if self.notes else ""
            return f"SQL written by {self.source}{because}"
        parts = [", ".join(self.metrics)]
        if self.dimensions:
            parts.append("by " + ", ".join(self.dimensions))
        if self.grain:
            parts.append(f"per {self.grain}")
        for f in self.filters:
            op = "not in" if f.negate else "="
            parts.append(f"where {f.dimension} {op} {', '.join(map(str, f.values))}")
        for c in self.conditions:
            amount = " and ".join(map(str, c.values))
            parts.append(f"where {c.metric} per {c.per} {c.op} {amount}")
        if self.steps:
            parts.append("steps " + ", ".join(self.steps))
        for word, found in (("with", self.session_filters), ("% with", self.session_rate)):
            for f in found:
                parts.append(
                    f"sessions {word}{'out' if f.negate else ''} {', '.join(map(str, f.values))}"
                )
        if self.time_window:
            parts.append(self.time_window.label)
        if self.limit:
            parts.append(f"{'bottom' if self.order == 'asc' else 'top'} {self.limit}")
        extras = (
            (self.share, "with share of total"),
            (self.share_within, f"within each {self.share_within}"),
            (self.growth, "with period-over-period growth"),
            (self.cumulative, "with a running total"),
            (self.ignore_rules, "without " + ", ".join(self.ignore_rules)),
            (self.compare, "compared with the period before"),
        )
        parts += [text for asked, text in extras if asked]
        return " ".join(parts)


class Planner(Protocol):
    """What the engine needs of a planner; offline and LLM planners both provide it.

    A planner may also offer ``repair(plan, sql, error) -> Plan | None`` to re-plan
    SQL that failed in a way it can act on.
    """

    def plan(self, question: str) -> Plan:
        """The plan for ``question``; ``PlanningError`` when it cannot be mapped."""
        ...

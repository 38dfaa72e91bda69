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
class Band:
    """Bands of the numeric dimension ``dimension`` given in the question.

    ``edges`` are the lower bounds of every band but the first ("under 25, 25-44, 45+"
    is ``(25, 45)``); ``width`` cuts equal buckets instead ("in $100 buckets"). Each
    band includes its lower bound.
    """

    dimension: str
    edges: tuple[int | float, ...] = ()
    width: int | float = 0
    #: Each band's name as the question wrote it ("55 and over"); empty: written from
    #: the edges ("55+").
    labels: tuple[str, ...] = ()


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
    #: ``average``: compared with the average instead of ``values`` (no values): the
    #: measure over all rows when it is an average or a rate, else its mean per ``per``.
    against: str | None = None
    #: The measure over all time, not the answer's window: "users who signed up in 2025
    #: and never placed an order" dates the users, not their orders.
    ever: bool = False
    #: The measure over this window instead of the answer's: "customers who bought in
    #: 2024 but not in 2025" are 2024's buyers with no items bought in 2025.
    window: TimeWindow | None = None
    #: Filters of the rows the measure is taken over, said right after the condition
    #: ("brands with more than 50 products in the Men department": Men's products;
    #: "customers who spent over $500 on Jeans"). The answer keeps them too.
    filters: tuple[Filter, ...] = ()


#: Periods a ranking of a shorter period may restart in ("the best month of each year"):
#: the year a month, quarter or day falls in.
LONGER_PERIODS: dict[str, tuple[str, ...]] = {"month": ("year",), "quarter": ("year",),
                                              "day": ("year",)}  # fmt: skip

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
    # Whole months from ``month`` of ``years[0]`` through month ``n`` of ``years[1]``.
    "month_range": "{month_name} {low} to {end_month_name} {high}",
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
    # Whole days from day ``n`` of ``month`` of ``year`` through the day ``years`` names
    # as [year, month, day], both included.
    "date_range": "{month_name} {n}, {year} to {end_date}",
    # The month or quarter ``n`` before the as-of time's own (12 or 4: a year earlier).
    "month_back": "the month {n} months before this one",
    "quarter_back": "the quarter {n} quarters before this one",
}
MONTH_NAMES = (
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
        month = MONTH_NAMES[self.month - 1] if 1 <= self.month <= 12 else str(self.month)
        end_month = MONTH_NAMES[self.n - 1] if 1 <= self.n <= 12 else str(self.n)
        end = self.years if self.kind == "date_range" and len(self.years) == 3 else (0, 1, 0)
        end_name = MONTH_NAMES[end[1] - 1] if 1 <= end[1] <= 12 else str(end[1])
        label = WINDOW_KINDS[self.kind].format(
            end_date=f"{end_name} {end[2]}, {end[0]}",
            n=self.n,
            year=self.year,
            month_name=month,
            end_month_name=end_month,
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
    #: Rules applied beside the measure's own: named filters of the model, or date
    #: checks ("orders with no ship date": ``undated:orders.shipped_at``).
    rules: tuple[str, ...] = ()
    time_window: TimeWindow | None = None
    grain: str | None = None
    order: str = "auto"  # auto | desc | asc | time
    limit: int | None = None
    #: The ranking restarts in each value of this dimension ("top 2 brands per category").
    per: str | None = None
    #: The groups of such a ranking follow their key, not their name: the question named
    #: the key ("for each distribution center ... show DC id and name").
    per_by_key: bool = False
    share: bool = False
    #: Shares of the rows shown (the filters narrow the whole), not of the unfiltered whole.
    share_of_rows: bool = False
    #: A share of the things that meet a condition is over those whose condition measure
    #: exists ("of the orders that have been delivered, what % arrived within 5 days":
    #: the orders with both moments), not over all of them.
    share_of_measured: bool = False
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
    #: The earlier period a comparison is with when the question names it ("Q1 2025 vs
    #: Q1 2024"); ``None`` compares with the period just before the window.
    compare_with: TimeWindow | None = None
    #: What a ranking orders by instead of the first measure: ``change`` (the change
    #: in % of a comparison, "top 5 by growth") or ``difference`` (the later value minus
    #: the earlier, "the biggest increase in orders"), shown beside the two periods.
    rank_by: str | None = None
    #: Show the later value minus the earlier beside a comparison's change in % ("and the
    #: difference", "how many more"), as a ranking by the difference does.
    difference: bool = False
    #: A rolling average over this many periods of the grain beside each period
    #: ("7-day rolling average"); periods with no rows count as zero.
    rolling: int = 0
    #: Bands of numeric breakdowns given in the question ("under 25, 25-44, 45+").
    bands: tuple[Band, ...] = ()
    #: Each entity's measure as the breakdown, counting entities ("how many orders have
    #: 1, 2, ... items"): ``metric:entity`` such as ``order_lines:order_id``.
    by_measure: str | None = None
    #: With ``by_measure``, the width of the buckets its values are counted in, each from
    #: its lower bound ("order values in $50 buckets"); 0 counts each value.
    by_measure_width: int | float = 0
    #: The share of the measure from the top N% of ``top_per`` (an entity) ranked by it.
    top_percent: float | None = None
    #: The same from the top N of them, a count ("the top 10 brands").
    top_count: int | None = None
    top_per: str | None = None
    #: A list of rows, not an aggregate ("the 5 cheapest products: name, brand, price"):
    #: the table whose rows are listed; ``metrics`` is then empty.
    rows: str | None = None
    #: The ``table.column`` names a list shows, in order: columns of ``rows`` or of a
    #: table it joins many-to-one.
    columns: tuple[str, ...] = ()
    #: The ``table.column`` a list is ranked by (``order`` asc or desc); rows without a
    #: value are left out. ``None``: by the table's title, then its key.
    sort: str | None = None
    #: The order the rows of a ranking are shown in when it is not the ranking's own
    #: ("top 5 brands by revenue, smallest first": the 5 largest, shown ``asc``).
    display: str | None = None
    #: Distinct values of ``columns`` ("which categories does the Men department have").
    distinct: bool = False
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

    @property
    def ranks_periods(self) -> bool:
        """Every period of a plain series, ordered by the measure ("busiest first")."""
        return bool(
            self.grain
            and not self.limit
            and not self.dimensions
            and self.order in {"asc", "desc"}
            and not (self.cumulative or self.growth or self.rolling)
        )

    def _sessions_described(self) -> list[str]:
        """The funnel's steps and the conditions on sessions, for ``describe``."""
        parts = ["steps " + ", ".join(self.steps)] if self.steps else []
        for word, found in (("with", self.session_filters), ("% with", self.session_rate)):
            parts += [
                f"sessions {word}{'out' if f.negate else ''} {', '.join(map(str, f.values))}"
                for f in found
            ]
        return parts

    def describe(self) -> str:
        """One line a person can check: what will be computed."""
        if self.sql is not None:
            because = f": {self.notes[0]}" if self.notes else ""
            return f"SQL written by {self.source}{because}"
        parts = [", ".join(self.metrics)]
        if self.rows is not None:
            shown = ", ".join(self.columns)
            parts = [f"{'distinct ' if self.distinct else ''}{shown} of {self.rows} rows"]
            if self.sort:
                parts.append(f"by {self.sort} {self.order}")
        if self.dimensions:
            parts.append("by " + ", ".join(self.dimensions))
        if self.grain:
            parts.append(f"per {self.grain}")
        for f in self.filters:
            op = "not in" if f.negate else "="
            parts.append(f"where {f.dimension} {op} {', '.join(map(str, f.values))}")
        for c in self.conditions:
            amount = " and ".join(map(str, c.values)) or str(c.against)
            ever = " (all time)" if c.ever else ""
            if c.window is not None:
                ever = f" ({c.window.described().label})"
            parts.append(f"where {c.metric} per {c.per} {c.op} {amount}{ever}")
        parts += self._sessions_described()
        if self.time_window:
            parts.append(self.time_window.label)
        if self.limit and self.rows is not None:
            parts.append(f"first {self.limit}")
        elif self.limit:
            parts.append(f"{'bottom' if self.order == 'asc' else 'top'} {self.limit}")
        within_period = self.share and self.grain and self.dimensions and not self.share_within
        share = f"with share within each {self.grain}" if within_period else "with share of total"
        extras = (
            (self.share, share),
            (self.share_within, f"within each {self.share_within}"),
            (self.growth, "with period-over-period growth"),
            (self.cumulative, "with a running total"),
            (self.ignore_rules, "without " + ", ".join(self.ignore_rules)),
            (self.rules, "with " + ", ".join(self.rules)),
            (self.compare and not self.compare_with, "compared with the period before"),
            (self.compare_with, f"compared with {(self.compare_with or TimeWindow('')).label}"),
            (self.rank_by, f"ranked by {self.rank_by}"),
            (self.difference, "with the difference"),
            (self.rolling, f"with a {self.rolling}-{self.grain} rolling average"),
            (self.bands, "in the bands given"),
            (self.by_measure, f"counted by {self.by_measure}"),
            (self.top_percent, f"from the top {self.top_percent}% per {self.top_per}"),
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

"""Deterministic facts about a result DataFrame, computed before any wording.

The insight text and any later summariser may only say what is recorded here,
so every number a reader sees can be traced back to one field of ``Facts``.
pandas is imported inside functions: this module is reachable from the engine,
and ``import lgda_nb`` must stay light.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    import pandas as pd

Unit = Literal["money", "count", "percent", "number"]
Kind = Literal["empty", "single", "category", "stages", "series", "matrix", "table"]
Trend = Literal["up", "down", "flat"]

UNITS: tuple[str, ...] = ("money", "count", "percent", "number")
GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")

#: A fitted change over the whole series smaller than this share of the mean is "flat".
FLAT_THRESHOLD = 0.05
#: A value whose robust z-score (distance from the median in median absolute deviations,
#: scaled to read like standard deviations) exceeds this is an outlier (Iglewicz and Hoaglin).
OUTLIER_Z = 3.5
#: Fewer values than this make no outlier claims: on 7 weekdays one low day is not unusual.
MIN_OUTLIER_POINTS = 10
#: Scales the median absolute deviation to a standard deviation for normal data.
_MAD_SCALE = 0.6745
#: Items kept at each end of a ranking, and outliers kept per measure.
TOP_N = 3
#: Fewer points than this make no trend.
MIN_POINTS = 3

MISSING_LABEL = "(missing)"

_NON_ADDITIVE_PREFIXES = ("avg", "average", "mean", "median", "rate", "share", "ratio", "pct")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONEY_WORDS = (
    "revenue",
    "sales",
    "price",
    "cost",
    "amount",
    "profit",
    "spend",
    "gmv",
    "aov",
    "margin",
    "income",
)
_PERCENT_WORDS = ("pct", "percent")
_TIME_NAMES = {"year", "quarter", "month", "week", "day", "date"}


def _empty_mapping() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Shape:
    """What the caller knows about a result's columns; the planner knows more than SQL does.

    ``additive`` overrides the rule that only money and count measures whose names
    do not start with avg/average/rate/share are summed (the planner's metric
    model carries an explicit flag). ``stages`` says the rows are the steps of a
    funnel, in order: the chart keeps that order and the text follows the steps.
    """

    measures: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    time: str | None = None
    grain: str | None = None
    units: Mapping[str, str] = field(default_factory=_empty_mapping)
    labels: Mapping[str, str] = field(default_factory=_empty_mapping)
    additive: Mapping[str, bool] = field(default_factory=_empty_mapping)
    stages: bool = False
    #: A rate's part and whole, shown beside it: the rate's column -> (part, whole)
    #: columns. The text gives them with the rate's extremes ("28.6%, 4 of 14"), not as
    #: measures of their own.
    parts: Mapping[str, tuple[str, str]] = field(default_factory=_empty_mapping)

    def __post_init__(self) -> None:
        # Accept lists and dicts from callers, but keep the frozen value immutable.
        object.__setattr__(self, "measures", tuple(self.measures))
        object.__setattr__(self, "dimensions", tuple(self.dimensions))
        for name in ("units", "labels", "additive", "parts"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def label_of(self, column: str) -> str:
        """The human label of a column: the given one, else the column name made readable."""
        return self.labels.get(column) or humanize(column)

    def unit_of(self, column: str) -> str:
        """The unit of a measure; unknown units count as plain numbers."""
        unit = self.units.get(column, "number")
        return unit if unit in UNITS else "number"

    def is_additive(self, column: str) -> bool:
        """Whether summing the measure over rows means something (money and counts do)."""
        if column in self.additive:
            return bool(self.additive[column])
        if self.unit_of(column) not in {"money", "count"}:
            return False
        return not column.lower().startswith(_NON_ADDITIVE_PREFIXES)


def humanize(column: str) -> str:
    """``total_revenue`` -> ``Total revenue``, ``n_orders`` -> ``Number of orders``."""
    text = re.sub(r"[_\s]+", " ", str(column)).strip()
    text = re.sub(r"^(?:n|num)\s+(?=\w)", "number of ", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:] if text else str(column)


def in_sentence(label: str) -> str:
    """A label inside a sentence: ``Revenue`` -> ``revenue``, but ``AOV`` stays."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


@dataclass(frozen=True)
class Item:
    """One labelled value: a category, a period or a cell of a two-dimension result."""

    label: str
    value: float | int
    #: For a rate, the counts it is of: (part, whole), "4 of 14" beside 28.6%.
    of: tuple[float | int, float | int] | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class Outlier(Item):
    """An item far from its baseline: the median, or for a series the least-squares line.

    ``deviations`` is the signed robust z-score of its residual: the distance from the
    median residual in median absolute deviations, scaled to read like standard deviations.
    """

    side: Literal["above", "below"] = "above"
    deviations: float = 0.0
    basis: Literal["median", "trend"] = "median"


@dataclass(frozen=True)
class MeasureFacts:
    """Everything known about one measure column.

    Rankings (``top`` descending, ``bottom`` ascending, ties by label) are over
    categories, cells or periods depending on ``Facts.kind``. ``top_share`` is a
    percentage (0-100) of ``total``; ``points`` counts the periods with a value.
    For a series broken down by a dimension the series fields describe per-period
    totals and ``top_groups`` ranks the dimension's totals.
    """

    column: str
    label: str
    unit: str
    additive: bool
    count: int
    value: float | int | None = None
    total: float | int | None = None
    mean: float | None = None
    top: tuple[Item, ...] = ()
    bottom: tuple[Item, ...] = ()
    top_share: float | None = None
    top_groups: tuple[Item, ...] = ()
    top_group_share: float | None = None
    first: Item | None = None
    previous: Item | None = None
    last: Item | None = None
    change: float | int | None = None
    change_pct: float | None = None
    points: int | None = None
    trend: Trend | None = None
    slope: float | None = None
    outliers: tuple[Outlier, ...] = ()
    #: For funnel stages: the share (0-100) of the first stage's value that reaches the
    #: last, and the step that keeps the smallest share of the one before it, labelled
    #: "A to B" with that share as its value.
    retained_pct: float | None = None
    steepest_step: Item | None = None


@dataclass(frozen=True)
class Facts:
    """Deterministic facts about one result; ``measures`` follow the shape's order."""

    row_count: int
    column_count: int
    kind: Kind
    measures: tuple[MeasureFacts, ...] = ()
    dimensions: tuple[str, ...] = ()
    time: str | None = None
    grain: str | None = None
    periods: int | None = None
    groups: int | None = None
    #: For a one-row answer with dimensions or a period: what that row is ("Nike").
    row_label: str | None = None
    #: Periods the data covers only in part (the week the data ends in, the first
    #: week of a "last 30 days" window), left out of changes, trends and rankings.
    partial_periods: tuple[str, ...] = ()
    #: Whether the rows are every group of the answer. A top 5, or rows cut by the row
    #: limit, are not: their sum is not the total, and no share of the total is known.
    complete: bool = True

    @property
    def primary(self) -> MeasureFacts | None:
        """The most important measure, if any."""
        return self.measures[0] if self.measures else None

    def measure(self, column: str) -> MeasureFacts | None:
        """The facts of one measure column, or ``None``."""
        return next((m for m in self.measures if m.column == column), None)


# --- shape inference -----------------------------------------------------------------


def normalised(df: pd.DataFrame) -> pd.DataFrame:
    """String column names, first of any duplicates: ``SELECT a.id, b.id`` must not break us."""
    labels = df.columns.tolist()
    names = [str(c) for c in labels]
    if names == labels and len(set(names)) == len(names):
        return df
    keep = [i for i, name in enumerate(names) if name not in names[:i]]
    return df.iloc[:, keep].set_axis([names[i] for i in keep], axis=1)


class Columns:
    """One answer's columns by name, each read once: the facts and the chart ask for the
    same few columns many times.

    Columns are taken by position: on a new frame a lookup by name first builds pandas'
    hash table of the column names, and every lookup builds a new Series, which together
    cost more than the facts of a short answer. ``df`` must be ``normalised``.
    """

    __slots__ = ("_lists", "_position", "_series", "df", "names")

    def __init__(self, df: pd.DataFrame) -> None:
        self.df = df
        self.names: list[str] = df.columns.tolist()
        self._position = {name: i for i, name in enumerate(self.names)}
        self._series: dict[str, pd.Series[Any]] = {}
        self._lists: dict[str, list[Any]] = {}

    def __len__(self) -> int:
        return len(self.df)

    def series(self, name: str) -> pd.Series[Any]:
        """The column as a Series."""
        found = self._series.get(name)
        if found is None:
            take = getattr(self.df, "_ixs", None)  # by position, without parsing a key
            position = self._position[name]
            found = take(position, axis=1) if callable(take) else self.df.iloc[:, position]
            self._series[name] = found
        return found

    def values(self, name: str) -> list[Any]:
        """The column's values as a Python list, as ``Series.tolist`` gives them (do not
        change it: it is shared). Read from the column's array, without a Series."""
        found = self._lists.get(name)
        if found is None:
            take = getattr(self.df, "_get_column_array", None)  # pandas' own, by position
            array = take(self._position[name]) if callable(take) else self.series(name).array
            found = self._lists[name] = _as_list(array)
        return found


def _as_list(array: Any) -> list[Any]:
    """``array.tolist()``; text held by Arrow is read by Arrow, at a quarter of the cost,
    with missing values as the text type's own (NaN or NA), as ``tolist`` has them."""
    import pandas as pd

    arrow = getattr(array, "_pa_array", None)
    if arrow is None or not isinstance(array.dtype, pd.StringDtype):
        return cast("list[Any]", array.tolist())
    values: list[Any] = arrow.to_pylist()
    if arrow.null_count:
        missing = array.dtype.na_value
        values = [missing if value is None else value for value in values]
    return values


def infer_shape(df: pd.DataFrame) -> Shape:
    """A best guess for plain SQL results, where nothing but names and dtypes is known.

    Numeric columns are measures (except ``*_id`` columns and time-named ones),
    the first date/time column (or one named year/quarter/month/week/day/date)
    is the time axis, and the remaining columns are dimensions.
    """
    import pandas as pd

    df = normalised(df)
    columns = [str(c) for c in df.columns]
    temporal = [c for c in columns if is_temporal(df[c])]
    named = [c for c in columns if _time_word(c) is not None]
    time = temporal[0] if temporal else (named[0] if named else None)

    measures: list[str] = []
    dimensions: list[str] = []
    units: dict[str, str] = {}
    for column in columns:
        if column == time or column in temporal:
            continue
        series = df[column]
        lowered = column.lower()
        is_id = lowered == "id" or lowered.endswith("_id")
        if _is_numeric(series) and not is_id:
            measures.append(column)
            integral = pd.api.types.is_integer_dtype(series.dtype)
            units[column] = _guess_unit(column, integral=integral)
        else:
            dimensions.append(column)

    grain: str | None = None
    if time is not None:
        word = _time_word(time)
        grain = word if word in GRAINS else None
        if grain is None and temporal and time == temporal[0]:
            grain = _infer_grain(_timestamps(df[time]))
    return Shape(
        measures=tuple(measures),
        dimensions=tuple(dimensions),
        time=time,
        grain=grain,
        units=units,
    )


def _time_word(column: str) -> str | None:
    lowered = column.lower()
    if lowered in _TIME_NAMES:
        return lowered
    suffix = lowered.rsplit("_", 1)[-1]
    return suffix if "_" in lowered and suffix in GRAINS else None


def _guess_unit(column: str, *, integral: bool) -> str:
    lowered = column.lower()
    if any(word in lowered for word in _PERCENT_WORDS):
        return "percent"
    if any(word in lowered for word in _MONEY_WORDS):
        return "money"
    if integral and not lowered.startswith(_NON_ADDITIVE_PREFIXES):
        return "count"
    if lowered.startswith(("n_", "num_")) or lowered.endswith(("count", "_n")):
        return "count"
    return "number"


def _first_valid(series: pd.Series[Any]) -> Any:
    index = series.first_valid_index()
    return None if index is None else series.loc[index]


def is_temporal(series: pd.Series[Any]) -> bool:
    """Datetime dtypes, and object columns of dates (how DuckDB may return DATE)."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return True
    if pd.api.types.is_object_dtype(series.dtype):
        return isinstance(_first_valid(series), date)
    return False


def _is_numeric(series: pd.Series[Any]) -> bool:
    import pandas as pd

    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return False
    if pd.api.types.is_numeric_dtype(dtype):
        return True
    # DuckDB DECIMAL columns can arrive as objects holding Decimal.
    return pd.api.types.is_object_dtype(dtype) and isinstance(_first_valid(series), Decimal)


def _timestamps(series: pd.Series[Any]) -> list[pd.Timestamp]:
    import pandas as pd

    values = pd.to_datetime(series, errors="coerce").dropna()
    return sorted(pd.Timestamp(v) for v in values.unique())


def _infer_grain(stamps: Sequence[pd.Timestamp]) -> str | None:
    """Recognise truncated dates: Jan 1 -> year, quarter starts, 1st -> month, weeks, days."""
    midnight = all(
        (s.hour, s.minute, s.second, s.microsecond, s.nanosecond) == (0, 0, 0, 0, 0) for s in stamps
    )
    if not stamps or not midnight:
        return None
    several = len(stamps) > 1
    checks: tuple[tuple[str, bool], ...] = (
        ("year", all(s.month == 1 and s.day == 1 for s in stamps)),
        ("quarter", several and all(s.day == 1 and s.month in (1, 4, 7, 10) for s in stamps)),
        ("month", all(s.day == 1 for s in stamps)),
        ("week", several and all((b - a).days % 7 == 0 for a, b in pairwise(stamps))),
    )
    return next((grain for grain, holds in checks if holds), "day")


# --- labels ----------------------------------------------------------------------------


def period_label(value: Any, grain: str | None) -> str:
    """A period as people write it: ``Nov 2025``, ``Q4 2025``, ``week of 2025-11-03``."""
    import pandas as pd

    if is_missing(value) or not isinstance(value, (date, pd.Timestamp)):
        return value_label(value)
    stamp = pd.Timestamp(value)
    day = f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d}"
    if grain is None and (stamp.hour, stamp.minute, stamp.second) != (0, 0, 0):
        return f"{day} {stamp.hour:02d}:{stamp.minute:02d}"
    by_grain = {
        "year": f"{stamp.year}",
        "quarter": f"Q{(stamp.month - 1) // 3 + 1} {stamp.year}",
        "month": f"{_MONTHS[stamp.month - 1]} {stamp.year}",
        "week": f"week of {day}",
    }
    return by_grain.get(grain or "", day)


def value_label(value: Any) -> str:
    """A category value as text; missing values get one visible label."""
    if type(value) is str:  # most labels: nothing to check
        return value
    if is_missing(value):
        return MISSING_LABEL
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def is_missing(value: Any) -> bool:
    """None, NaN, NaT and NA alike; never raises on odd objects."""
    import pandas as pd

    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --- analysis --------------------------------------------------------------------------


def analyze(
    df: pd.DataFrame,
    shape: Shape,
    *,
    partial: Collection[Any] = (),
    complete: bool = True,
    table: Columns | None = None,
) -> Facts:
    """Compute the facts for ``df`` as described by ``shape``; never mutates ``df``.

    ``partial`` lists period values (of ``shape.time``) that the data covers only in
    part; a series leaves them out of its comparisons and names them. ``complete`` is
    false when the rows are not every group (a top N, or rows cut by the row limit):
    then ``total`` is the sum of the rows shown and no share of the total is given.
    ``table`` is ``Columns(normalised(df))`` when the caller has it already (the engine
    reads one answer's columns once for its facts and its chart).
    """
    if table is None:
        table = Columns(normalised(df))
    rows, columns = table.df.shape
    present = set(table.names)
    time = shape.time if shape.time in present else None
    measures = [m for m in shape.measures if m in present and m != time]
    dimensions = tuple(d for d in shape.dimensions if d in present and d not in {time, *measures})
    base: dict[str, Any] = {
        "row_count": int(rows),
        "column_count": int(columns),
        "dimensions": dimensions,
        "time": time,
        "grain": shape.grain,
        "complete": complete,
    }
    if rows == 0:
        return Facts(kind="empty", **base)
    if not measures:
        return Facts(kind="table", **base)
    if rows == 1:
        single = tuple(_single(table, m, shape) for m in measures)
        row_label = _single_row_label(table, time, dimensions, shape.grain)
        return Facts(kind="single", measures=single, row_label=row_label, **base)
    if time is not None:
        periods = _period_count(table, time)
        cut = {_period_key(p) for p in partial}
        present_periods = sorted(
            {p for p in _period_values(table, time) if not is_missing(p)}, key=period_sort_key
        )
        incomplete = [p for p in present_periods if _period_key(p) in cut]
        if len(incomplete) == len(present_periods):
            incomplete = []  # nothing complete to compare with: describe what there is
        left_out = {_period_key(p) for p in incomplete}
        series = tuple(
            _series(table, m, shape, time, dimensions, partial=left_out, complete=complete)
            for m in measures
        )
        groups = _group_count(table, dimensions) if dimensions else None
        return Facts(
            kind="series",
            measures=series,
            periods=periods,
            groups=groups,
            partial_periods=tuple(period_label(p, shape.grain) for p in incomplete),
            **base,
        )
    if dimensions:
        return _grouped(table, shape, measures, dimensions, base)
    plain = tuple(_plain(table, m, shape) for m in measures)
    return Facts(kind="table", measures=plain, **base)


def _grouped(
    table: Columns,
    shape: Shape,
    measures: Sequence[str],
    dimensions: Sequence[str],
    base: dict[str, Any],
) -> Facts:
    """Categories or combinations ranked by value; funnel stages in their own order."""
    labels = _row_labels(table, dimensions)
    if shape.stages and len(dimensions) == 1:
        staged = tuple(_stages(table, m, shape, labels) for m in measures)
        return Facts(kind="stages", measures=staged, groups=len(labels), **base)
    kind: Kind = "category" if len(dimensions) == 1 else "matrix"
    complete = base["complete"]
    ranked = tuple(_ranked(table, m, shape, labels, complete=complete) for m in measures)
    return Facts(kind=kind, measures=ranked, groups=len(set(labels)), **base)


def numbers(series: pd.Series[Any]) -> list[float]:
    """The column as Python floats, NaN where a value is missing or not a number.

    A numpy integer or float column is read as it is (``tolist``); only other columns
    go through ``pd.to_numeric``, which costs about ten times as much on a short answer.
    """
    import numpy as np

    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
        return [float(v) for v in series.tolist()]
    import pandas as pd

    numeric: list[float] = pd.to_numeric(series, errors="coerce").astype("float64").tolist()
    return numeric


def _values(table: Columns, column: str) -> tuple[list[float | None], bool]:
    """The column as floats (``None`` for missing) and whether it holds integers."""
    import pandas as pd

    series = table.series(column)
    integral = pd.api.types.is_integer_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )
    values: list[float | None] = [
        None if math.isnan(v) or math.isinf(v) else v for v in numbers(series)
    ]
    return values, integral


def _number(value: float, integral: bool) -> float | int:
    return round(value) if integral else float(value)


def _base(column: str, shape: Shape, count: int) -> dict[str, Any]:
    return {
        "column": column,
        "label": shape.label_of(column),
        "unit": shape.unit_of(column),
        "additive": shape.is_additive(column),
        "count": count,
    }


def _single(table: Columns, column: str, shape: Shape) -> MeasureFacts:
    values, integral = _values(table, column)
    value = values[0]
    return MeasureFacts(
        **_base(column, shape, 0 if value is None else 1),
        value=None if value is None else _number(value, integral),
    )


def _plain(table: Columns, column: str, shape: Shape) -> MeasureFacts:
    values, integral = _values(table, column)
    present = [v for v in values if v is not None]
    additive = shape.is_additive(column)
    return MeasureFacts(
        **_base(column, shape, len(present)),
        total=_number(math.fsum(present), integral) if additive and present else None,
        mean=math.fsum(present) / len(present) if present else None,
    )


def _single_row_label(
    table: Columns, time: str | None, dimensions: Sequence[str], grain: str | None
) -> str | None:
    """The one row's label: its period as people write it ("Mar 2025", not a timestamp),
    then its groups; ``None`` without either."""
    parts = [period_label(table.values(time)[0], grain)] if time is not None else []
    parts += [value_label(table.values(d)[0]) for d in dimensions]
    return " / ".join(parts) or None


def _row_labels(table: Columns, dimensions: Sequence[str]) -> list[str]:
    parts = [[value_label(v) for v in table.values(d)] for d in dimensions]
    if len(parts) == 1:
        return parts[0]
    return [" / ".join(row) for row in zip(*parts, strict=True)]


def _group_count(table: Columns, dimensions: Sequence[str]) -> int:
    return len(set(_row_labels(table, dimensions)))


def _combine(
    labels: Sequence[str], values: Sequence[float | None], additive: bool
) -> list[tuple[str, float]] | None:
    """Pair labels with values; repeated labels are summed when that is meaningful.

    Returns ``None`` when labels repeat for a measure that cannot be summed, since
    ranking its rows would compare values of different groups under one name.
    """
    pairs = [(label, v) for label, v in zip(labels, values, strict=True) if v is not None]
    if len({label for label, _ in pairs}) == len(pairs):
        return pairs
    if not additive:
        return None
    sums: dict[str, list[float]] = {}
    for label, v in pairs:
        sums.setdefault(label, []).append(v)
    return [(label, math.fsum(vs)) for label, vs in sums.items()]


def _rankings(
    pairs: Sequence[tuple[str, float]],
    integral: bool,
    additive: bool,
    *,
    complete: bool = True,
    of: Mapping[str, tuple[float | int, float | int]] | None = None,
) -> dict[str, Any]:
    """Top and bottom items, total, the top item's share (of a complete answer) and outliers.
    ``of`` gives each label's part and whole, for a rate."""
    if not pairs:
        return {}
    of = of or {}
    items = [Item(label, _number(v, integral), of=of.get(label)) for label, v in pairs]
    descending = sorted(items, key=lambda i: (-i.value, i.label))
    ascending = sorted(items, key=lambda i: (i.value, i.label))
    values = [v for _, v in pairs]
    facts: dict[str, Any] = {
        "top": tuple(descending[:TOP_N]),
        "bottom": tuple(ascending[:TOP_N]),
        "mean": math.fsum(values) / len(values),
        "outliers": _outliers(items),
    }
    if additive:
        total = math.fsum(values)
        facts["total"] = _number(total, integral)
        if complete:
            facts["top_share"] = _share(descending[0].value, total, values)
    return facts


def _share(value: float, total: float, values: Sequence[float]) -> float | None:
    """A share of the total only makes sense when no part is negative."""
    if total <= 0 or any(v < 0 for v in values):
        return None
    return float(value) / total * 100.0


def _outliers(
    items: Sequence[Item], baseline: Sequence[float] | None = None
) -> tuple[Outlier, ...]:
    """Items whose robust z-score from the baseline exceeds ``OUTLIER_Z``.

    The baseline is the median, or for a series the fitted line: a steadily growing
    series has no outliers just because its last months are its largest. The median
    absolute deviation, unlike the standard deviation, is not inflated by the very
    values it should find; below ``MIN_OUTLIER_POINTS`` values nothing is claimed.
    """
    if len(items) < MIN_OUTLIER_POINTS:
        return ()
    values = [float(i.value) for i in items]
    basis: Literal["median", "trend"] = "median" if baseline is None else "trend"
    if baseline is None:
        baseline = [0.0] * len(values)
    residuals = [v - b for v, b in zip(values, baseline, strict=True)]
    centre = statistics.median(residuals)
    spread = statistics.median(abs(r - centre) for r in residuals)
    if spread == 0:
        return ()
    scores = [_MAD_SCALE * (r - centre) / spread for r in residuals]
    far = [
        Outlier(
            item.label,
            item.value,
            side="above" if score > 0 else "below",
            deviations=score,
            basis=basis,
            of=item.of,
        )
        for item, score in zip(items, scores, strict=True)
        if abs(score) > OUTLIER_Z
    ]
    far.sort(key=lambda o: (-abs(o.deviations), o.label))
    return tuple(far[:TOP_N])


def _ranked(
    table: Columns, column: str, shape: Shape, labels: Sequence[str], *, complete: bool = True
) -> MeasureFacts:
    values, integral = _values(table, column)
    additive = shape.is_additive(column)
    count = sum(v is not None for v in values)
    pairs = _combine(labels, values, additive)
    of = _parts_of(table, column, shape, labels) if pairs is not None else None
    facts = (
        _rankings(pairs, integral, additive, complete=complete, of=of) if pairs is not None else {}
    )
    return MeasureFacts(**_base(column, shape, count), **facts)


def _parts_of(
    table: Columns, column: str, shape: Shape, labels: Sequence[str]
) -> dict[str, tuple[float | int, float | int]] | None:
    """Each group's part and whole of the rate ``column`` (``Shape.parts``), by label;
    None when the shape names none or a label repeats."""
    named = shape.parts.get(column)
    if named is None or len(set(labels)) != len(labels):
        return None
    (parts, part_integral), (wholes, whole_integral) = (_values(table, c) for c in named)
    return {
        label: (_number(part, part_integral), _number(whole, whole_integral))
        for label, part, whole in zip(labels, parts, wholes, strict=True)
        if part is not None and whole is not None
    }


def _stages(table: Columns, column: str, shape: Shape, labels: Sequence[str]) -> MeasureFacts:
    """A funnel's steps in row order: first and last, what share is kept, the steepest step."""
    values, integral = _values(table, column)
    pairs = [(label, v) for label, v in zip(labels, values, strict=True) if v is not None]
    facts: dict[str, Any] = {}
    if pairs:
        facts["first"] = Item(pairs[0][0], _number(pairs[0][1], integral))
        facts["last"] = Item(pairs[-1][0], _number(pairs[-1][1], integral))
    if len(pairs) >= 2 and shape.unit_of(column) == "count" and pairs[0][1] > 0:
        facts["retained_pct"] = pairs[-1][1] / pairs[0][1] * 100.0
        kept = [(f"{a} to {b}", vb / va * 100.0) for (a, va), (b, vb) in pairwise(pairs) if va > 0]
        if kept:
            label, share = min(kept, key=lambda step: step[1])
            facts["steepest_step"] = Item(label, share)
    return MeasureFacts(**_base(column, shape, len(pairs)), **facts)


def period_sort_key(value: Any) -> tuple[int, Any]:
    """Order periods: dates and numbers by value, anything else as text."""
    import pandas as pd

    if is_missing(value):
        return (3, "")
    if isinstance(value, (date, pd.Timestamp)):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        return (0, stamp.value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, float(value))
    return (2, str(value))


def _period_values(table: Columns, time: str) -> list[Any]:
    import pandas as pd

    return [
        v if type(v) is pd.Timestamp or not isinstance(v, date) else pd.Timestamp(v)
        for v in table.values(time)
    ]


def _period_count(table: Columns, time: str) -> int:
    return len({v for v in _period_values(table, time) if not is_missing(v)})


def _period_key(value: Any) -> Any:
    """Periods compare equal whether they arrive as dates, datetimes or timestamps."""
    import pandas as pd

    if isinstance(value, date | pd.Timestamp):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        return stamp
    return value


def _series(
    table: Columns,
    column: str,
    shape: Shape,
    time: str,
    dimensions: Sequence[str],
    *,
    partial: Collection[Any] = (),
    complete: bool = True,
) -> MeasureFacts:
    values, integral = _values(table, column)
    additive = shape.is_additive(column)
    count = sum(v is not None for v in values)
    periods = _period_values(table, time)

    by_period: dict[Any, list[float]] = {}
    for period, v in zip(periods, values, strict=True):
        if v is not None and not is_missing(period):
            by_period.setdefault(period, []).append(v)
    if any(len(vs) > 1 for vs in by_period.values()) and not additive:
        # Per-period values of an average cannot be combined across groups.
        return MeasureFacts(**_base(column, shape, count))
    ordered = [p for p in sorted(by_period, key=period_sort_key) if _period_key(p) not in partial]
    points = [(period_label(p, shape.grain), p, math.fsum(by_period[p])) for p in ordered]
    pairs = [(label, v) for label, _, v in points]
    facts = _rankings(pairs, integral, additive)
    facts.pop("top_share", None)
    facts.update(_trend_facts(points, integral))
    if "slope" in facts:
        ys = [v for _, v in pairs]
        origin = math.fsum(ys) / len(ys) - facts["slope"] * (len(ys) - 1) / 2
        fitted = [origin + facts["slope"] * x for x in range(len(ys))]
        items = [Item(label, _number(v, integral)) for label, v in pairs]
        facts["outliers"] = _outliers(items, fitted)
    if dimensions and additive:
        group_values = _combine(_row_labels(table, dimensions), values, additive=True) or []
        groups = sorted(
            (Item(label, _number(v, integral)) for label, v in group_values),
            key=lambda i: (-i.value, i.label),
        )
        if groups:
            facts["top_groups"] = tuple(groups[:TOP_N])
        if groups and complete:
            facts["top_group_share"] = _share(
                groups[0].value, math.fsum(v for _, v in group_values), [v for _, v in group_values]
            )
    return MeasureFacts(**_base(column, shape, count), **facts)


def _trend_facts(points: Sequence[tuple[str, Any, float]], integral: bool) -> dict[str, Any]:
    """First, previous and last periods, the last change, and the least-squares direction."""
    if not points:
        return {}
    first, last = points[0], points[-1]
    facts: dict[str, Any] = {
        "points": len(points),
        "first": Item(first[0], _number(first[2], integral)),
        "last": Item(last[0], _number(last[2], integral)),
    }
    if len(points) >= 2:
        previous = points[-2]
        change = last[2] - previous[2]
        facts["previous"] = Item(previous[0], _number(previous[2], integral))
        facts["change"] = _number(change, integral)
        facts["change_pct"] = change / abs(previous[2]) * 100.0 if previous[2] != 0 else None
    if len(points) >= MIN_POINTS:
        ys = [p[2] for p in points]
        slope = _slope(ys)
        facts["slope"] = slope
        facts["trend"] = _direction(slope, ys)
    return facts


def _slope(ys: Sequence[float]) -> float:
    n = len(ys)
    x_mean = (n - 1) / 2
    y_mean = math.fsum(ys) / n
    numerator = math.fsum((x - x_mean) * (y - y_mean) for x, y in enumerate(ys))
    denominator = math.fsum((x - x_mean) ** 2 for x in range(n))
    return numerator / denominator


def _direction(slope: float, ys: Sequence[float]) -> Trend:
    """Up or down only if the fitted change over the series is at least 5% of the mean."""
    mean = math.fsum(ys) / len(ys)
    fitted_change = slope * (len(ys) - 1)
    if mean != 0:
        relative = fitted_change / abs(mean)
    else:
        relative = 0.0 if fitted_change == 0 else math.copysign(math.inf, fitted_change)
    if abs(relative) < FLAT_THRESHOLD:
        return "flat"
    return "up" if relative > 0 else "down"

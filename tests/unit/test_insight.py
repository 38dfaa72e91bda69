"""Facts, insight text and chart specs computed from hand-made DataFrames."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lgda_nb.insight import (
    Facts,
    Shape,
    analyze,
    chart_spec,
    facts_numbers,
    format_value,
    infer_shape,
    insight_text,
    json_value,
    kpi_html,
)
from lgda_nb.insight._text import NUMBER_PATTERN

# Same rule the module documents: a number may carry a sign, a $, separators and a %.
NUMBER = re.compile(r"(?<![\w.])-?\$?\d+(?:,\d{3})*(?:\.\d+)?%?")
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.json"


def _months(n: int, start: str = "2025-01-01") -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="MS")


def _category() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": ["Jeans", "Socks", "Tops", "Dresses", "Hats", "Shoes"],
            "revenue": [1200.5, 80.0, 300.0, 310.25, 95.0, 5000.0],
        }
    )


def _monthly() -> pd.DataFrame:
    return pd.DataFrame({"month": _months(12), "revenue": [100.0 + 10 * i for i in range(12)]})


CATEGORY_SHAPE = Shape(
    measures=("revenue",),
    dimensions=("category",),
    units={"revenue": "money"},
    labels={"revenue": "Revenue", "category": "Category"},
)
MONTHLY_SHAPE = Shape(
    measures=("revenue",), time="month", grain="month", units={"revenue": "money"}
)


# --- facts ---------------------------------------------------------------------------


def test_category_facts() -> None:
    """A one-dimension result ranks items, sums the total and gives the top item's share."""
    facts = analyze(_category(), CATEGORY_SHAPE)
    assert facts.kind == "category"
    assert (facts.row_count, facts.column_count, facts.groups) == (6, 2, 6)
    revenue = facts.measures[0]
    assert [i.label for i in revenue.top] == ["Shoes", "Jeans", "Dresses"]
    assert [i.label for i in revenue.bottom] == ["Socks", "Hats", "Tops"]
    assert revenue.total == pytest.approx(6985.75)
    assert revenue.top_share == pytest.approx(5000 / 6985.75 * 100)
    assert isinstance(revenue.total, float)
    assert revenue.trend is None
    assert revenue.first is None


RATE_SHAPE = Shape(
    measures=("cancellation_rate", "cancelled_orders", "orders"),
    dimensions=("country",),
    units={"cancellation_rate": "percent", "cancelled_orders": "count", "orders": "count"},
    labels={"cancellation_rate": "Cancellation rate %", "orders": "Orders"},
    parts={"cancellation_rate": ("cancelled_orders", "orders")},
)
RATES = pd.DataFrame(
    {
        "country": ["Colombia", "China", "Austria"],
        "cancellation_rate": [28.57, 14.74, 12.5],
        "cancelled_orders": [4, 631, 1],
        "orders": [14, 4282, 8],
    }
)


def test_a_rates_extremes_carry_the_counts_it_is_of() -> None:
    rate = analyze(RATES, RATE_SHAPE).measures[0]
    assert [(i.label, i.of) for i in rate.top] == [
        ("Colombia", (4, 14)),
        ("China", (631, 4282)),
        ("Austria", (1, 8)),
    ]


def test_a_rate_is_said_with_its_counts_and_they_are_not_ranked_on_their_own() -> None:
    """ "28.6%" of 14 orders is not 28.6% of 4,000: the text says which; the counts
    beside the rate are not measures of their own ("Orders is highest for China")."""
    text = insight_text(analyze(RATES, RATE_SHAPE), RATE_SHAPE)
    assert "highest for Colombia (28.6%, 4 of 14 orders)" in text
    assert "lowest for Austria (12.5%, 1 of 8 orders)" in text
    assert "Orders is highest" not in text
    assert "Cancelled orders is highest" not in text


def test_a_rates_counts_are_facts_the_text_may_print() -> None:
    """Colombia's 5 of 17 is no count column's top or bottom: only the rate's items hold
    it, and an insight written from the facts may say it."""
    rates = pd.DataFrame(
        {
            "country": ["Colombia", *"ABCDEFGHIJ"],
            "cancelled_orders": [5, 100, 210, 290, 1, 2, 3, 400, 505, 590, 720],
            "orders": [17, 1000, 2000, 3000, 10, 20, 30, 4000, 5000, 6000, 7000],
        }
    )
    rates.insert(1, "cancellation_rate", (rates.cancelled_orders / rates.orders * 100).round(2))
    facts = analyze(rates, RATE_SHAPE)
    text = insight_text(facts, RATE_SHAPE)
    assert "highest for Colombia (29.4%, 5 of 17 orders)" in text
    # Far above the others: said unusual, with the few orders it is of.
    assert "Unusually high against the median: Colombia (29.4%, 5 of 17 orders)" in text
    assert set(NUMBER.findall(text)) <= facts_numbers(facts)


def test_a_rate_without_its_parts_is_said_alone() -> None:
    shape = Shape(
        measures=("cancellation_rate",),
        dimensions=("country",),
        units={"cancellation_rate": "percent"},
    )
    text = insight_text(analyze(RATES[["country", "cancellation_rate"]], shape), shape)
    assert " of 14 orders" not in text
    assert "Colombia (28.6%)" in text


def test_ties_are_broken_by_label() -> None:
    """Equal values rank by label ascending, whatever the row order."""
    df = pd.DataFrame({"status": ["c", "a", "b"], "orders": [5, 5, 5]})
    shape = Shape(measures=("orders",), dimensions=("status",), units={"orders": "count"})
    orders = analyze(df, shape).measures[0]
    assert [i.label for i in orders.top] == ["a", "b", "c"]
    assert [i.label for i in orders.bottom] == ["a", "b", "c"]
    assert orders.total == 15
    assert isinstance(orders.total, int)


def test_monthly_date_series_facts() -> None:
    """A monthly series: first/last/previous periods, the last change and an upward trend."""
    df = _monthly().iloc[::-1].reset_index(drop=True)  # unordered input is sorted by time
    facts = analyze(df, MONTHLY_SHAPE)
    assert facts.kind == "series"
    assert facts.periods == 12
    revenue = facts.measures[0]
    assert revenue.first is not None
    assert revenue.first.label == "Jan 2025"
    assert revenue.previous is not None
    assert revenue.previous.label == "Nov 2025"
    assert revenue.last is not None
    assert revenue.last.label == "Dec 2025"
    assert (revenue.first.value, revenue.last.value) == (100.0, 210.0)
    assert revenue.change == pytest.approx(10.0)
    assert revenue.change_pct == pytest.approx(5.0)
    assert revenue.points == 12
    assert revenue.trend == "up"
    assert revenue.slope == pytest.approx(10.0)
    assert revenue.total == pytest.approx(sum(100.0 + 10 * i for i in range(12)))
    assert revenue.top_share is None  # a share of a period total is not a fact worth stating


def test_partial_periods_are_named_and_left_out_of_comparisons() -> None:
    """A half-covered last month does not read as a fall; the text says why it is left out."""
    df = _monthly()
    df.loc[11, "revenue"] = 20.0  # December is half there
    facts = analyze(df, MONTHLY_SHAPE, partial=[pd.Timestamp("2025-12-01")])
    revenue = facts.measures[0]
    assert facts.partial_periods == ("Dec 2025",)
    assert revenue.last is not None
    assert revenue.last.label == "Nov 2025"
    assert revenue.change == pytest.approx(10.0)
    assert revenue.points == 11
    text = insight_text(facts, MONTHLY_SHAPE)
    assert "Dec 2025 is only partly covered by the data" in text
    assert "fell" not in text
    assert set(NUMBER_PATTERN.findall(text)) <= facts_numbers(facts)


def test_a_series_of_only_partial_periods_is_described_as_it_is() -> None:
    df = _monthly().iloc[:2]
    facts = analyze(df, MONTHLY_SHAPE, partial=list(df["month"]))
    assert facts.partial_periods == ()
    assert facts.measures[0].points == 2


def test_integer_year_series_facts() -> None:
    """Integer years are a series too, labelled as the plain year."""
    df = pd.DataFrame({"year": [2023, 2022, 2025, 2024], "orders": [30, 40, 10, 20]})
    shape = infer_shape(df)
    assert (shape.time, shape.grain, shape.measures) == ("year", "year", ("orders",))
    orders = analyze(df, shape).measures[0]
    assert orders.first is not None
    assert orders.first.label == "2022"
    assert orders.last is not None
    assert orders.last.label == "2025"
    assert orders.change == -10
    assert orders.change_pct == pytest.approx(-50.0)
    assert orders.trend == "down"


def test_series_with_a_dimension_sums_per_period_and_ranks_groups() -> None:
    """Monthly revenue by category: per-period totals for the trend, categories ranked."""
    df = pd.DataFrame(
        {
            "month": list(_months(3)) * 2,
            "category": ["A"] * 3 + ["B"] * 3,
            "revenue": [10.0, 20.0, 30.0, 5.0, 5.0, 50.0],
            "avg_price": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    shape = Shape(
        measures=("revenue", "avg_price"),
        dimensions=("category",),
        time="month",
        grain="month",
        units={"revenue": "money", "avg_price": "money"},
    )
    facts = analyze(df, shape)
    revenue, avg_price = facts.measures
    assert revenue.last is not None
    assert revenue.last.value == pytest.approx(80.0)
    assert [(i.label, i.value) for i in revenue.top_groups] == [("A", 60.0), ("B", 60.0)]
    assert revenue.top_group_share == pytest.approx(50.0)
    assert avg_price.last is None
    assert avg_price.trend is None
    assert facts.groups == 2


def test_two_dimension_facts() -> None:
    """Two dimensions rank the cells, labelled 'first / second'."""
    df = pd.DataFrame(
        {"status": ["a", "a", "b", "b"], "gender": ["F", "M", "F", "M"], "orders": [5, 7, 3, 2]}
    )
    facts = analyze(df, infer_shape(df))
    assert facts.kind == "matrix"
    orders = facts.measures[0]
    assert orders.top[0].label == "a / M"
    assert orders.bottom[0].label == "b / M"
    assert orders.total == 17
    assert orders.top_share == pytest.approx(7 / 17 * 100)


def test_single_value_facts() -> None:
    """One row, one measure: the value itself."""
    df = pd.DataFrame({"revenue": [np.float64(123456.789)]})
    facts = analyze(df, infer_shape(df))
    assert facts.kind == "single"
    value = facts.measures[0].value
    assert value == pytest.approx(123456.789)
    assert type(value) is float


@pytest.mark.parametrize(
    ("column", "units", "additive"),
    [
        ("conversion_rate", {"conversion_rate": "percent"}, {}),
        ("avg_order_value", {"avg_order_value": "money"}, {}),
        ("average_items", {"average_items": "count"}, {}),
        ("rate_of_return", {"rate_of_return": "number"}, {}),
        ("share_of_orders", {"share_of_orders": "count"}, {}),
        ("score", {"score": "number"}, {}),
        ("revenue", {"revenue": "money"}, {"revenue": False}),
    ],
)
def test_non_additive_measures_get_no_total_or_share(
    column: str, units: dict[str, str], additive: dict[str, bool]
) -> None:
    """Percents, averages, rates and shares are never summed."""
    df = pd.DataFrame({"region": ["n", "s", "e"], column: [10.0, 20.0, 30.0]})
    shape = Shape(measures=(column,), dimensions=("region",), units=units, additive=additive)
    m = analyze(df, shape).measures[0]
    assert not m.additive
    assert m.total is None
    assert m.top_share is None
    assert m.top[0].label == "e"


def test_additive_override_and_repeated_labels() -> None:
    """An explicit additive flag wins; repeated labels are summed only for additive measures."""
    df = pd.DataFrame({"brand": ["x", "x", "y"], "n": [1.0, 2.0, 2.5]})
    summed = analyze(df, Shape(measures=("n",), dimensions=("brand",), additive={"n": True}))
    assert [(i.label, i.value) for i in summed.measures[0].top] == [("x", 3.0), ("y", 2.5)]
    unsummed = analyze(df, Shape(measures=("n",), dimensions=("brand",)))
    assert unsummed.measures[0].top == ()  # ranking rows under one name would mislead


@pytest.mark.parametrize(
    ("values", "trend"),
    [
        ([10, 12, 15, 19, 25], "up"),
        ([25, 19, 15, 12, 10], "down"),
        ([100, 101, 99, 100, 101], "flat"),
        ([100, 102, 101, 103, 102], "flat"),  # +2% over the series is under the threshold
        ([0, 0, 0, 0], "flat"),
        ([-10, -5, 0, 5, 10], "up"),  # mean 0: the sign of the slope decides
    ],
)
def test_trend_direction(values: list[int], trend: str) -> None:
    """Least-squares slope relative to the mean, flat under 5% over the whole series."""
    df = pd.DataFrame({"year": range(2020, 2020 + len(values)), "orders": values})
    assert analyze(df, infer_shape(df)).measures[0].trend == trend


def test_outlier_detection() -> None:
    """Values far from the median in median absolute deviations are listed, nothing else."""
    values = [10.0, 11.0, 9.0, 10.0, 12.0, 10.0, 11.0, 9.0, 10.0, 60.0]
    df = pd.DataFrame({"store": list("abcdefghij"), "revenue": values})
    m = analyze(df, Shape(measures=("revenue",), dimensions=("store",))).measures[0]
    assert [(o.label, o.value, o.side, o.basis) for o in m.outliers] == [
        ("j", 60.0, "above", "median")
    ]
    assert m.outliers[0].deviations > 3.5
    even = pd.DataFrame({"store": list("abcdefghij"), "revenue": [float(v) for v in range(10)]})
    assert (
        analyze(even, Shape(measures=("revenue",), dimensions=("store",))).measures[0].outliers
        == ()
    )


def test_no_outlier_claims_on_small_series() -> None:
    """A 3% dip on one weekday of 7 is not an outlier, and 7 points are too few to claim any."""
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    revenue = [112077.23, 108026.95, 98785.74, 108222.80, 106809.57, 101876.78, 110966.75]
    df = pd.DataFrame({"weekday": weekdays, "revenue": revenue})
    shape = Shape(measures=("revenue",), dimensions=("weekday",), units={"revenue": "money"})
    facts = analyze(df, shape)
    assert facts.measures[0].outliers == ()
    extreme = df.assign(revenue=[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1000.0])
    assert analyze(extreme, shape).measures[0].outliers == ()
    assert "Unusually" not in insight_text(analyze(extreme, shape), shape)


def test_series_outliers_are_measured_from_the_trend() -> None:
    """Steady growth has no outliers; a spike off the fitted line is one."""
    steady = pd.DataFrame(
        {"month": _months(12), "orders": [100.0 + 10 * i + i % 3 for i in range(12)]}
    )
    shape = Shape(measures=("orders",), time="month", grain="month", units={"orders": "count"})
    assert analyze(steady, shape).measures[0].outliers == ()
    spiky = steady.assign(orders=[10.0 * i for i in range(12)])
    spiky.loc[5, "orders"] = 400.0
    outliers = analyze(spiky, shape).measures[0].outliers
    assert [(o.label, o.side, o.basis) for o in outliers] == [("Jun 2025", "above", "trend")]
    assert outliers[0].deviations > 3.5
    text = insight_text(analyze(spiky, shape), shape)
    assert "Unusually high against the fitted trend: Jun 2025 (400)." in text


def test_empty_result() -> None:
    """No rows: empty facts, one fixed sentence, no chart."""
    df = _category().iloc[:0]
    facts = analyze(df, CATEGORY_SHAPE)
    assert facts.kind == "empty"
    assert facts.row_count == 0
    assert insight_text(facts, CATEGORY_SHAPE) == "The query returned no rows."
    assert chart_spec(df, CATEGORY_SHAPE) is None


def test_missing_values_and_columns_are_tolerated() -> None:
    """NaN measures are skipped, missing labels get one name, unknown columns are ignored."""
    df = pd.DataFrame({"city": ["a", None, "c"], "revenue": [1.0, 2.0, np.nan]})
    shape = Shape(measures=("revenue", "ghost"), dimensions=("city", "nowhere"))
    facts = analyze(df, shape)
    assert facts.kind == "category"
    m = facts.measures[0]
    assert m.count == 2
    assert [i.label for i in m.top] == ["(missing)", "a"]


def test_duplicate_and_non_string_column_names() -> None:
    """Repeated names keep the first column; integer names are read as strings."""
    df = pd.DataFrame([["a", 1, 2.0], ["b", 3, 4.0]], columns=["id", "id", 0])
    shape = infer_shape(df)
    assert (shape.measures, shape.dimensions) == (("0",), ("id",))
    facts = analyze(df, shape)
    assert facts.column_count == 2
    assert facts.measures[0].top[0].label == "b"
    assert _check(chart_spec(df, shape))["data"]["values"][0] == {"id": "a", "0": 2.0}


def test_facts_are_deterministic() -> None:
    """The same frame gives equal facts, text and spec every time."""
    df = _category()
    assert analyze(df, CATEGORY_SHAPE) == analyze(df.copy(), CATEGORY_SHAPE)
    assert insight_text(analyze(df, CATEGORY_SHAPE), CATEGORY_SHAPE) == insight_text(
        analyze(df, CATEGORY_SHAPE), CATEGORY_SHAPE
    )
    assert json.dumps(chart_spec(df, CATEGORY_SHAPE)) == json.dumps(chart_spec(df, CATEGORY_SHAPE))


# --- shape inference -----------------------------------------------------------------


def test_infer_shape_from_plain_sql_results() -> None:
    """Numbers are measures, ids and text are dimensions, dates are the time axis."""
    df = pd.DataFrame(
        {
            "order_month": _months(3),
            "user_id": [1, 2, 3],
            "status": ["a", "b", "c"],
            "revenue": [1.0, 2.0, 3.0],
            "orders": [1, 2, 3],
            "avg_price": [1.0, 2.0, 3.0],
            "return_pct": [1.0, 2.0, 3.0],
            "flag": [True, False, True],
        }
    )
    shape = infer_shape(df)
    assert shape.time == "order_month"
    assert shape.grain == "month"
    assert shape.measures == ("revenue", "orders", "avg_price", "return_pct")
    assert shape.dimensions == ("user_id", "status", "flag")
    assert dict(shape.units) == {
        "revenue": "money",
        "orders": "count",
        "avg_price": "money",
        "return_pct": "percent",
    }
    assert shape.label_of("avg_price") == "Avg price"
    assert shape.label_of("n_orders") == "Number of orders"
    assert Shape(measures=("n",), labels={"n": "Orders"}).label_of("n") == "Orders"
    assert not shape.is_additive("avg_price")


@pytest.mark.parametrize(
    ("stamps", "grain"),
    [
        (["2023-01-01", "2024-01-01"], "year"),
        (["2025-01-01", "2025-04-01", "2025-07-01"], "quarter"),
        (["2025-01-01", "2025-02-01"], "month"),
        (["2025-11-03", "2025-11-10", "2025-11-17"], "week"),
        (["2025-11-03", "2025-11-04"], "day"),
        (["2025-11-03 10:00", "2025-11-03 11:00"], None),
    ],
)
def test_infer_grain_from_dates(stamps: list[str], grain: str | None) -> None:
    """Truncated dates reveal their grain; times of day do not."""
    df = pd.DataFrame({"created_at": pd.to_datetime(stamps), "orders": range(len(stamps))})
    assert infer_shape(df).grain == grain


def test_infer_shape_reads_date_objects_and_decimals() -> None:
    """DuckDB may return DATE as date objects and DECIMAL as Decimal; both are understood."""
    df = pd.DataFrame(
        {
            "day": [date(2025, 1, 2), date(2025, 1, 1)],
            "amount": [Decimal("1.50"), Decimal("2.25")],
        },
        dtype=object,
    )
    shape = infer_shape(df)
    assert (shape.time, shape.measures) == ("day", ("amount",))
    facts = analyze(df, shape)
    assert facts.measures[0].first is not None
    assert facts.measures[0].first.label == "2025-01-01"
    assert facts.measures[0].last is not None
    assert facts.measures[0].last.value == pytest.approx(1.5)


def test_shape_accepts_lists_and_stays_immutable() -> None:
    """Lists and dicts given to Shape become tuples and read-only mappings."""
    units = {"a": "money"}
    shape = Shape(measures=["a"], dimensions=["b"], units=units)  # type: ignore[arg-type]
    units["a"] = "count"
    assert shape.measures == ("a",)
    assert shape.dimensions == ("b",)
    assert shape.unit_of("a") == "money"
    with pytest.raises(TypeError):
        shape.units["a"] = "count"  # type: ignore[index]


# --- text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234.5, "money", "$1,234.50"),
        (-1234.5, "money", "-$1,234.50"),
        (-0.001, "money", "$0.00"),
        (1234567.4, "count", "1,234,567"),
        (12.345, "percent", "12.3%"),
        (0.456, "percent", "0.46%"),
        (-0.0001, "percent", "0%"),
        (1500, "number", "1,500"),
        (3.14159, "number", "3.14"),
        (None, "money", "n/a"),
        (math.nan, "count", "n/a"),
    ],
)
def test_format_value(value: float | None, unit: str, text: str) -> None:
    """Money with 2 decimals and separators, counts as integers, percents with a % sign."""
    assert format_value(value, unit) == text


def _shapes_and_frames() -> list[tuple[str, pd.DataFrame, Shape]]:
    rng = np.random.default_rng(7)
    spiky = pd.DataFrame(
        {"month": _months(24, "2024-01-01"), "orders": [100 + i for i in range(23)] + [900]}
    )
    daily = pd.DataFrame(
        {
            "day": pd.date_range("2025-11-01", periods=30, freq="D"),
            "conversion_rate": rng.uniform(1.0, 3.0, 30).round(3),
        }
    )
    by_dim = pd.DataFrame(
        {
            "quarter": list(pd.date_range("2024-01-01", periods=6, freq="QS")) * 2,
            "department": ["Men"] * 6 + ["Women"] * 6,
            "revenue": rng.uniform(1e4, 5e4, 12).round(2),
        }
    )
    matrix = pd.DataFrame(
        {
            "country": ["China", "China", "Brasil", "Brasil", "Japan", "Japan"],
            "gender": ["F", "M"] * 3,
            "users": [1200, 1100, 800, 750, 90, 95],
        }
    )
    kpi = pd.DataFrame({"revenue": [1234567.891], "orders": [45678]})
    negative = pd.DataFrame({"brand": ["a", "b", "c"], "profit": [-12.5, 40.0, 3.25]})
    from_zero = pd.DataFrame({"year": [2024, 2025], "orders": [0, 12]})
    only_text = pd.DataFrame({"name": ["a", "b"], "city": ["x", "y"]})
    return [
        ("category", _category(), CATEGORY_SHAPE),
        ("monthly", _monthly(), MONTHLY_SHAPE),
        ("spiky", spiky, infer_shape(spiky)),
        (
            "percent",
            daily,
            Shape(
                measures=("conversion_rate",),
                time="day",
                grain="day",
                units={"conversion_rate": "percent"},
            ),
        ),
        ("by_dim", by_dim, infer_shape(by_dim)),
        ("matrix", matrix, infer_shape(matrix)),
        ("kpi", kpi, infer_shape(kpi)),
        ("negative", negative, infer_shape(negative)),
        ("from_zero", from_zero, infer_shape(from_zero)),
        ("only_text", only_text, infer_shape(only_text)),
        ("empty", _category().iloc[:0], CATEGORY_SHAPE),
    ]


@pytest.mark.parametrize(
    ("name", "df", "shape"), _shapes_and_frames(), ids=[c[0] for c in _shapes_and_frames()]
)
def test_every_number_in_the_text_comes_from_the_facts(
    name: str, df: pd.DataFrame, shape: Shape
) -> None:
    """No number appears in the insight that is not a formatted fact."""
    facts = analyze(df, shape)
    text = insight_text(facts, shape)
    allowed = facts_numbers(facts)
    found = NUMBER.findall(text)
    assert set(found) <= allowed, (text, sorted(allowed))
    sentences = [s for s in re.split(r"(?<=[.])\s+(?=[A-Z(])", text) if s]
    if facts.kind not in ("empty", "single"):
        assert 2 <= len(sentences) <= 4, text
    for word in ("strong", "healthy", "weak", "impressive", "significant", "great", "poor"):
        assert word not in text.lower(), text


def test_series_text_wording() -> None:
    """A series sentence names the change, the periods and the direction plainly."""
    facts = analyze(_monthly(), MONTHLY_SHAPE)
    text = insight_text(facts, MONTHLY_SHAPE)
    assert text.startswith("Revenue rose 5.0% from Nov 2025 to Dec 2025 ($200.00 to $210.00).")
    assert (
        "Over the 12 months from Jan 2025 to Dec 2025, the least-squares trend is upward." in text
    )


def test_category_and_outlier_text() -> None:
    """A ranking sentence, the top share of the total, and an outlier among enough values."""
    text = insight_text(analyze(_category(), CATEGORY_SHAPE), CATEGORY_SHAPE)
    assert text.startswith(
        "Of the 6 category values, revenue is highest for Shoes ($5,000.00) "
        "and lowest for Socks ($80.00)."
    )
    assert "Of the $6,985.75 total, 71.6% comes from Shoes." in text
    assert "Unusually" not in text  # 6 values are too few for outlier claims
    many = pd.DataFrame(
        {
            "category": [f"c{i:02d}" for i in range(12)],
            "revenue": [100.0 + i for i in range(11)] + [5000.0],
        }
    )
    text = insight_text(analyze(many, CATEGORY_SHAPE), CATEGORY_SHAPE)
    assert "Unusually high against the median: c11 ($5,000.00)." in text


def test_share_of_a_top_n_is_not_claimed_over_the_rows_shown() -> None:
    """A top 2 of 6 does not call its own sum "the total" nor give a share of it."""
    top = _category().sort_values("revenue", ascending=False).head(2)
    facts = analyze(top, CATEGORY_SHAPE, complete=False)
    assert facts.complete is False
    assert facts.measures[0].top_share is None
    text = insight_text(facts, CATEGORY_SHAPE)
    assert "Of the 2 category values shown" in text
    assert "The 2 shown add up to $6,200.50, which is not the overall total." in text
    assert "comes from" not in text


def test_funnel_stages_keep_their_order_and_never_exceed_the_first_step() -> None:
    """Stages are described first to last; the chart keeps the step order."""
    df = pd.DataFrame(
        {"step": ["home", "product", "cart", "purchase"], "sessions": [1000, 800, 300, 240]}
    )
    shape = Shape(
        measures=("sessions",), dimensions=("step",), units={"sessions": "count"}, stages=True
    )
    facts = analyze(df, shape)
    assert facts.kind == "stages"
    m = facts.measures[0]
    assert m.retained_pct == 24.0
    assert m.steepest_step is not None
    assert m.steepest_step.label == "product to cart"
    assert insight_text(facts, shape) == (
        "Sessions start at home (1,000) and 240 reach purchase (24.0% of the first step). "
        "The steepest step is product to cart, which keeps 37.5% of the step before."
    )
    assert set(NUMBER_PATTERN.findall(insight_text(facts, shape))) <= facts_numbers(facts)
    spec = chart_spec(df, shape)
    assert spec is not None
    assert spec["encoding"]["x"]["sort"] is None


def test_percent_series_reports_points_not_relative_change() -> None:
    """A rate's change is shown as the two values, not as a percent of a percent."""
    df = pd.DataFrame({"year": [2024, 2025], "return_pct": [10.0, 12.5]})
    text = insight_text(analyze(df, infer_shape(df)), infer_shape(df))
    assert text.startswith("Return pct rose from 2024 to 2025 (10.0% to 12.5%).")


def test_single_value_text() -> None:
    """A single value is one sentence with the formatted value."""
    df = pd.DataFrame({"revenue": [1234.5]})
    shape = Shape(measures=("revenue",), units={"revenue": "money"}, labels={"revenue": "Revenue"})
    assert insight_text(analyze(df, shape), shape) == "Revenue is $1,234.50."


@pytest.mark.parametrize(
    ("grain", "said"), [("month", "Mar 2025"), ("quarter", "Q1 2025"), ("year", "2025")]
)
def test_a_single_period_is_said_as_people_write_it(grain: str, said: str) -> None:
    """ "Which month had the worst cancellation rate": "For Mar 2025", not a timestamp."""
    df = pd.DataFrame({grain: [pd.Timestamp("2025-03-01")], "orders": [413]})
    shape = Shape(
        measures=("orders",), time=grain, grain=grain, units={"orders": "count"},
        labels={"orders": "Orders"},
    )  # fmt: skip
    assert insight_text(analyze(df, shape), shape).startswith(f"For {said}, orders is 413")


# --- charts --------------------------------------------------------------------------

#: The parts of the Vega-Lite v5 schema the specs rely on.
VEGA_LITE_SHAPE: dict[str, Any] = {
    "type": "object",
    "required": ["$schema", "data", "mark", "encoding", "width", "height"],
    "properties": {
        "$schema": {"const": SCHEMA_URL},
        "title": {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "required": ["text"]},
            ]
        },
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "data": {
            "type": "object",
            "required": ["values"],
            "properties": {"values": {"type": "array", "items": {"type": "object"}}},
        },
        "mark": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"enum": ["line", "bar", "rect"]}},
        },
        "encoding": {
            "type": "object",
            "required": ["x", "y", "tooltip"],
            "properties": {
                "x": {"$ref": "#/$defs/channel"},
                "y": {"$ref": "#/$defs/channel"},
                "color": {"$ref": "#/$defs/channel"},
                "xOffset": {"$ref": "#/$defs/channel"},
                "yOffset": {"$ref": "#/$defs/channel"},
                "tooltip": {"type": "array", "items": {"$ref": "#/$defs/channel"}},
            },
            "additionalProperties": False,
        },
    },
    "$defs": {
        "channel": {
            "type": "object",
            "required": ["field", "type"],
            "properties": {
                "field": {"type": "string"},
                "type": {"enum": ["quantitative", "temporal", "ordinal", "nominal"]},
                "timeUnit": {"enum": ["year", "yearquarter", "yearmonth", "yearmonthdate"]},
                "sort": {
                    "anyOf": [
                        {"enum": ["-x", "-y", "ascending", "descending"]},
                        {"type": "object", "required": ["field", "op", "order"]},
                    ]
                },
            },
        }
    },
}


def _check(spec: dict[str, Any] | None) -> dict[str, Any]:
    """JSON-safe, Vega-Lite-shaped; returns the spec for further assertions."""
    assert spec is not None
    json.dumps(spec, allow_nan=False)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(spec, VEGA_LITE_SHAPE)
    return spec


def test_time_series_is_a_temporal_line() -> None:
    """Dates give a line over a temporal x axis with the grain's time unit."""
    spec = _check(chart_spec(_monthly(), MONTHLY_SHAPE))
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["x"]["timeUnit"] == "yearmonth"
    assert spec["encoding"]["y"] == {
        "field": "revenue",
        "type": "quantitative",
        "title": "Revenue",
        "axis": {"format": "$,.0f"},  # ticks read $60,000
    }
    assert spec["data"]["values"][0] == {"month": "2025-01-01T00:00:00", "revenue": 100.0}
    assert spec["title"] == "Revenue by month"
    assert (spec["width"], spec["height"]) == (480, 280)


def test_integer_years_are_an_ordinal_line() -> None:
    """Integer years are ordinal, not temporal (no epoch-milliseconds surprise)."""
    df = pd.DataFrame({"year": np.array([2025, 2023, 2024], dtype=np.int64), "orders": [3, 1, 2]})
    spec = _check(chart_spec(df, infer_shape(df)))
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["x"]["type"] == "ordinal"
    assert [row["year"] for row in spec["data"]["values"]] == [2023, 2024, 2025]
    assert all(type(row["year"]) is int for row in spec["data"]["values"])


def test_series_with_a_dimension_colours_lines() -> None:
    """A second, categorical column becomes the line colour."""
    df = pd.DataFrame(
        {"month": list(_months(3)) * 2, "gender": ["F"] * 3 + ["M"] * 3, "orders": range(6)}
    )
    spec = _check(chart_spec(df, infer_shape(df)))
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["color"]["field"] == "gender"
    assert spec["encoding"]["color"]["type"] == "nominal"


def test_one_dimension_is_a_bar_sorted_by_value() -> None:
    """Few short labels: vertical bars sorted by value, descending."""
    spec = _check(chart_spec(_category(), CATEGORY_SHAPE))
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["type"] == "nominal"
    assert spec["encoding"]["x"]["sort"] == "-y"
    assert spec["encoding"]["y"]["type"] == "quantitative"
    tooltip_fields = [t["field"] for t in spec["encoding"]["tooltip"]]
    assert tooltip_fields == ["category", "revenue"]
    assert spec["encoding"]["tooltip"][1]["format"] == "$,.2f"


@pytest.mark.parametrize(
    "labels",
    [
        [f"c{i}" for i in range(9)],
        ["Outerwear & Coats", "Jeans", "Socks"],
    ],
    ids=["many", "long"],
)
def test_many_or_long_categories_give_horizontal_bars(labels: list[str]) -> None:
    """More than 8 categories, or long labels, turn the bars horizontal."""
    df = pd.DataFrame({"category": labels, "orders": range(len(labels))})
    spec = _check(chart_spec(df, infer_shape(df)))
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["type"] == "nominal"
    assert spec["encoding"]["y"]["sort"] == "-x"
    assert spec["encoding"]["x"]["type"] == "quantitative"


def test_bar_chart_keeps_the_largest_categories() -> None:
    """Hundreds of categories are cut to the 40 largest, and the subtitle says so."""
    df = pd.DataFrame({"product": [f"p{i:03d}" for i in range(300)], "orders": range(300)})
    spec = _check(chart_spec(df, infer_shape(df)))
    names = {row["product"] for row in spec["data"]["values"]}
    assert names == {f"p{i:03d}" for i in range(260, 300)}
    assert spec["title"]["subtitle"] == "The 40 largest of 300 product values"


def test_two_dimensions_with_few_colours_is_a_grouped_bar() -> None:
    """Two dimensions, the smaller one with <= 6 values: grouped bars coloured by it."""
    df = pd.DataFrame(
        {
            "country": ["China", "China", "Japan", "Japan", "Brasil", "Brasil"],
            "gender": ["F", "M"] * 3,
            "users": [5, 6, 1, 2, 3, 4],
        }
    )
    spec = _check(chart_spec(df, infer_shape(df)))
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "country"
    assert spec["encoding"]["x"]["sort"] == {"field": "users", "op": "sum", "order": "descending"}
    assert spec["encoding"]["xOffset"]["field"] == "gender"
    assert spec["encoding"]["color"]["field"] == "gender"


def test_two_wide_dimensions_are_a_heatmap() -> None:
    """Both dimensions with more than 6 values: a heatmap coloured by the measure."""
    rows = [(f"a{i}", f"b{j}", i * j) for i in range(7) for j in range(8)]
    df = pd.DataFrame(rows, columns=["first", "second", "orders"])
    spec = _check(chart_spec(df, infer_shape(df)))
    assert spec["mark"]["type"] == "rect"
    assert (spec["encoding"]["x"]["type"], spec["encoding"]["y"]["type"]) == ("nominal", "nominal")
    assert spec["encoding"]["color"]["type"] == "quantitative"


@pytest.mark.parametrize(
    "df",
    [
        pd.DataFrame({"revenue": [12.5]}),
        pd.DataFrame({"status": ["a"], "orders": [3]}),
        pd.DataFrame({"name": ["a", "b"], "city": ["x", "y"]}),
        pd.DataFrame({"price": [1.0, 2.0, 3.0]}),
        pd.DataFrame({"a": ["x", "y"], "b": ["p", "q"], "c": ["r", "s"], "orders": [1, 2]}),
        pd.DataFrame({"year": [2024, 2025], "a": ["x", "y"], "b": ["p", "q"], "orders": [1, 2]}),
    ],
    ids=["kpi", "one-row", "no-measure", "no-axis", "three-dims", "time-and-two-dims"],
)
def test_no_chart_when_a_kpi_or_the_table_says_more(df: pd.DataFrame) -> None:
    """Single rows, measure-less, axis-less and over-dimensioned results get no chart."""
    assert chart_spec(df, infer_shape(df)) is None


def test_data_is_json_safe() -> None:
    """NaN, NaT, numpy scalars, Decimals and time-zoned timestamps become plain JSON."""
    df = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-01-01", "2025-02-01", None]).tz_localize("UTC"),
            "orders": pd.array([1, None, 3], dtype="Int64"),
            "revenue": [np.float32(1.5), np.nan, np.inf],
            "note": [Decimal("1.25"), pd.NaT, pd.Timedelta(days=1)],
        }
    )
    shape = Shape(measures=("orders", "revenue"), dimensions=(), time="month", grain="month")
    spec = _check(chart_spec(df, shape))
    values = spec["data"]["values"]
    assert values[0] == {"month": "2025-01-01T00:00:00", "orders": 1, "revenue": 1.5, "note": 1.25}
    assert values[1]["orders"] is None
    assert values[1]["revenue"] is None
    assert values[1]["note"] is None
    assert values[2]["month"] is None
    assert values[2]["revenue"] is None
    assert values[2]["note"] == "1 days 00:00:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.int64(3), 3),
        (np.bool_(True), True),
        (np.float64("nan"), None),
        (pd.Timestamp("2025-01-02 03:04:05"), "2025-01-02T03:04:05"),
        (date(2025, 1, 2), "2025-01-02"),
        (pd.NA, None),
        (b"ab", "ab"),
        (Decimal("NaN"), None),
    ],
)
def test_json_value(value: Any, expected: Any) -> None:
    """Single cells convert to JSON-native values."""
    assert json_value(value) == expected


def test_spec_rows_are_capped() -> None:
    """At most 5000 rows are inlined, and the spec says so."""
    df = pd.DataFrame(
        {"day": pd.date_range("2000-01-01", periods=6000, freq="D"), "orders": range(6000)}
    )
    spec = _check(chart_spec(df, infer_shape(df)))
    assert len(spec["data"]["values"]) == 5000
    assert spec["description"] == "First 5000 of 6000 rows."


def test_dotted_column_names_are_escaped() -> None:
    """Vega-Lite reads '.' as nested access, so field names escape it; data keys do not."""
    df = pd.DataFrame({"a.b": ["x", "y"], "n[0]": [1, 2]})
    spec = _check(chart_spec(df, Shape(measures=("n[0]",), dimensions=("a.b",))))
    assert spec["encoding"]["x"]["field"] == "a\\.b"
    assert spec["encoding"]["y"]["field"] == "n\\[0\\]"
    assert set(spec["data"]["values"][0]) == {"a.b", "n[0]"}


def test_kpi_html_escapes() -> None:
    """Label and value are escaped; numbers are formatted by unit."""
    card = kpi_html(1234.5, "<b>Revenue</b> & more", "money")
    assert "&lt;b&gt;Revenue&lt;/b&gt; &amp; more" in card
    assert "$1,234.50" in card
    assert "<script>" not in kpi_html("<script>x</script>", "x", "number")
    assert "n/a" in kpi_html(None, "Orders", "count")
    assert "1,234" in kpi_html(np.int64(1234), "Orders", "count")
    assert "$2.50" in kpi_html(Decimal("2.5"), "Revenue", "money")


def test_public_names_are_sorted_and_resolve() -> None:
    """The package's __all__ is sorted and every name in it exists."""
    from lgda_nb import insight

    assert insight.__all__ == sorted(insight.__all__)
    assert all(getattr(insight, name) is not None for name in insight.__all__)


def test_insight_import_is_light() -> None:
    """Importing the insight package loads neither pandas nor numpy."""
    code = "import sys, lgda_nb.insight; print('pandas' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.split() == ["False", "False"]


def test_facts_type_is_plain_data() -> None:
    """Facts are frozen dataclasses of Python numbers and strings."""
    facts = analyze(_monthly(), MONTHLY_SHAPE)
    assert isinstance(facts, Facts)
    with pytest.raises(AttributeError):
        facts.row_count = 3  # type: ignore[misc]
    for value in (facts.measures[0].change, facts.measures[0].slope):
        assert type(value) is float


def test_partial_period_is_drawn_dashed() -> None:
    """A half-covered last month is a dashed segment from the last full month, and said so."""
    df = _monthly()
    df.loc[11, "revenue"] = 20.0
    spec = chart_spec(df, MONTHLY_SHAPE, partial=["Dec 2025"])
    assert spec is not None
    assert spec["encoding"]["strokeDash"]["field"] == "period_coverage"
    assert "Dec 2025 is only partly covered by the data (dashed)" in spec["title"]["subtitle"]
    values = spec["data"]["values"]
    dashed = [r["month"][:7] for r in values if r["period_coverage"] == "partial"]
    assert sorted(dashed) == ["2025-11", "2025-12"]  # the bridge from November, then December
    assert sum(r["period_coverage"] == "complete" for r in values) == 11
    assert "strokeDash" not in chart_spec(df, MONTHLY_SHAPE)["encoding"]  # type: ignore[index]


def test_partial_periods_of_each_line_are_dashed_separately() -> None:
    months = list(_months(3)) * 2
    df = pd.DataFrame(
        {"month": months, "dept": ["Men"] * 3 + ["Women"] * 3, "revenue": [1.0, 2, 0.5, 3, 4, 1]}
    )
    shape = Shape(measures=("revenue",), dimensions=("dept",), time="month", grain="month")
    spec = chart_spec(df, shape, partial=["Mar 2025"])
    assert spec is not None
    bridges = [
        (r["dept"], r["month"][:7], r["revenue"])
        for r in spec["data"]["values"]
        if r["period_coverage"] == "partial"
    ]
    assert sorted(bridges) == [
        ("Men", "2025-02", 2.0),
        ("Men", "2025-03", 0.5),
        ("Women", "2025-02", 4.0),
        ("Women", "2025-03", 1.0),
    ]


@pytest.mark.parametrize(
    ("start", "grain"),
    [
        ("2024-01-31", "month"),  # a leap February: the 29th
        ("2023-01-31", "month"),
        ("2024-11-30", "quarter"),  # across the year end
        ("2024-12-01", "month"),
        ("2024-02-29", "year"),  # no 29 February next year: the 28th
        ("2024-03-01 13:45:00", "quarter"),
        ("2024-12-30", "week"),
        ("2024-02-28", "day"),
    ],
)
def test_period_end_is_what_a_date_offset_says(start: str, grain: str) -> None:
    from lgda_nb.engine._analyze import _GRAIN_DAYS, _GRAIN_MONTHS, _period_end

    stamp = pd.Timestamp(start)
    offset = (
        pd.DateOffset(months=_GRAIN_MONTHS[grain])
        if grain in _GRAIN_MONTHS
        else pd.DateOffset(days=_GRAIN_DAYS[grain])
    )
    assert _period_end(stamp, grain) == stamp + offset


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["a", None, "c"], dtype="str"),  # text, NaN where missing
        pd.Series(["a", "b"], dtype="str"),
        pd.Series(["a", None], dtype="string"),  # text, NA where missing
        pd.Series(["a", None], dtype=object),
        pd.Series([1, 2], dtype="int64"),
        pd.Series([1, None], dtype="Int64"),
        pd.Series([1.5, float("nan")]),
        pd.Series(pd.to_datetime(["2025-01-01", None])),
        pd.Series(pd.to_datetime(["2025-01-01"]).tz_localize("UTC")),
        pd.Series([True, None], dtype="boolean"),
        pd.Series([Decimal("1.10"), None], dtype=object),
    ],
    ids=lambda column: str(column.dtype),
)
def test_columns_read_values_as_tolist_does(column: pd.Series[Any]) -> None:
    from lgda_nb.insight._facts import Columns

    df = pd.DataFrame({"x": column, "y": range(len(column))})
    read = Columns(df).values("x")
    expected = column.tolist()
    assert [type(v) for v in read] == [type(v) for v in expected]
    assert [repr(v) for v in read] == [repr(v) for v in expected]


def test_the_whole_and_the_difference_are_said_in_the_measures_unit(engine: Any) -> None:
    """The columns shown beside a share (its whole) and a comparison (the difference)
    are money when the measure is, and labelled as what they are."""
    share = engine.ask("what % of revenue comes from the United States").summary
    assert "revenue (all) $" in share
    ranked = engine.ask("which country had the biggest increase in revenue, 2024 vs 2023")
    assert "revenue (difference) $" in ranked.summary

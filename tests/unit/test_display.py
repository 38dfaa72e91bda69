"""HTML renderings: no '$' reaches a typesetter, and tables read as money, percents, counts."""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from lgda_nb.engine import Result
from lgda_nb.errors import PlanningError
from lgda_nb.insight import Shape, analyze
from lgda_nb.jupyter._display import (
    Bundle,
    ExplainView,
    Table,
    column_units,
    error_html,
    insight_html,
    interpretation_html,
    no_math,
    progress_line,
    readable,
    result_html,
    show_readable,
    table_html,
)

MONEY_TEXT = "Jeans ($52,995.31 to $62,578.72)"
IGNORED = "<div class='lgda-html mathjax_ignore tex2jax_ignore'>"


def _result(df: pd.DataFrame, shape: Shape | None = None, **fields: Any) -> Result:
    facts = analyze(df, shape) if shape is not None else None
    return Result(
        question=fields.pop("question", "q"),
        sql="SELECT 1",
        executed_sql="SELECT 1",
        df=df,
        backend="duckdb",
        facts=facts,
        **fields,
    )


CATEGORIES = pd.DataFrame(
    {
        "category": ["Jeans", "Outerwear"],
        "revenue": [30604.98, 1234.5],
        "orders": [1234.0, 58.0],
        "share_pct": [12.345, 0.5],
        "avg_items": [1.5, 2.0],
    }
)
SHAPE = Shape(
    measures=("revenue", "orders", "share_pct", "avg_items"),
    dimensions=("category",),
    units={"revenue": "money", "orders": "count", "share_pct": "percent", "avg_items": "number"},
)


def test_no_math_escapes_every_dollar_inside_an_ignored_block() -> None:
    """'$' becomes '&#36;' inside a block MathJax 3 (mathjax_ignore) and 2 (tex2jax_ignore)
    skip; applying it twice changes nothing; empty stays empty."""
    once = no_math(f"<p>{MONEY_TEXT}</p>")
    assert once == f"{IGNORED}<p>Jeans (&#36;52,995.31 to &#36;62,578.72)</p></div>"
    assert no_math(once) == once
    assert no_math("") == ""


@pytest.mark.parametrize(
    ("column", "first", "second"),
    [
        ("revenue", "$30,604.98", "$1,234.50"),
        ("orders", "1,234", "58"),
        ("share_pct", "12.3%", "0.50%"),
        ("avg_items", "1.50", "2"),
        ("category", "Jeans", "Outerwear"),
    ],
)
def test_tables_read_money_counts_and_percents(column: str, first: str, second: str) -> None:
    """Money as $30,604.98, counts as 1,234 (never 58.0), percents as 12.3%; text as is."""
    shown = readable(CATEGORIES, column_units(_result(CATEGORIES, SHAPE)))
    assert list(shown[column]) == [first, second]


def test_formatting_leaves_the_dataframe_alone() -> None:
    """The readable copy is for showing; the answer's frame keeps its numbers."""
    before = CATEGORIES.copy()
    readable(CATEGORIES, {"revenue": "money"})
    pd.testing.assert_frame_equal(CATEGORIES, before)


def test_missing_decimal_and_duplicate_columns() -> None:
    """Missing values read n/a; BigQuery's Decimal is money too; duplicate names are safe."""
    df = pd.DataFrame([[Decimal("1234.5"), None, 3]], columns=["revenue", "revenue", "orders"])
    df["orders"] = df["orders"].astype("Int64")
    df.loc[1] = [Decimal("2"), 4.0, pd.NA]
    shown = readable(df, {"revenue": "money", "orders": "count"})
    assert shown.iloc[0].tolist() == ["$1,234.50", "n/a", "3"]
    assert shown.iloc[1].tolist() == ["$2.00", "$4.00", "n/a"]


def test_units_without_facts_come_from_the_column_names() -> None:
    """For a result with no facts the units are the insight's own guess from the names."""
    units = column_units(_result(CATEGORIES))
    assert units["revenue"] == "money"
    assert units["share_pct"] == "percent"
    assert "category" not in units


def test_table_html_is_pandas_table_with_formatted_numbers() -> None:
    """The HTML table is pandas' own (index and all), its money escaped from typesetters."""
    markup = table_html(CATEGORIES, {"revenue": "money"})
    assert markup.startswith(IGNORED)
    assert 'class="dataframe"' in markup
    assert "&#36;30,604.98" in markup
    assert "$" not in markup
    assert "<th>0</th>" not in table_html(CATEGORIES, {}, index=False)


def test_show_readable_draws_only_that_frame_formatted() -> None:
    """The magic's DataFrame draws formatted; it is still a plain DataFrame with raw values,
    and copies and pickles draw as pandas does."""
    df = CATEGORIES.copy()
    shown = show_readable(_result(df, SHAPE))
    assert shown is df
    assert type(shown) is pd.DataFrame
    assert "&#36;30,604.98" in shown._repr_html_()
    assert shown["revenue"].iloc[0] == 30604.98
    assert "30604.98" in shown.copy()._repr_html_()
    assert "30604.98" in pickle.loads(pickle.dumps(shown))._repr_html_()


def test_long_tables_format_the_rows_pandas_shows() -> None:
    """A table pandas truncates formats its head and tail, keeps its '...' row and its
    size line, and does not format the rows it hides."""
    df = pd.DataFrame({"revenue": [float(i) + 0.5 for i in range(100_000)]})
    with pd.option_context("display.max_rows", 60, "display.min_rows", 10):
        markup = table_html(df, {"revenue": "money"})
    assert "&#36;0.50" in markup
    assert "&#36;99,999.50" in markup
    assert "100000 rows" in markup
    assert "&#36;50,000.50" not in markup


def test_units_of_a_long_frame_read_a_bounded_sample() -> None:
    """Units of a long frame match those of its whole: an object column of Decimal money
    whose first value comes after many nulls is still money."""
    revenue: list[Any] = [None] * 5_000 + [Decimal("12.5")] * 10
    df = pd.DataFrame({"revenue": revenue, "orders": range(5_010)})
    assert column_units(_result(df)) == {"revenue": "money", "orders": "count"}


def test_show_readable_works_out_units_only_when_drawn() -> None:
    """The magic's frame gets its units when its table is drawn; a frame with no measure
    draws as pandas does."""
    text = pd.DataFrame({"category": ["Jeans", "Outerwear"]})
    shown = show_readable(_result(text))
    assert shown._repr_html_() == pd.DataFrame._repr_html_(text)


def test_every_html_rendering_escapes_dollars() -> None:
    """Result, interpretation, insight, KPI, explain, progress, error card, table, bundle."""
    single = pd.DataFrame({"revenue": [52995.31]})
    result = _result(
        single,
        Shape(measures=("revenue",), units={"revenue": "money"}),
        interpretation="Revenue over $80",
        summary=MONEY_TEXT,
    )
    error = PlanningError("Nothing costs $5 to $9.", hint="Ask for $10", detail="$1 and $2")
    rendered = [
        result_html(result, with_table=True),
        result_html(result, with_table=False),
        interpretation_html("Revenue over $80 and under $90"),
        insight_html(MONEY_TEXT),
        ExplainView(None, "SELECT '$5'", note="about $0.0001")._repr_html_(),
        progress_line({"job_id": "$job$", "state": "RUNNING", "elapsed": 1.0})["text/html"],
        error_html(error),
        Table(["a$", "b"], [["$1", "$2"]], title="$t$")._repr_html_(),
        Bundle({"text/html": "<b>$5 to $9</b>", "text/plain": "$5"})._repr_mimebundle_()[
            "text/html"
        ],
    ]
    for markup in rendered:
        assert "$" not in markup, markup
        assert markup.startswith(IGNORED), markup
    assert "lgda-kpi" in rendered[0]
    assert "&#36;52,995.31" in rendered[0]

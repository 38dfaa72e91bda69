"""Every number the insight names is the number it says it is, on the real sample.

Each test checks the words against an independent query of the same data, so a
share over the wrong total, a sum of leaders or a count shown as a float fails.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from lgda_nb import Engine
from lgda_nb.insight._text import NUMBER_PATTERN, facts_numbers


def _numbers_traceable(result: object) -> None:
    facts = result.facts  # type: ignore[attr-defined]
    assert set(NUMBER_PATTERN.findall(result.summary)) <= facts_numbers(facts)  # type: ignore[attr-defined]


def test_a_share_is_of_the_true_total_or_not_claimed(engine: Engine) -> None:
    """All countries: the share is of the real total. A top 3: no share, and it says "shown"."""
    users = int(engine.run_sql("SELECT COUNT(*) AS n FROM users").df["n"][0])
    everything = engine.ask("users by country")
    top = everything.df.sort_values("users", ascending=False).iloc[0]
    share = f"{top['users'] / users * 100:.1f}%"
    assert f"Of the {users:,} total, {share} comes from {top['country']}." in everything.summary

    top3 = engine.ask("top 3 countries by users")
    assert len(top3.df) == 3
    assert top3.facts is not None
    assert top3.facts.complete is False
    assert "comes from" not in top3.summary
    shown = int(top3.df["users"].sum())
    assert shown < users
    assert f"The 3 shown add up to {shown:,}, which is not the overall total." in top3.summary
    assert "Of the 3 country values shown" in top3.summary
    _numbers_traceable(top3)


def test_a_top_n_with_fewer_groups_than_asked_is_complete(engine: Engine) -> None:
    """Top 10 departments returns both: that is every group, so the share is real."""
    result = engine.ask("top 10 departments by revenue")
    assert len(result.df) == 2
    assert result.facts is not None
    assert result.facts.complete
    assert "comes from" in result.summary


def test_the_row_limit_makes_an_answer_incomplete(engine: Engine) -> None:
    result = engine.ask("revenue by category", limit=2)
    assert result.truncated
    assert "comes from" not in result.summary
    assert "shown" in result.summary


def test_leaders_of_groups_are_not_summed(engine: Engine) -> None:
    """The top brand of each category: no total of winners, no share, rank is not a measure."""
    result = engine.ask("best selling brand per category by revenue")
    assert "rank" in result.df.columns
    assert result.facts is not None
    assert [m.column for m in result.facts.measures] == ["revenue"]
    assert result.facts.measures[0].total is None
    assert "total" not in result.summary
    assert "comes from" not in result.summary
    yearly = engine.ask("which country had the most revenue each year")
    assert "Summed over" not in yearly.summary
    assert yearly.summary.startswith("Revenue of the top country ")
    _numbers_traceable(yearly)


def test_distinct_counts_per_period_are_not_summed(engine: Engine) -> None:
    """One customer buys in many months: the months' customers do not add up to a total."""
    by_month = engine.ask("customers by month in 2025")
    assert by_month.facts is not None
    assert by_month.facts.measures[0].total is None
    assert "total" not in by_month.summary
    # A customer lives in one country, so countries do add up, to the distinct count.
    customers = int(engine.ask("how many customers").df.iloc[0, 0])
    by_country = engine.ask("customers by country")
    assert f"Of the {customers:,} total" in by_country.summary


def test_funnel_steps_are_in_order_and_conversion_never_exceeds_100(engine: Engine) -> None:
    result = engine.ask("conversion funnel")
    df = result.df
    assert list(df["step"]) == ["home", "department", "product", "cart", "purchase"]
    assert df["sessions"].is_monotonic_decreasing
    assert (df["pct_of_first_step"] <= 100).all()
    assert (df["pct_of_previous_step"].dropna() <= 100).all()
    # A closed funnel: a session counts at a step only with every earlier step too.
    check = engine.run_sql(
        "SELECT COUNT(*) AS n FROM (SELECT session_id FROM events GROUP BY session_id "
        "HAVING COUNTIF(event_type = 'home') > 0 AND COUNTIF(event_type = 'department') > 0 "
        "AND COUNTIF(event_type = 'product') > 0 AND COUNTIF(event_type = 'cart') > 0 "
        "AND COUNTIF(event_type = 'purchase') > 0)"
    ).df
    assert int(df["sessions"].iloc[-1]) == int(check["n"][0])
    assert result.facts is not None
    assert result.facts.kind == "stages"
    assert "step number" not in result.summary.lower()
    assert result.summary.startswith("Sessions start at home")
    _numbers_traceable(result)
    assert result.chart is not None
    assert result.chart["encoding"]["y"]["field"] == "sessions"
    assert result.chart["encoding"]["x"]["sort"] is None  # funnel order, not by value


@pytest.mark.parametrize(
    "question",
    ["count of cancelled orders", "cancelled orders per month in 2025", "returned items by year"],
)
def test_counts_are_integers_in_frames_text_and_charts(engine: Engine, question: str) -> None:
    """DuckDB's COUNT_IF is a HUGEINT that pandas reads as float; answers keep integers."""
    result = engine.ask(question)
    assert result.facts is not None
    for m in result.facts.measures:
        if m.unit == "count":
            assert pd.api.types.is_integer_dtype(result.df[m.column].dtype), result.df.dtypes
    assert not any(n.endswith(".0") for n in NUMBER_PATTERN.findall(result.summary))
    if result.chart is not None:
        assert ".0," not in json.dumps(result.chart["data"]["values"]).replace(".0}", ".0,")


def test_no_outliers_claimed_on_seven_weekdays(engine: Engine) -> None:
    result = engine.ask("revenue by weekday")
    assert len(result.df) == 7
    assert result.facts is not None
    assert result.facts.measures[0].outliers == ()
    assert "Unusually" not in result.summary
    assert "standard deviation" not in result.summary


def test_a_partial_last_month_is_drawn_dashed(engine: Engine) -> None:
    result = engine.ask("revenue by month")
    assert result.facts is not None
    assert result.facts.partial_periods
    assert result.chart is not None
    assert result.chart["encoding"]["strokeDash"]["field"] == "period_coverage"
    subtitle = result.chart["title"]["subtitle"]
    assert " and ".join(result.facts.partial_periods) in subtitle
    assert subtitle.endswith("only partly covered by the data (dashed)")

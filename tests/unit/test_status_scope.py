"""'Any status' said of one noun, 'items ordered', and number ranges with a unit or
'inclusive': each reaches only what it is said of, or the question is refused."""

from __future__ import annotations

import pytest

from lgda_nb.errors import PlanningError
from lgda_nb.planner import OfflinePlanner, compile_plan, load_model
from lgda_nb.planner._read_scope import cut_scoped, opens_scope

VALUES = {
    "country": ["China", "United States"],
    "category": ["Jeans", "Swim"],
    "brand": ["Nike"],
    "status": ["Cancelled", "Complete", "Processing", "Returned", "Shipped"],
    "department": ["Men", "Women"],
    "gender": ["F", "M"],
}
RULE = "revenue_items"


@pytest.fixture(scope="module")
def planner() -> OfflinePlanner:
    """A planner over the built-in thelook model and a small value index."""
    return OfflinePlanner(load_model(), VALUES)


@pytest.mark.parametrize(
    "question",
    [
        "revenue and orders (any status) per week in 2024",
        "revenue and the number of orders of any status by country",
        "revenue from customers with at least 4 orders (any status)",
        "revenue from buyers with 2 or more orders (counting orders in any status)",
        "revenue and orders of any status per month in 2024",
        "customers with at least 3 orders of any status in 2023",
    ],
)
def test_any_status_said_of_orders_keeps_the_revenue_rule(
    planner: OfflinePlanner, question: str
) -> None:
    """Orders have no rule on their status: the phrase restates them, revenue keeps its
    rule (it used to leave the rule out for every measure)."""
    plan = planner.plan(question)
    assert plan.ignore_rules == ()
    assert "NOT order_items.status IN ('Cancelled', 'Returned')" in compile_plan(
        plan, planner.model
    )


@pytest.mark.parametrize(
    ("question", "metrics", "ignored"),
    [
        ("items in any status by category", ("items_sold",), (RULE,)),
        ("items of any status per month in 2024", ("items_sold",), (RULE,)),
        ("how many items were ordered in 2023", ("items_sold",), (RULE,)),
        ("how many items that were ordered in 2024 by brand", ("items_sold",), (RULE,)),
        ("number of items ordered per department, regardless of status", ("items_sold",),
         (RULE,)),
        ("top 3 categories by items ordered in 2025", ("items_sold",), (RULE,)),
        ("revenue and items (any status) by category", ("revenue", "order_lines"), ()),
        ("revenue and items ordered per country", ("revenue", "order_lines"), ()),
        ("item return rate by brand for items ordered in 2024",
         ("item_return_rate", "returned_items", "order_lines"), ()),
        ("orders (any status) by month in 2025", ("orders",), ()),
    ],
)  # fmt: skip
def test_every_status_reaches_only_the_noun_it_is_said_of(
    planner: OfflinePlanner, question: str, metrics: tuple[str, ...], ignored: tuple[str, ...]
) -> None:
    """Items of any status: the rule is left out when items are the only measure with
    it, and items are counted without it beside revenue, which keeps its own."""
    plan = planner.plan(question)
    assert plan.metrics == metrics
    assert plan.ignore_rules == ignored


def test_items_ordered_with_a_status_named_counts_those_items(planner: OfflinePlanner) -> None:
    """'How many of the items ordered in 2024 were cancelled': the status named is the
    filter, and every item ordered is counted (as a share's whole would be)."""
    plan = planner.plan("how many of the items ordered in 2024 were cancelled")
    assert plan.metrics == ("items_sold",)
    assert [(f.dimension, f.values) for f in plan.filters] == [("status", ("Cancelled",))]
    sql = compile_plan(plan, planner.model)
    assert "order_items.status = 'Cancelled'" in sql or "IN ('Cancelled')" in sql
    assert "NOT order_items.status" not in sql


def test_items_of_any_status_in_a_condition_count_every_item(planner: OfflinePlanner) -> None:
    """'Brands with at least 40 items ordered': the condition counts items of any status,
    and the measure shown beside it the same items."""
    plan = planner.plan("brands with at least 40 items ordered")
    assert [c.metric for c in plan.conditions] == ["items_sold"]
    assert plan.ignore_rules == (RULE,)
    sql = compile_plan(plan, planner.model)
    assert "'Cancelled'" not in sql


def test_revenue_of_items_of_any_status_beside_a_condition_is_swapped_per_measure(
    planner: OfflinePlanner,
) -> None:
    """'Revenue by brand for brands with more than 30 items (any status)': the condition
    counts every item, revenue keeps its rule."""
    plan = planner.plan("revenue by brand for brands with more than 30 items (any status)")
    assert plan.metrics[0] == "revenue"
    assert [c.metric for c in plan.conditions] == ["order_lines"]
    assert plan.ignore_rules == ()


@pytest.mark.parametrize(
    "question",
    [
        "revenue from items ordered in 2025",
        "average item price of items ordered in 2024 by category",
        "items sold by brand for brands with at least 50 items (any status) and revenue",
    ],
)
def test_every_status_that_could_reach_another_ruled_measure_is_refused(
    planner: OfflinePlanner, question: str
) -> None:
    """Said of items while another measure has its own status rule, or items both
    measured and in a condition beside another: refused with how to say it, never
    guessed."""
    with pytest.raises(PlanningError) as caught:
        planner.plan(question)
    assert "regardless of status" in caught.value.hint


def test_a_sort_by_is_not_a_verb_of_items(planner: OfflinePlanner) -> None:
    """'Items ordered by category' sorts; 'ordered' is not read as every status there."""
    scoped, text = cut_scoped(
        planner.model, planner._phrases, planner._any_value_dimensions, "items ordered by date"
    )
    assert scoped == []
    assert text == "items ordered by date"


def test_users_who_ordered_are_not_items_of_any_status(planner: OfflinePlanner) -> None:
    """'Users ordered within 30 days': users have no status of their own, so 'ordered'
    stays for the reading of 'within'."""
    scoped, _ = cut_scoped(
        planner.model,
        planner._phrases,
        planner._any_value_dimensions,
        "what % of users ordered within 30 days of signing up",
    )
    assert scoped == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("orders (any status)", True),
        ("orders (all statuses)", True),
        ("orders (counting orders of any status)", True),
        ("orders (id, status)", False),
        ("orders (status, user id)", False),
    ],
)
def test_a_parenthesis_opens_every_value_or_columns(text: str, expected: bool) -> None:
    """A list's columns in parentheses are not mistaken for 'any status', nor the other
    way round."""
    assert opens_scope(text, text.index("(")) is expected


def test_a_list_with_any_status_in_parentheses_is_not_read_as_columns(
    planner: OfflinePlanner,
) -> None:
    """'(any status)' after a list's rows was a column 'any' of order rows; now it is left
    to the reader, whose own refusal or answer stands."""
    with pytest.raises(PlanningError) as caught:
        planner.plan("By week in 2024: revenue, number of orders (any status), users and AOV")
    assert "as a column" not in str(caught.value)


@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("users aged 18 to 25, inclusive", (18, 25)),
        ("users aged 18 to 25 (inclusive)", (18, 25)),
        ("how many users are between 30 and 40 years old, inclusive", (30, 40)),
        ("users between 30 and 40 years old", (30, 40)),
        ("customers 20 to 29 years old by country", (20, 29)),
        ("users aged 30 to 39 years old, both inclusive", (30, 39)),
        ("products priced between $20 and $40, inclusive", (20, 40)),
    ],
)
def test_ranges_with_a_unit_or_inclusive_are_between(
    planner: OfflinePlanner, question: str, values: tuple[int, int]
) -> None:
    """Both bounds count ('inclusive' restates it); a unit after the range keeps both
    numbers (it used to read 'age equal to 40')."""
    plan = planner.plan(question)
    assert [(f.op, f.values) for f in plan.filters] == [("between", values)]


def test_an_exclusive_range_is_refused(planner: OfflinePlanner) -> None:
    """'Exclusive' would change the bounds: it is left unread, so the question is
    refused, not answered inclusively."""
    with pytest.raises(PlanningError, match="exclusive"):
        planner.plan("users aged between 30 and 40 exclusive")


def test_a_share_of_value_of_every_status_keeps_every_status_in_its_whole(
    planner: OfflinePlanner,
) -> None:
    """'% of item value (all statuses) that was returned': the returned part over the value
    of every status, not over revenue items."""
    plan = planner.plan("what % of 2023 item value (all statuses) was cancelled, by department")
    assert plan.ignore_rules == (RULE,)
    assert "NOT order_items.status" not in compile_plan(plan, planner.model)


def test_a_period_beside_users_and_a_condition_on_their_orders_is_asked_about(
    planner: OfflinePlanner,
) -> None:
    """'How many users placed 2 or more orders in 2024': no words date the users, so the
    year dates their orders (it used to date both, then was refused)."""
    for question in (
        "how many users placed 2 or more orders in 2024",
        "how many users placed 2 or more orders in 2024 (orders of any status)",
    ):
        sql = compile_plan(planner.plan(question), planner.model)
        inner = sql.split(" IN (", 1)[1]
        assert "EXTRACT(YEAR FROM orders.created_at) = 2024" in inner
        assert "users.created_at" not in sql


def test_every_statistic_of_a_duration_is_read_with_the_between(
    planner: OfflinePlanner,
) -> None:
    """'The average and the maximum days from order to delivery': both statistics (the
    'the' before the second one used to drop the first)."""
    plan = planner.plan("by brand, the average and the maximum days from order to delivery")
    assert [m.split(":")[2] for m in plan.metrics] == ["avg", "max"]

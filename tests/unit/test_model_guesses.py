"""A generated model's guesses stay honest: money on rows with a status asks which
statuses count (``ask_which``), and the reader reads a model's plain vocabulary (a bare
column name several tables share, the measure's own "per ...", counts of valued rows)."""

from __future__ import annotations

import pytest

from lgda_nb.errors import ConfigError, PlanningError
from lgda_nb.planner import OfflinePlanner, SemanticModel, infer_model
from lgda_nb.planner._model import parse_model
from lgda_nb.planner._query import plan_from_query

#: A rental business: bookings with a state and a fee, payments with a status.
RENTALS: dict[str, dict[str, str]] = {
    "bookings": {
        "id": "BIGINT",
        "member_id": "BIGINT",
        "state": "VARCHAR",
        "fee": "DOUBLE",
        "nights": "INTEGER",
        "booked_at": "TIMESTAMP",
    },
    "payments": {
        "id": "BIGINT",
        "booking_id": "BIGINT",
        "status": "VARCHAR",
        "amount": "DOUBLE",
        "paid_at": "TIMESTAMP",
    },
    "members": {"id": "BIGINT", "name": "VARCHAR", "region": "VARCHAR", "status": "VARCHAR"},
}
VALUES = {
    "state": ["confirmed", "cancelled"],
    "payments_status": ["settled", "refunded"],
    "members_status": ["gold", "basic"],
    "region": ["North", "South"],
}


@pytest.fixture(scope="module")
def rentals() -> SemanticModel:
    """The inferred model of the rental schema."""
    return infer_model(RENTALS)


@pytest.fixture(scope="module")
def planner(rentals: SemanticModel) -> OfflinePlanner:
    return OfflinePlanner(rentals, VALUES)


def test_money_on_rows_with_a_status_asks_which_count(rentals: SemanticModel) -> None:
    """Every aggregate of a money column on a table with a state column asks which
    states count; numbers that are not money and tables without a state do not."""
    assert rentals.metric("total_fee").ask_which == ("state",)
    assert rentals.metric("average_fee").ask_which == ("state",)
    assert rentals.metric("total_amount").ask_which == ("payments_status",)
    assert rentals.metric("total_nights").ask_which == ()
    assert rentals.metric("bookings").ask_which == ()


@pytest.mark.parametrize(
    "question", ["total fee", "fee by region", "average amount", "members with total fee over 100"]
)
def test_an_open_status_is_refused_with_a_hint(planner: OfflinePlanner, question: str) -> None:
    """A money measure whose statuses the question leaves open is a refusal that says
    how to ask, never the sum over every status."""
    with pytest.raises(PlanningError) as caught:
        planner.plan(question)
    assert "does not say which" in caught.value.message
    assert "regardless of" in caught.value.hint
    assert "ask_which" in caught.value.hint


@pytest.mark.parametrize(
    ("question", "dimensions", "filtered"),
    [
        ("total fee of confirmed bookings", (), ("state",)),
        ("fee by state", ("state",), ()),
        ("total fee regardless of state", (), ()),
        ("total fee whatever their state", (), ()),
        ("total amount across all statuses", (), ()),
        ("average fee of all bookings", (), ()),
        ("total nights by region", ("region",), ()),
    ],
)
def test_a_question_that_settles_the_status_is_answered(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...], filtered: tuple[str, ...]
) -> None:
    """Named values, a breakdown by the status, 'regardless of' / 'all statuses' / 'all
    <rows>', or a measure that asks nothing."""
    plan = planner.plan(question)
    assert plan.dimensions == dimensions
    assert tuple(f.dimension for f in plan.filters) == filtered


def test_a_metric_filter_on_the_status_settles_it(rentals: SemanticModel) -> None:
    """A user's edit that says which rows count (filters) answers without asking."""
    data = {
        "name": "edited",
        "filters": {"confirmed": {"sql": "bookings.state = 'confirmed'"}},
        "metrics": [
            {
                "name": "fees",
                "expression": "SUM(bookings.fee)",
                "table": "bookings",
                "unit": "money",
                "filters": ["confirmed"],
                "ask_which": ["state"],
            }
        ],
        "dimensions": [{"name": "state", "column": "bookings.state", "values": True}],
    }
    plan = OfflinePlanner(parse_model(data), {"state": ["confirmed"]}).plan("fees")
    assert plan.metrics == ("fees",)


def test_ask_which_naming_an_unknown_dimension_is_a_config_error() -> None:
    data = {
        "name": "bad",
        "metrics": [
            {"name": "fees", "expression": "SUM(b.fee)", "table": "b", "ask_which": ["nope"]}
        ],
    }
    with pytest.raises(ConfigError) as caught:
        parse_model(data)
    assert "ask_which" in caught.value.message
    assert "'nope'" in caught.value.message
    assert caught.value.hint


@pytest.mark.parametrize(
    ("question", "dimensions"),
    [
        ("payments by status", ("payments_status",)),
        ("members by status", ("members_status",)),
        ("number of payments by status and region", ("payments_status", "region")),
    ],
)
def test_a_bare_shared_column_name_is_the_measures_own(
    planner: OfflinePlanner, question: str, dimensions: tuple[str, ...]
) -> None:
    """ "status" names the status of the measure's own table (payments reach members
    too, but a payment's status is its own)."""
    assert planner.plan(question).dimensions == dimensions


def test_a_bare_column_name_the_measures_table_lacks_is_not_guessed(
    planner: OfflinePlanner,
) -> None:
    """Bookings have a state but no status: 'bookings by status' is refused."""
    with pytest.raises(PlanningError) as caught:
        planner.plan("bookings by status")
    assert "status" in caught.value.message


def test_the_measures_own_per_leaves_for_each_a_breakdown(planner: OfflinePlanner) -> None:
    """'average nights per booking for each region' is the average by region, not the
    average over regions of each region's average."""
    plan = planner.plan("average nights per booking for each region")
    assert (plan.metrics, plan.dimensions) == (("average_nights",), ("region",))


def test_the_number_of_valued_rows_beside_a_measure_is_a_count(planner: OfflinePlanner) -> None:
    """'total nights and the number of confirmed bookings': both measures, the value a
    filter, rather than the count read as which rows the first measure is of."""
    plan = planner.plan("total nights and the number of confirmed bookings by region")
    assert plan.metrics == ("total_nights", "bookings")
    assert plan.dimensions == ("region",)


@pytest.mark.parametrize(
    ("question", "query", "answered"),
    [
        ("total fee", {"metrics": ["total_fee"]}, False),
        ("fee by region", {"metrics": ["total_fee"], "dimensions": ["region"]}, False),
        ("fee by state", {"metrics": ["total_fee"], "dimensions": ["state"]}, True),
        ("total fee regardless of state", {"metrics": ["total_fee"]}, True),
        (
            "total fee of confirmed bookings",
            {
                "metrics": ["total_fee"],
                "filters": [{"dimension": "state", "values": ["confirmed"]}],
            },
            True,
        ),
    ],
)
def test_a_language_models_query_must_settle_the_status_too(
    rentals: SemanticModel, question: str, query: dict[str, object], answered: bool
) -> None:
    """A typed query from a language model is held to the model's ``ask_which`` like the
    reader: a total over every status the question never chose is refused."""
    if answered:
        assert plan_from_query(question, query, rentals, VALUES).metrics == ("total_fee",)
        return
    with pytest.raises(PlanningError, match="does not say which"):
        plan_from_query(question, query, rentals, VALUES)

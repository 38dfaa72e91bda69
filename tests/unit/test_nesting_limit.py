"""Deeply nested SQL is refused by an explicit rule, counted before parsing and on the
parsed tree, whatever the interpreter's recursion limit: never a RecursionError, a crash
of a compiled parser, or a parse whose work doubles per level."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

import pytest

from lgda_nb.engine._sql import backend_sql
from lgda_nb.errors import SecurityError
from lgda_nb.security import SecurityPolicy, SecurityValidator
from lgda_nb.security._validator import MAX_NESTING, MAX_TREE_LEVELS, MAX_TYPE_CALL_NESTING

TABLES = frozenset({"orders", "users"})


@pytest.fixture
def validator() -> SecurityValidator:
    """The default policy."""
    return SecurityValidator(SecurityPolicy(allowed_tables=TABLES))


@pytest.fixture(params=[200, 1_000_000])
def recursion_limit(request: pytest.FixtureRequest) -> Iterator[int]:
    """A recursion limit far below and far above what deep SQL needs: the refusal is the
    same under both."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(request.param, 200))
    try:
        yield request.param
    finally:
        sys.setrecursionlimit(before)


def _parens(n: int) -> str:
    return "SELECT " + "(" * n + "1" + ")" * n + " AS x"


DEEP = {
    "parentheses": _parens(60),
    "function calls": "SELECT " + "ABS(" * 40 + "1" + ")" * 40 + " AS x",
    "CASE": "SELECT " + "CASE WHEN TRUE THEN " * 40 + "1" + " END" * 40 + " AS x",
    "NOT": "SELECT " + "NOT " * 300 + "TRUE AS x",
    "signs": "SELECT " + "- " * 300 + "1 AS x",
    "NOT around brackets": "SELECT " + "NOT (" * 20 + "TRUE" + ")" * 20 + " AS x",
    "chained subscripts": "SELECT [1]" + "[OFFSET(0)]" * 200 + " AS x",
    "arrays": "SELECT " + "[" * 40 + "1" + "]" * 40 + " AS x",
}


@pytest.mark.parametrize("sql", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_a_shape_refusal_with_a_hint(
    validator: SecurityValidator, recursion_limit: int, sql: str
) -> None:
    with pytest.raises(SecurityError) as info:
        validator.validate(sql)
    assert info.value.rule == "shape"
    assert f"nested more than {MAX_NESTING} levels deep" in info.value.message
    assert "Flatten" in (info.value.hint or "")


TALL = {
    "a dotted path": "SELECT a" + ".b" * 1500 + " AS x FROM orders AS a",
    "alternating operators": "SELECT 1" + " + 1 - 1" * 1500 + " AS x",
    "casts": "SELECT order_id" + "::INT64" * 1500 + " AS x FROM orders",
}


@pytest.mark.parametrize("sql", TALL.values(), ids=TALL.keys())
def test_a_tree_too_deep_to_generate_is_a_shape_refusal(
    validator: SecurityValidator, recursion_limit: int, sql: str
) -> None:
    """Chains without brackets nest the tree, and writing SQL from it recurses per level."""
    with pytest.raises(SecurityError) as info:
        validator.validate(sql)
    assert info.value.rule == "shape"
    assert f"the limit is {MAX_TREE_LEVELS}" in info.value.message
    assert "Flatten" in (info.value.hint or "")


@pytest.mark.parametrize("name", ["DATE", "STRUCT", "TIMESTAMP", "NUMERIC"])
def test_nested_calls_of_type_names_are_refused_before_their_parse_explodes(
    validator: SecurityValidator, name: str
) -> None:
    """The parser tries each DATE( or STRUCT( as a type first, doubling its work per level:
    20 levels took minutes."""
    sql = "SELECT " + f"{name}(" * 20 + "'2024-01-01'" + ")" * 20 + " AS x"
    started = time.perf_counter()
    with pytest.raises(SecurityError) as info:
        validator.validate(sql)
    assert time.perf_counter() - started < 1
    assert info.value.rule == "shape"
    assert f"nested more than {MAX_TYPE_CALL_NESTING} deep" in info.value.message


def test_nesting_up_to_the_limit_and_long_chains_still_run(validator: SecurityValidator) -> None:
    """The limits leave real SQL alone: the corpora nest at most 8 levels; long chains of
    one operator are written in a loop and pass."""
    for sql in (
        _parens(MAX_NESTING),
        "SELECT DATE(DATE(DATE('2024-01-01'))) AS d",
        "SELECT " + " + ".join(["1"] * 3000) + " AS x",
        "SELECT 1 AS x FROM orders WHERE " + " OR ".join(f"order_id = {i}" for i in range(2000)),
        "SELECT 1 AS x" + " UNION ALL SELECT 1" * 500,
        "SELECT order_id FROM orders WHERE NOT (NOT (order_id > 1)) AND - (-1) < 2",
    ):
        checked = validator.validate(sql)
        backend_sql(checked, validator, cap=10, dialect="duckdb")
    with pytest.raises(SecurityError, match="levels deep"):
        validator.validate(_parens(MAX_NESTING + 1))

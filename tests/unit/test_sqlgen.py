"""The lean SQL writer gives the text sqlglot's BigQuery dialect gives, for the trees the
compiler builds and for trees with the nodes only the full rewrites handle."""

from __future__ import annotations

import pytest
import sqlglot

from lgda_nb._bigquery_text import lean_generator
from lgda_nb.planner._sqlgen import _rewritten, bigquery_sql

SQL = [
    # The compiler's shapes: grouped by ordinals, ordered by expressions, windows, CTEs.
    "SELECT products.category AS category, ROUND(SUM(order_items.sale_price), 2) AS revenue "
    "FROM order_items JOIN products ON products.id = order_items.product_id "
    "WHERE order_items.status NOT IN ('Cancelled', 'Returned') GROUP BY 1 "
    "ORDER BY SUM(order_items.sale_price) DESC, products.category LIMIT 5",
    "WITH first_orders AS (SELECT user_id, MIN(created_at) AS first_at FROM orders GROUP BY 1) "
    "SELECT DATE(TIMESTAMP_TRUNC(first_at, MONTH)) AS month, COUNT(*) AS n "
    "FROM first_orders GROUP BY 1 ORDER BY month",
    "SELECT users.country AS country, COUNT(DISTINCT users.id) AS users, ROW_NUMBER() OVER "
    "(PARTITION BY users.country ORDER BY COUNT(DISTINCT users.id) DESC) AS rank FROM users "
    "GROUP BY 1 QUALIFY ROW_NUMBER() OVER (PARTITION BY users.country ORDER BY "
    "COUNT(DISTINCT users.id) DESC) <= 3 ORDER BY users.country",
    # GROUP BY an expression that is also ordered: the alias rewrite the lean writer keeps.
    "SELECT EXTRACT(YEAR FROM created_at) AS year, COUNT(*) AS n FROM orders "
    "GROUP BY EXTRACT(YEAR FROM created_at) ORDER BY n DESC",
    # Nodes only the dialect's full rewrites handle.
    "SELECT day FROM UNNEST(GENERATE_DATE_ARRAY('2024-01-01', '2024-01-31')) AS day",
    "SELECT DISTINCT status FROM orders",
]


@pytest.mark.parametrize("sql", SQL)
def test_same_text_as_the_dialect(sql: str) -> None:
    """Written through ``bigquery_sql`` or by the dialect, the text is the same."""
    tree = sqlglot.parse_one(sql, read="bigquery")
    assert bigquery_sql(tree.copy()) == tree.sql(dialect="bigquery")


def test_exploded_arrays_are_left_to_the_dialect() -> None:
    """A tree the left-out rewrites would change is written by the dialect itself."""
    tree = sqlglot.parse_one("SELECT EXPLODE(tags) AS tag FROM posts", read="spark")
    assert _rewritten(tree)
    assert bigquery_sql(tree.copy()) == tree.sql(dialect="bigquery")
    assert "UNNEST" in bigquery_sql(tree.copy())


def test_distinct_rows_are_left_to_the_dialect() -> None:
    """SELECT DISTINCT (ON) goes through the full rewrites; COUNT(DISTINCT x) does not
    need them."""
    tree = sqlglot.parse_one("SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b", read="postgres")
    assert _rewritten(tree)
    assert bigquery_sql(tree.copy()) == tree.sql(dialect="bigquery")
    assert "ROW_NUMBER" in bigquery_sql(tree.copy())
    assert _rewritten(sqlglot.parse_one(SQL[-1], read="bigquery"))
    assert not _rewritten(sqlglot.parse_one(SQL[2], read="bigquery"))


def test_semi_joins_are_left_to_the_dialect() -> None:
    """A SEMI join (spelled as EXISTS in BigQuery) goes through the full rewrites."""
    tree = sqlglot.parse_one("SELECT a FROM x LEFT SEMI JOIN y ON x.id = y.id", read="spark")
    assert _rewritten(tree)
    assert bigquery_sql(tree.copy()) == tree.sql(dialect="bigquery")


def test_the_lean_writer_is_used_with_the_installed_sqlglot() -> None:
    """The installed sqlglot, interpreted or compiled, takes the lean generator (one
    shared with the validator's canonical text); the compiler's trees need no rewrite
    it skips."""
    assert lean_generator() is not None
    assert not _rewritten(sqlglot.parse_one(SQL[0], read="bigquery"))

"""The basic read-only SQL check: one query, known tables, nothing that reaches out."""

from __future__ import annotations

import pytest
from sqlglot import exp

from lgda_nb.engine._sql import cap_rows, to_backend
from lgda_nb.errors import SecurityError, SQLSyntaxError, UnknownTableError, UsageError
from lgda_nb.security import SecurityPolicy, SecurityValidator

TABLES = ["orders", "order_items", "users", "products"]


def _validator(allowed: list[str] = TABLES, max_length: int = 10_000) -> SecurityValidator:
    return SecurityValidator(
        SecurityPolicy(allowed_tables=frozenset(allowed), max_length=max_length)
    )


def _prepare(sql: str) -> object:
    return _validator().validate(sql, known_tables=TABLES)


def parse_query(sql: str) -> exp.Query:
    return _validator().parse(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT status, COUNT(*) AS n FROM orders GROUP BY status",
        "select * from thelook_ecommerce.orders o join `thelook_ecommerce.users` u "
        "on o.user_id = u.id",
        "SELECT * FROM `bigquery-public-data.thelook_ecommerce.orders`",
        "WITH recent AS (SELECT * FROM orders) SELECT COUNT(*) FROM recent",
        "SELECT 1 AS a UNION ALL SELECT 2",
        "-- a comment with DROP TABLE orders;\nSELECT 'x; DROP TABLE orders --' AS s FROM orders",
        "SELECT\n\t*\nFROM\n    ORDERS  ;",
    ],
)
def test_read_only_queries_pass(sql: str) -> None:
    """Plain analyst SQL, comments and odd strings are not attacks."""
    _prepare(sql)


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("DELETE FROM orders WHERE TRUE", "DELETE"),
        ("DROP TABLE orders", "DROP"),
        ("INSERT INTO orders (order_id) VALUES (1)", "INSERT"),
        ("UPDATE orders SET status = 'x' WHERE TRUE", "UPDATE"),
        ("CREATE TABLE t AS SELECT * FROM orders", "CREATE"),
        ("SELECT * FROM orders; DROP TABLE orders", "one statement"),
        ("SELECT * FROM other_dataset.orders", "outside the configured dataset"),
        ("SELECT * FROM `evil-project.thelook_ecommerce.orders`", "outside"),
        ("SELECT * FROM read_csv('/etc/passwd')", "not allowed"),
        ("SELECT getenv('HOME')", "functions rule"),
        ("SELECT * FROM duckdb_settings()", "table functions are not allowed"),
    ],
)
def test_write_and_escape_statements_are_refused(sql: str, words: str) -> None:
    """Writes, several statements, foreign datasets and file readers never reach a backend."""
    with pytest.raises(SecurityError, match=words):
        _prepare(sql)


def test_table_outside_allowlist_is_refused() -> None:
    """A table the backend has but the policy does not allow is a security refusal."""
    with pytest.raises(SecurityError, match="allowlist"):
        _validator(allowed=["orders"]).validate("SELECT * FROM users", known_tables=TABLES)


def test_unknown_table_names_the_closest() -> None:
    """A typo in a table name suggests the existing one."""
    with pytest.raises(UnknownTableError, match="Did you mean 'orders'") as info:
        _prepare("SELECT * FROM ordrs")
    assert "orders" in info.value.hint


def test_syntax_error_points_at_line_and_column() -> None:
    """The message says where the SQL stops parsing."""
    with pytest.raises(SQLSyntaxError, match=r"line 2, column \d+") as info:
        _prepare("SELECT status,\n FROM WHERE orders")
    assert info.value.hint


@pytest.mark.parametrize("sql", ["", "   \n", "-- only a comment", ";"])
def test_empty_sql_is_a_usage_error(sql: str) -> None:
    """Nothing to run is said plainly."""
    with pytest.raises(UsageError):
        _prepare(sql)


def test_sql_length_limit() -> None:
    """Overlong SQL is refused before parsing."""
    with pytest.raises(SecurityError, match="limit"):
        _validator(max_length=3).validate("SELECT 1", known_tables=TABLES)


def test_backend_sql_has_bare_tables_and_duckdb_functions() -> None:
    """Qualified names resolve to the backend's tables and BigQuery functions transpile."""
    tree = parse_query(
        "SELECT TIMESTAMP_TRUNC(created_at, MONTH) AS m, COUNT(*) AS n "
        "FROM `bigquery-public-data.thelook_ecommerce.orders` AS o GROUP BY m"
    )
    sql = to_backend(tree, dialect="duckdb")
    assert "bigquery-public-data" not in sql
    assert "DATE_TRUNC('MONTH', created_at)" in sql
    assert 'FROM "orders" AS o' in sql


def test_row_cap_is_injected_only_when_needed() -> None:
    """No LIMIT or a larger one gets cap + 1; a smaller LIMIT is kept as written."""
    capped, injected = cap_rows(parse_query("SELECT * FROM orders"), 10)
    assert injected
    assert capped.sql(dialect="bigquery").endswith("LIMIT 11")
    kept, injected = cap_rows(parse_query("SELECT * FROM orders LIMIT 5"), 10)
    assert not injected
    assert kept.sql(dialect="bigquery").endswith("LIMIT 5")
    big, injected = cap_rows(parse_query("SELECT * FROM orders LIMIT 500"), 10)
    assert injected
    assert big.sql(dialect="bigquery").endswith("LIMIT 11")


def test_backend_sql_is_generated_and_read_back_once_per_cap_and_dialect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bare tables and the cap from one copy; a repeat reuses it; the checked tree is untouched."""
    from lgda_nb.engine._sql import backend_sql

    validator = _validator()
    round_trips: list[str] = []
    original = validator.check_backend_sql

    def check(sql: str, **kwargs: object) -> None:
        round_trips.append(sql)
        original(sql, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validator, "check_backend_sql", check)
    checked = validator.validate("SELECT * FROM thelook_ecommerce.orders AS o", known_tables=TABLES)
    sql, injected = backend_sql(checked, validator, cap=10, dialect="duckdb")
    assert (sql, injected) == ("SELECT * FROM orders AS o LIMIT 11", True)
    assert backend_sql(checked, validator, cap=10, dialect="duckdb") == (sql, injected)
    assert round_trips == [sql]
    assert checked.tree.sql(dialect="bigquery") == checked.canonical
    assert "thelook_ecommerce.orders" in checked.canonical
    kept = validator.validate("SELECT * FROM orders LIMIT 5", known_tables=TABLES)
    assert backend_sql(kept, validator, cap=10, dialect="duckdb") == (
        "SELECT * FROM orders LIMIT 5",
        False,
    )


def test_masked_backend_sql_is_read_back_once_with_placeholders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the scan masking, the SQL is generated once and read back once with a placeholder
    where the masked table is read; the SQL that runs has the masking subquery in its place."""
    from lgda_nb.engine._sql import backend_sql
    from lgda_nb.security._masking import ScanMasking

    validator = _validator()
    masking = ScanMasking.from_policy(
        {"users.email": "mask"}, {"users": {"id": "INTEGER", "email": "VARCHAR"}}, salt="s"
    )
    assert masking is not None
    round_trips: list[str] = []
    original = validator.check_backend_sql

    def check(sql: str, **kwargs: object) -> None:
        round_trips.append(sql)
        original(sql, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validator, "check_backend_sql", check)
    checked = validator.validate("SELECT u.email FROM users AS u", known_tables=TABLES)
    sql, _ = backend_sql(checked, validator, cap=10, dialect="duckdb", masking=masking)
    placeholder = f"lgda_masked_{masking.fingerprint}_users"
    assert round_trips == [f"SELECT u.email FROM {placeholder} AS u LIMIT 11"]
    assert placeholder not in sql
    assert sql.startswith("SELECT u.email FROM (SELECT * REPLACE (")
    assert sql.endswith(" FROM users) AS u LIMIT 11")
    counted = validator.validate("SELECT COUNT(*) AS n FROM users", known_tables=TABLES)
    assert backend_sql(counted, validator, cap=10, dialect="duckdb", masking=masking) == (
        "SELECT COUNT(*) AS n FROM users LIMIT 11",
        True,
    )  # no personal column read: the SQL runs as written


def test_backend_sql_refuses_what_does_not_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed round trip raises every time; nothing is kept for the cap and dialect."""
    from lgda_nb.engine._sql import backend_sql

    validator = _validator()
    checked = validator.validate("SELECT * FROM orders", known_tables=TABLES)

    def refuse(sql: str, **kwargs: object) -> None:
        raise SecurityError("Refused by the round trip rule.")

    monkeypatch.setattr(validator, "check_backend_sql", refuse)
    for _ in range(2):
        with pytest.raises(SecurityError, match="round trip"):
            backend_sql(checked, validator, cap=10, dialect="duckdb")
    assert checked.derived == {}


def test_backend_sql_kept_per_query_is_bounded() -> None:
    """A few backend texts are kept per checked query (by cap, dialect, masking); past
    DERIVED_PER_QUERY the oldest goes, and asking for it again generates it again."""
    from lgda_nb.engine._sql import DERIVED_PER_QUERY, backend_sql

    validator = _validator()
    checked = validator.validate("SELECT id FROM orders", known_tables=TABLES)
    for cap in range(1, DERIVED_PER_QUERY + 3):
        assert backend_sql(checked, validator, cap=cap, dialect="duckdb") == (
            f"SELECT id FROM orders LIMIT {cap + 1}",
            True,
        )
    assert len(checked.derived) == DERIVED_PER_QUERY
    assert (1, "duckdb", "") not in checked.derived
    assert backend_sql(checked, validator, cap=1, dialect="duckdb")[0].endswith("LIMIT 2")


def _duckdb(sql: str) -> str:
    return to_backend(_validator().validate(sql, known_tables=TABLES).tree, dialect="duckdb")


def test_bounds_from_data_get_a_run_time_check() -> None:
    """A generator whose size is not a literal gets a CASE that raises ERROR() past the limit
    (a NULL size passes through); a literal one is left as written."""
    guarded = _duckdb("SELECT GENERATE_ARRAY(1, (SELECT MAX(order_id) FROM orders)) AS a")
    assert "ERROR('Refused by the shape rule: GENERATE_ARRAY would generate more than" in guarded
    assert "<= 1000000" in guarded
    assert "ERROR" not in _duckdb("SELECT GENERATE_ARRAY(1, 10) AS a")
    bigquery = to_backend(
        _validator().validate("SELECT REPEAT('ab', n) AS r FROM UNNEST([1]) AS n").tree,
        dialect="bigquery",
    )
    assert "ERROR(" in bigquery
    assert "n * 2 <= 1000000" in bigquery


def test_bigquery_features_are_written_in_duckdb_terms() -> None:
    """LIMIT inside an aggregate slices the list; SAFE. is TRY; geography is WKT text."""
    assert "LIST_SLICE(ARRAY_AGG(" in _duckdb(
        "SELECT ARRAY_AGG(order_id ORDER BY created_at LIMIT 3) AS a FROM orders"
    )
    assert _duckdb("SELECT SAFE.PARSE_DATE('%Y', '2024') AS d").startswith("SELECT TRY(")
    point = _duckdb("SELECT ST_ASTEXT(ST_GEOGPOINT(1, 2)) AS p")
    assert "'POINT(' ||" in point
    assert "ST_" not in point
    # the canonical tree is shared by later validations: rewriting works on a copy
    checked = _validator().validate("SELECT ST_ASTEXT(ST_GEOGPOINT(1, 2)) AS p")
    to_backend(checked.tree, dialect="duckdb")
    assert "ST_GEOGPOINT" in checked.tree.sql(dialect="bigquery")

"""The SQL policy: corpora of attacks and analyst queries, and each known trap by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lgda_nb.errors import LGDAError, SecurityError
from lgda_nb.security import SecurityPolicy, SecurityValidator

FIXTURES = Path(__file__).parents[1] / "fixtures" / "security"
TABLES = frozenset(
    {"orders", "order_items", "products", "users", "inventory_items", "distribution_centers",
     "events"}
)  # fmt: skip
#: What the backend has: the allowlisted tables plus one it must never read.
KNOWN = TABLES | {"secret_table"}


def load_corpus(name: str) -> list[tuple[str, str]]:
    """(id line, SQL) pairs from a corpus file; statements are separated by '-- ----'."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    cases = []
    for chunk in re.split(r"^-- ----\s*$", text, flags=re.MULTILINE):
        lines = chunk.strip().splitlines()
        header = next((line for line in lines if line.startswith("-- id:")), None)
        if header is None:
            continue
        body = "\n".join(line for line in lines if line is not header).strip()
        cases.append((header.removeprefix("-- id:").strip(), body))
    return cases


@pytest.fixture(scope="module")
def validator() -> SecurityValidator:
    """The default policy over the thelook tables."""
    return SecurityValidator(SecurityPolicy(allowed_tables=TABLES))


ATTACKS = load_corpus("deny.sql")
BENIGN = load_corpus("allow.sql")


def test_corpora_are_large_enough() -> None:
    """At least 150 attacks and 150 analyst queries, with unique ids."""
    assert len(ATTACKS) >= 150
    assert len(BENIGN) >= 150
    ids = [case.split("|")[0].strip() for case, _ in ATTACKS + BENIGN]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("case", "sql"), ATTACKS, ids=[c.split("|")[0].strip() for c, _ in ATTACKS]
)
def test_every_attack_is_refused(validator: SecurityValidator, case: str, sql: str) -> None:
    """Zero attacks accepted: each raises an LGDAError before any backend could see it."""
    with pytest.raises(LGDAError):
        validator.validate(sql, known_tables=KNOWN)


def test_benign_queries_are_accepted(validator: SecurityValidator) -> None:
    """At most 1% of real analyst queries are refused."""
    refused = []
    for case, sql in BENIGN:
        try:
            validator.validate(sql, known_tables=KNOWN)
        except LGDAError as exc:
            refused.append(f"{case}: {exc.message}")
    assert len(refused) <= len(BENIGN) // 100, "\n".join(refused)


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("EXPLAIN ANALYZE DELETE FROM orders", "read-only"),
        ("SELECT nextval('s') FROM orders", "functions"),
        ("SELECT * FROM query('SELECT * FROM secret_table')", "tables"),
        ("SELECT json_execute_serialized_sql('x') FROM orders", "functions"),
        ("SELECT * FROM read_csv('/etc/passwd')", "tables"),
        ("SELECT * FROM `/etc/passwd`", "tables"),
        ("SELECT * FROM `region-us`.INFORMATION_SCHEMA.JOBS", "tables"),
        ("SELECT * FROM thelook_ecommerce.INFORMATION_SCHEMA.TABLES", "tables"),
        ("SELECT * FROM `evil-project.thelook_ecommerce.orders`", "tables"),
        ("SELECT * FROM `bigquery-public-data.thelook_ecommerce.*`", "tables"),
        ("SELECT * FROM orders WHERE _TABLE_SUFFIX = '1'", "tables"),
        ("SELECT * FROM ML.PREDICT(MODEL m, TABLE orders)", "tables"),
        ("SELECT * FROM thelook_ecommerce.my_tvf(1)", "tables"),
        ("WITH orders AS (SELECT * FROM secret_table) SELECT * FROM orders", "tables"),
        ("SELECT * FROM orders FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01'", "time travel"),
        ("DECLARE x INT64", "read-only"),
        ("EXPORT DATA OPTIONS(uri='gs://b/x') AS SELECT * FROM orders", "read-only"),
        ("SELECT 1 FROM orders; DROP TABLE orders", "one statement"),
        ("\uff24\uff32\uff2f\uff30 TABLE orders", "plain text"),  # fullwidth DROP
        ("SELECT\u200b * FROM orders", "plain text"),
        ("SELECT getenv('HOME')", "functions"),
        ("SELECT current_setting('threads')", "functions"),
    ],
)
def test_known_traps_name_their_rule(validator: SecurityValidator, sql: str, rule: str) -> None:
    """Each trap of naive AST checks is refused, and the message names the rule."""
    with pytest.raises(SecurityError) as info:
        validator.validate(sql, known_tables=KNOWN)
    assert info.value.rule == rule
    assert f"Refused by the {rule} rule" in info.value.message
    assert info.value.retryable is False


def test_table_not_on_allowlist_is_refused_even_if_it_exists() -> None:
    """The backend's own tables are not queryable unless allowlisted."""
    narrow = SecurityValidator(SecurityPolicy(allowed_tables=frozenset({"orders"})))
    with pytest.raises(SecurityError, match="not on the allowlist"):
        narrow.validate("SELECT * FROM users", known_tables=TABLES)


def test_harmless_text_is_not_an_attack(validator: SecurityValidator) -> None:
    """Comments and literals with ';', '--', 'DROP TABLE' and unicode pass."""
    sql = (
        "-- DROP TABLE orders;\n/* DELETE FROM users */\n"
        "SELECT 'x; DROP TABLE users --' AS a, 'São Paulo' AS b, `status` AS `select`\n"
        "FROM orders  # trailing comment\n;"
    )
    checked = validator.validate(sql, known_tables=KNOWN)
    assert checked.tables == ("orders",)


def test_round_trip_refuses_generated_sql_that_changes_meaning(
    validator: SecurityValidator,
) -> None:
    """Generated backend SQL that reads as more than one query is refused."""
    validator.check_backend_sql("SELECT 1 FROM orders", dialect="duckdb", tables=["orders"])
    with pytest.raises(SecurityError, match="round trip"):
        validator.check_backend_sql(
            "SELECT 'a\\'; DROP TABLE orders; --'", dialect="duckdb", tables=["orders"]
        )
    with pytest.raises(SecurityError, match="round trip"):
        validator.check_backend_sql(
            "SELECT * FROM secret_table", dialect="duckdb", tables=["orders"]
        )


def test_escaped_quotes_survive_transpiling(validator: SecurityValidator) -> None:
    """A BigQuery backslash escape becomes one DuckDB literal, not a second statement."""
    from lgda_nb.engine._sql import to_backend

    checked = validator.validate("SELECT 'a\\'; DROP TABLE orders; --' AS s FROM orders")
    duckdb_sql = to_backend(checked.tree, dialect="duckdb")
    validator.check_backend_sql(duckdb_sql, dialect="duckdb", tables=checked.tables)
    assert "'a''; DROP TABLE orders; --'" in duckdb_sql


def test_shape_limits() -> None:
    """Join count and subquery depth are bounded."""
    tight = SecurityValidator(SecurityPolicy(allowed_tables=TABLES, max_joins=1, max_depth=2))
    with pytest.raises(SecurityError, match="joins"):
        tight.validate(
            "SELECT 1 FROM orders JOIN users ON users.id = orders.user_id "
            "JOIN order_items ON order_items.order_id = orders.order_id"
        )
    with pytest.raises(SecurityError, match="nested"):
        tight.validate("SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM orders) a) b) c")


def test_denied_pii_column_is_refused_before_running() -> None:
    """A column whose PII policy is deny cannot be read at all."""
    strict = SecurityValidator(
        SecurityPolicy(allowed_tables=TABLES, denied_columns=frozenset({"users.email"}))
    )
    with pytest.raises(SecurityError, match="privacy"):
        strict.validate("SELECT LOWER(email) AS e FROM users")
    strict.validate("SELECT first_name FROM users")


def _counting_parse(monkeypatch: pytest.MonkeyPatch, validator: SecurityValidator) -> list[str]:
    """Record every text ``validator`` really parses."""
    parsed: list[str] = []
    original = validator.parse

    def parse(sql: str) -> object:
        parsed.append(sql)
        return original(sql)

    monkeypatch.setattr(validator, "parse", parse)
    return parsed


def test_a_text_that_passed_is_answered_from_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same text under the same policy and tables is not parsed again: same object."""
    validator = SecurityValidator(SecurityPolicy(allowed_tables=TABLES))
    parsed = _counting_parse(monkeypatch, validator)
    sql = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"
    first = validator.validate(sql, known_tables=KNOWN)
    assert validator.validate(sql, known_tables=KNOWN) is first
    assert parsed == [sql]


def test_spaces_around_a_text_do_not_make_it_new(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spaces and line breaks around a text that passed answer from memory; anything else
    around it (a semicolon, a no-break space) is another text, checked afresh."""
    validator = SecurityValidator(SecurityPolicy(allowed_tables=TABLES))
    parsed = _counting_parse(monkeypatch, validator)
    first = validator.validate("SELECT id FROM users", known_tables=KNOWN)
    assert validator.validate("\n  SELECT id FROM users \t\r\n", known_tables=KNOWN) is first
    assert parsed == ["SELECT id FROM users"]
    for other in ("SELECT id FROM users;", "\u00a0SELECT id FROM users"):
        assert validator.validate(other, known_tables=KNOWN) is not first
    assert len(parsed) == 3
    with pytest.raises(SecurityError, match="length"):
        SecurityValidator(SecurityPolicy(allowed_tables=TABLES, max_length=30)).validate(
            "SELECT id FROM users" + " " * 20
        )  # the length rule reads the text as given


def test_one_tokenization_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain-text rule and the parser read the same tokens: the text is tokenized once."""
    from sqlglot.dialects.dialect import Dialect

    counted: list[str] = []
    original = Dialect.tokenize

    def tokenize(self: Dialect, sql: str, dialect: object = None) -> object:
        counted.append(sql)
        return original(self, sql)

    monkeypatch.setattr(Dialect, "tokenize", tokenize)
    validator = SecurityValidator(SecurityPolicy(allowed_tables=TABLES))
    validator.validate("SELECT id FROM users WHERE id = 7", known_tables=KNOWN)
    assert counted == ["SELECT id FROM users WHERE id = 7"]


def test_refusals_and_other_contexts_are_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refusal is never remembered; other table names or another policy check afresh."""
    from dataclasses import replace

    from lgda_nb.errors import UnknownTableError

    validator = SecurityValidator(SecurityPolicy(allowed_tables=TABLES))
    parsed = _counting_parse(monkeypatch, validator)
    for _ in range(2):
        with pytest.raises(SecurityError, match="one statement"):
            validator.validate("SELECT 1 FROM orders; DROP TABLE orders")
        with pytest.raises(SecurityError, match="tables"):
            validator.validate("SELECT * FROM secret_table", known_tables=KNOWN)
    assert len(parsed) == 4
    validator.validate("SELECT 1 FROM orders", known_tables=KNOWN)
    with pytest.raises(UnknownTableError):
        validator.validate("SELECT 1 FROM orders", known_tables={"users"})
    validator.policy = replace(validator.policy, allowed_tables=frozenset({"users"}))
    with pytest.raises(SecurityError, match="allowlist"):
        validator.validate("SELECT 1 FROM orders", known_tables=KNOWN)


def test_remembered_texts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """At most CHECKED_CACHE_SIZE texts are kept; the least recently used goes first."""
    from lgda_nb.security._validator import CHECKED_CACHE_SIZE

    validator = SecurityValidator(SecurityPolicy(allowed_tables=TABLES))
    texts = [f"SELECT {i} AS n FROM orders" for i in range(CHECKED_CACHE_SIZE + 1)]
    validator.validate(texts[1])
    for sql in texts:
        validator.validate(sql)
    validator.validate(texts[-1])
    parsed = _counting_parse(monkeypatch, validator)
    validator.validate(texts[-1])
    validator.validate(texts[2])
    assert parsed == []
    validator.validate(texts[0])
    assert parsed == [texts[0]]


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("SELECT SESSION_USER() AS who", "functions"),
        ("SELECT CURRENT_USER AS who", "functions"),
        ("SELECT @@project_id AS p", "functions"),
        ("SELECT * FROM orders FOR UPDATE", "read-only"),
        ("SELECT AI.GENERATE(TO_JSON_STRING(u)) AS g FROM users AS u", "functions"),
        ("SELECT COUNT(*) AS n FROM UNNEST(GENERATE_ARRAY(1, 2000000000))", "shape"),
        ("SELECT LENGTH(REPEAT('x', 2000000000)) AS n", "shape"),
        ("SELECT " + "(" * 60 + "1" + ")" * 60 + " AS x", "shape"),
    ],
)
def test_identity_locks_models_and_unbounded_generators_are_policy_refusals(
    validator: SecurityValidator, sql: str, rule: str
) -> None:
    """A sentence naming the rule, never a raw RecursionError or a query that runs."""
    with pytest.raises(SecurityError) as info:
        validator.validate(sql, known_tables=KNOWN)
    assert info.value.rule == rule


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT GENERATE_ARRAY(1, 10) AS a",
        "SELECT REPEAT('ab', 3) AS r",
        "SELECT CURRENT_DATE() AS d",
        "SELECT GENERATE_DATE_ARRAY(DATE '2024-01-01', DATE '2024-12-31', INTERVAL 1 MONTH) AS m",
    ],
)
def test_small_generators_and_dates_still_run(validator: SecurityValidator, sql: str) -> None:
    validator.validate(sql, known_tables=KNOWN)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT GENERATE_DATE_ARRAY(DATE '0001-01-01', DATE '9999-12-31') AS d",
        "SELECT GENERATE_TIMESTAMP_ARRAY(TIMESTAMP '2020-01-01', TIMESTAMP '2021-01-01', "
        "INTERVAL 1 SECOND) AS t",
        "SELECT LPAD('x', 2000000000) AS p",
        "SELECT REPEAT('abcd', 300000) AS r",
        # a bound that is not a literal is copied into its run-time check, so it may not
        # hold a generator itself: each level would double the SQL
        "SELECT GENERATE_ARRAY(1, ARRAY_LENGTH(GENERATE_ARRAY(1, n))) AS a FROM UNNEST([1]) AS n",
        "SELECT REPEAT('x', LENGTH(REPEAT('y', n))) AS r FROM UNNEST([1]) AS n",
        # a date array over bounds from data needs a step with a unit to be checked
        "SELECT GENERATE_DATE_ARRAY(DATE(created_at), CURRENT_DATE(), step) AS d "
        "FROM orders, UNNEST([INTERVAL 1 DAY]) AS step",
    ],
)
def test_generators_too_large_or_unbounded_are_shape_refusals(
    validator: SecurityValidator, sql: str
) -> None:
    """Literal sizes are checked in the policy, dates and characters too; bounds that
    cannot be checked while the query runs are refused."""
    with pytest.raises(SecurityError) as info:
        validator.validate(sql, known_tables=KNOWN)
    assert info.value.rule == "shape"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT GENERATE_ARRAY(1, (SELECT MAX(order_id) FROM orders)) AS a",
        "SELECT GENERATE_ARRAY(0, num_of_item, 1) AS a FROM orders",
        "SELECT GENERATE_DATE_ARRAY(DATE(MIN(created_at)), CURRENT_DATE(), INTERVAL 1 WEEK) AS d "
        "FROM orders",
        "SELECT REPEAT('*', CAST(sale_price AS INT64)) AS bar FROM order_items",
        "SELECT LPAD(CAST(id AS STRING), id, '0') AS padded FROM users",
    ],
)
def test_generators_over_data_pass_the_policy(validator: SecurityValidator, sql: str) -> None:
    """Bounds from columns and subqueries are analyst SQL: they pass, and are bounded when
    the query runs (``guard_generated``)."""
    validator.validate(sql, known_tables=KNOWN)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT ST_DISTANCE(ST_GEOGPOINT(longitude, latitude), distribution_center_geom) AS m "
        "FROM distribution_centers",
        "SELECT ST_ASTEXT(ST_GEOGPOINT(1, 2)) AS p, ST_X(user_geom) AS x FROM users",
        "SELECT ST_DWITHIN(user_geom, ST_GEOGPOINT(0, 0), 1000) AS near FROM users",
        "SELECT ST_AREA(ST_MAKEPOLYGON(ST_MAKELINE([ST_GEOGPOINT(0, 0), ST_GEOGPOINT(1, 0), "
        "ST_GEOGPOINT(1, 1)]))) AS a",
        "SELECT SAFE.PARSE_DATE('%Y-%m-%d', '2024-01-02') AS d",
        "SELECT department, ARRAY_AGG(name ORDER BY retail_price DESC LIMIT 3) AS top "
        "FROM products GROUP BY department",
    ],
)
def test_geography_safe_and_aggregate_limits_are_allowed(
    validator: SecurityValidator, sql: str
) -> None:
    """Geography functions compute on their arguments only, so the policy allows them."""
    validator.validate(sql, known_tables=KNOWN)


def test_geography_that_reads_outside_the_dataset_is_refused(validator: SecurityValidator) -> None:
    """ST_REGIONSTATS reads a raster from outside the dataset: not on the allowlist."""
    with pytest.raises(SecurityError, match="st_regionstats"):
        validator.validate(
            "SELECT ST_REGIONSTATS(user_geom, 'ee://x') AS s FROM users", known_tables=KNOWN
        )


@pytest.mark.parametrize("sql", ["SELECT ? AS x", "SELECT :name AS x", "SELECT @name AS x"])
def test_placeholders_are_refused_like_parameters(validator: SecurityValidator, sql: str) -> None:
    """A placeholder passed the policy but became @name in BigQuery SQL and a missing
    prepared-statement value in DuckDB: refused as a parameter (found by the sqlglot corpus)."""
    with pytest.raises(SecurityError, match="parameters") as info:
        validator.validate(sql, known_tables=KNOWN)
    assert info.value.rule == "functions"

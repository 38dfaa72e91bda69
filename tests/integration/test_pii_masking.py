"""Personal data masked where it is read: no query of ours gets a raw value back.

Every attempt runs through ``Engine.run_sql`` with default settings. Its rows, its
error, the audit file and the SQL shown are searched for every raw email, name and
street address of the sample, and for their easy reversals (reversed, hex, base64).
The raw values come from the backend directly, which masks nothing.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config, set_config
from lgda_nb.errors import LGDAError

PII = ("email", "first_name", "last_name", "street_address")

#: Ways to reach a personal column through an expression, an aggregate, a struct, JSON,
#: a rename, a union, a condition or an error. {c} is a personal column.
_PER_COLUMN = [
    "SELECT {c} FROM users LIMIT 5",
    "SELECT {c} AS x FROM users LIMIT 5",
    "SELECT CONCAT({c}, ' x') AS x FROM users LIMIT 5",
    "SELECT REVERSE({c}) AS x FROM users LIMIT 5",
    "SELECT UPPER({c}) AS x FROM users LIMIT 5",
    "SELECT SUBSTR({c}, 2) AS x FROM users LIMIT 5",
    "SELECT REPLACE({c}, 'a', ' a ') AS x FROM users LIMIT 5",
    "SELECT TRANSLATE({c}, 'aeiou', 'AEIOU') AS x FROM users LIMIT 5",
    "SELECT LPAD({c}, 60, '*') AS x FROM users LIMIT 5",
    "SELECT FORMAT('%s', {c}) AS x FROM users LIMIT 5",
    "SELECT TO_HEX(CAST({c} AS BYTES)) AS x FROM users LIMIT 5",
    "SELECT TO_BASE64(CAST({c} AS BYTES)) AS x FROM users LIMIT 5",
    "SELECT SPLIT({c}, ' ')[OFFSET(0)] AS x FROM users LIMIT 5",
    "SELECT ARRAY_AGG({c}) AS x FROM users",
    "SELECT STRING_AGG({c}, ',') AS x FROM users",
    "SELECT MIN({c}) AS x, MAX({c}) AS y FROM users",
    "SELECT ANY_VALUE({c}) AS x FROM users",
    "SELECT STRUCT({c}) AS x FROM users LIMIT 5",
    "SELECT TO_JSON_STRING({c}) AS x FROM users LIMIT 5",
    "SELECT x FROM (SELECT {c} AS x FROM users) AS t LIMIT 5",
    "WITH t AS (SELECT {c} AS x FROM users) SELECT x FROM t LIMIT 5",
    "SELECT o.order_id, u.{c} AS buyer FROM orders AS o JOIN users AS u ON u.id = o.user_id "
    "LIMIT 5",
    "SELECT CASE WHEN id = 1 THEN {c} ELSE 'x' END AS x FROM users LIMIT 50",
    "SELECT 'a' AS x UNION ALL SELECT {c} FROM users",
    "SELECT CAST({c} AS INT64) AS x FROM users LIMIT 5",
    "SELECT {c}, COUNT(*) AS n FROM users GROUP BY {c} ORDER BY n DESC LIMIT 5",
]
_WHOLE_ROW = [
    "SELECT u FROM users AS u LIMIT 5",
    "SELECT TO_JSON_STRING(u) AS x FROM users AS u LIMIT 5",
    "SELECT * FROM users LIMIT 5",
    "SELECT u.* FROM users AS u LIMIT 5",
    "WITH users AS (SELECT * FROM users) SELECT * FROM users LIMIT 5",
    "SELECT ARRAY_AGG(STRUCT(email, first_name, last_name)) AS x FROM users",
    "SELECT TO_JSON_STRING(ARRAY_AGG(u)) AS x FROM users AS u",
    "SELECT CONCAT(first_name, ' ', last_name, ' <', email, '>') AS x FROM users LIMIT 5",
]
ATTEMPTS = [q.format(c=c) for q in _PER_COLUMN for c in PII] + _WHOLE_ROW


@pytest.fixture(scope="module")
def raw_values() -> set[str]:
    """Every personal value of the sample, read without the engine's masking."""
    with Engine(load_config()) as engine:
        df = engine.backend.execute(f"SELECT {', '.join(PII)} FROM users")
        public = engine.backend.execute("SELECT DISTINCT city, state, country FROM users")
    raw = {str(v) for column in PII for v in df[column] if isinstance(v, str) and len(v) >= 4}
    # A name that is also part of a place ("Charlotte", "Carol" in "North Carolina") is
    # not a leak when a row shows that place.
    places = " ".join(str(v) for column in public for v in public[column])
    return {value for value in raw if value not in places}


def _leaks(text: str, raw: set[str]) -> list[str]:
    """Raw values in ``text``, as written, reversed, in hex or in base64."""
    found = []
    for value in raw:
        forms = (
            value,
            value[::-1],
            value.encode().hex(),
            base64.b64encode(value.encode()).decode(),
        )
        found += [form for form in forms if form in text]
    return found


def _outcome(engine: Engine, sql: str) -> str:
    try:
        result = engine.run_sql(sql, use_cache=False)
    except LGDAError as exc:
        return " ".join(str(part) for part in (exc.message, exc.hint, exc.detail))
    return result.df.to_csv() + result.executed_sql + result.summary


def test_no_attempt_reads_a_raw_value(raw_values: set[str], tmp_path: Path) -> None:
    assert len(ATTEMPTS) >= 110
    audit = tmp_path / "audit.jsonl"
    set_config(**{"security.audit_file": str(audit)})
    leaked: dict[str, list[str]] = {}
    with Engine() as engine:
        for sql in ATTEMPTS:
            found = _leaks(_outcome(engine, sql), raw_values)
            if found:
                leaked[sql] = found[:3]
    assert leaked == {}
    assert _leaks(audit.read_text(encoding="utf-8"), raw_values) == []


def test_aggregates_over_masked_columns_still_count(engine: Engine) -> None:
    """Pseudonyms keep equal values equal: distinct counts and groups are the raw ones."""
    raw = engine.backend.execute("SELECT COUNT(DISTINCT email) AS n FROM users")
    masked = engine.run_sql("SELECT COUNT(DISTINCT email) AS n FROM users")
    assert masked.df["n"].iloc[0] == raw["n"].iloc[0]
    groups = engine.run_sql("SELECT last_name, COUNT(*) AS n FROM users GROUP BY last_name")
    raw_groups = engine.backend.execute("SELECT COUNT(DISTINCT last_name) AS n FROM users")
    assert len(groups.df) == raw_groups["n"].iloc[0]


def test_a_condition_on_a_raw_value_matches_nothing(engine: Engine) -> None:
    """A predicate cannot be used as an oracle: the true value matches no masked one."""
    (email,) = engine.backend.execute("SELECT email FROM users WHERE id = 1")["email"]
    exact = engine.run_sql(f"SELECT COUNT(*) AS n FROM users WHERE email = '{email}'")
    assert exact.df["n"].iloc[0] == 0
    for prefix in (email[:1], email[:3]):
        like = engine.run_sql(
            f"SELECT COUNT(*) AS n FROM users WHERE id = 1 AND email LIKE '{prefix}%'"
        )
        assert like.df["n"].iloc[0] == 0


def test_the_salt_never_shows(engine: Engine) -> None:
    """The secret that makes pseudonyms irreversible is not in the SQL shown or errors."""
    result = engine.run_sql("SELECT email FROM users LIMIT 1")
    masking = engine.scan_masking()
    assert masking is not None
    assert masking.salt not in result.executed_sql
    assert "<salt>" in result.executed_sql
    with pytest.raises(LGDAError) as info:
        engine.run_sql("SELECT CAST(email AS INT64) AS x FROM users")
    assert masking.salt not in json.dumps(info.value.to_dict())


def test_pseudonyms_are_the_salted_sha256_on_every_dialect(engine: Engine) -> None:
    """DuckDB's masking, written for DuckDB, gives the documented pseudonym ('masked:' and
    12 hex digits of SHA-256 over salt and value), the one BigQuery's form gives."""
    import hashlib

    import duckdb

    masking = engine.scan_masking()
    assert masking is not None
    (email,) = engine.backend.execute("SELECT email FROM users WHERE id = 1")["email"]
    shown = engine.run_sql("SELECT email FROM users WHERE id = 1").df["email"].iloc[0]
    digest = hashlib.sha256((masking.salt + email).encode()).hexdigest()[:12]
    assert shown == f"masked:{digest}"
    bigquery_form = masking._expression("email", "mask", "bigquery").sql(dialect="duckdb")
    with duckdb.connect() as con:
        row = con.execute(f"SELECT {bigquery_form} FROM (SELECT ? AS email)", [email]).fetchone()
    assert row is not None
    assert row[0] == shown


def test_text_and_other_columns_get_the_same_pseudonym_form_nulls_stay_null() -> None:
    """A text column is hashed as it is, any other type through its text; both give
    'masked:' and 12 hex digits of SHA-256 over salt and value, and NULL stays NULL."""
    import hashlib

    import duckdb

    from lgda_nb.security._masking import ScanMasking

    masking = ScanMasking.from_policy(
        {"t.email": "mask", "t.phone": "mask"}, {"t": {"email": "VARCHAR", "phone": "BIGINT"}}
    )
    assert masking is not None
    subquery = masking._subquery("t", "duckdb")
    assert "CAST(phone AS TEXT)" in subquery
    assert "CAST(email" not in subquery
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('a@b.co', 4155552671), (NULL, NULL))")
        con.execute("ALTER TABLE t RENAME COLUMN col0 TO email")
        con.execute("ALTER TABLE t RENAME COLUMN col1 TO phone")
        rows = con.execute(f"SELECT email, phone FROM ({subquery}) ORDER BY email").fetchall()

    def pseudonym(value: str) -> str:
        return "masked:" + hashlib.sha256((masking.salt + value).encode()).hexdigest()[:12]

    assert rows == [(pseudonym("a@b.co"), pseudonym("4155552671")), (None, None)]


def test_allow_reads_the_raw_value() -> None:
    set_config(**{"security.pii_policy": '{"users.email": "allow"}'})
    with Engine() as engine:
        (email,) = engine.backend.execute("SELECT email FROM users WHERE id = 1")["email"]
        shown = engine.run_sql("SELECT email FROM users WHERE id = 1")
        assert shown.df["email"].iloc[0] == email


def test_a_join_on_a_guessed_value_matches_nothing(engine: Engine) -> None:
    (email,) = engine.backend.execute("SELECT email FROM users WHERE id = 1")["email"]
    guess = (
        f"WITH g AS (SELECT '{email}' AS email) "
        "SELECT COUNT(*) AS n FROM g JOIN users USING (email)"
    )
    assert engine.run_sql(guess).df["n"].iloc[0] == 0


def test_a_query_that_reads_no_personal_column_runs_as_written(engine: Engine) -> None:
    """'users by country' needs no masking: the SQL that ran is the SQL written."""
    result = engine.run_sql("SELECT u.country, COUNT(*) AS n FROM users AS u GROUP BY 1")
    assert "masked" not in result.executed_sql
    assert "SHA256" not in result.executed_sql.upper()


def test_a_replaced_database_with_personal_columns_is_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The masking follows the tables: a file swapped in with an email column is masked
    on the next call, not read raw under the old file's (empty) masking."""
    import duckdb

    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE users AS SELECT 1 AS id, 'x' AS country")
    monkeypatch.setenv("LGDA_DUCKDB__DATABASE", str(path))
    monkeypatch.setenv("LGDA_SECURITY__ALLOWED_TABLES", '["users"]')
    with Engine(load_config()) as engine:
        assert engine.run_sql("SELECT country FROM users").df["country"].iloc[0] == "x"
        assert engine.scan_masking() is None  # no personal column to mask yet
        new = tmp_path / "new.duckdb"
        with duckdb.connect(str(new)) as con:
            con.execute("CREATE TABLE users AS SELECT 1 AS id, 'ann@example.com' AS email")
        new.replace(path)
        shown = engine.run_sql("SELECT email AS e FROM users").df["e"].iloc[0]
    assert shown.startswith("masked:")

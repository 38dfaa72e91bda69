"""Errors carry no data: a query that fails while it reads rows says the kind of error,
where, and the query's own names, never a value from the table.

Each failure below makes the backend quote row values in its own words (a failed cast,
ERROR() over columns, a parser or an overflow printing its input). None of those values
may reach the error's message, hint or detail, its card, compact or debug traceback,
the audit file or the log file. The values are read straight from the sample file with
duckdb, not through the toolkit. Names stay: they drive the repair loop and the hints.
"""

from __future__ import annotations

import html
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config, set_config
from lgda_nb.errors import LGDAError, SecurityError, SQLError, UnknownColumnError

#: (SQL, the table.column values it could quote; ``table.*`` is every column).
CASES: list[tuple[str, tuple[str, ...]]] = [
    # casts of text columns
    ("SELECT CAST(city AS INT64) AS x FROM users", ("users.city",)),
    ("SELECT CAST(street_address AS INT64) AS x FROM users", ("users.street_address",)),
    ("SELECT CAST(postal_code AS INT64) AS x FROM users", ("users.postal_code",)),
    ("SELECT CAST(email AS INT64) AS x FROM users", ("users.email",)),
    ("SELECT CAST(name AS FLOAT64) AS x FROM products", ("products.name",)),
    ("SELECT CAST(brand AS BOOL) AS x FROM products", ("products.brand",)),
    ("SELECT CAST(sku AS NUMERIC) AS x FROM products", ("products.sku",)),
    ("SELECT CAST(CONCAT(state, '-x') AS INT64) AS x FROM users", ("users.state",)),
    # ERROR() over columns
    ("SELECT ERROR(CONCAT('x', city)) AS x FROM users", ("users.city",)),
    ("SELECT ERROR(CONCAT(state, ' / ', country)) AS x FROM users",
     ("users.state", "users.country")),
    ("SELECT ERROR(CONCAT(name, ':', brand)) AS x FROM products",
     ("products.name", "products.brand")),
    ("SELECT ERROR(CONCAT(first_name, ' ', last_name)) AS x FROM users",
     ("users.first_name", "users.last_name")),
    ("SELECT ERROR(TO_JSON_STRING(u)) AS x FROM users AS u", ("users.*",)),
    ("SELECT ERROR(TO_JSON_STRING(o)) AS x FROM orders AS o", ("orders.*",)),
    # an ERROR() dressed as the validator's own run-time refusal
    ("SELECT ERROR(CONCAT('Refused by the shape rule: ', city)) AS x FROM users", ("users.city",)),
    # division and overflow
    ("SELECT MOD(id, id - id) AS x FROM users", ("users.id",)),
    ("SELECT MOD(CAST(retail_price * 100 AS INT64), num) AS x "
     "FROM products, UNNEST([0]) AS num", ("products.retail_price",)),
    ("SELECT id * 9223372036854775 AS x FROM users", ("users.id",)),
    ("SELECT CAST(retail_price * 1e30 AS INT64) AS x FROM products", ("products.retail_price",)),
    # dates parsed from column values
    ("SELECT PARSE_DATE('%Y-%m-%d', city) AS x FROM users", ("users.city",)),
    ("SELECT PARSE_TIMESTAMP('%Y-%m-%d %H:%M:%S', state) AS x FROM users", ("users.state",)),
    ("SELECT CAST(country AS DATE) AS x FROM users", ("users.country",)),
    ("SELECT TIMESTAMP(traffic_source) AS x FROM users", ("users.traffic_source",)),
    # parsers given values
    ("SELECT PARSE_JSON(city) AS x FROM users", ("users.city",)),
    ("SELECT JSON_EXTRACT(name, '$.a') AS x FROM products", ("products.name",)),
    ("SELECT REGEXP_CONTAINS('x', CONCAT('(', brand)) AS x FROM products", ("products.brand",)),
]  # fmt: skip
#: A pseudonym of the scan masking is a value too.
_PSEUDONYM = re.compile(r"masked:[0-9a-f]{12}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[+-]?\d+)?")
#: A number standing alone in a text (not the 64 of INT64).
_STANDALONE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])")


_COPIES: dict[Path, Path] = {}


def _values(database: Path, columns: tuple[str, ...]) -> set[str]:
    """Every distinct value of ``columns`` as text, read from the file with duckdb (a copy:
    the engine of this process holds the file open with its own settings)."""
    import shutil
    import tempfile

    import duckdb

    copy = _COPIES.get(database)
    if copy is None:
        copy = Path(tempfile.mkdtemp(prefix="lgda-values-")) / "sample.duckdb"
        shutil.copyfile(database, copy)
        _COPIES[database] = copy
    found: set[str] = set()
    with duckdb.connect(str(copy), read_only=True) as con:
        for dotted in columns:
            table, _, column = dotted.partition(".")
            names = (
                [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
                if column == "*"
                else [column]
            )
            for name in names:
                rows = con.execute(f'SELECT DISTINCT CAST("{name}" AS VARCHAR) FROM {table}')
                found.update(str(value) for (value,) in rows.fetchall() if value is not None)
    return found


def _everything_shown(error: LGDAError) -> str:
    """Every way an error reaches a person: text, card, dict, compact and debug tracebacks."""
    compact = "".join(error._render_traceback_())
    error.show_traceback = True
    debug = "".join(error._render_traceback_())  # the driver's exception is the cause
    error.show_traceback = False
    return "\n".join(
        [str(error), repr(error), error.as_text(), html.unescape(error._repr_html_()),
         str(error.to_dict()), compact, debug]
    )  # fmt: skip


def _files(tmp_path: Path) -> str:
    return "".join(
        (tmp_path / name).read_text(encoding="utf-8")
        for name in ("audit.jsonl", "lgda.jsonl")
        if (tmp_path / name).exists()
    )


def _is_number(value: str) -> bool:
    return _NUMBER.fullmatch(value.lstrip("-")) is not None


def _assert_no_values(error: LGDAError, sql: str, values: set[str], files: str) -> None:
    shown = _everything_shown(error)
    # Text as long as a word (shorter ones, F or NY, are in any text) anywhere; numbers as
    # whole numbers in what the error says (digits recur in paths, timings and ids).
    for value in sorted(v for v in values if len(v) >= 4 and v not in sql):
        if _is_number(value):
            continue
        assert value not in shown, f"{value!r} shown by {type(error).__name__}: {error}"
        assert value not in files, f"{value!r} in the audit or log file"
    assert not _PSEUDONYM.search(shown + files)
    said = " ".join(str(text) for text in (error.message, error.hint, error.detail))
    said = "\n".join(line for line in said.splitlines() if not line.startswith(("LINE ", "Job ID")))
    quoted = set(_STANDALONE.findall(said)) - set(_STANDALONE.findall(sql))
    numbers = {v.lstrip("-") for v in values if _is_number(v)}
    assert not {n for n in quoted & numbers if len(n) > 1}, said


@pytest.mark.parametrize(("sql", "columns"), CASES, ids=[sql for sql, _ in CASES])
def test_a_failure_while_reading_rows_carries_no_value(
    engine: Engine, sample_path: Path, tmp_path: Path, sql: str, columns: tuple[str, ...]
) -> None:
    """run_sql on the sample: the error names the kind and the column, no value."""
    values = _values(sample_path, columns)
    assert values
    with pytest.raises(LGDAError) as info:
        engine.run_sql(sql)
    error = info.value
    assert isinstance(error, SQLError)
    assert not isinstance(error, SecurityError)  # ERROR() text is not a policy refusal
    _assert_no_values(error, sql, values, _files(tmp_path))


def test_a_failed_cast_still_names_its_column_and_type(engine: Engine) -> None:
    """The sentence keeps what the repair loop needs: the column, the type, the fix."""
    with pytest.raises(SQLError) as info:
        engine.run_sql("SELECT CAST(street_address AS INT64) AS x FROM users")
    assert info.value.message == "Could not convert a value of column street_address to INT64."
    assert "SAFE_CAST" in info.value.hint
    assert info.value.detail is not None
    assert "Conversion Error" in info.value.detail
    assert "LINE 1:" in info.value.detail  # where in the query, from the driver


def test_the_querys_own_words_stay(engine: Engine) -> None:
    """A literal of the query is not a row value: ERROR('...') and CAST('abc' AS INT64)
    say what they were given."""
    with pytest.raises(SQLError, match="The query raised an error: total is negative"):
        engine.run_sql("SELECT ERROR('total is negative') AS x FROM orders")
    with pytest.raises(SQLError, match="'abc'"):
        engine.run_sql("SELECT CAST('abc' AS INT64) AS x FROM orders")


def test_names_in_the_query_stay(engine: Engine) -> None:
    """Unknown columns are names, not data: the error and its 'did you mean' remain."""
    with pytest.raises(UnknownColumnError) as info:
        engine.run_sql("SELECT emial FROM users")
    assert "Did you mean 'email'?" in info.value.message


def test_the_validators_own_refusal_is_still_a_refusal(engine: Engine) -> None:
    """The generator guard's ERROR() is written into the query, so it stays a shape
    refusal, while the same words built from a column are withheld (CASES above)."""
    with pytest.raises(SecurityError, match="shape rule") as info:
        engine.run_sql(
            "SELECT ARRAY_LENGTH(GENERATE_ARRAY(1, num_of_item * 2000000)) AS n FROM orders"
        )
    assert info.value.rule == "shape"  # type: ignore[attr-defined]


def test_a_denied_row_in_an_error_carries_no_value(
    engine: Engine, sample_path: Path, tmp_path: Path
) -> None:
    """Under deny, ERROR(TO_JSON_STRING(u)) carries neither the denied nor other values."""
    set_config(**{"security.pii_policy": '{"users.email": "deny", "users.first_name": "deny"}'})
    with Engine() as denied, pytest.raises(LGDAError) as info:
        denied.run_sql("SELECT ERROR(TO_JSON_STRING(u)) AS x FROM users AS u")
    values = _values(sample_path, ("users.*",))
    _assert_no_values(info.value, "", values, _files(tmp_path))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Bad int64 value: Charlotte", "Could not convert a value to INT64."),
        ("Bad double value: Charlotte; error in CAST at [1:8]",
         "Could not convert a value to DOUBLE (at line 1, column 8)."),
        ("Invalid date: 'Charlotte'", "Could not convert a value to DATE."),
        ('Failed to parse input string "Charlotte"',
         "A value could not be parsed with the query's date or time format."),
        ("division by zero: 808 / 0", "Division by zero."),
        ("int64 overflow: 9223372036854775807 + 808",
         "INT64 overflow: an arithmetic result is out of range."),
        ("Array index 808 is out of bounds (overflow)", "An array index is out of bounds."),
        ("Cannot parse regular expression: missing ): (Charlotte",
         "A regular expression is not valid (missing ))."),
        ("Invalid Input Error: Charlotte: 808",
         "The query stopped with an invalid-input error (ERROR() or a value a function cannot "
         "take); the backend's text is withheld, as it can quote values from the rows."),
    ],
)  # fmt: skip
def test_bigquery_run_time_texts_are_reduced(text: str, said: str) -> None:
    """BigQuery's own run-time messages (and the emulator's) lose their values."""
    from lgda_nb.backends._data_free import reduce_error

    reduced = reduce_error(text, sql="SELECT CAST(city AS INT64) FROM users")
    assert reduced.message == said
    assert "Charlotte" not in reduced.message + reduced.hint
    assert "808" not in reduced.message + reduced.hint


def _bad_request(message: str, *, dry_run: bool, sql: str) -> Exception:
    from google.api_core import exceptions as gexc

    exc = gexc.BadRequest(message)
    exc.query_job = type("Job", (), {"dry_run": dry_run, "query": sql})()  # type: ignore[attr-defined]
    return exc


def test_a_bigquery_job_error_is_reduced_with_its_cause() -> None:
    """A job that ran quoting a value: the SQLError and the client's exception (its
    cause, shown in debug tracebacks) say the kind only; the job id stays."""
    pytest.importorskip("google.cloud.bigquery")
    from lgda_nb.backends._bigquery import map_bigquery_errors

    sql = "SELECT ERROR(CONCAT('x', city)) FROM users"
    message = "xCharlotte\n\nLocation: US\nJob ID: lgda_123"
    with pytest.raises(SQLError) as info, map_bigquery_errors():
        raise _bad_request(message, dry_run=False, sql=sql)
    error = info.value
    assert "Charlotte" not in _everything_shown(error)
    assert error.detail is not None
    assert "Job ID: lgda_123" in error.detail
    assert "withheld" in error.message


def test_a_bigquery_analysis_error_keeps_its_names() -> None:
    """A dry run reads no rows: an unknown name is an UnknownColumnError as before, and
    a job's error naming a word of the query keeps it too."""
    pytest.importorskip("google.cloud.bigquery")
    from lgda_nb.backends._bigquery import map_bigquery_errors

    sql = "SELECT emial FROM users"
    for dry_run in (True, False):
        with pytest.raises(UnknownColumnError) as info, map_bigquery_errors():
            raise _bad_request("Unrecognized name: emial at [1:8]", dry_run=dry_run, sql=sql)
        assert info.value.name == "emial"  # type: ignore[attr-defined]
    # An ERROR() that spells an unknown-name error with a value is not believed.
    forgery = _bad_request("Unrecognized name: Charlotte", dry_run=False, sql="SELECT 1")
    with pytest.raises(SQLError) as forged, map_bigquery_errors():
        raise forgery
    assert not isinstance(forged.value, UnknownColumnError)
    assert "Charlotte" not in _everything_shown(forged.value)


ENDPOINT = os.environ.get("LGDA_TEST_BIGQUERY_ENDPOINT")
PROJECT = "lgda-test"


@pytest.fixture(scope="module")
def emulator_dataset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample in an emulator dataset, and the file its rows came from."""
    if not ENDPOINT:
        pytest.skip("needs the BigQuery emulator (LGDA_TEST_BIGQUERY_ENDPOINT)")
    import urllib.request

    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    from lgda_nb.sample import build_sample
    from lgda_nb.sample._bigquery import load_to_bigquery

    try:
        urllib.request.urlopen(f"{ENDPOINT}/healthz", timeout=5)
    except OSError as exc:
        pytest.fail(f"the BigQuery emulator at {ENDPOINT} does not answer: {exc}")
    client = bigquery.Client(
        project=PROJECT,
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=ENDPOINT),
    )
    sample = build_sample(tmp_path_factory.mktemp("bq") / "sample.duckdb", scale=0.01)
    dataset = f"{PROJECT}.errors_{uuid.uuid4().hex[:8]}"
    load_to_bigquery(sample, dataset, client, limits={"events": 300, "inventory_items": 300})
    yield dataset, sample
    client.delete_dataset(dataset, delete_contents=True, not_found_ok=True)


@pytest.mark.parametrize(("sql", "columns"), CASES, ids=[sql for sql, _ in CASES])
def test_a_failure_on_the_bigquery_emulator_carries_no_value(
    emulator_dataset: tuple[str, Path], tmp_path: Path, sql: str, columns: tuple[str, ...]
) -> None:
    """The same failures through the BigQuery backend (the emulator) quote no value."""
    dataset, sample = emulator_dataset
    config: dict[str, Any] = {
        "bigquery.api_endpoint": ENDPOINT,
        "bigquery.project": PROJECT,
        "bigquery.dataset": dataset,
    }
    with Engine(load_config(backend="bigquery", **config)) as bq:
        try:
            bq.run_sql(sql)
        except LGDAError as error:
            _assert_no_values(error, sql, _values(sample, columns), _files(tmp_path))
        # The emulator answers some of these (1 / 0 as inf, MOD as NaN): then no error.

"""Connected data: DataFrames and Parquet, CSV and JSON-lines files as read-only tables
beside the sample, answered with the same policy, masking, cache and audit, and every
bad input refused with nothing changed."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython
from IPython.utils.capture import capture_output

import lgda_nb._config as config_module
from lgda_nb import Engine
from lgda_nb.cli import main
from lgda_nb.errors import DataSourceError, SecurityError, UnknownTableError, UsageError


def _sales(rows: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "sale_id": np.arange(1, rows + 1),
            "customer_id": rng.integers(1, 11, rows),
            "amount": rng.integers(10, 500, rows).astype(float),
            "region": rng.choice(["North", "South", "East"], rows),
            "sold_at": pd.date_range("2025-01-01", periods=rows, freq="D"),
        }
    )


def _customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": np.arange(1, 11),
            "segment": ["Enterprise", "SMB"] * 5,
            "email": [f"person{i}@example.com" for i in range(1, 11)],
        }
    )


@pytest.fixture
def connected(engine: Engine) -> Engine:
    """The sample engine with two DataFrames connected."""
    engine.connect(sales=_sales(), customers=_customers())
    return engine


@pytest.fixture
def parquet_folder(tmp_path: Path) -> Path:
    """A folder of Parquet exports: one file per table, and a table split in parts."""
    folder = tmp_path / "exports"
    (folder / "visits").mkdir(parents=True)
    _sales().to_parquet(folder / "sales.parquet")
    _customers().to_parquet(folder / "customers.parquet")
    for part in range(3):
        pd.DataFrame({"kind": ["view", "click"], "n": [part, part + 1]}).to_parquet(
            folder / "visits" / f"part-{part}.parquet"
        )
    return folder


def _same_tables(engine: Engine) -> list[str]:
    return [row["table"] for row in engine.connected()]


# ----------------------------------------------------------------------- frames


def test_dataframes_answer_sql_and_questions(connected: Engine) -> None:
    """Connected DataFrames are tables for SQL and for questions, read through a model
    inferred from them; the sample's own tables stay queryable."""
    df = connected.run_sql(
        "SELECT region, SUM(amount) AS total FROM sales GROUP BY region ORDER BY region"
    ).df
    expected = _sales().groupby("region")["amount"].sum().sort_index()
    assert df["total"].tolist() == expected.tolist()
    answer = connected.ask("total amount by region")
    assert answer.interpretation.startswith("Amount by region")
    assert sorted(answer.df.iloc[:, 1].tolist()) == sorted(expected.tolist())
    assert {"sales", "customers"} <= connected.model.tables()
    assert connected.run_sql("SELECT COUNT(*) AS n FROM orders").df["n"].iloc[0] > 0


def test_personal_data_of_a_dataframe_is_masked(connected: Engine) -> None:
    """Emails in a connected frame are masked in answers, as in the database's tables."""
    emails = connected.run_sql("SELECT email FROM customers").df["email"]
    assert not emails.str.contains("person1@example.com", regex=False).any()


def test_personal_columns_named_otherwise_are_masked_through_expressions(engine: Engine) -> None:
    """With default settings, personal data in columns nobody declared ("customer_email",
    "phone") is masked at the scan, so an expression over it gives nothing back either."""
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "customer_email": ["ann.lee@example.com", "bob@corp.org", "cy@x.io"],
            "phone": ["+1 415 555 0101", "+44 20 7946 0958", "+1 212 555 0199"],
            "amount": [10.0, 20.0, 30.0],
        }
    )
    engine.connect(clients=frame)
    shown = engine.run_sql(
        "SELECT CONCAT(customer_email, '') AS e, UPPER(phone) AS p, amount FROM clients"
    ).df
    for raw, column in ((frame["customer_email"], "e"), (frame["phone"], "p")):
        assert not set(raw.str.upper()) & set(shown[column].str.upper())
    assert shown["amount"].tolist() == [10.0, 20.0, 30.0]


def test_the_pii_policy_applies_to_connected_columns(tmp_path: Path) -> None:
    """Policy keys may name a table connected later (not thelook's): its column is
    masked or denied like any table's, and a key naming a column it lacks is refused."""
    from lgda_nb._config import load_config
    from lgda_nb.errors import ConfigError

    policy = {"customers.email": "deny", "customers.segment": "mask", "crm.emial": "mask"}
    with Engine(load_config(**{"security.pii_policy": json.dumps(policy)})) as engine:
        engine.connect(customers=_customers())
        segments = engine.run_sql("SELECT DISTINCT segment FROM customers").df["segment"]
        assert segments.str.startswith("masked:").all()
        with pytest.raises(SecurityError):
            engine.run_sql("SELECT email FROM customers")
        with pytest.raises(ConfigError, match="table crm has no column emial"):
            engine.connect(crm=_customers())
        assert _same_tables(engine) == ["customers"]


def test_a_changed_frame_is_not_answered_from_the_cache(engine: Engine) -> None:
    """The cache is keyed on the frame's contents: an unchanged frame is a cache hit, a
    frame changed in place is read again, questions included."""
    sales = _sales()
    engine.connect(sales=sales)
    sql = "SELECT SUM(amount) AS total FROM sales"
    first = engine.run_sql(sql)
    again = engine.run_sql(sql)
    assert "cache" in again.timings
    sales.loc[0, "amount"] = 1_000_000.0
    fresh = engine.run_sql(sql)
    assert "cache" not in fresh.timings
    assert fresh.df["total"].iloc[0] == first.df["total"].iloc[0] - _sales()["amount"].iloc[0] + 1e6
    asked = engine.ask("total amount")
    assert asked.df.iloc[0, 0] == pytest.approx(fresh.df["total"].iloc[0])


def test_connecting_a_name_again_replaces_it(connected: Engine) -> None:
    """Re-running a cell that connects `sales` replaces the table, no clash."""
    connected.connect(sales=_sales(10))
    assert connected.run_sql("SELECT COUNT(*) AS n FROM sales").df["n"].iloc[0] == 10


def test_disconnect_takes_the_table_away(connected: Engine) -> None:
    """A disconnected table is unknown again, to SQL and to the policy."""
    connected.disconnect("customers")
    assert _same_tables(connected) == ["sales"]
    with pytest.raises(UnknownTableError):
        connected.run_sql("SELECT * FROM customers")


def test_disconnecting_an_unknown_name_changes_nothing(connected: Engine) -> None:
    """`disconnect("sales", "nope")` refuses the unknown name and keeps both tables."""
    with pytest.raises(DataSourceError, match="No connected table is named 'nope'"):
        connected.disconnect("sales", "nope")
    assert _same_tables(connected) == ["sales", "customers"]


def test_configured_files_are_connected(parquet_folder: Path) -> None:
    """`duckdb.files` connects files for every engine made with it, `name=path` too."""
    from lgda_nb._config import load_config

    files = [f"{parquet_folder}/sales.parquet", f"visits={parquet_folder / 'visits'}"]
    with Engine(load_config(**{"duckdb.files": json.dumps(files)})) as engine:
        assert engine.run_sql("SELECT COUNT(*) AS n FROM visits").df["n"].iloc[0] == 6
        assert _same_tables(engine) == ["sales", "visits"]


def test_named_index_becomes_columns(engine: Engine) -> None:
    """A frame indexed by a name (after a groupby) keeps its index as a column."""
    totals = _sales().groupby("region")[["amount"]].sum()
    engine.connect(totals=totals)
    df = engine.run_sql("SELECT region, amount FROM totals ORDER BY region").df
    assert df["region"].tolist() == ["East", "North", "South"]


# ------------------------------------------------------------------------ files


def test_parquet_glob_is_one_table_per_file(engine: Engine, parquet_folder: Path) -> None:
    """`data/*.parquet` connects each file as a table named from its stem; a folder is one
    table of all its files."""
    made = engine.connect(f"{parquet_folder}/*.parquet", visits=parquet_folder / "visits")
    assert [row["table"] for row in made] == ["customers", "sales", "visits"]
    assert engine.run_sql("SELECT COUNT(*) AS n FROM visits").df["n"].iloc[0] == 6
    df = engine.run_sql(
        "SELECT c.segment, SUM(s.amount) AS total FROM sales s "
        "JOIN customers c ON s.customer_id = c.id GROUP BY 1 ORDER BY 1"
    ).df
    assert df["segment"].tolist() == ["Enterprise", "SMB"]


def test_csv_and_json_lines(engine: Engine, tmp_path: Path) -> None:
    """CSV, TSV and JSON-lines files become tables with their types read from the data."""
    _sales().to_csv(tmp_path / "sales-2025.csv", index=False)
    _customers().to_json(tmp_path / "people.jsonl", orient="records", lines=True)
    made = engine.connect(tmp_path / "sales-2025.csv", people=str(tmp_path / "people.jsonl"))
    assert [row["table"] for row in made] == ["sales_2025", "people"]
    tables = engine.known_tables()
    assert tables["sales_2025"]["sold_at"] == "DATE"  # midnights only: dates
    assert engine.run_sql("SELECT COUNT(*) AS n FROM people").df["n"].iloc[0] == 10


def test_csv_separated_by_semicolons_or_pipes(engine: Engine, tmp_path: Path) -> None:
    """A ``.csv`` export separated by ``;`` (with decimal commas) or ``|`` is read into
    its columns, never as one column of joined text."""
    (tmp_path / "eu.csv").write_text(
        "region;amount;day\nNorth;10,5;2025-01-02\nSouth;20;2025-01-03\n"
    )
    (tmp_path / "piped.csv").write_text("region|amount\nNorth|1.5\nSouth|2\n")
    engine.connect(tmp_path / "eu.csv", tmp_path / "piped.csv")
    tables = engine.known_tables()
    assert list(tables["eu"]) == ["region", "amount", "day"]
    assert tables["eu"]["amount"] == "DOUBLE"
    assert engine.run_sql("SELECT SUM(amount) AS s FROM eu").df["s"].iloc[0] == 30.5
    assert engine.run_sql("SELECT SUM(amount) AS s FROM piped").df["s"].iloc[0] == 3.5


def test_a_broken_row_of_a_semicolon_csv_is_found(connected: Engine, tmp_path: Path) -> None:
    """The broken-row check reads the file with its own separator."""
    (tmp_path / "eu.csv").write_text("a;b\n1;2\n3;4\n5;6;7\n8;9\n")
    error = _refused(connected, "eu.csv")
    assert "has a row that does not fit the others (line 4)" in error.message


def test_a_changed_file_is_read_again(engine: Engine, tmp_path: Path) -> None:
    """A file rewritten after it was connected answers with its new rows."""
    path = tmp_path / "sales.parquet"
    _sales(5).to_parquet(path)
    engine.connect(path)
    sql = "SELECT COUNT(*) AS n FROM sales"
    assert engine.run_sql(sql).df["n"].iloc[0] == 5
    _sales(8).to_parquet(path)
    os.utime(path, ns=(1, 1))  # a new modification time, whatever the clock's resolution
    assert engine.run_sql(sql).df["n"].iloc[0] == 8


def test_a_deleted_file_fails_the_call_with_a_hint(engine: Engine, tmp_path: Path) -> None:
    """A connected file removed later fails the next call with its name, audited."""
    path = tmp_path / "gone.parquet"
    _sales(3).to_parquet(path)
    engine.connect(path)
    path.unlink()
    with pytest.raises(DataSourceError, match="behind table 'gone' is gone"):
        engine.run_sql("SELECT COUNT(*) AS n FROM gone")
    last = json.loads((tmp_path / "audit.jsonl").read_text().splitlines()[-1])
    assert last["outcome"] == "data_source"


def test_file_access_stays_confined(engine: Engine, tmp_path: Path) -> None:
    """Only table names reach the data: file readers and paths are refused by the policy,
    and the query connection cannot open a file, not even a connected one."""
    path = tmp_path / "sales.parquet"
    _sales().to_parquet(path)
    (tmp_path / "secret.csv").write_text("a\n1\n")
    engine.connect(path)
    for sql in (
        f"SELECT * FROM read_parquet('{path}')",
        f"SELECT * FROM read_csv('{tmp_path / 'secret.csv'}')",
        f"SELECT * FROM `{path}`",
        "SELECT * FROM 'secret.csv'",
    ):
        with pytest.raises((SecurityError, UnknownTableError)):
            engine.run_sql(sql)
    with pytest.raises(SecurityError):  # past the validator, DuckDB itself refuses
        engine.backend.execute(f"SELECT * FROM read_parquet('{path}')")


def test_connected_queries_are_audited(connected: Engine, tmp_path: Path) -> None:
    """An answer over a connected table leaves an audit record naming it."""
    connected.run_sql("SELECT COUNT(*) AS n FROM sales")
    records = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert records[-1]["tables"] == ["sales"]
    assert records[-1]["outcome"] == "ok"


# -------------------------------------------------------------------- bad input


def _refused(engine: Engine, *args: Any, **kwargs: Any) -> DataSourceError:
    """The refusal of one connect, after checking that it changed nothing."""
    before = engine.connected()
    with pytest.raises(DataSourceError) as info:
        engine.connect(*args, **kwargs)
    assert engine.connected() == before
    error = info.value
    assert error.message.endswith(".")
    assert error.hint
    return error


def test_missing_file(connected: Engine) -> None:
    """A file that does not exist is named, with where relative paths start."""
    error = _refused(connected, "nowhere/sales.parquet", extra=_sales())
    assert "'nowhere/sales.parquet' does not exist" in error.message
    assert "relative paths start from" in error.hint


def test_glob_matching_nothing(connected: Engine) -> None:
    """A glob that matches no file says so."""
    error = _refused(connected, "exports/*.parquet")
    assert error.message == "No file matches 'exports/*.parquet'."


def test_unsupported_format(connected: Engine, tmp_path: Path) -> None:
    """A spreadsheet is refused with the formats that are read."""
    (tmp_path / "sales.xlsx").write_bytes(b"PK\x03\x04")
    error = _refused(connected, "sales.xlsx")
    assert "not a format that can be connected (.xlsx)" in error.message
    assert "Parquet" in error.hint
    assert "pandas" in error.hint


def test_csv_with_a_broken_row(connected: Engine, tmp_path: Path) -> None:
    """A CSV row with one field too many is refused, not read into the wrong columns."""
    rows = ["id,amount"] + [f"{i},{i * 10}" for i in range(5000)]
    rows[4000] = "3999,1,extra"
    (tmp_path / "broken.csv").write_text("\n".join(rows) + "\n")
    error = _refused(connected, "broken.csv")
    assert "has a row that does not fit the others" in error.message
    assert "line 4001" in error.message


def test_csv_broken_near_the_top(connected: Engine, tmp_path: Path) -> None:
    """A broken row in the first lines (where DuckDB sniffs the dialect) is refused too."""
    (tmp_path / "short.csv").write_text("a,b\n1,2\n3,4,5\n6,7\n")
    error = _refused(connected, "short.csv")
    assert "has a row that does not fit the others" in error.message


def test_dataframe_with_duplicate_columns(connected: Engine) -> None:
    """Two columns of one name are refused with the way to fix it."""
    frame = pd.DataFrame([[1, 2]], columns=["amount", "Amount"])
    error = _refused(connected, twice=frame)
    assert "'Amount'" in error.message or "'amount'" in error.message
    assert "duplicated" in error.hint


def test_dataframe_with_non_string_columns(connected: Engine) -> None:
    """Column names that are not text (a frame built from a list) are refused."""
    error = _refused(connected, numbers=pd.DataFrame([[1, 2]]))
    assert "not text: 0, 1" in error.message
    assert "df.columns = [str(c) for c in df.columns]" in error.hint


def test_name_clash_with_an_existing_table(connected: Engine) -> None:
    """A frame named like a table of the database is refused; the table is untouched."""
    error = _refused(connected, orders=_sales())
    assert "Table 'orders' already exists in the database" in error.message
    assert "my_orders" in error.hint
    assert connected.run_sql("SELECT COUNT(*) AS n FROM orders").df["n"].iloc[0] > 120


def test_not_a_dataframe(connected: Engine) -> None:
    """A value that is neither a DataFrame nor a path is refused by its type."""
    error = _refused(connected, numbers=[1, 2, 3])
    assert "is a list, not a DataFrame or a path" in error.message


def test_bad_table_name(connected: Engine) -> None:
    """A table name SQL could not write plainly is refused."""
    error = _refused(connected, **{"my sales": _sales()})
    assert "cannot name a table" in error.message
    assert "not an SQL keyword" in _refused(connected, order=_sales()).message


# ----------------------------------------------------------- magic and command line


@pytest.fixture(scope="module")
def shell() -> Any:
    ip = get_ipython() or start_ipython()
    ip.display_formatter.active_types = list(ip.display_formatter.format_types)
    ip.run_line_magic("load_ext", "lgda_nb")
    return ip


def test_magic_connects_variables_and_files(shell: Any, parquet_folder: Path) -> None:
    """`%lgda_connect shop_df exports/*.parquet` names frames after their variables
    (without _df) and files after their stems; without arguments it lists them."""
    shell.user_ns["shop_df"] = _sales()
    with capture_output():
        outcome = shell.run_cell("%lgda_connect shop_df exports/*.parquet")
    assert outcome.success, outcome.error_in_exec
    assert [row[0] for row in outcome.result.rows] == ["customers", "sales", "shop"]
    with capture_output():
        listed = shell.run_cell("%lgda_connect")
    assert [row[0] for row in listed.result.rows] == ["customers", "sales", "shop"]


def test_magic_names_a_frame_after_its_variable(shell: Any) -> None:
    """A frame in `df_sales` is table `sales`; `%%lgda --sql` reads it."""
    shell.user_ns["df_sales"] = _sales()
    with capture_output():
        outcome = shell.run_cell("%lgda_connect df_sales")
    assert outcome.success, outcome.error_in_exec
    assert outcome.result.rows[0][:3] == ["sales", "DataFrame df_sales", 120]
    with capture_output():
        answer = shell.run_cell("%%lgda --sql\nSELECT COUNT(*) AS n FROM sales")
    assert answer.success, answer.error_in_exec
    assert answer.result["n"].iloc[0] == 120


def test_magic_refusal_fails_the_cell(shell: Any) -> None:
    """A bad path fails the cell with the error, connecting nothing."""
    with capture_output():
        outcome = shell.run_cell("%lgda_connect missing/*.csv")
    assert isinstance(outcome.error_in_exec, DataSourceError)


def test_cli_connect_prints_tables_and_the_setting(
    parquet_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lgda connect` shows the tables and the LGDA_DUCKDB__FILES line; with it set,
    `lgda sql` reads them."""
    assert main(["connect", "exports/*.parquet"]) == 0
    out, err = capsys.readouterr()
    assert "customers" in out
    assert "sales" in out
    line = next(x for x in err.splitlines() if "LGDA_DUCKDB__FILES" in x)
    value = line.split("=", 1)[1].strip("'")
    assert json.loads(value) == [f"{parquet_folder}/*.parquet"]
    monkeypatch.setenv("LGDA_DUCKDB__FILES", value)
    config_module.reset()  # a new process would read the environment afresh
    assert main(["sql", "SELECT COUNT(*) AS n FROM sales", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "120"]
    assert main(["model", "init"]) == 0
    model = capsys.readouterr().out
    assert "# Semantic model of the connected tables customers, sales" in model
    assert '["sales", "customer_id", "customers", "id"]' in model


def test_cli_connect_refusal_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file is a user error: exit 2, message and hint."""
    assert main(["connect", "nope.parquet"]) == 2
    err = capsys.readouterr().err
    assert "DataSourceError" in err
    assert "Hint:" in err


@pytest.fixture(autouse=True)
def _no_kernel_tables() -> Iterator[None]:
    yield
    from lgda_nb.jupyter import _magics

    _magics.close_kernel_engine()


def test_arrow_table(engine: Engine) -> None:
    """An Arrow table is connected like a DataFrame."""
    import pyarrow as pa

    engine.connect(arrow_sales=pa.Table.from_pandas(_sales(), preserve_index=False))
    assert engine.run_sql("SELECT COUNT(*) AS n FROM arrow_sales").df["n"].iloc[0] == 120


def test_polars_frame(engine: Engine) -> None:
    """A polars frame is connected, and a change made in place is read again."""
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"region": ["N", "S", "N"], "amount": [1.0, 2.0, 3.0]})
    engine.connect(regions=frame)
    sql = "SELECT SUM(amount) AS total FROM regions"
    assert engine.run_sql(sql).df["total"].iloc[0] == 6.0
    frame[0, "amount"] = 100.0
    assert engine.run_sql(sql).df["total"].iloc[0] == 105.0


def test_model_magic_writes_a_model_of_the_connected_tables(shell: Any, tmp_path: Path) -> None:
    """`%lgda_model init --out` models the connected tables only (not the sample's), the
    file checks clean, and an existing file is not overwritten without --force."""
    shell.user_ns["df_deals"] = _sales()
    with capture_output() as captured:
        assert shell.run_cell("%lgda_connect df_deals").success
        outcome = shell.run_cell("%lgda_model init --out deals.toml")
    assert outcome.success, outcome.error_in_exec
    assert "Wrote deals.toml: 1 tables" in captured.stdout
    text = (tmp_path / "deals.toml").read_text()
    assert "the connected tables deals" in text
    assert '"orders"' not in text
    with capture_output():
        checked = shell.run_cell("%lgda_model check deals.toml")
        again = shell.run_cell("%lgda_model init --out deals.toml")
    assert checked.result.rows == []
    assert isinstance(again.error_in_exec, UsageError)


def test_an_edited_model_file_is_read_again(engine: Engine, tmp_path: Path) -> None:
    """A model file edited after an engine read it is read afresh by the next engine
    (a kernel's engine is rebuilt on %lgda_config)."""
    from lgda_nb._config import load_config
    from lgda_nb.planner._model_file import init_model

    engine.connect(sales=_sales())
    path = tmp_path / "model.toml"
    path.write_text(init_model(engine)[0])
    settings = {"planner.model_file": str(path)}
    with Engine(load_config(**settings)) as first:
        assert "revenue" not in first.model.metrics
    path.write_text(path.read_text().replace('name = "total_amount"', 'name = "revenue"'))
    os.utime(path, ns=(1, 1))
    with Engine(load_config(**settings)) as second:
        assert "revenue" in second.model.metrics


def test_panel_answers_over_connected_tables(connected: Engine) -> None:
    """The panel on an engine with connected frames answers questions over them."""
    import lgda_nb

    panel = lgda_nb.panel(connected)
    panel.run("total amount by region", wait=True)
    assert panel.result is not None
    assert panel.result.tables == ("sales",)
    assert "East" in panel.outputs["Answer"].outputs[0]["data"]["text/plain"]

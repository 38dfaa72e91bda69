"""The ``lgda`` command: sql in three formats, sample, config, and exit code 2 on errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

LGDA = str(Path(sys.executable).with_name("lgda"))
QUERY = "SELECT status, COUNT(*) AS orders FROM orders GROUP BY status ORDER BY status"


def _lgda(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LGDA, *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env=dict(os.environ),
        check=False,
    )


def test_sql_table_csv_json_agree() -> None:
    """The three output formats carry the same rows."""
    table = _lgda("sql", QUERY)
    assert table.returncode == 0, table.stderr
    assert "status" in table.stdout
    assert "rows" in table.stderr
    csv = pd.read_csv(io.StringIO(_lgda("sql", QUERY, "--format", "csv").stdout))
    records = json.loads(_lgda("sql", QUERY, "--format", "json").stdout)
    assert list(csv["status"]) == [row["status"] for row in records]
    assert list(csv["orders"]) == [row["orders"] for row in records]
    assert set(csv["status"]) == {"Cancelled", "Complete", "Processing", "Returned", "Shipped"}


def test_sql_from_stdin() -> None:
    """`lgda sql -` reads the query from standard input."""
    done = _lgda("sql", "-", "--format", "json", stdin="SELECT COUNT(*) AS n FROM orders")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["n"] > 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("sql", "SELECT * FROM ordrs"), "Did you mean 'orders'"),
        (("sql", "DROP TABLE orders"), "read-only"),
        (("sql", "SELEC 1"), "line 1"),
        (("sql", ""), "no SQL"),
        (("sql", "SELECT 1", "--limit", "0"), "positive"),
    ],
)
def test_errors_exit_2_with_message_on_stderr(args: tuple[str, ...], words: str) -> None:
    """A user error prints one paragraph (message and hint) on stderr and exits 2."""
    done = _lgda(*args)
    assert done.returncode == 2
    assert words in done.stderr
    assert "Hint:" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_invalid_backend_env_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """LGDA_BACKEND=nonsense names the variable and the allowed values."""
    monkeypatch.setenv("LGDA_BACKEND", "nonsense")
    done = _lgda("sql", "SELECT 1")
    assert done.returncode == 2
    assert "LGDA_BACKEND" in done.stderr
    assert "'duckdb' or 'bigquery'" in done.stderr


def test_unknown_command_exits_2() -> None:
    """argparse usage errors also exit 2."""
    assert _lgda("frobnicate").returncode == 2


def test_config_shows_sources_and_masks_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """`lgda config` prints every setting with its source; secrets never appear."""
    monkeypatch.setenv("LGDA_LLM__API_KEY", "sk-top-secret")
    done = _lgda("config", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["llm.api_key"] == {"value": "***", "source": "env", "env": "LGDA_LLM__API_KEY"}
    assert payload["backend"]["source"] == "default"
    text = _lgda("config").stdout
    assert "sk-top-secret" not in text + done.stdout
    assert "LGDA_DUCKDB__DATABASE" in text


def test_sample_builds_at_a_path(tmp_path: Path) -> None:
    """`lgda sample --scale --path` writes a DuckDB file with the seven tables."""
    import duckdb

    target = tmp_path / "s.duckdb"
    done = _lgda("sample", "--scale", "0.01", "--path", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(target)
    with duckdb.connect(str(target), read_only=True) as con:
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert len(tables) == 7


def test_sample_rejects_bad_scale(tmp_path: Path) -> None:
    """A scale out of range is a clear error, exit 2."""
    done = _lgda("sample", "--scale", "0", "--path", str(tmp_path / "x.duckdb"))
    assert done.returncode == 2
    assert "LGDA_DUCKDB__SAMPLE_SCALE" in done.stderr

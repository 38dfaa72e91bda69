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


def _lgda_bytes(*args: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    """The real entry point with raw bytes on the command line (as a shell passes $'\\xff')."""
    return subprocess.run(
        [LGDA.encode(), *args],
        capture_output=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("config",),
        ("sql", "SELECT * FROM order_items", "--format", "csv"),
    ],
    ids=["config", "sql-csv"],
)
def test_a_closed_pipe_ends_quietly(args: tuple[str, ...]) -> None:
    """Output to a reader that went away exits 141 (128 + SIGPIPE) with nothing on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write, every time
    try:
        done = subprocess.run(
            [LGDA, *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            env=dict(os.environ),
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == b""
    assert done.returncode == 128 + 13


def test_config_piped_to_head_prints_one_line_and_no_traceback() -> None:
    """`lgda config | head -1`: the first line, and no BrokenPipeError on the terminal."""
    done = subprocess.run(
        f"'{LGDA}' config | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
        check=False,
    )
    assert done.stdout.startswith("setting")
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("args", "kind", "field"),
    [
        ((b"ask", b"revenue by month \xff"), "ask", "question"),
        ((b"sql", b"SELECT 1 AS \xff"), "sql", "sql"),
    ],
    ids=["ask", "sql"],
)
def test_undecodable_bytes_in_an_argument_exit_2_and_are_audited(
    args: tuple[bytes, ...], kind: str, field: str
) -> None:
    """Bytes that are not UTF-8 are a usage error (exit 2, no traceback) and an audit record."""
    done = _lgda_bytes(*args)
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert "not valid UTF-8" in stderr
    assert "\\xff" in stderr
    assert "Hint:" in stderr
    assert "Traceback" not in stderr
    assert done.stdout == b""
    audit = Path(os.environ["LGDA_SECURITY__AUDIT_FILE"])
    record = json.loads(audit.read_text(encoding="utf-8").splitlines()[-1])
    assert record["kind"] == kind
    assert record["outcome"] == "usage"
    assert record[field].endswith("\\xff")


def test_undecodable_bytes_on_standard_input_exit_2() -> None:
    """`lgda sql -` with bytes that are not UTF-8 on stdin is a usage error too."""
    done = subprocess.run(
        [LGDA, "sql", "-"],
        input=b"SELECT 1 AS \xfe",
        capture_output=True,
        timeout=120,
        env=dict(os.environ),
        check=False,
    )
    assert done.returncode == 2
    assert b"not valid UTF-8" in done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("output", ["table", "csv", "json"])
def test_an_answer_the_terminal_cannot_encode_is_shown_escaped(output: str) -> None:
    """With an ASCII-only output encoding, non-ASCII in an answer is escaped, never a crash."""
    done = _lgda_bytes(
        b"sql",
        "SELECT 'Zürich ≈ café' AS city".encode(),
        b"--format",
        output.encode(),
        PYTHONIOENCODING="ascii",
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    done.stdout.decode("ascii")  # nothing but ASCII reached the terminal
    assert b"Z\\xfcrich" in done.stdout or b"Z\\u00fcrich" in done.stdout

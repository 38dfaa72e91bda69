"""The audit as a control: a start and an end record per call, fail closed when required,
and an unwritable audit or log file never breaks a query with a raw OSError."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from lgda_nb import Engine
from lgda_nb import _observability as observability
from lgda_nb._config import get_config, set_config
from lgda_nb.errors import AuditError, SecurityError
from lgda_nb.security import AuditLog
from lgda_nb.security import _audit as audit_module

SQL = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the once-per-kernel warnings as a new kernel would."""
    monkeypatch.setattr(audit_module, "_warned", False)
    monkeypatch.setattr(observability, "_warned", False)


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_call_writes_a_start_and_an_end_record_with_one_id(tmp_path: Path) -> None:
    """Each call appends a start record, then an end record carrying the same call id."""
    with Engine() as engine:
        result = engine.run_sql(SQL)
    start, end = _records(tmp_path / "audit.jsonl")
    assert (start["event"], start["outcome"], start["sql"]) == ("start", "started", SQL)
    assert (end["event"], end["outcome"], end["rows"]) == ("end", "ok", len(result.df))
    assert start["correlation_id"] == end["correlation_id"] == result.correlation_id
    assert start["user"] == end["user"]


def test_a_refused_call_has_its_start_and_its_refusal(tmp_path: Path) -> None:
    """A policy refusal is recorded at both ends too: started, then security."""
    with Engine() as engine, pytest.raises(SecurityError):
        engine.run_sql("DROP TABLE orders")
    assert [r["outcome"] for r in _records(tmp_path / "audit.jsonl")] == ["started", "security"]


def test_a_killed_process_leaves_the_start_record(tmp_path: Path) -> None:
    """A process killed mid-query (SIGKILL while it runs) still leaves the start record,
    and %lgda_audit's reading shows the call as started."""
    script = (
        "import os, signal\n"
        "from lgda_nb import Engine\n"
        "def die(label):\n"
        "    if label == 'running':\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        f"Engine().run_sql({SQL!r}, on_stage=die)\n"
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, check=False, env=os.environ.copy(), timeout=120)
    assert done.returncode == -9
    (start,) = _records(tmp_path / "audit.jsonl")
    assert (start["event"], start["sql"]) == ("start", SQL)
    (shown,) = AuditLog(tmp_path / "audit.jsonl").calls()
    assert shown["outcome"] == "started"


def test_calls_shows_each_call_once(tmp_path: Path) -> None:
    """The audit view folds a call's start into its end record."""
    with Engine() as engine:
        engine.run_sql(SQL)
        engine.run_sql("SELECT COUNT(*) AS n FROM users")
    calls = AuditLog(tmp_path / "audit.jsonl").calls()
    assert [c["event"] for c in calls] == ["end", "end"]


def test_required_audit_refuses_a_query_it_cannot_record(tmp_path: Path) -> None:
    """audit.required with an unwritable audit file: AuditError, and no stage ran."""
    set_config(**{"audit.required": True, "security.audit_file": "/dev/full"})
    told: list[str] = []
    with Engine() as engine, pytest.raises(AuditError) as info:
        engine.run_sql(SQL, on_stage=told.append)
    assert told == []
    error = info.value
    assert "could not be written to '/dev/full'" in error.message
    assert "nothing ran" in error.message
    assert "audit file" in error.hint
    assert error.correlation_id
    assert not isinstance(error.__cause__, AuditError)
    with Engine() as engine, pytest.raises(AuditError):
        engine.ask("orders by status")


def test_required_audit_withholds_an_answer_whose_end_it_cannot_record(tmp_path: Path) -> None:
    """The audit file becomes unwritable while the query runs: the answer is withheld."""
    audit = tmp_path / "audit.jsonl"
    set_config(**{"audit.required": True})

    def break_audit(label: str) -> None:
        if label == "running":  # a directory where the file was
            audit.unlink()
            audit.mkdir()

    with Engine() as engine, pytest.raises(AuditError) as info:
        engine.run_sql(SQL, on_stage=break_audit)
    assert "the answer is withheld" in info.value.message


def test_unrequired_audit_warns_once_and_the_query_runs(tmp_path: Path) -> None:
    """Unlocked and not required: queries run, one warning per kernel, each failure logged."""
    set_config(**{"security.audit_file": str(tmp_path / "a-file" / "audit.jsonl")})
    (tmp_path / "a-file").write_text("not a directory")
    with Engine() as engine, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = engine.run_sql(SQL)
        second = engine.run_sql("SELECT COUNT(*) AS n FROM users")
    assert len(first.df)
    assert len(second.df)
    (warning,) = [w for w in caught if issubclass(w.category, audit_module.AuditWarning)]
    assert "could not write the audit file" in str(warning.message)
    assert "LGDA_AUDIT__REQUIRED" in str(warning.message)
    log = (tmp_path / "lgda.jsonl").read_text(encoding="utf-8")
    assert log.count("audit_write_failed") == 4  # two calls, two records each


def test_default_audit_is_not_required() -> None:
    """Out of the box (unlocked) the audit is not required."""
    assert get_config().audit_required is False


@pytest.mark.parametrize("kind", ["full", "directory", "under-a-file"])
def test_an_unwritable_log_file_never_breaks_a_query(tmp_path: Path, kind: str) -> None:
    """/dev/full, a directory in the log file's place, or a file as its parent: the
    query answers and one warning says the log lines are dropped."""
    (tmp_path / "a-file").write_text("x")
    path = {
        "full": "/dev/full",
        "directory": str(tmp_path),
        "under-a-file": str(tmp_path / "a-file" / "lgda.jsonl"),
    }[kind]
    set_config(**{"observability.log_file": path})
    with Engine() as engine, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        engine.run_sql(SQL)
        result = engine.run_sql("SELECT COUNT(*) AS n FROM users")
    assert len(result.df) == 1
    (warning,) = [w for w in caught if issubclass(w.category, observability.LogWarning)]
    assert "log lines are dropped" in str(warning.message)
    assert len(_records(tmp_path / "audit.jsonl")) == 4  # the audit is unaffected

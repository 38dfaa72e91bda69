"""The audit trail: append-only JSON lines, concurrent writers, torn tails."""

from __future__ import annotations

import getpass
import json
import threading
from pathlib import Path

import pytest

from lgda_nb.security import AuditLog, current_user, sql_hash


def test_append_and_read_latest(tmp_path: Path) -> None:
    """Records come back oldest first, each with a timestamp."""
    log = AuditLog(tmp_path / "a" / "audit.jsonl")
    for i in range(5):
        log.append({"n": i})
    latest = log.latest(3)
    assert [r["n"] for r in latest] == [2, 3, 4]
    assert all("ts" in r for r in latest)


def test_concurrent_writers_never_interleave(tmp_path: Path) -> None:
    """Eight threads writing 200 records each leave 1,600 whole lines."""
    log = AuditLog(tmp_path / "audit.jsonl")

    def write(worker: int) -> None:
        for i in range(200):
            log.append({"worker": worker, "i": i, "sql": "SELECT 1" * 20})

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = (tmp_path / "audit.jsonl").read_text().splitlines()
    assert len(lines) == 1600
    assert all(json.loads(line)["sql"] for line in lines)


def test_torn_tail_does_not_stop_later_writes(tmp_path: Path) -> None:
    """A half-written last line is skipped and the next record is whole."""
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append({"n": 1})
    with path.open("a") as handle:
        handle.write('{"n": 2, "trunc')
    log.append({"n": 3})
    assert [r["n"] for r in log.latest(10)] == [1, 3]


def test_a_rotated_or_deleted_file_is_reopened_at_its_path(tmp_path: Path) -> None:
    """The file is kept open between records, but a record always goes to the file
    the path names now: after a rotation (moved away) or a deletion, a new file."""
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append({"n": 1})
    path.rename(tmp_path / "audit.jsonl.1")
    log.append({"n": 2})
    path.unlink()
    log.append({"n": 3})
    assert [r["n"] for r in AuditLog(tmp_path / "audit.jsonl.1").latest()] == [1]
    assert [r["n"] for r in log.latest()] == [3]


def test_a_file_cut_short_or_written_by_another_process_is_checked(tmp_path: Path) -> None:
    """Another writer's torn line is seen even when it lands after this writer's
    record, and a file truncated to nothing starts with a whole line."""
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append({"n": 1})
    log.append({"n": 2})
    with path.open("a") as handle:
        handle.write('{"n": "torn')
    log.append({"n": 3})
    path.write_text("")
    log.append({"n": 4})
    assert path.read_text().startswith('{"n": 4')


def test_few_files_are_kept_open(tmp_path: Path) -> None:
    """Writing to many audit files (one per test, one per project) never holds more
    than a handful of them open."""
    import os

    from lgda_nb.security import _audit

    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    for i in range(3 * _audit._OPEN_FILES):
        AuditLog(tmp_path / f"audit{i}.jsonl").append({"n": i})
    assert len(_audit._open) <= _audit._OPEN_FILES
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) <= before + _audit._OPEN_FILES


def test_missing_file_reads_as_empty(tmp_path: Path) -> None:
    """No audit file yet means no records, not an error."""
    assert AuditLog(tmp_path / "none.jsonl").latest() == []


def test_user_and_hash() -> None:
    """The configured user wins; SQL hashes are stable and short."""
    assert current_user("analyst@example.com") == "analyst@example.com"
    assert current_user(None)
    assert sql_hash("SELECT 1") == sql_hash("SELECT 1")
    assert len(sql_hash("SELECT 1")) == 16


def test_undecodable_text_is_escaped_not_fatal(tmp_path: Path) -> None:
    """A question holding bytes a terminal could not decode is recorded, escaped."""
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append({"question": "revenue \udcff", "outcome": "error"})
    (record,) = log.latest()
    assert record["question"] == "revenue \udcff"  # JSON's own escape: nothing is lost
    (tmp_path / "audit.jsonl").read_bytes().decode("utf-8")  # and the file stays UTF-8


def test_locked_user_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locked, the configured user is ignored: JUPYTERHUB_USER, else the OS login."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert current_user("chosen", locked=True) == current_user(None)
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    assert current_user("chosen", locked=True) == "hub-user"
    assert current_user("chosen") == "chosen"
    assert current_user(None) == "hub-user"


def test_the_os_login_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OS login is looked up once per environment, and again when it changes."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    assert current_user(None) == getpass.getuser()
    monkeypatch.setenv("USER", "first-login")
    assert current_user(None) == "first-login"
    monkeypatch.setenv("LOGNAME", "second-login")
    assert current_user(None) == "second-login"


def test_records_are_scrubbed_of_configured_secrets(tmp_path: Path) -> None:
    """A configured key inside any value of a record is written as ***."""
    from lgda_nb._config import load_config

    load_config(**{"llm.api_key": "sk-audit-secret-42"})
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append({"error": "401: key sk-audit-secret-42 refused", "nested": ["sk-audit-secret-42"]})
    text = (tmp_path / "audit.jsonl").read_text()
    assert "sk-audit-secret-42" not in text
    assert log.latest()[0]["error"] == "401: key *** refused"


def test_calls_fold_a_start_into_its_end(tmp_path: Path) -> None:
    """One row per call: the end record, or the start of a call that never ended."""
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append({"event": "start", "correlation_id": "a", "outcome": "started"})
    log.append({"event": "end", "correlation_id": "a", "outcome": "ok"})
    log.append({"event": "start", "correlation_id": "b", "outcome": "started"})
    assert [(r["correlation_id"], r["outcome"]) for r in log.calls()] == [
        ("a", "ok"),
        ("b", "started"),
    ]

"""The audit trail: one JSON line per ``ask``/``run_sql``, appended, never rewritten.

Each record is written with a single ``os.write`` on a file opened with
``O_APPEND``, under a lock, so concurrent writers in one kernel never interleave
and writers in other processes append whole lines. If the file ends in a torn
line (a crash mid-write), the next record starts on a new line and readers skip
what does not parse.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import threading
from collections import deque
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(path, threading.Lock())


def sql_hash(sql: str) -> str:
    """A short, stable fingerprint of canonical SQL for grouping audit records."""
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()[:16]


def current_user(configured: str | None = None) -> str:
    """The user recorded in the audit trail: from config, else the OS login."""
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"


class AuditLog:
    """Append-only JSON-lines file of what ran, for whom, and how it ended."""

    def __init__(self, path: Path) -> None:
        self.path = path.expanduser()

    def append(self, record: Mapping[str, Any]) -> None:
        """Write one record as one line; never raises on a torn previous line."""
        entry = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), **record}
        line = json.dumps(entry, default=str, ensure_ascii=False, sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _lock_for(self.path):
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                if _ends_torn(fd):
                    line = "\n" + line
                # A lone surrogate (undecodable bytes from a terminal) is escaped, never fatal.
                os.write(fd, line.encode("utf-8", "backslashreplace"))
            finally:
                os.close(fd)

    def latest(self, n: int = 20) -> list[dict[str, Any]]:
        """The last ``n`` records that parse, oldest first."""
        if not self.path.exists():
            return []
        records: deque[dict[str, Any]] = deque(maxlen=n)
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    records.append(record)
        return list(records)


def _ends_torn(fd: int) -> bool:
    """Whether the file behind ``fd`` ends in a partial line (a crash mid-write)."""
    size = os.fstat(fd).st_size
    return size > 0 and os.pread(fd, 1, size - 1) != b"\n"


def audit_path(configured: Path | None) -> Path:
    """The audit file: configured, or ``audit.jsonl`` in the user log directory."""
    if configured is not None:
        return configured.expanduser()
    import platformdirs

    return platformdirs.user_log_path("lgda_nb", appauthor=False) / "audit.jsonl"

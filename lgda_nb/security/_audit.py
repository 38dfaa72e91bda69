"""The audit trail: JSON lines, appended, never rewritten.

A call (``ask``/``run_sql``) writes a ``start`` record before any stage runs and an
``end`` record (outcome, rule, rows, duration) when it finishes, both with its
``correlation_id``: a process killed mid-query still leaves the start. A runtime
change to a ``security.*`` or ``audit.*`` setting writes a ``config`` record with the
old and new values.

The audit is a control: with ``audit.required`` (on when the policy is locked) a
call whose record cannot be written is refused with ``AuditError``. Otherwise a
failed write is logged, warned about once per process, and the call goes on.
Configured secrets are scrubbed from every record.

Each record is written with a single ``os.write`` on a file opened with
``O_APPEND``, under a lock, so concurrent writers in one kernel never interleave
and writers in other processes append whole lines. If the file ends in a torn
line (a crash mid-write), the next record starts on a new line and readers skip
what does not parse.

The file stays open between records (a few files at most), and each record first
looks the path up again: a file moved, deleted or replaced (log rotation) is
reopened at its path, so records never go to a file that is no longer there.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import hashlib
import json
import os
import threading
import warnings
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

from lgda_nb._secrets import scrub, scrub_value
from lgda_nb.errors import AuditError

logger = structlog.get_logger("lgda_nb.audit")

#: Held while a record is written: writers in one process never interleave.
_write_lock = threading.Lock()

#: Audit files kept open, most recently written last; at most ``_OPEN_FILES`` of them.
_open: OrderedDict[Path, _Open] = OrderedDict()
_OPEN_FILES = 4


def sql_hash(sql: str) -> str:
    """A short, stable fingerprint of canonical SQL for grouping audit records."""
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()[:16]


def current_user(configured: str | None = None, *, locked: bool = False) -> str:
    """The user recorded in the audit trail.

    Unlocked: ``security.audit_user``, else ``JUPYTERHUB_USER``, else the OS login.
    Locked, the setting is ignored: a shared deployment names its user from the
    environment the server started the kernel with, never from something the user set.
    """
    if configured and not locked:
        return configured
    hub_user = os.environ.get("JUPYTERHUB_USER")
    if hub_user:
        return hub_user
    uid = os.getuid() if hasattr(os, "getuid") else -1  # Windows has no uid
    return _login_name(tuple(os.environ.get(name) for name in _LOGIN_VARIABLES), uid)


#: What ``getpass.getuser`` reads before the password database, in its order.
_LOGIN_VARIABLES = ("LOGNAME", "USER", "LNAME", "USERNAME")


@functools.lru_cache(maxsize=8)
def _login_name(variables: tuple[str | None, ...], uid: int) -> str:
    """The OS login, looked up again only when what it is read from changes: without
    those variables ``getpass`` reads the password database, about 15 us a call."""
    del variables, uid  # the cache key
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
        entry = scrub_value(entry)
        line = json.dumps(entry, default=str, ensure_ascii=False, sort_keys=True) + "\n"
        line = scrub(line)  # values that became text only now (default=str)
        # A lone surrogate (undecodable bytes from a terminal) is escaped, never fatal.
        data = line.encode("utf-8", "backslashreplace")
        with _write_lock:
            handle = self._handle()
            try:
                if handle.end != handle.size and _ends_torn(handle.fd, handle.size):
                    data = b"\n" + data
                os.write(handle.fd, data)
            except OSError:
                _forget(self.path)
                raise
            handle.end = handle.size + len(data)

    def _handle(self) -> _Open:
        """The file open for appending, with its size now: the one kept open if the
        path still names it, else opened (its directory made only when missing)."""
        handle = _open.get(self.path)
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            found = None
        if handle is not None and found is not None and handle.same_file(found):
            _open.move_to_end(self.path)
            handle.size = found.st_size
            return handle
        _forget(self.path)
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT
        try:
            fd = os.open(self.path, flags, 0o600)
        except FileNotFoundError:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, flags, 0o600)
        opened = os.fstat(fd)
        handle = _Open(fd, opened.st_dev, opened.st_ino, size=opened.st_size)
        _open[self.path] = handle
        while len(_open) > _OPEN_FILES:
            _close(_open.popitem(last=False)[1])
        return handle

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

    def calls(self, n: int = 20) -> list[dict[str, Any]]:
        """The last ``n`` calls and config changes, one record each, oldest first: a
        call's ``end`` record, or its ``start`` record (outcome ``started``) when it never
        ended, as when the process was killed mid-query."""
        records = self.latest(4 * n)
        ended = {r.get("correlation_id") for r in records if r.get("event") == "end"}
        shown = [
            r for r in records if r.get("event") != "start" or r.get("correlation_id") not in ended
        ]
        return shown[-n:]


@dataclass
class _Open:
    """An audit file kept open: which file it is, its size when a record was last
    about to be written, and where that record ended (-1: not known)."""

    fd: int
    device: int
    inode: int
    size: int
    end: int = -1

    def same_file(self, found: os.stat_result) -> bool:
        return (found.st_dev, found.st_ino) == (self.device, self.inode)


def _forget(path: Path) -> None:
    """Close the file kept open for ``path``, if any (called with ``_write_lock`` held)."""
    handle = _open.pop(path, None)
    if handle is not None:
        _close(handle)


def _close(handle: _Open) -> None:
    with contextlib.suppress(OSError):  # closed already
        os.close(handle.fd)


def _ends_torn(fd: int, size: int) -> bool:
    """Whether the file behind ``fd``, ``size`` bytes long, ends in a partial line (a
    crash mid-write)."""
    return size > 0 and os.pread(fd, 1, size - 1) != b"\n"


def audit_path(configured: Path | None) -> Path:
    """The audit file: configured, or ``audit.jsonl`` in the user log directory."""
    if configured is not None:
        return configured.expanduser()
    from lgda_nb._observability import user_log_dir

    return user_log_dir() / "audit.jsonl"


_warned = False
_warned_lock = threading.Lock()
_LOCKED_HINT = (
    "Tell the administrator of this deployment: the audit file (LGDA_SECURITY__AUDIT_FILE) "
    "must be writable for queries to run."
)


def write_record(
    path: Path,
    record: Mapping[str, Any],
    *,
    required: bool,
    withheld: str = "nothing ran",
    locked: bool = False,
) -> None:
    """Append ``record`` to the audit file at ``path``; what a failure means depends on
    ``required``.

    Required: ``AuditError`` saying what was ``withheld`` (the caller refuses the
    call). Not required: logged every time and warned about once per process; the
    call goes on. Never a raw ``OSError``.
    """
    try:
        AuditLog(path).append(record)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        logger.warning("audit_write_failed", path=str(path), error=reason)
        if required:
            raise AuditError(
                f"The audit record could not be written to {str(path)!r} ({reason}), and "
                f"this deployment requires one for every query (audit.required); {withheld}.",
                hint=_LOCKED_HINT if locked else None,
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
        _warn_once(path, reason)


def _warn_once(path: Path, reason: str) -> None:
    global _warned
    with _warned_lock:
        if _warned:
            return
        _warned = True
    warnings.warn(
        f"lgda_nb could not write the audit file {str(path)!r} ({reason}); queries still "
        "run but are not audited. Point LGDA_SECURITY__AUDIT_FILE at a writable file, or "
        "set LGDA_AUDIT__REQUIRED=true to refuse queries that cannot be audited. "
        "(Shown once per kernel.)",
        AuditWarning,
        stacklevel=3,
    )


class AuditWarning(UserWarning):
    """The audit file could not be written; shown once per process."""


def _reset_warning() -> None:
    """Forget that the once-per-process warning was shown (tests)."""
    global _warned
    with _warned_lock:
        _warned = False

"""Structured logs (structlog, JSON lines to a file) and in-process metrics.

Logging is configured once, on first use, never at import: a notebook cell never
receives log lines at the default level. A call's pipeline writes one ``done`` line
carrying every stage's duration (``stages``), or one ``failed`` line at the stage
that failed; ``LGDAMetrics`` keeps counts and latencies per stage.

A log file that cannot be opened or written (a full disk, ``/dev/full``, a
directory in its place) never breaks a query: its lines are dropped, with one
warning per process. Configured secrets are scrubbed from every line.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import threading
import time
import uuid
import warnings
from collections import defaultdict, deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO, cast

import structlog

from lgda_nb._config import UnifiedConfig

_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}
_configured_for: tuple[Path, str] | None = None
_log_file: _LogFile | None = None
_lock = threading.Lock()
_warned = False

logger = structlog.get_logger("lgda_nb")


def log_path(config: UnifiedConfig) -> Path:
    """Where the JSON log lines go: the configured file or the user log directory."""
    if config.observability.log_file is not None:
        return config.observability.log_file.expanduser()
    return user_log_dir() / "lgda.jsonl"


def user_log_dir() -> Path:
    """The user log directory (platformdirs), worked out again only when the variables
    it is read from on Linux and macOS change: every query asks for it (log and audit),
    and platformdirs takes about 20 us each time."""
    key = (os.environ.get("XDG_STATE_HOME"), os.environ.get("HOME"))
    cached = _log_dirs.get(key)
    if cached is None:
        import platformdirs

        cached = platformdirs.user_log_path("lgda_nb", appauthor=False)
        _log_dirs[key] = cached
    return cached


_log_dirs: dict[tuple[str | None, str | None], Path] = {}


def configure_logging(config: UnifiedConfig) -> Path:
    """Send structlog events to the log file at the configured level (idempotent)."""
    global _configured_for, _log_file
    path = log_path(config)
    key = (path, config.observability.log_level)
    with _lock:
        if _configured_for == key:
            return path
        if _log_file is not None:
            _log_file.close()
        _log_file = _LogFile(path)
        structlog.configure(
            processors=[
                structlog.contextvars.merge_contextvars,
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(sort_keys=True, default=str),
            ],
            wrapper_class=structlog.make_filtering_bound_logger(
                _LEVELS[config.observability.log_level]
            ),
            logger_factory=structlog.WriteLoggerFactory(file=cast(TextIO, _log_file)),
            cache_logger_on_first_use=False,
        )
        _configured_for = key
        return path


class _LogFile:
    """The log file, one ``os.write`` per line (structlog writes each line whole).

    Secrets are scrubbed from each line. A file that cannot be opened or written
    drops the line and warns once per process; nothing is buffered, so nothing
    piles up while the disk is full.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            _warn_unwritable(path, exc)

    def write(self, text: str) -> int:
        if self._fd is None:
            return 0
        from lgda_nb._secrets import scrub

        try:
            return os.write(self._fd, scrub(text).encode("utf-8", "backslashreplace"))
        except OSError as exc:
            _warn_unwritable(self.path, exc)
            return 0

    def flush(self) -> None:
        """Nothing is buffered."""

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


def _warn_unwritable(path: Path, exc: OSError) -> None:
    global _warned
    if _warned:
        return
    _warned = True
    warnings.warn(
        f"lgda_nb could not write its log file {str(path)!r} "
        f"({exc.strerror or type(exc).__name__}); log lines are dropped and queries go on. "
        "Point LGDA_OBSERVABILITY__LOG_FILE at a writable file. (Shown once per kernel.)",
        LogWarning,
        stacklevel=2,
    )


class LogWarning(UserWarning):
    """The log file could not be opened or written; shown once per process."""


def new_correlation_id() -> str:
    """A short id that ties a result or error card to its log lines."""
    return uuid.uuid4().hex[:12]


class LGDAMetrics:
    """Counters and latency samples kept in process, per stage and outcome."""

    def __init__(self, window: int = 2048) -> None:
        self._lock = threading.Lock()
        self._window = window
        self.counters: defaultdict[str, int] = defaultdict(int)
        self._latencies: defaultdict[str, deque[float]] = defaultdict(
            lambda: deque(maxlen=self._window)
        )
        self._errors: defaultdict[str, int] = defaultdict(int)
        self._calls: defaultdict[str, int] = defaultdict(int)

    def increment(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self.counters[name] += amount

    def observe(self, stage: str, seconds: float, *, ok: bool) -> None:
        with self._lock:
            self._calls[stage] += 1
            self._latencies[stage].append(seconds)
            if not ok:
                self._errors[stage] += 1

    def stage_table(self) -> list[dict[str, Any]]:
        """One row per stage: calls, errors, p50 and p95 latency in milliseconds."""
        with self._lock:
            rows = []
            for stage, samples in self._latencies.items():
                ordered = sorted(samples)
                rows.append(
                    {
                        "stage": stage,
                        "calls": self._calls[stage],
                        "errors": self._errors[stage],
                        "p50_ms": round(statistics.median(ordered) * 1000, 2),
                        "p95_ms": round(_percentile(ordered, 0.95) * 1000, 2),
                    }
                )
            return rows

    def reset(self) -> None:
        with self._lock:
            self.counters.clear()
            self._latencies.clear()
            self._errors.clear()
            self._calls.clear()


def _percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


_metrics = LGDAMetrics()


def get_metrics() -> LGDAMetrics:
    """The process-wide metrics."""
    return _metrics


@contextlib.contextmanager
def timed_stage(
    stage: str, timings: dict[str, float], *, log: Any = None, emit: bool = True, **fields: Any
) -> Iterator[None]:
    """Time one stage, record it in ``timings`` and the metrics, and log one event
    (through ``log``, a logger with the call's fields bound already, if given: binding
    them again for each event costs more than writing it). ``emit=False`` logs
    nothing: the caller writes the timings itself (the engine, one line per call)."""
    start = time.perf_counter()
    ok = False
    try:
        yield
        ok = True
    finally:
        elapsed = time.perf_counter() - start
        timings[stage] = timings.get(stage, 0.0) + elapsed
        _metrics.observe(stage, elapsed, ok=ok)
        if emit:
            (logger if log is None else log).info(
                "stage",
                stage=stage,
                duration_ms=round(elapsed * 1000, 3),
                outcome="ok" if ok else "error",
                **fields,
            )


def stage_ms(timings: dict[str, float]) -> dict[str, float]:
    """``timings`` (seconds per stage) in milliseconds, as log lines carry them."""
    return {stage: round(seconds * 1000, 3) for stage, seconds in timings.items()}

"""The DuckDB backend's hand-over from its worker thread (``_Done``, ``_wait``) and the
watchdog of a query run on the main thread (``_run_watched``), on real DuckDB."""

from __future__ import annotations

import _thread
import os
import signal
import threading
import time
from collections.abc import Iterator

import duckdb
import pytest

from lgda_nb.backends import CallContext
from lgda_nb.backends._duckdb import _Done, _run_watched, _wait


def test_done_is_unset_until_the_worker_sets_it() -> None:
    done = _Done()
    assert not done.is_set()
    started = time.monotonic()
    assert done.wait(0.05) is False
    assert time.monotonic() - started >= 0.04
    assert done.wait(0.0) is False


def test_done_stays_set_for_every_later_wait() -> None:
    done = _Done()
    threading.Timer(0.02, done.set).start()
    assert done.wait(5.0) is True
    assert done.is_set()
    assert done.wait(0.0) is True
    assert done.wait(1.0) is True


class _Connection:
    def __init__(self, done: _Done) -> None:
        self.done, self.interrupts = done, 0

    def interrupt(self) -> None:
        self.interrupts += 1
        self.done.set()  # the query stops on interrupt


def test_wait_interrupts_a_query_past_its_deadline() -> None:
    done = _Done()
    con = _Connection(done)
    assert _wait(con, done, CallContext(call_id=""), time.monotonic() + 0.05) is True
    assert con.interrupts == 1


def test_wait_interrupts_a_cancelled_call_and_returns_at_once_when_done() -> None:
    done = _Done()
    con = _Connection(done)
    call = CallContext(call_id="")
    call.cancelled.set()
    assert _wait(con, done, call, time.monotonic() + 60) is False
    assert con.interrupts == 1
    finished = _Done()
    finished.set()
    assert _wait(_Connection(finished), finished, call, time.monotonic() + 60) is False


ENDLESS = "SELECT COUNT(*) FROM range(100000) a, range(100000) b, range(100000) c"


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    yield connection
    connection.close()


def test_a_watched_query_runs_on_the_calling_thread(con: duckdb.DuckDBPyConnection) -> None:
    """No thread is started per query, and the wake-up descriptor is given back."""
    before = {thread.ident for thread in threading.enumerate()}
    for _ in range(3):
        outcome = _run_watched(
            con, "SELECT 42 AS n", "UTC", CallContext(call_id=""), time.monotonic() + 60
        )
        assert outcome.error is None
        assert outcome.why is None
        assert outcome.frame is not None
        assert outcome.frame["n"].tolist() == [42]
    started = {t.name for t in threading.enumerate() if t.ident not in before}
    assert started <= {"lgda-duckdb-watch"}  # the one watchdog, made once per process
    assert signal.set_wakeup_fd(-1) == -1


def test_the_watchdog_stops_a_query_at_its_deadline(con: duckdb.DuckDBPyConnection) -> None:
    started = time.monotonic()
    outcome = _run_watched(con, ENDLESS, "UTC", CallContext(call_id=""), started + 0.3)
    assert outcome.why == "timeout"
    assert isinstance(outcome.error, duckdb.InterruptException)
    assert time.monotonic() - started < 1.5
    assert con.execute("SELECT 1").fetchall() == [(1,)]  # the connection goes on


def test_the_watchdog_stops_a_query_cancelled_from_another_thread(
    con: duckdb.DuckDBPyConnection,
) -> None:
    call = CallContext(call_id="c")
    threading.Timer(0.3, call.cancelled.set).start()
    started = time.monotonic()
    outcome = _run_watched(con, ENDLESS, "UTC", call, started + 60)
    assert outcome.why == "cancel"
    assert time.monotonic() - started < 1.5


def test_a_kernel_interrupt_stops_a_watched_query_and_reaches_the_displaced_descriptor(
    con: duckdb.DuckDBPyConnection, kernel_interrupts: None
) -> None:
    """SIGINT mid-query: the query stops at once, KeyboardInterrupt is read as a cancel,
    and the byte the interpreter wrote is passed on to the descriptor an event loop had
    set, which is set again afterwards."""
    read, write = os.pipe()
    os.set_blocking(read, False)
    os.set_blocking(write, False)
    previous = signal.set_wakeup_fd(write)
    try:
        threading.Timer(0.3, _thread.interrupt_main).start()
        started = time.monotonic()
        outcome = _run_watched(con, ENDLESS, "UTC", CallContext(call_id=""), started + 60)
        assert outcome.why == "signal"
        assert time.monotonic() - started < 1.5
        assert signal.set_wakeup_fd(write) == write
        assert os.read(read, 16) == bytes([signal.SIGINT])
    finally:
        signal.set_wakeup_fd(previous)
        os.close(read)
        os.close(write)
    assert con.execute("SELECT 1").fetchall() == [(1,)]


def test_where_the_wake_up_descriptor_cannot_be_set_nothing_runs_watched(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interpreter that refuses ``set_wakeup_fd`` (an embedding without signals):
    nothing is run here, and the backend runs the query on its worker instead."""

    def refuse(fd: int, **_: object) -> int:
        raise ValueError("set_wakeup_fd only works in main thread of the main interpreter")

    monkeypatch.setattr(signal, "set_wakeup_fd", refuse)
    assert (
        _run_watched(con, "SELECT 42", "UTC", CallContext(call_id=""), time.monotonic() + 60)
        is None
    )


def test_a_wake_up_descriptor_left_as_the_watchdog_s_is_given_back_all_the_same(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """A second SIGINT can cut short the restore at a query's end, leaving the
    watchdog's own pipe as the wake-up descriptor; the next query gives back the one an
    event loop had set, not the pipe."""
    from lgda_nb.backends._duckdb import _Watchdog

    read, write = os.pipe()
    os.set_blocking(write, False)
    previous = signal.set_wakeup_fd(write)
    try:
        call = CallContext(call_id="")
        assert _run_watched(con, "SELECT 1", "UTC", call, time.monotonic() + 60) is not None
        signal.set_wakeup_fd(_Watchdog.get()._write)  # as a cut-short restore leaves it
        assert _run_watched(con, "SELECT 1", "UTC", call, time.monotonic() + 60) is not None
        assert signal.set_wakeup_fd(write) == write
    finally:
        signal.set_wakeup_fd(previous)
        os.close(read)
        os.close(write)

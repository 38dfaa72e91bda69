"""The DuckDB backend's hand-over from its worker thread: ``_Done``."""

from __future__ import annotations

import threading
import time

from lgda_nb.backends import CallContext
from lgda_nb.backends._duckdb import _Done, _wait


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

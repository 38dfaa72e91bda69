"""The DuckDB backend's watchdog: deadlines, cancels and kernel interrupts."""

from __future__ import annotations

import _thread
import signal
import socket
import threading
import time

from lgda_nb.backends import CallContext
from lgda_nb.backends._duckdb import _Watchdog


class _Connection:
    def __init__(self) -> None:
        self.interrupted = threading.Event()
        self.interrupts = 0

    def interrupt(self) -> None:
        self.interrupts += 1
        self.interrupted.set()


def test_a_query_past_its_deadline_is_interrupted_once() -> None:
    dog, con = _Watchdog(), _Connection()
    with dog.watching(con, CallContext(call_id=""), time.monotonic() + 0.05) as watch:
        assert con.interrupted.wait(2.0)
        time.sleep(0.3)  # a later tick does not interrupt it again
    assert watch.stopped == "timeout"
    assert con.interrupts == 1


def test_a_cancelled_call_is_interrupted() -> None:
    dog, con = _Watchdog(), _Connection()
    call = CallContext(call_id="c1")
    with dog.watching(con, call, time.monotonic() + 60) as watch:
        call.cancelled.set()
        assert con.interrupted.wait(2.0)
    assert watch.stopped == "cancelled"


def test_a_released_query_is_never_interrupted() -> None:
    dog, con = _Watchdog(), _Connection()
    with dog.watching(con, CallContext(call_id=""), time.monotonic() + 0.1) as watch:
        pass
    time.sleep(0.4)
    assert dog.release(watch) is None
    assert con.interrupts == 0


def test_a_sleeping_watchdog_wakes_for_the_next_query() -> None:
    dog, con = _Watchdog(), _Connection()
    dog._AWAKE_FOR = 0.0  # asleep as soon as nothing runs
    with dog.watching(_Connection(), CallContext(call_id=""), time.monotonic() + 60):
        pass
    time.sleep(0.4)
    assert dog._asleep
    with dog.watching(con, CallContext(call_id=""), time.monotonic() + 0.05) as watch:
        assert con.interrupted.wait(2.0)
    assert watch.stopped == "timeout"


def test_sigint_stops_the_main_threads_query_and_reaches_the_previous_wakeup_file() -> None:
    """The interrupt a kernel's Stop sends; the wake-up file set before (as an event
    loop's) gets the signal's byte too, and is set again afterwards."""
    dog, con = _Watchdog(), _Connection()
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    before = signal.set_wakeup_fd(writer.fileno())
    try:
        try:
            with dog.watching(con, CallContext(call_id=""), time.monotonic() + 60) as watch:
                # from another thread, as a signal comes while the query runs in C
                threading.Timer(0.05, _thread.interrupt_main).start()
                assert con.interrupted.wait(2.0)  # the watchdog woke this, not the signal
                time.sleep(0.2)  # the pending KeyboardInterrupt is raised here
        except KeyboardInterrupt:
            pass
        assert watch.stopped == "interrupted"
        assert signal.set_wakeup_fd(writer.fileno()) == writer.fileno()
        deadline = time.monotonic() + 2
        received = b""
        while signal.SIGINT not in received and time.monotonic() < deadline:
            try:
                received += reader.recv(16)
            except BlockingIOError:
                time.sleep(0.01)
        assert signal.SIGINT in received
    finally:
        signal.set_wakeup_fd(before)
        reader.close()
        writer.close()


def test_sigint_leaves_other_threads_queries_alone() -> None:
    dog, con = _Watchdog(), _Connection()
    ready, done = threading.Event(), threading.Event()
    stopped: list[str | None] = []

    def run() -> None:
        with dog.watching(con, CallContext(call_id=""), time.monotonic() + 60) as watch:
            ready.set()
            done.wait(2.0)
        stopped.append(watch.stopped)

    thread = threading.Thread(target=run)
    thread.start()
    assert ready.wait(2.0)
    dog._writer.send(bytes([signal.SIGINT]))  # as the C handler writes it
    time.sleep(0.3)
    done.set()
    thread.join()
    assert stopped == [None]
    assert con.interrupts == 0

"""The widget panel, driven in-process: runs, results, errors, history, cancel."""

from __future__ import annotations

import threading
import time

import pandas as pd

import lgda_nb
from lgda_nb import Engine
from lgda_nb.errors import PlanningError, QueryCancelledError


def test_panel_answers_a_question_and_tells_listeners(engine: Engine) -> None:
    """Run shows the table, insight and SQL tabs, sets panel.result and calls on_result."""
    panel = lgda_nb.panel(engine)
    seen: list[object] = []
    panel.on_result(seen.append)
    panel.run("orders by status", wait=True)
    assert panel.result is not None
    assert seen == [panel.result]
    answer = panel.outputs["Answer"].outputs[0]["data"]["text/plain"]
    assert "Shipped" in answer
    assert panel.result.summary in panel.outputs["Insight"].outputs[0]["data"]["text/plain"]
    assert "orders.status" in panel.outputs["SQL"].outputs[0]["data"]["text/plain"]
    assert "done" in panel.status.value
    assert panel.run_button.disabled is False


def test_panel_sql_mode_and_history(engine: Engine) -> None:
    """SQL mode runs SQL through the same checks; history restores an earlier result."""
    panel = lgda_nb.panel(engine)
    panel.mode.value = "SQL"
    panel.run("SELECT COUNT(*) AS n FROM users", wait=True)
    first = panel.result
    panel.run("SELECT COUNT(*) AS n FROM orders", wait=True)
    assert len(panel.history) == 2
    panel.history_picker.value = 0
    assert (
        "SELECT COUNT(*) AS n FROM users" in panel.outputs["SQL"].outputs[0]["data"]["text/plain"]
    )
    assert first is not None
    assert isinstance(first.df, pd.DataFrame)


def test_panel_shows_errors_as_cards(engine: Engine) -> None:
    """A question it cannot answer shows the error card; no result is kept."""
    panel = lgda_nb.panel(engine)
    panel.run("what is the meaning of life", wait=True)
    assert isinstance(panel.error, PlanningError)
    assert panel.result is None
    card = panel.outputs["Answer"].outputs[0]["data"]["text/html"]
    assert "lgda-error" in card
    assert "failed" in panel.status.value


def test_cancel_interrupts_the_running_query(engine: Engine) -> None:
    """Cancel stops a long query; the panel shows the cancellation and stays usable."""
    panel = lgda_nb.panel(engine)
    panel.mode.value = "SQL"
    engine.known_tables()
    panel.run("SELECT COUNT(*) AS n FROM events a, events b, events c, events d")
    time.sleep(0.5)
    start = time.perf_counter()
    panel.cancel()
    assert panel._thread is not None
    panel._thread.join(5)
    assert time.perf_counter() - start < 3
    assert isinstance(panel.error, QueryCancelledError)
    panel.run("SELECT COUNT(*) AS n FROM orders", wait=True)
    assert panel.result is not None
    assert not any(t.name == "lgda-duckdb-query" for t in threading.enumerate())

"""The widget panel, driven in-process: runs, results, errors, history, cancel."""

from __future__ import annotations

import html
import itertools
import re
import threading
import time
from typing import Any

import pandas as pd
import pytest

import lgda_nb
from lgda_nb import Engine
from lgda_nb.errors import ConfigError, PlanningError, QueryCancelledError
from lgda_nb.jupyter._panel import CANCELLED_HINT, TABS

#: A raw "$" anywhere in markup a typesetter could read.
RAW_DOLLAR = re.compile(r"\$")


def _html(panel: Any) -> list[str]:
    """Every HTML the panel shows: its HTML widgets and each tab's outputs."""
    shown = [panel.status.value, panel.interpretation.value, panel.insight.value]
    for output in panel.outputs.values():
        shown += [o["data"].get("text/html", "") for o in output.outputs]
    return shown


def _submit(panel: Any) -> None:
    """What the browser sends on Enter in the question box."""
    panel.text._handle_custom_msg({"event": "submit"}, [])


def _wait(panel: Any) -> None:
    if panel._thread is not None:
        panel._thread.join(30)


def test_panel_answers_a_question_and_tells_listeners(engine: Engine) -> None:
    """Run shows the table and SQL tabs, the insight above them, sets panel.result and calls
    on_result."""
    panel = lgda_nb.panel(engine)
    seen: list[object] = []
    panel.on_result(seen.append)
    panel.run("orders by status", wait=True)
    assert panel.result is not None
    assert seen == [panel.result]
    answer = panel.outputs["Answer"].outputs[0]["data"]["text/plain"]
    assert "Shipped" in answer
    assert panel.outputs["Answer"].outputs[1]["data"]["text/plain"] == "5 rows"
    assert html.escape(panel.result.summary) in panel.insight.value
    assert "orders.status" in panel.outputs["SQL"].outputs[0]["data"]["text/plain"]
    assert "done" in panel.status.value
    assert panel.run_button.disabled is False


def test_interpretation_and_insight_read_above_the_tabs(engine: Engine) -> None:
    """What was computed and what the data says sit above the tabs, which hold the rest."""
    panel = lgda_nb.panel(engine)
    assert TABS == ("Answer", "Chart", "SQL", "Details")
    assert panel.tabs.titles == TABS
    children = list(panel.widget.children)
    above = children[: children.index(panel.tabs)]
    assert panel.interpretation in above
    assert panel.insight in above
    panel.run("top 5 categories by revenue in 2024", wait=True)
    assert panel.result is not None
    assert "Understood:</b> Top 5 categories by revenue" in panel.interpretation.value
    assert "revenue is highest for" in panel.insight.value
    panel.run("how many unicorns did we sell", wait=True)
    assert panel.interpretation.value == panel.insight.value == ""


def test_money_counts_and_percents_read_formatted_and_no_dollar_reaches_a_typesetter(
    engine: Engine,
) -> None:
    """The Answer tab shows $1,234.50, 12.3% and 1,234; the result keeps its numbers; no
    HTML the panel shows holds a raw '$'."""
    panel = lgda_nb.panel(engine)
    panel.run("top 5 categories by revenue in 2024", wait=True)
    assert panel.result is not None
    table = panel.outputs["Answer"].outputs[0]["data"]
    top = panel.result.df["revenue"].iloc[0]
    assert isinstance(top, float)
    assert f"&#36;{top:,.2f}" in table["text/html"]
    assert f"${top:,.2f}" in table["text/plain"]
    assert panel.result.df["revenue"].dtype.kind == "f"  # the answer keeps its numbers
    assert "&#36;" in panel.insight.value
    panel.mode.value = "SQL"
    panel.run(
        "SELECT status, COUNT(*) AS orders, ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), 1)"
        " AS share_pct FROM orders GROUP BY status ORDER BY orders DESC",
        wait=True,
    )
    assert panel.result is not None
    text = panel.outputs["Answer"].outputs[0]["data"]["text/plain"]
    orders, share = panel.result.df["orders"].iloc[0], panel.result.df["share_pct"].iloc[0]
    assert f"{orders:,}" in text
    assert f"{share:.1f}%" in text
    panel.run("SELECT 'costs $5 to $9' AS note, 1.5 AS price", wait=True)
    for markup in _html(panel):
        assert not RAW_DOLLAR.search(markup), markup
    assert "&#36;1.50" in panel.outputs["Answer"].outputs[0]["data"]["text/html"]
    assert "costs &#36;5 to &#36;9" in panel.outputs["Answer"].outputs[0]["data"]["text/html"]
    assert "mathjax_ignore" in panel.outputs["Answer"].outputs[0]["data"]["text/html"]


def test_enter_runs_even_when_the_text_did_not_change(engine: Engine) -> None:
    """Enter re-runs the box's text as Run does, whether or not it was edited."""
    panel = lgda_nb.panel(engine)
    panel.text.value = "orders by status"  # typed
    _submit(panel)
    _wait(panel)
    _submit(panel)  # Enter again, same text
    _wait(panel)
    assert [text for _, text, _ in panel.history] == ["orders by status"] * 2


def test_leaving_the_box_or_setting_its_text_does_not_run(engine: Engine) -> None:
    """A changed value (typing, leaving the box, code) runs nothing; only Enter and Run do."""
    panel = lgda_nb.panel(engine)
    panel.text.value = "orders by status"
    panel.text.value = "revenue by month in 2025"  # what blur syncs
    time.sleep(0.2)
    assert panel._thread is None
    assert panel.history == []
    panel.run_button.click()
    _wait(panel)
    assert [text for _, text, _ in panel.history] == ["revenue by month in 2025"]


def test_each_run_runs_once_and_ends_in_its_final_state(engine: Engine) -> None:
    """Setting the text from code starts one run, even when the answer is cached."""
    panel = lgda_nb.panel(engine)
    seen: list[object] = []
    panel.on_result(seen.append)
    for _ in range(3):
        panel.run("orders by status", wait=True)
        panel.run("revenue by month in 2025", wait=True)
    assert len(panel.history) == len(seen) == 6
    assert [text for _, text, _ in panel.history[:2]] == [
        "orders by status",
        "revenue by month in 2025",
    ]
    assert "done" in panel.status.value
    assert len(panel.outputs["Answer"].outputs) == 2  # the latest table and its row count
    assert all(len(panel.outputs[tab].outputs) == 1 for tab in ("Chart", "SQL", "Details"))


def test_answer_tab_counts_rows_and_says_when_the_limit_cut_them(engine: Engine) -> None:
    """The row limit setting applies; the Answer tab says the rows were cut and by what."""
    panel = lgda_nb.panel(engine)
    panel.limit.value = 2
    panel.run("orders by status", wait=True)
    assert panel.result is not None
    assert panel.result.row_count == 2
    line = panel.outputs["Answer"].outputs[1]["data"]["text/plain"]
    assert line == "2 rows, cut at the row limit of 2"
    panel.run("orders by status", wait=True)
    assert panel.outputs["Answer"].outputs[1]["data"]["text/plain"].endswith("from the cache")


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
    # Picking restores the box too, without running; Run runs it again.
    assert panel.text.value == "SELECT COUNT(*) AS n FROM users"
    assert len(panel.history) == 2
    panel.run(wait=True)
    assert len(panel.history) == 3
    assert panel.history[-1][1] == "SELECT COUNT(*) AS n FROM users"


def test_panel_shows_errors_as_cards(engine: Engine) -> None:
    """A question it cannot answer shows the error card; no result is kept."""
    panel = lgda_nb.panel(engine)
    panel.run("what is the meaning of life", wait=True)
    assert isinstance(panel.error, PlanningError)
    assert panel.result is None
    card = panel.outputs["Answer"].outputs[0]["data"]["text/html"]
    assert "lgda-error" in card
    assert "failed" in panel.status.value


def test_backend_setting_switches_the_engine(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Choosing BigQuery unconfigured shows the ConfigError card; DuckDB answers again."""
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_PROJECT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    monkeypatch.setenv("CLOUDSDK_CONFIG", "/nonexistent")
    panel = lgda_nb.panel(engine)
    assert panel.backend.value == "duckdb"
    assert panel.engine is engine
    panel.backend.value = "bigquery"
    switched = panel.engine
    assert switched.config.backend == "bigquery"
    assert switched.config.security == engine.config.security
    assert panel.engine is switched  # kept, not rebuilt per run
    panel.run("orders by status", wait=True)
    assert isinstance(panel.error, ConfigError)
    assert panel.result is None
    card = panel.outputs["Answer"].outputs[0]["data"]
    assert "lgda-error" in card["text/html"]
    assert "gcloud auth application-default login" in card["text/plain"]
    assert "Traceback" not in card["text/plain"]
    assert "failed" in panel.status.value
    panel.backend.value = "duckdb"
    assert panel.engine is engine
    panel.run(wait=True)
    assert panel.result is not None
    assert panel.result.backend == "duckdb"
    panel.close()


def test_backend_setting_starts_from_the_kernel_config() -> None:
    """Without an engine, the setting shows the configured backend."""
    from lgda_nb._config import override

    with override(backend="bigquery"):
        assert lgda_nb.panel().backend.value == "bigquery"
    assert lgda_nb.panel().backend.value == "duckdb"


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
    card = panel.outputs["Answer"].outputs[0]["data"]
    assert CANCELLED_HINT in card["text/plain"]
    assert "Press Run or Enter" in card["text/html"]
    assert "the cell" not in card["text/plain"]
    panel.run("SELECT COUNT(*) AS n FROM orders", wait=True)
    assert panel.result is not None
    assert engine.backend._running is None  # no call left running


def test_dashboard_tiles_render_independently(engine: Engine, tmp_path: object) -> None:
    """KPI, chart and table tiles by shape; a failing question shows its own error card."""
    board = lgda_nb.dashboard(
        [
            "total revenue in 2025",
            "revenue by month in 2025",
            "orders by country and gender",
            "revenue from Atlantis",
        ],
        columns=2,
        engine=engine,
        title="Sales",
    )
    kpi, chart, grouped, broken = ([o["data"] for o in tile.outputs] for tile in board.tiles)
    assert len(kpi) == 1
    assert "lgda-kpi" in kpi[0]["text/html"]
    # A chart is an output of its own: front-ends show one MIME type per output.
    assert [set(o) for o in chart] == [
        {"text/html", "text/plain"},
        {"application/vnd.vegalite.v5+json", "text/plain"},
    ]
    assert "application/vnd.vegalite.v5+json" in grouped[1]
    spec = grouped[1]["application/vnd.vegalite.v5+json"]
    assert (spec["width"], spec["height"]) == (320, 240)  # two tiles fit across a notebook
    result = board.results["orders by country and gender"]
    assert not isinstance(result, Exception)
    assert result.chart is not None
    assert result.chart["width"] != 320  # the answer's own chart is untouched
    assert "title='SELECT users.country" in grouped[0]["text/html"]
    assert len(broken) == 1
    assert "lgda-error" in broken[0]["text/html"]
    assert isinstance(board.results["revenue from Atlantis"], PlanningError)


def test_dashboard_tile_without_a_chart_is_a_small_table(engine: Engine) -> None:
    """An answer with no chart shape shows its first rows as a table."""
    from lgda_nb.jupyter._dashboard import _Tile

    result = engine.run_sql("SELECT id, name FROM distribution_centers ORDER BY id")
    html = _Tile("centres", result).bundles()[0]["text/html"]
    assert "<table" in html
    assert html.count("<tr>") == 10  # ten body rows (the header row carries a style)
    assert "Savannah GA" in html


def test_dashboard_refresh_save_and_load(
    engine: Engine, sample_path: object, tmp_path: object
) -> None:
    """Refresh re-asks from the cache; a saved dashboard loads back the same."""
    from pathlib import Path

    board = lgda_nb.dashboard(["orders by status"], engine=engine)
    board.refresh()
    result = board.results["orders by status"]
    assert not isinstance(result, Exception)
    assert result.cached
    assert len(board.tiles[0].outputs) == 2  # title and chart, replaced rather than appended
    path = board.save(Path(str(tmp_path)) / "board.json")
    again = lgda_nb.load_dashboard(path, engine=engine)
    assert again.questions == ["orders by status"]
    assert again.columns == 2


def test_dashboard_bad_input(engine: Engine, tmp_path: object) -> None:
    """No questions, bad columns or refresh, or an unreadable file: clear errors."""
    from pathlib import Path

    import pytest

    from lgda_nb.errors import UsageError

    with pytest.raises(UsageError, match="at least one question"):
        lgda_nb.dashboard([], engine=engine)
    with pytest.raises(UsageError, match="columns"):
        lgda_nb.dashboard(["orders"], columns=0, engine=engine)
    with pytest.raises(UsageError, match="refresh"):
        lgda_nb.dashboard(["orders"], refresh=0.1, engine=engine)
    with pytest.raises(UsageError, match="Cannot read"):
        lgda_nb.load_dashboard(Path(str(tmp_path)) / "missing.json", engine=engine)


def test_status_line_names_each_stage_as_it_starts(engine: Engine) -> None:
    """The status shows planning, validating, running, analysing... and ends with done."""
    panel = lgda_nb.panel(engine)
    seen: list[str] = []
    original = panel._set_status

    def record(state: str, started: float) -> None:
        seen.append(state)
        original(state, started)

    panel._set_status = record  # type: ignore[method-assign]
    panel.use_cache.value = False
    panel.run("orders by status", wait=True)
    stages = [s for s in seen if s in ("planning", "validating", "running", "analysing", "done")]
    # The ticker sets the stage again every 0.5 s to show the time taken: a stage that
    # lasts longer appears more than once in a row (a loaded machine plans slowly).
    order = [stage for stage, _ in itertools.groupby(stages)]
    assert order == ["planning", "validating", "running", "analysing", "done"]


def test_engine_reports_stages_to_any_listener(engine: Engine) -> None:
    stages: list[str] = []
    engine.run_sql("SELECT COUNT(*) AS n FROM orders", use_cache=False, on_stage=stages.append)
    assert stages == ["validating", "running", "analysing", "reporting"]

    def broken(label: str) -> None:
        raise RuntimeError("a listener bug")

    assert engine.run_sql("SELECT 1 AS x", on_stage=broken).row_count == 1  # never fatal


def test_large_answers_are_paged(engine: Engine) -> None:
    """Fifty rows a page, Previous/Next, and a line that says which rows are shown."""
    from lgda_nb.jupyter._panel import PAGE_ROWS

    panel = lgda_nb.panel(engine)
    panel.mode.value = "SQL"
    panel.run("SELECT id FROM users ORDER BY id LIMIT 120", wait=True)
    assert panel.pager.layout.display == "flex"
    assert panel.previous_page.disabled
    first = panel.outputs["Answer"].outputs
    assert first[1]["data"]["text/plain"] == f"rows 1-{PAGE_ROWS} of 120"
    panel.next_page.click()
    panel.next_page.click()
    line = panel.outputs["Answer"].outputs[1]["data"]["text/plain"]
    assert line == f"rows {2 * PAGE_ROWS + 1}-120 of 120"
    assert panel.next_page.disabled
    assert panel.result is not None
    assert len(panel.result.df) == 120  # paging changes what is shown, not the result
    panel.run("SELECT 1 AS x", wait=True)
    assert panel.pager.layout.display == "none"


def test_edit_puts_the_sql_in_the_box_and_runs_it_through_the_same_checks(
    engine: Engine,
) -> None:
    panel = lgda_nb.panel(engine)
    panel.run("orders by status", wait=True)
    assert panel.result is not None
    assert not panel.edit_button.disabled
    panel.edit_button.click()
    assert panel.mode.value == "SQL"
    assert panel.text.value == panel.result.sql
    assert len(panel.history) == 1  # editing does not run
    panel.run(panel.text.value.replace("ORDER BY", "HAVING COUNT(*) > 0 ORDER BY"), wait=True)
    assert len(panel.history) == 2
    assert panel.history[-1][0] == "SQL"
    panel.run("DELETE FROM orders WHERE TRUE", wait=True)
    assert "SecurityError" in panel.outputs["Answer"].outputs[0]["data"]["text/plain"]
    assert panel.edit_button.disabled


def test_dashboard_refresh_panel_runs_and_cancels_share_one_engine() -> None:
    """A dashboard refreshing on its own thread, a panel answering and a panel Cancel, on
    one engine for a bounded time: every answer equals the serial one, Cancel stops only
    the panel's call, and nothing deadlocks. The cache is off so that every tile's call
    reaches the backend while the panel's query holds it."""
    from lgda_nb._config import load_config
    from lgda_nb.jupyter._dashboard import Dashboard

    engine = Engine(load_config(**{"cache.enabled": False}))

    tiles = ["orders by status", "revenue by department", "top 5 brands by revenue"]
    asked = ["customers by country", "items sold by category"]
    serial = {q: engine.ask(q, use_cache=False).df for q in [*tiles, *asked]}
    dashboard = Dashboard(tiles, engine=engine)
    panel = lgda_nb.panel(engine)
    wrong: list[str] = []
    deadline = time.monotonic() + 8

    def refresh() -> None:
        while time.monotonic() < deadline:
            dashboard.refresh()
            for question in tiles:
                got = dashboard.results[question]
                if isinstance(got, Exception) or not got.df.equals(serial[question]):
                    wrong.append(f"tile {question}: {got!r}")

    refresher = threading.Thread(target=refresh)
    refresher.start()
    rounds = 0
    while time.monotonic() < deadline:
        panel.mode.value = "SQL"
        panel.run("SELECT COUNT(*) AS n FROM events a, events b, events c, events d")
        time.sleep(0.2)
        panel.cancel()
        _wait(panel)
        assert isinstance(panel.error, QueryCancelledError)
        panel.mode.value = "question"
        question = asked[rounds % len(asked)]
        panel.run(question, wait=True)
        assert panel.result is not None, panel.error
        pd.testing.assert_frame_equal(panel.result.df, serial[question])
        rounds += 1
    refresher.join(60)
    engine.close()
    assert not refresher.is_alive()  # no deadlock
    assert wrong == []
    assert rounds >= 2

"""The widget panel, driven in-process: runs, results, errors, history, cancel."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

import lgda_nb
from lgda_nb import Engine
from lgda_nb.errors import ConfigError, PlanningError, QueryCancelledError


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
    assert panel.outputs["Answer"].outputs[1]["data"]["text/plain"] == "5 rows"
    assert panel.result.summary in panel.outputs["Insight"].outputs[0]["data"]["text/plain"]
    assert "orders.status" in panel.outputs["SQL"].outputs[0]["data"]["text/plain"]
    assert "done" in panel.status.value
    assert panel.run_button.disabled is False


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
    panel.run("SELECT COUNT(*) AS n FROM orders", wait=True)
    assert panel.result is not None
    assert not any(t.name == "lgda-duckdb-query" for t in threading.enumerate())


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
    order = [s for s in seen if s in ("planning", "validating", "running", "analysing", "done")]
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

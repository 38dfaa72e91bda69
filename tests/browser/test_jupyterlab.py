"""The panel and a dashboard in JupyterLab, used through Chromium the way a person would."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.browser_launch import (
    ENTER_TO_ANSWER_JS,
    KERNEL_IDLE_JS,
    JupyterServer,
    write_notebook,
)
from tests.browser.conftest import ANSWER_MS, FIRST_START_MS

SETUP = """\
%load_ext lgda_nb
import json
from pathlib import Path

import lgda_nb


def record(result):
    # The engine's own time for each answer, beside the browser's in the timing test.
    line = {"question": result.question, "elapsed": result.elapsed, "cached": result.cached}
    with Path("answers.jsonl").open("a") as out:
        out.write(json.dumps(line) + "\\n")"""
PANEL = "panel = lgda_nb.panel()\npanel"
LISTEN = "panel.on_result(record)"
DASHBOARD = """\
board = lgda_nb.dashboard(
    [
        "total revenue in 2025",
        "revenue by month in 2025",
        "top 5 brands by revenue in 2025",
        "revenue from Atlantis",
    ],
    columns=2,
    title="Sales 2025",
)
board"""
MAGIC = "%%lgda\ntop 5 categories by revenue in the last 90 days"
CELLS = (SETUP, PANEL, LISTEN, DASHBOARD, MAGIC)

#: Whatever now answers in the Answer tab: a table or an error card not marked as old.
FRESH_ANSWER = ".lgda-tab-answer :is(table, .lgda-error):not([data-lgda-old])"
CHART_MARKS = ".vega-embed :is(canvas, svg).marks"
#: What a typesetter leaves behind: MathJax 3 (JupyterLab 4), MathJax 2, KaTeX.
MATHS = "mjx-container, .MathJax, .katex"
#: An amount as written: "$21,175.73".
MONEY = re.compile(r"\$\d{1,3}(,\d{3})*\.\d\d")


def assert_no_maths(page: Any, where: Any) -> None:
    """Nothing in ``where`` was typeset, given MathJax time to run (it typesets after
    rendering, asynchronously)."""
    page.wait_for_timeout(1500)
    assert where.locator(MATHS).count() == 0


def wait_for_kernel(page: Any) -> None:
    """Wait until the notebook's kernel is started and idle (not "No Kernel | Initializing")."""
    page.wait_for_function(
        KERNEL_IDLE_JS,
        timeout=FIRST_START_MS,
    )


def run_cell(page: Any, index: int) -> None:
    """Click into a cell's editor, press Shift+Enter and wait for its execution count."""
    from playwright.sync_api import expect

    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    expect(cell.locator(".jp-InputPrompt")).to_have_text(
        re.compile(r"\[\d+\]"), timeout=FIRST_START_MS
    )


def ask(page: Any, question: str) -> Any:
    """Type ``question`` into the panel's box, press Enter, return the new answer element."""
    page.evaluate(
        "sel => document.querySelectorAll(sel).forEach(e => e.setAttribute('data-lgda-old', ''))",
        ".lgda-tab-answer table, .lgda-tab-answer .lgda-error",
    )
    box = page.locator(".lgda-question input")
    box.fill(question)
    box.press("Enter")
    answer = page.locator(FRESH_ANSWER).first
    answer.wait_for(timeout=ANSWER_MS)
    return answer


def show_tab(page: Any, name: str) -> Any:
    page.locator(".lgda-tabs .lm-TabBar-tab", has_text=name).click()
    return page.locator(f".lgda-tab-{name.lower()}")


@pytest.fixture(scope="module")
def notebook(browser: Any, lab: JupyterServer) -> Iterator[Any]:
    """The test notebook open in JupyterLab, its panel shown and listening."""
    write_notebook(lab.root / "panel.ipynb", *CELLS)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(ANSWER_MS)
    page.goto(lab.url("lab/workspaces/browser-tests/tree/panel.ipynb?reset"))
    wait_for_kernel(page)
    open_sidebar = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if open_sidebar.count():
        open_sidebar.first.click()  # the file browser off: the notebook's usual width
    for index in range(3):
        run_cell(page, index)
    page.wait_for_selector(".lgda-panel .lgda-question input", timeout=FIRST_START_MS)
    yield page
    page.close()


def test_enter_shows_the_answer_chart_and_insight(notebook: Any, screenshots: Path) -> None:
    """A question and Enter fill the Answer and Chart tabs; the interpretation and insight
    read above them without a click; money is shown as written, never as maths."""
    from playwright.sync_api import expect

    page = notebook
    answer = ask(page, "top 5 categories by revenue in the last 90 days")
    expect(answer).to_contain_text("Jeans")
    expect(answer).to_contain_text(MONEY)  # the table reads $21,175.73, not 21175.73
    expect(page.locator(".lgda-tab-answer .lgda-rows")).to_have_text("5 rows")
    expect(page.locator(".lgda-status")).to_contain_text("done")
    # What was computed is said first, above the tabs, with the revenue rule it applied.
    expect(page.locator(".lgda-panel .widget-html.lgda-interpretation")).to_have_text(
        "Understood: Top 5 categories by revenue, excluding Cancelled and Returned items, "
        "last 90 days"
    )
    insight = page.locator(".lgda-panel .widget-html.lgda-insight")
    expect(insight).to_be_visible()
    expect(insight).to_contain_text("revenue is highest for Jeans")
    expect(insight).to_contain_text(MONEY)
    assert page.locator(".lgda-tabs .lm-TabBar-tab", has_text="Insight").count() == 0
    assert_no_maths(page, page.locator(".lgda-panel"))
    page.locator(".lgda-panel").screenshot(path=screenshots / "panel-answer.png")

    details = show_tab(page, "Details")
    expect(details.locator(".lgda-insight")).to_contain_text(MONEY)
    assert_no_maths(page, page.locator(".lgda-panel"))
    page.locator(".lgda-panel").screenshot(path=screenshots / "panel-details-money.png")

    chart = show_tab(page, "Chart")
    expect(chart.locator(CHART_MARKS)).to_be_visible()
    box = chart.locator(CHART_MARKS).bounding_box()
    assert box is not None
    assert box["width"] > 100
    assert box["height"] > 100
    page.locator(".lgda-panel").screenshot(path=screenshots / "panel-chart.png")
    show_tab(page, "Answer")


def test_a_rates_insight_reads_with_its_counts(notebook: Any, screenshots: Path) -> None:
    """The insight of a rate says the counts behind its highest and lowest groups, and
    the table shows them beside the rate, as the user sees them."""
    from playwright.sync_api import expect

    page = notebook
    answer = ask(page, "cancellation rate by country")
    expect(answer).to_contain_text("Colombia")
    header = page.locator(".lgda-tab-answer table thead").first
    expect(header).to_contain_text(re.compile("cancelled", re.IGNORECASE))
    insight = page.locator(".lgda-panel .widget-html.lgda-insight")
    expect(insight).to_contain_text("cancellation rate % is highest for")
    expect(insight).to_contain_text(re.compile(r"\(\d+(\.\d+)?%, \d[\d,]* of \d[\d,]* orders\)"))
    expect(insight).not_to_contain_text("Orders is highest")
    page.locator(".lgda-panel").screenshot(path=screenshots / "panel-rate-counts.png")


def test_a_comparison_shows_the_difference_asked(notebook: Any, screenshots: Path) -> None:
    """ "... and the difference": the later minus the earlier beside the change in %, in
    the table and the interpretation the user reads."""
    from playwright.sync_api import expect

    page = notebook
    ask(page, "orders 2025 vs 2024 and the difference")
    header = page.locator(".lgda-tab-answer table thead").first
    expect(header).to_contain_text("difference")
    expect(header).to_contain_text("change_pct")
    expect(page.locator(".lgda-panel")).to_contain_text("the later value minus the earlier")
    page.locator(".lgda-panel").screenshot(path=screenshots / "panel-difference.png")


def test_enter_reruns_unchanged_text_and_leaving_the_box_runs_nothing(notebook: Any) -> None:
    """Enter runs the box's text again even if unchanged; typing and leaving the box do not."""
    from playwright.sync_api import expect

    page = notebook
    ask(page, "orders by status")
    history = page.locator(".lgda-history select option")
    answered = history.count()
    box = page.locator(".lgda-question input")
    box.press("Enter")  # the same text again
    expect(history).to_have_count(answered + 1)
    expect(page.locator(".lgda-status")).to_contain_text("done")
    box.fill("revenue by month in 2025")
    box.blur()
    page.locator(".lgda-panel .lgda-status").click()
    page.wait_for_timeout(1000)
    expect(history).to_have_count(answered + 1)
    page.locator(".lgda-run").click()
    expect(history).to_have_count(answered + 2)
    expect(page.locator(".lgda-status")).to_contain_text("done")


def test_edit_sql_then_enter_runs_the_edited_query(notebook: Any) -> None:
    """SQL tab > Edit puts the SQL in the box in SQL mode; Enter runs it, checked as usual."""
    from playwright.sync_api import expect

    page = notebook
    ask(page, "orders by status")
    sql = show_tab(page, "SQL")
    expect(sql).to_contain_text("orders.status")
    page.locator(".lgda-edit-sql").click()
    box = page.locator(".lgda-panel .lgda-question input")
    expect(box).to_have_value(re.compile(r"^SELECT .*orders\.status"))
    expect(page.locator(".lgda-mode button.mod-active")).to_have_text("SQL")
    show_tab(page, "Answer")
    answer = ask(page, "SELECT status, COUNT(*) AS n FROM orders GROUP BY status HAVING n > 1000")
    expect(answer).to_contain_text("Shipped")
    expect(page.locator(".lgda-status")).to_contain_text("done")
    page.locator(".lgda-mode button", has_text="question").click()
    expect(page.locator(".lgda-mode button.mod-active")).to_have_text("question")


def test_a_failing_question_shows_the_error_card(notebook: Any, screenshots: Path) -> None:
    """An unanswerable question shows the compact card in the panel, never a traceback."""
    from playwright.sync_api import expect

    page = notebook
    card = ask(page, "how many unicorns did we sell")
    expect(card).to_contain_text("PlanningError")
    expect(card).to_contain_text("did not understand: 'unicorns'")
    expect(card).to_contain_text("Hint")
    expect(page.locator(".lgda-panel .widget-html.lgda-interpretation")).to_have_text("")
    expect(page.locator(".lgda-status")).to_contain_text("failed")
    assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert "Traceback" not in page.locator(".lgda-panel").inner_text()
    page.locator(".lgda-panel").screenshot(path=screenshots / "panel-error.png")


def test_every_dashboard_tile_renders(notebook: Any, screenshots: Path) -> None:
    """KPI, chart and error tiles each render on their own in the dashboard's grid."""
    from playwright.sync_api import expect

    page = notebook
    run_cell(page, 3)
    board = page.locator(".lgda-dashboard")
    expect(board).to_be_visible()
    tiles = board.locator(".lgda-tile")
    expect(tiles).to_have_count(4)
    kpi, monthly, brands, broken = (tiles.nth(i) for i in range(4))
    expect(kpi.locator(".lgda-kpi")).to_contain_text("$")
    for tile in (monthly, brands):
        expect(tile.locator(CHART_MARKS)).to_be_visible()
    expect(brands).to_contain_text("top 5 brands by revenue in 2025")
    expect(brands.locator(".lgda-interpretation")).to_contain_text("Top 5 brands by revenue")
    expect(broken.locator(".lgda-error")).to_contain_text("Atlantis")
    for i in range(4):
        assert tiles.nth(i).locator(".jp-OutputArea-output").count() >= 1
    assert board.locator(".jupyter-widgets-error-widget").count() == 0
    expect(kpi.locator(".lgda-kpi")).to_contain_text(MONEY)
    assert_no_maths(page, board)
    board.scroll_into_view_if_needed()
    board.screenshot(path=screenshots / "dashboard.png")


def test_magic_output_shows_money_as_written(notebook: Any, screenshots: Path) -> None:
    """%%lgda's insight, details and table show "$21,175.73" as text; MathJax typesets none
    of it."""
    from playwright.sync_api import expect

    page = notebook
    run_cell(page, 4)
    output = page.locator(".jp-Notebook .jp-Cell").nth(4).locator(".jp-Cell-outputWrapper")
    expect(output.locator(".lgda-interpretation")).to_contain_text("Top 5 categories")
    expect(output.locator(".lgda-insight")).to_contain_text(MONEY)
    expect(output.locator("table.dataframe")).to_contain_text(MONEY)
    output.locator(".lgda-sql summary").click()
    assert_no_maths(page, page.locator(".jp-Notebook"))
    output.scroll_into_view_if_needed()
    output.screenshot(path=screenshots / "magic-money.png")


#: Different questions, none asked before in this kernel, with "Use cache" unticked too:
#: every run plans, checks and queries, so the cache hides none of the work.
WARM_UP = "gross margin by department in 2025"
TIMED = (
    "top 3 brands by profit",
    "customers by country",
    "sessions by traffic source",
    "average order value by month in 2025",
    "orders by status and gender",
)


def _engine_seconds(root: Path, question: str) -> dict[str, Any]:
    """The last answer the kernel recorded for ``question`` (written just after the UI)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        path = root / "answers.jsonl"
        lines = path.read_text().splitlines() if path.exists() else []
        found = [json.loads(line) for line in lines if json.loads(line)["question"] == question]
        if found:
            return found[-1]
        time.sleep(0.05)
    pytest.fail(f"the kernel recorded no answer to {question!r}")


def test_enter_to_answer_time(
    notebook: Any, lab: JupyterServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Enter to the answer table, median of 5 uncached questions, beside the engine's time."""
    from playwright.sync_api import expect

    page = notebook
    cache = page.locator(".lgda-cache input")
    cache.uncheck()
    try:
        ask(page, WARM_UP)
        browser_ms, engine_ms = [], []
        for question in TIMED:
            page.evaluate(
                "sel => document.querySelectorAll(sel).forEach(e => "
                "e.setAttribute('data-lgda-old', ''))",
                ".lgda-tab-answer table, .lgda-tab-answer .lgda-error",
            )
            page.evaluate(ENTER_TO_ANSWER_JS, [FRESH_ANSWER, ANSWER_MS])
            box = page.locator(".lgda-question input")
            box.fill(question)
            box.press("Enter")
            browser_ms.append(page.evaluate("() => window.lgdaAnswered"))
            expect(page.locator(FRESH_ANSWER).first).to_be_visible()
            expect(page.locator(".lgda-status")).to_contain_text("done")
            record = _engine_seconds(lab.root, question)
            assert record["cached"] is False
            engine_ms.append(record["elapsed"] * 1000)
    finally:
        cache.check()
    ui, engine = statistics.median(browser_ms), statistics.median(engine_ms)
    with capsys.disabled():
        print(
            f"\nEnter to answer table in JupyterLab (Chromium), cache off, median of {len(TIMED)}"
        )
        print(f"  browser: Enter -> table painted  {ui:8.1f} ms")
        print(f"  engine: Result.elapsed           {engine:8.1f} ms")
        print(f"  widget and browser overhead      {ui - engine:8.1f} ms ({ui / engine:.1f}x)")
    assert ui >= engine  # the browser's time contains the engine's
    assert ui - engine < 5_000, "the panel adds seconds to every answer"

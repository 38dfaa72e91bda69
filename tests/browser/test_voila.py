"""A saved dashboard served as an app by Voila, rendered in Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.browser_launch import JupyterServer, start_server, write_notebook
from tests.browser.conftest import ANSWER_MS, FIRST_START_MS, sample_env, unavailable
from tests.browser.test_jupyterlab import MONEY, assert_no_maths

#: What ``Dashboard.save`` writes (its round trip is pinned in tests/integration).
SPEC = {
    "title": "Sales 2025",
    "questions": ["total revenue in 2025", "orders by status", "revenue by month in 2025"],
    "columns": 2,
    "refresh": None,
}


@pytest.fixture(scope="module")
def voila(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory, sample_dir: Path
) -> Iterator[JupyterServer]:
    """Voila on 127.0.0.1 with a random token, serving a notebook that loads the dashboard."""
    try:
        import voila  # noqa: F401
    except ImportError:
        unavailable("voila is missing: pip install -e '.[dev]' (or 'lgda-nb[voila]')")
    home = tmp_path_factory.mktemp("voila")
    root = home / "app"
    root.mkdir()
    (root / "sales.json").write_text(json.dumps(SPEC, indent=2) + "\n")
    write_notebook(root / "sales.ipynb", 'import lgda_nb\n\nlgda_nb.load_dashboard("sales.json")')
    argv = [
        "-m", "voila", "sales.ipynb", "--no-browser", "--port={port}", "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0", "--token={token}",
    ]  # fmt: skip
    server = start_server(argv, home, root, sample_env(sample_dir))
    try:
        server.wait_listening()
        yield server
    finally:
        server.stop()


def test_voila_serves_a_saved_dashboard(
    voila: JupyterServer, browser: Any, screenshots: Path
) -> None:
    """Every tile of a dashboard loaded from its JSON file renders in the Voila app; money
    reads as written, never typeset as maths."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(voila.url(""))
        board = page.locator(".lgda-dashboard")
        board.wait_for(timeout=FIRST_START_MS)
        tiles = board.locator(".lgda-tile")
        expect(tiles).to_have_count(3)
        expect(tiles.nth(0).locator(".lgda-kpi")).to_contain_text(MONEY)
        for i in (1, 2):
            expect(tiles.nth(i).locator(".vega-embed :is(canvas, svg).marks")).to_be_visible()
        expect(board).to_contain_text("Sales 2025")
        assert board.locator(".jupyter-widgets-error-widget").count() == 0
        assert_no_maths(page, page.locator("body"))
        board.screenshot(path=screenshots / "voila-dashboard.png")
    finally:
        page.close()


#: Asked of the panel in SQL mode by someone with no kernel of their own.
EMAIL_SQL = "SELECT email, first_name FROM users LIMIT 5"
PSEUDONYM = r"masked:[0-9a-f]{12}"


@pytest.fixture(scope="module")
def voila_panel(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory, sample_dir: Path
) -> Iterator[JupyterServer]:
    """Voila serving a notebook that shows the panel; its kernel is locked, as every
    Voila kernel is unless told otherwise, and reads the tests' sample."""
    try:
        import voila  # noqa: F401
    except ImportError:
        unavailable("voila is missing: pip install -e '.[dev]' (or 'lgda-nb[voila]')")
    from tests.conftest import TEST_SCALE

    home = tmp_path_factory.mktemp("voila-panel")
    root = home / "app"
    root.mkdir()
    write_notebook(root / "panel.ipynb", "import lgda_nb\n\nlgda_nb.panel()")
    argv = [
        "-m", "voila", "panel.ipynb", "--no-browser", "--port={port}", "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0", "--token={token}",
    ]  # fmt: skip
    env = {**sample_env(sample_dir), "LGDA_DUCKDB__SAMPLE_SCALE": str(TEST_SCALE)}
    server = start_server(argv, home, root, env)
    try:
        server.wait_listening()
        yield server
    finally:
        server.stop()


def _raw_users(path: Path) -> tuple[set[str], set[str]]:
    """Every email and first name in the sample file, read with duckdb, not the toolkit."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT email, first_name FROM users").fetchall()
    return {email for email, _ in rows}, {name for _, name in rows}


def test_a_voila_panel_in_sql_mode_shows_masked_emails_only(
    voila_panel: JupyterServer, browser: Any, screenshots: Path
) -> None:
    """A Voila-served panel switched to SQL mode and asked for emails shows pseudonyms
    (masked: and 12 hex digits) only: no email or first name of the sample file appears
    anywhere on the page."""
    import re

    from playwright.sync_api import expect

    from lgda_nb._config import load_config
    from lgda_nb.backends._duckdb import default_sample_path

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(voila_panel.url(""))
        panel = page.locator(".lgda-panel")
        panel.locator(".lgda-question input").wait_for(timeout=FIRST_START_MS)
        panel.locator(".lgda-mode button", has_text=re.compile(r"^\s*SQL\s*$")).click()
        expect(panel.locator(".lgda-mode button.mod-active")).to_have_text(re.compile("SQL"))
        box = panel.locator(".lgda-question input")
        box.fill(EMAIL_SQL)
        box.press("Enter")
        table = panel.locator(".lgda-tab-answer table")
        table.wait_for(timeout=ANSWER_MS)
        header = [cell.strip() for cell in table.locator("thead th").all_inner_texts()]
        assert "email" in header
        assert "first_name" in header
        rows = table.locator("tbody tr")
        expect(rows).to_have_count(5)
        for row in range(5):
            cells = rows.nth(row).locator("td").all_inner_texts()
            shown = dict(zip(header[-len(cells) :], (cell.strip() for cell in cells), strict=True))
            assert re.fullmatch(PSEUDONYM, shown["email"]), shown
            assert re.fullmatch(PSEUDONYM, shown["first_name"]), shown
        panel.screenshot(path=screenshots / "voila-panel-sql-masked.png")

        emails, names = _raw_users(default_sample_path(load_config()))
        assert len(emails) > 100
        text, markup = page.locator("body").inner_text(), page.content()
        assert not [email for email in emails if email in text or email in markup]
        assert "@" not in panel.inner_text()
        table_text = table.inner_text()
        assert not [name for name in names if len(name) >= 4 and name in table_text]
        # The locked kernel's audit (required there) has the query, and no email either.
        audit = (voila_panel.root.parent / "audit.jsonl").read_text(encoding="utf-8")
        assert EMAIL_SQL in audit
        assert not [email for email in emails if email in audit]
    finally:
        page.close()

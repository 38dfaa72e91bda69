"""A saved dashboard served as an app by Voila, rendered in Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lgda_nb.testing import JupyterServer, start_server, write_notebook
from tests.browser.conftest import FIRST_START_MS, sample_env, unavailable
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

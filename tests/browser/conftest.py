"""A real browser against a real JupyterLab: one server per session, on loopback.

Chromium comes from the system (``apt-get install chromium``; ``LGDA_CHROMIUM``
points elsewhere) and is driven by the ``playwright`` package. Without either the
tests skip and say why, unless ``LGDA_REQUIRE_BROWSER=1`` (CI), where that is a
failure. Screenshots go to ``build/screenshots`` (``LGDA_SCREENSHOT_DIR``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.browser_launch import (
    JupyterServer,
    launch_chromium,
    start_jupyterlab,
    start_server,
)

#: Read at import: the autouse config fixture removes every LGDA_ variable per test.
REQUIRE_BROWSER = os.environ.get("LGDA_REQUIRE_BROWSER") == "1"
CHROMIUM = Path(os.environ.get("LGDA_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(
    os.environ.get("LGDA_SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "build/screenshots")
)
#: The first kernel start imports pandas, DuckDB and ipywidgets; CI machines are slow.
FIRST_START_MS = 180_000
ANSWER_MS = 60_000

__all__ = ["ANSWER_MS", "FIRST_START_MS", "JupyterServer", "start_server", "unavailable"]


def unavailable(reason: str) -> None:
    """Skip, or fail when the browser tests are required."""
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (LGDA_REQUIRE_BROWSER=1 requires the browser tests)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The Chromium binary, once Playwright and Chromium are both known to be there."""
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"no Chromium at {CHROMIUM}: `apt-get install chromium`, or set LGDA_CHROMIUM")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the playwright package is missing: pip install -e '.[dev]'")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    """Headless Chromium, per module so Playwright's event loop ends with its tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def sample_env(sample_dir: Path) -> dict[str, str]:
    """Servers' kernels use the session's sample, built once."""
    return {"LGDA_DUCKDB__SAMPLE_DIR": str(sample_dir)}


@pytest.fixture(scope="session")
def lab(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory, sample_dir: Path
) -> Iterator[JupyterServer]:
    """JupyterLab on 127.0.0.1 with a random token, serving a temporary directory."""
    home = tmp_path_factory.mktemp("jupyter")
    root = home / "notebooks"
    root.mkdir()
    server = start_jupyterlab(home, root, sample_env(sample_dir))
    try:
        yield server
    finally:
        server.stop()

"""A real browser against a real JupyterLab: one server per session, on loopback.

Chromium comes from the system (``apt-get install chromium``; ``LGDA_CHROMIUM``
points elsewhere) and is driven by the ``playwright`` package. Without either the
tests skip and say why, unless ``LGDA_REQUIRE_BROWSER=1`` (CI), where that is a
failure. Screenshots go to ``build/screenshots`` (``LGDA_SCREENSHOT_DIR``).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: Read at import: the autouse config fixture removes every LGDA_ variable per test.
REQUIRE_BROWSER = os.environ.get("LGDA_REQUIRE_BROWSER") == "1"
CHROMIUM = Path(os.environ.get("LGDA_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(
    os.environ.get("LGDA_SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "build/screenshots")
)
LAUNCH_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB
]
#: The first kernel start imports pandas, DuckDB and ipywidgets; CI machines are slow.
FIRST_START_MS = 180_000
ANSWER_MS = 60_000


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
        browser = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A Jupyter server (JupyterLab or Voila) started by the tests."""

    process: subprocess.Popen[bytes]
    base: str
    token: str
    root: Path
    log: Path

    def url(self, path: str) -> str:
        joiner = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{joiner}token={self.token}"

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited:\n{self.log_tail()}", pytrace=False)
            try:
                with urllib.request.urlopen(self.url(path), timeout=5) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        pytest.fail(f"the server did not answer {path} in {timeout} s:\n{self.log_tail()}")

    def wait_listening(self, timeout: float = 90) -> None:
        """For servers without a status API (Voila): wait until the port accepts."""
        port = int(self.base.rsplit(":", 1)[1])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited:\n{self.log_tail()}", pytrace=False)
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.2)
        pytest.fail(f"the server did not listen in {timeout} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server shuts its kernels down
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def server_env(home: Path, sample_dir: Path) -> dict[str, str]:
    """The developer's environment without LGDA_ or Jupyter user settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LGDA_", "JUPYTER"))}
    settings = home / "lab-settings"
    notification = settings / "@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True, exist_ok=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),  # no user kernelspec shadows this interpreter
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        LGDA_DUCKDB__SAMPLE_DIR=str(sample_dir),  # the default-scale sample, built once
        LGDA_OBSERVABILITY__LOG_FILE=str(home / "lgda.jsonl"),
        LGDA_SECURITY__AUDIT_FILE=str(home / "audit.jsonl"),
    )
    return env


def start_server(argv: list[str], home: Path, root: Path, sample_dir: Path) -> Server:
    """Start ``python argv...`` in ``root``; ``{port}`` and ``{token}`` in argv are filled in."""
    token = secrets.token_hex(16)
    port = free_port()
    log = home / "server.log"
    command = [sys.executable, *(arg.format(port=port, token=token) for arg in argv)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=server_env(home, sample_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(process, f"http://127.0.0.1:{port}", token, root, log)


@pytest.fixture(scope="session")
def lab(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory, sample_dir: Path
) -> Iterator[Server]:
    """JupyterLab on 127.0.0.1 with a random token, serving a temporary directory."""
    home = tmp_path_factory.mktemp("jupyter")
    root = home / "notebooks"
    root.mkdir()
    argv = [
        "-m", "jupyter", "lab", "--no-browser", "--port={port}", "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1", "--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
    ]  # fmt: skip
    if os.geteuid() == 0:
        argv.append("--allow-root")
    server = start_server(argv, home, root, sample_dir)
    try:
        server.wait_ready("api/status")
        yield server
    finally:
        server.stop()


def write_notebook(path: Path, *cells: str) -> Path:
    """A notebook of code cells, on the kernel this interpreter provides."""
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"cell{i}",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path

"""Jupyter servers and a headless browser for end-to-end checks of the widgets.

Used by the browser tests and ``benchmarks/bench_panel_browser.py`` (kept out of the
installed package). Chromium is the system's (``apt-get install chromium``),
driven by the ``playwright`` package; nothing here downloads a browser.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Headless flags for a root user in a container with a closed network.
CHROMIUM_ARGS = (
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB
)

#: True once the notebook's kernel is started and idle (not "No Kernel | Initializing").
KERNEL_IDLE_JS = """() => {
  const text = document.querySelector('.jp-StatusBar-Widget')?.innerText ?? '';
  return / \\| Idle/.test(text) && !/No Kernel/.test(text);
}"""

#: Arms a timer in the page, from the Enter keydown in the panel's question box to the
#: next answer (``fresh``: a selector for it) in the DOM and one frame painted after
#: it; ``window.lgdaAnswered`` resolves to the milliseconds.
ENTER_TO_ANSWER_JS = """([fresh, timeout]) => {
  const box = document.querySelector('.lgda-question input');
  const panel = document.querySelector('.lgda-panel');
  window.lgdaAnswered = new Promise((resolve, reject) => {
    let start = null;
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') start = performance.now();
    }, {capture: true, once: true});
    const observer = new MutationObserver(() => {
      if (start === null || !panel.querySelector(fresh)) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - start));
    });
    observer.observe(panel, {childList: true, subtree: true});
    setTimeout(() => reject(new Error(`no answer in ${timeout} ms`)), timeout);
  });
}"""


def launch_chromium(playwright: Any, executable: Path) -> Any:
    """Headless system Chromium under Playwright (its own browser download is not used)."""
    return playwright.chromium.launch(
        executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS)
    )


def free_port() -> int:
    """A loopback port free at the time of asking."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class JupyterServer:
    """A Jupyter server (JupyterLab or Voila) on 127.0.0.1 with a random token."""

    process: subprocess.Popen[bytes]
    base: str
    token: str
    root: Path
    log: Path

    def url(self, path: str) -> str:
        """``path`` on this server, with the token."""
        joiner = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{joiner}token={self.token}"

    def log_tail(self) -> str:
        """The last lines the server printed."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        """Wait until ``path`` answers 200; ``RuntimeError`` with the log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(self.url(path), timeout=5) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer {path} in {timeout} s:\n{self.log_tail()}")

    def wait_listening(self, timeout: float = 90) -> None:
        """For servers without a status API (Voila): wait until the port accepts."""
        port = int(self.base.rsplit(":", 1)[1])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the server did not listen in {timeout} s:\n{self.log_tail()}")

    def _check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and its kernels (the whole process group)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server shuts its kernels down
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def server_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment without LGDA_ or Jupyter user settings, with state under ``home``."""
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
        LGDA_OBSERVABILITY__LOG_FILE=str(home / "lgda.jsonl"),
        LGDA_SECURITY__AUDIT_FILE=str(home / "audit.jsonl"),
    )
    env.update(extra or {})
    return env


def start_server(
    argv: list[str], home: Path, root: Path, env: dict[str, str] | None = None
) -> JupyterServer:
    """Start ``python argv...`` in ``root``; ``{port}`` and ``{token}`` in argv are filled in."""
    token = secrets.token_hex(16)
    port = free_port()
    log = home / "server.log"
    command = [sys.executable, *(arg.format(port=port, token=token) for arg in argv)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=server_env(home, env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return JupyterServer(process, f"http://127.0.0.1:{port}", token, root, log)


def start_jupyterlab(home: Path, root: Path, env: dict[str, str] | None = None) -> JupyterServer:
    """JupyterLab serving ``root``, ready for requests (``--allow-root`` when root)."""
    argv = [
        "-m", "jupyter", "lab", "--no-browser", "--port={port}", "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1", "--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
    ]  # fmt: skip
    if os.geteuid() == 0:
        argv.append("--allow-root")
    server = start_server(argv, home, root, env)
    try:
        server.wait_ready("api/status")
    except BaseException:
        server.stop()
        raise
    return server


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

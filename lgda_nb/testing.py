"""Test helpers users can use too, against real parts rather than mocks.

- ``FaultyBackend`` wraps a real backend and fails the next calls in a scripted
  way, so notebooks and pipelines can be tested against flaky warehouses.
- ``ChaosProxy`` drops, delays and answers 429/5xx on a loopback HTTP hop.
- ``LLMTestServer`` speaks a language-model provider's own API with scripted replies.
- ``BigQueryEmulator`` finds or starts the local BigQuery emulator (notebook 02 uses it).

The launchers of the project's own browser tests (JupyterLab, Voila, Chromium) live
with those tests, in ``tests/browser/browser_launch.py``, not in the package.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from lgda_nb._llm_server import LLMRequest, LLMTestServer, Reply

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from lgda_nb.backends import Backend, CallContext

__all__ = [
    "BigQueryEmulator",
    "ChaosProxy",
    "FaultyBackend",
    "HTTPError",
    "LLMRequest",
    "LLMTestServer",
    "Reply",
]


class HTTPError(Exception):
    """A driver-style HTTP error with a status code and an optional Retry-After."""

    def __init__(self, status_code: int, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code
        self.retry_after = retry_after


class FaultyBackend:
    """A backend that raises the scripted faults first, then behaves like ``inner``."""

    def __init__(self, inner: Backend, faults: Iterable[BaseException | type[BaseException]] = ()):
        self.inner = inner
        self.name = inner.name
        self.dialect = inner.dialect
        self._faults: deque[BaseException | type[BaseException]] = deque(faults)
        self._lock = threading.Lock()
        self.calls = 0

    def inject(self, *faults: BaseException | type[BaseException]) -> None:
        """Queue more faults for the next calls."""
        with self._lock:
            self._faults.extend(faults)

    def tables(self) -> dict[str, dict[str, str]]:
        return self.inner.tables()

    def execute(self, sql: str, call: CallContext | None = None) -> pd.DataFrame:
        with self._lock:
            self.calls += 1
            fault = self._faults.popleft() if self._faults else None
        if fault is not None:
            raise fault() if isinstance(fault, type) else fault
        return self.inner.execute(sql, call)

    def identity(self) -> str:
        identity: Any = getattr(self.inner, "identity", None)
        return str(identity()) if callable(identity) else self.name

    def close(self) -> None:
        self.inner.close()


class ChaosProxy:
    """A loopback HTTP proxy that makes a real service flaky, on purpose.

    It forwards each request to ``target`` (``http://127.0.0.1:9050``) unless the
    dice say otherwise: drop the connection, answer 429/500/503 without
    forwarding (so nothing runs twice), or stall. Use as a context manager; its
    ``url`` goes where the service's address would. Deterministic for a seed.
    """

    def __init__(
        self,
        target: str,
        *,
        drop: float = 0.0,
        statuses: dict[int, float] | None = None,
        stall: float = 0.0,
        stall_seconds: float = 30.0,
        seed: int = 7,
    ) -> None:
        import random
        from urllib.parse import urlsplit

        parts = urlsplit(target)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.drop, self.stall, self.stall_seconds = drop, stall, stall_seconds
        self.statuses = dict(statuses or {})
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {"forwarded": 0, "dropped": 0, "stalled": 0, "failed": 0}
        self._server: Any = None
        self.url = ""

    def _count(self, what: str) -> None:
        with self._lock:
            self.counts[what] += 1

    def set_faults(
        self, *, drop: float = 0.0, statuses: dict[int, float] | None = None, stall: float = 0.0
    ) -> None:
        """Change the odds while running: ``set_faults(statuses={503: 1.0})`` is an outage,
        ``set_faults()`` a healthy service again."""
        with self._lock:
            self.drop, self.stall, self.statuses = drop, stall, dict(statuses or {})

    def _fate(self) -> str | int:
        with self._lock:
            roll = self._random.random()
            drop, stall, statuses = self.drop, self.stall, sorted(self.statuses.items())
        edge = drop
        if roll < edge:
            return "drop"
        for status, rate in statuses:
            edge += rate
            if roll < edge:
                return status
        if roll < edge + stall:
            return "stall"
        return "forward"

    def __enter__(self) -> ChaosProxy:
        import http.client
        import time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                fate = proxy._fate()
                if fate == "drop":
                    proxy._count("dropped")
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if isinstance(fate, int):
                    proxy._count("failed")
                    payload = b'{"error": {"code": %d, "message": "chaos"}}' % fate
                    self.send_response(fate)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    if fate == 429:
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if fate == "stall":
                    proxy._count("stalled")
                    time.sleep(proxy.stall_seconds)
                proxy._count("forwarded")
                upstream = http.client.HTTPConnection(*proxy.target, timeout=120)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in {"transfer-encoding", "content-length", "connection"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


class BigQueryEmulator:
    """The local BigQuery emulator (``scripts/bigquery-emulator.sh``), started when needed.

    ``start()`` reuses what already runs: ``LGDA_TEST_BIGQUERY_ENDPOINT`` (``make test``
    sets it), else an emulator answering on ``127.0.0.1:port``; otherwise it starts one
    (the very first start installs it into ``.venv-bqemulator``, about a minute).
    ``stop()``, or the interpreter's exit, stops only an emulator this object started.
    ``port`` defaults to ``LGDA_BQEMULATOR_PORT``, else 9050. Needs a source checkout,
    where the script is.
    """

    def __init__(self, port: int | None = None) -> None:
        import os

        self._reuse_configured = port is None
        self.port = port or int(os.environ.get("LGDA_BQEMULATOR_PORT") or 9050)
        #: ``http://127.0.0.1:PORT`` once started (or found running).
        self.endpoint = ""
        #: Whether this object started the emulator (and so will stop it).
        self.started = False

    @staticmethod
    def script() -> Path:
        """Where ``bigquery-emulator.sh`` is in the checkout this package runs from."""
        from pathlib import Path

        return Path(__file__).resolve().parents[1] / "scripts" / "bigquery-emulator.sh"

    @staticmethod
    def answers(endpoint: str) -> bool:
        """Whether an emulator answers its health check at ``endpoint``."""
        import urllib.request

        try:
            with urllib.request.urlopen(f"{endpoint}/healthz", timeout=2):
                return True
        except OSError:
            return False

    def start(self) -> BigQueryEmulator:
        """Find a running emulator or start one; ``endpoint`` says where it answers."""
        import atexit
        import os
        import subprocess

        from lgda_nb.errors import BackendUnavailableError, ConfigError

        if self.endpoint:
            return self
        configured = os.environ.get("LGDA_TEST_BIGQUERY_ENDPOINT")
        if self._reuse_configured and configured:
            self.endpoint = configured.rstrip("/")
            return self
        local = f"http://127.0.0.1:{self.port}"
        if self.answers(local):
            self.endpoint = local
            return self
        script = self.script()
        if not script.is_file():
            raise ConfigError(
                f"No BigQuery emulator answers at {local}, and its start script is not "
                f"at {script}.",
                hint="Start an emulator and set LGDA_TEST_BIGQUERY_ENDPOINT to its address, "
                "or run from a clone of the repository.",
            )
        env = {**os.environ, "LGDA_BQEMULATOR_PORT": str(self.port)}
        done = subprocess.run(
            [str(script), "start"],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode != 0:
            raise BackendUnavailableError(
                f"The local BigQuery emulator did not start on port {self.port}.",
                hint=f"Run `{script} start` in a terminal to see why.",
                detail=done.stderr.strip()[-2000:],
            )
        self.endpoint = done.stdout.strip().splitlines()[-1]
        self.started = True
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop the emulator if this object started it; otherwise leave it running."""
        import atexit
        import os
        import subprocess

        if not self.started:
            return
        env = {**os.environ, "LGDA_BQEMULATOR_PORT": str(self.port)}
        subprocess.run([str(self.script()), "stop"], env=env, check=False, timeout=60)
        self.started = False
        self.endpoint = ""
        atexit.unregister(self.stop)

    def __enter__(self) -> BigQueryEmulator:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

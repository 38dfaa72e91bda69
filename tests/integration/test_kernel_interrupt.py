"""The Stop button in a real Jupyter kernel: ipykernel started by jupyter_client, as
JupyterLab starts it, interrupted with SIGINT while ``%%lgda`` runs an endless query."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from lgda_nb import Engine

pytest.importorskip("ipykernel")
manager = pytest.importorskip("jupyter_client.manager")

WAKEUP_FD = "import signal; fd = signal.set_wakeup_fd(-1); signal.set_wakeup_fd(fd); print(fd)"
ENDLESS = "%%lgda --sql --no-cache\nSELECT COUNT(*) FROM events a, events b, events c, events d"


@pytest.fixture
def kernel() -> Iterator[tuple[Any, Any]]:
    with Engine() as engine:  # the sample, built before the kernel reads it
        engine.backend.tables()
    km, kc = manager.start_new_kernel(kernel_name="python3")
    try:
        assert kc.execute_interactive("%load_ext lgda_nb", timeout=120)["content"]["status"] == "ok"
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _run(kc: Any, code: str) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    outputs: list[tuple[str, dict[str, Any]]] = []
    reply = kc.execute_interactive(
        code, timeout=120, output_hook=lambda msg: outputs.append((msg["msg_type"], msg["content"]))
    )
    return reply["content"]["status"], outputs


def _printed(kc: Any, code: str) -> list[str]:
    return [content["text"] for kind, content in _run(kc, code)[1] if kind == "stream"]


def test_the_stop_button_stops_a_query_at_once_and_the_kernel_goes_on(
    kernel: tuple[Any, Any],
) -> None:
    km, kc = kernel
    before = _printed(kc, WAKEUP_FD)
    stopped: list[float] = []

    def stop() -> None:
        time.sleep(2.0)
        stopped.append(time.monotonic())
        km.interrupt_kernel()

    threading.Thread(target=stop, daemon=True).start()
    status, outputs = _run(kc, ENDLESS)
    waited = time.monotonic() - stopped[0]
    assert waited < 3, f"the query ran on {waited:.1f} s after the interrupt"
    assert status == "error"
    shown = [content for kind, content in outputs if kind == "display_data"]
    assert any("The query was cancelled." in c["data"]["text/plain"] for c in shown)
    errors = [content for kind, content in outputs if kind == "error"]
    assert [error["ename"] for error in errors] == ["QueryCancelledError"]
    assert len(errors[0]["traceback"]) == 1  # one line, no Python traceback

    status, outputs = _run(kc, "%%lgda --sql --no-cache\nSELECT 42 AS n")
    assert status == "ok"
    assert any(kind == "execute_result" and " 42" in c["data"]["text/plain"] for kind, c in outputs)
    # the kernel's own signal wake-up descriptor is as it was
    assert _printed(kc, WAKEUP_FD) == before

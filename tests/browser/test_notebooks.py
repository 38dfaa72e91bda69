"""Every notebook in notebooks/ runs top to bottom with Run All in JupyterLab, as after `make lab`.

Each runs from a copy with its outputs cleared, in a JupyterLab whose kernels see no
LGDA_ settings (only the session's sample directory), so notebook 02 arranges its own
BigQuery emulator the way it does for a new user: here on a port of its own, so it
starts one and stops it again, whatever else runs on 9050.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.browser_launch import KERNEL_IDLE_JS, JupyterServer, start_jupyterlab
from tests.browser.conftest import FIRST_START_MS, sample_env

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
#: Run All of one notebook, kernel start included. Notebook 02's very first emulator
#: start installs it (about a minute); later starts take seconds.
RUN_ALL_MS = 600_000
#: What a typesetter leaves behind: MathJax 3 (JupyterLab 4), MathJax 2, KaTeX.
MATHS = "mjx-container, .MathJax, .katex, .MathJax_Display"
#: Cells that show a refusal on purpose; Run All goes on past them.
RAISES = "raises-exception"

#: True once the kernel is idle, no cell is queued or running, and Run All has run at
#: least one cell (it stops at a failing cell, leaving the rest without a count).
RUN_ENDED_JS = f"""() => {{
  const idle = ({KERNEL_IDLE_JS})();
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
    .map((e) => e.textContent.trim());
  return idle && !prompts.some((t) => t.includes('*')) && prompts.some((t) => /\\[\\d+\\]/.test(t));
}}"""

#: Per code cell, in order: its prompt, the stderr-styled text of its outputs (errors and
#: stderr streams) and how many typeset maths elements its outputs hold. textContent, not
#: innerText: cells off screen are not laid out (content-visibility), so have no innerText.
CELLS_JS = """(maths) => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')]
.map((cell) => ({
  prompt: cell.querySelector('.jp-InputPrompt')?.textContent.trim() ?? '',
  stderr: [...cell.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
  )].map((e) => e.textContent),
  maths: cell.querySelectorAll(`.jp-OutputArea :is(${maths})`).length,
}))"""


def _emulator_port() -> int:
    """A free loopback port whose neighbour +10 (the emulator's gRPC port) is free too."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if port + 10 > 65535:
            continue
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port + 10)) != 0:
                return port
    raise RuntimeError("no free port pair for the BigQuery emulator")


def _cleared(source: Path, target: Path) -> list[bool]:
    """Copy a notebook without outputs or counts; which code cells may raise, in order."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    raises = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            raises.append(RAISES in cell.get("metadata", {}).get("tags", []))
    target.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return raises


@pytest.fixture(scope="module")
def notebook_lab(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory, sample_dir: Path
) -> Iterator[JupyterServer]:
    """JupyterLab serving copies of the notebooks; the emulator port is this server's own."""
    home = tmp_path_factory.mktemp("notebooks-lab")
    root = home / "notebooks"
    root.mkdir()
    env = {**sample_env(sample_dir), "LGDA_BQEMULATOR_PORT": str(_emulator_port())}
    server = start_jupyterlab(home, root, env)
    try:
        yield server
    finally:
        server.stop()


def _shut_down_kernels(lab: JupyterServer) -> None:
    """End every session's kernel (as closing the notebook with its kernel would)."""
    with urllib.request.urlopen(lab.url("api/sessions"), timeout=10) as reply:
        sessions = json.load(reply)
    for session in sessions:
        request = urllib.request.Request(lab.url(f"api/sessions/{session['id']}"), method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def _saved_errors(path: Path, raises: list[bool]) -> list[str]:
    """Error outputs of cells not tagged raises-exception, from the notebook as saved."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    found = []
    for index, (cell, may_raise) in enumerate(zip(code, raises, strict=True)):
        for output in cell.get("outputs", []):
            if output["output_type"] == "error" and not may_raise:
                found.append(f"cell {index + 1}: {output['ename']}: {output['evalue']}")
    return found


def _save(page: Any, path: Path, cells: int) -> None:
    """Ctrl+S, then wait until the file on disk holds every cell's count."""
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:  # the server is writing it: empty or partial
            time.sleep(0.25)
            continue
        counts = [c["execution_count"] for c in notebook["cells"] if c["cell_type"] == "code"]
        if len(counts) == cells and all(count is not None for count in counts):
            return
        time.sleep(0.25)
    raise AssertionError(f"{path.name} was not saved with every cell run")


@pytest.mark.parametrize("source", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_run_all_has_no_errors_and_no_maths(
    source: Path, browser: Any, notebook_lab: JupyterServer, screenshots: Path
) -> None:
    """Run All runs every code cell; no output is an error (outside cells that refuse on
    purpose) or a traceback, and no output was typeset as maths."""
    lab = notebook_lab
    copy = lab.root / source.name
    raises = _cleared(source, copy)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(FIRST_START_MS)
    try:
        page.goto(lab.url(f"lab/workspaces/run-all-{source.stem}/tree/{source.name}?reset"))
        page.wait_for_function(KERNEL_IDLE_JS, timeout=FIRST_START_MS)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        page.wait_for_function(RUN_ENDED_JS, timeout=RUN_ALL_MS)
        page.wait_for_timeout(1500)  # MathJax typesets after rendering, asynchronously
        cells = page.evaluate(CELLS_JS, MATHS)
        page.screenshot(path=screenshots / f"notebook-{source.stem}.png")
        assert len(cells) == len(raises)
        not_run = [
            i + 1 for i, cell in enumerate(cells) if not re.search(r"\[\d+\]", cell["prompt"])
        ]
        tracebacks = [
            f"cell {i + 1}: {text[:300]}"
            for i, cell in enumerate(cells)
            for text in cell["stderr"]
            if "Traceback" in text
        ]
        maths = {i + 1: cell["maths"] for i, cell in enumerate(cells) if cell["maths"]}
        errors: list[str] = []
        if not not_run:
            _save(page, copy, len(cells))
            errors = _saved_errors(copy, raises)
        else:
            errors = [
                f"cell {i + 1}: {' '.join(cell['stderr'])[:300]}"
                for i, cell in enumerate(cells)
                if cell["stderr"] and not raises[i]
            ]
        assert not errors, f"error outputs: {errors}"
        assert not not_run, f"Run All stopped; cells without a count: {not_run}"
        assert not tracebacks, f"tracebacks in outputs: {tracebacks}"
        assert not maths, f"outputs typeset as maths (cell: elements): {maths}"
    finally:
        page.close()
        _shut_down_kernels(lab)

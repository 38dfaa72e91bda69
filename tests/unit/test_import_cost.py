"""``import lgda_nb`` and ``%load_ext lgda_nb`` load nothing heavy."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "pandas",
    "duckdb",
    "sqlglot",
    "pyarrow",
    "numpy",
    "pydantic",
    "pydantic_settings",
    "structlog",
    "google.cloud",
    "ipywidgets",
    "openai",
    "anthropic",
    "google.genai",
)

_PROBE = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell
ip = InteractiveShell.instance()
before = set(sys.modules)
ip.run_line_magic("load_ext", "lgda_nb")
assert "lgda" in ip.magics_manager.magics["cell"], "the %%lgda magic is not registered"
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _modules(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def _heavy(loaded: set[str]) -> list[str]:
    return sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_import_loads_nothing_heavy() -> None:
    """Importing the package imports none of the heavy dependencies."""
    loaded = _modules("import json, sys, lgda_nb; print(json.dumps(sorted(sys.modules)))")
    assert _heavy(loaded) == []


def test_load_ext_loads_nothing_heavy() -> None:
    """%load_ext registers the magics without pandas, DuckDB, sqlglot or pydantic."""
    assert _heavy(_modules(_PROBE)) == []

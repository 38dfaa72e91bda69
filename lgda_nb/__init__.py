"""lgda_nb: ask business questions of a warehouse from a Jupyter notebook.

Public names are imported lazily so that ``import lgda_nb`` and
``%load_ext lgda_nb`` cost almost nothing; pandas, DuckDB, sqlglot and pydantic
load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from lgda_nb._config import UnifiedConfig, get_config, reset, set_config
    from lgda_nb.engine import Engine, Result
    from lgda_nb.errors import LGDAError
    from lgda_nb.jupyter._dashboard import dashboard, load_dashboard
    from lgda_nb.jupyter._panel import panel

_LAZY = {
    "Engine": "lgda_nb.engine",
    "LGDAError": "lgda_nb.errors",
    "Result": "lgda_nb.engine",
    "UnifiedConfig": "lgda_nb._config",
    "dashboard": "lgda_nb.jupyter._dashboard",
    "get_config": "lgda_nb._config",
    "load_dashboard": "lgda_nb.jupyter._dashboard",
    "panel": "lgda_nb.jupyter._panel",
    "reset": "lgda_nb._config",
    "set_config": "lgda_nb._config",
}

__all__ = [
    "Engine",
    "LGDAError",
    "Result",
    "UnifiedConfig",
    "__version__",
    "dashboard",
    "get_config",
    "load_dashboard",
    "load_ipython_extension",
    "panel",
    "reset",
    "set_config",
    "unload_ipython_extension",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lgda_nb' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """``%load_ext lgda_nb``: register ``%%lgda`` and the ``%lgda_*`` magics."""
    from lgda_nb.jupyter._magics import LGDAMagics

    ipython.register_magics(LGDAMagics)


def unload_ipython_extension(ipython: InteractiveShell) -> None:
    """``%unload_ext lgda_nb``: close the kernel's engine."""
    from lgda_nb.jupyter._magics import close_kernel_engine

    close_kernel_engine()

"""The engine and its result type."""

from lgda_nb.engine._engine import Engine
from lgda_nb.engine._result import Result

__all__ = ["Engine", "Result"]

"""Planners turn questions into plans; the compiler turns plans into BigQuery SQL."""

from lgda_nb.planner._compile import compile_plan, compile_tree
from lgda_nb.planner._generic import infer_model
from lgda_nb.planner._interpret import interpret
from lgda_nb.planner._model import (
    BUILTIN_MODEL,
    Dimension,
    Metric,
    SemanticModel,
    load_model,
    parse_model,
)
from lgda_nb.planner._offline import OfflinePlanner
from lgda_nb.planner._plan import Band, Condition, Filter, Plan, Planner, TimeWindow

__all__ = [
    "BUILTIN_MODEL",
    "Band",
    "Condition",
    "Dimension",
    "Filter",
    "Metric",
    "OfflinePlanner",
    "Plan",
    "Planner",
    "SemanticModel",
    "TimeWindow",
    "compile_plan",
    "compile_tree",
    "infer_model",
    "interpret",
    "load_model",
    "parse_model",
]

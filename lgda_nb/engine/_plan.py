"""The ``plan`` and ``synthesize_sql`` stages: a question read into a plan, the plan into SQL."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lgda_nb.engine._engine import Engine
    from lgda_nb.engine._state import _State

__all__ = ["plan", "synthesize_sql"]


def plan(engine: Engine, state: _State) -> None:
    """Read the question into a plan (metrics, dimensions, filters, time, order)."""
    from lgda_nb._config import remember_secrets
    from lgda_nb.planner._text import normalize

    assert state.question is not None
    remember_secrets(engine.config)  # an SDK key variable set since the config was built
    key = normalize(state.question)
    cached = engine.plan_cache.get(key) if state.use_cache else None
    if cached is not None:
        state.plan = replace(cached, question=state.question)
        return
    state.plan = engine.interpreted(engine.planner.plan(state.question))
    if all(call.outcome in ("answered", "cached") for call in state.plan.calls):
        engine.plan_cache.put(key, state.plan, 1)  # a fallback plan is not kept


def synthesize_sql(engine: Engine, state: _State) -> None:
    """Compile the plan into canonical BigQuery SQL (or take the SQL a model wrote); a
    compiled plan keeps its tree for the validator."""
    assert state.plan is not None
    state.sql, state.tree = engine.compiled(state.plan)

"""The ``validate_sql`` stage: the security policy, the row cap and the backend's SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lgda_nb.engine._engine import Engine
    from lgda_nb.engine._state import _State

__all__ = ["validate_sql"]


def validate_sql(engine: Engine, state: _State) -> None:
    """Check the SQL against the security policy; cap its rows; generate the backend's SQL.

    The backend runs SQL generated from the checked tree, and that SQL must read
    back, in the backend's own dialect, as the same one query. One parse per text:
    the validator and ``backend_sql`` remember what passed, and a compiled plan's tree is
    checked as it is, not parsed again from its text.
    """
    from lgda_nb.engine._sql import backend_sql

    validator = engine.validator
    known = engine.known_tables()  # once per call: the checks and the masking read it
    checked = validator.validate(state.sql, known_tables=known, tree=state.tree)
    state.canonical = checked.canonical
    state.tables = checked.tables
    state.masking = engine.scan_masking(known)
    state.executed_sql, state.injected_limit = backend_sql(
        checked,
        validator,
        cap=state.limit,
        dialect=engine.backend.dialect,
        masking=state.masking,
    )

"""SQL trees on their way to a backend: cap the rows, generate the backend's dialect.

Checking is the security validator's job (``lgda_nb.security``); the backend
only ever sees SQL generated here from the checked tree, never the user's text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp


def cap_rows(tree: exp.Query, cap: int) -> tuple[exp.Query, bool]:
    """Return the tree with an outer LIMIT of at most ``cap + 1`` rows.

    One row more than the cap is fetched so the caller can tell the user the
    answer was truncated. Returns whether the limit was injected.
    """
    from sqlglot import exp

    limit = tree.args.get("limit")
    if isinstance(limit, exp.Limit):
        value = limit.expression
        if isinstance(value, exp.Literal) and value.is_int and int(value.this) <= cap:
            return tree, False
    return tree.limit(cap + 1, copy=True), True


def to_backend(tree: exp.Query, *, dialect: str) -> str:
    """Generate the backend's SQL with bare table names.

    The checked tree only names tables of the configured dataset, so qualifiers
    carry no information: DuckDB keeps the tables in ``main``, and BigQuery jobs
    run with the configured dataset as their default dataset.
    """
    from sqlglot import exp

    local = tree.copy()
    for table in local.find_all(exp.Table):
        table.set("catalog", None)
        table.set("db", None)
    return local.sql(dialect=dialect)

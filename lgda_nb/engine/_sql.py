"""SQL trees on their way to a backend: cap the rows, generate the backend's dialect.

Checking is the security validator's job (``lgda_nb.security``); the backend
only ever sees SQL generated here from the checked tree, never the user's text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb.security import SecurityValidator, ValidatedSQL
    from lgda_nb.security._masking import ScanMasking


def backend_sql(
    checked: ValidatedSQL,
    validator: SecurityValidator,
    *,
    cap: int,
    dialect: str,
    masking: ScanMasking | None = None,
) -> tuple[str, bool]:
    """The SQL a backend runs for ``checked`` and whether a row cap was injected.

    The cap is at most ``cap + 1`` rows, as in ``cap_rows``. The checked tree is
    copied once; the copy gets bare table names and the cap, and the backend's SQL
    is generated from it once and read back by the validator's round trip. The
    outcome depends only on the tree, the cap and the dialect, so it is kept on
    ``checked`` (which the validator reuses for the same text): a repeated query
    generates nothing. ``masking`` replaces each read of a table with personal
    columns by a subquery that reads them masked (``security._masking``).
    """
    key = (cap, dialect, masking.fingerprint if masking is not None else "")
    known = checked.derived.get(key)
    if known is not None:
        return known
    local = _bare_tables(checked.tree.copy())
    injected = _needs_cap(local, cap)
    if injected:
        local = local.limit(cap + 1, copy=False)
    # Generating may change the tree it reads: the masked SQL needs a copy of its own.
    masked = local.copy() if masking is not None and masking.reads_personal(local) else None
    sql = local.sql(dialect=dialect, copy=False)  # the copy is ours: no second one
    validator.check_backend_sql(sql, dialect=dialect, tables=checked.tables)
    if masking is not None and masked is not None:
        # The round trip checked the query as written; the masking only puts our own
        # fixed subqueries where its tables are read, so it is generated, not re-read.
        sql = masking.apply(masked, dialect)
    checked.derived[key] = (sql, injected)
    return sql, injected


def _needs_cap(tree: exp.Query, cap: int) -> bool:
    from sqlglot import exp

    limit = tree.args.get("limit")
    if isinstance(limit, exp.Limit):
        value = limit.expression
        if isinstance(value, exp.Literal) and value.is_int and int(value.this) <= cap:
            return False
    return True


def _bare_tables(tree: exp.Query) -> exp.Query:
    from sqlglot import exp

    for table in tree.find_all(exp.Table):
        table.set("catalog", None)
        table.set("db", None)
    return tree


def cap_rows(tree: exp.Query, cap: int) -> tuple[exp.Query, bool]:
    """Return the tree with an outer LIMIT of at most ``cap + 1`` rows.

    One row more than the cap is fetched so the caller can tell the user the
    answer was truncated. Returns whether the limit was injected.
    """
    if not _needs_cap(tree, cap):
        return tree, False
    return tree.limit(cap + 1, copy=True), True


def to_backend(tree: exp.Query, *, dialect: str) -> str:
    """Generate the backend's SQL with bare table names.

    The checked tree only names tables of the configured dataset, so qualifiers
    carry no information: DuckDB keeps the tables in ``main``, and BigQuery jobs
    run with the configured dataset as their default dataset.
    """
    return _bare_tables(tree.copy()).sql(dialect=dialect, copy=False)

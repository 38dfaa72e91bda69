"""SQL as a tree: check it with the security policy, cap its rows, and generate the
backend's dialect from the same tree (the backend never sees the user's text)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb.security import SecurityValidator

CANONICAL_DIALECT = "bigquery"


@dataclass(frozen=True)
class PreparedSQL:
    """A validated query: its canonical text, its tree and the tables it reads."""

    canonical: str
    tree: exp.Query
    tables: tuple[str, ...]


def parse_query(sql: str, *, max_length: int) -> exp.Query:
    """Parse exactly one BigQuery statement and insist that it is a query."""
    from lgda_nb.security import SecurityPolicy, SecurityValidator

    policy = SecurityPolicy(allowed_tables=frozenset(), max_length=max_length)
    return SecurityValidator(policy).parse(sql)


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


def prepare(
    sql: str,
    *,
    known_tables: Collection[str],
    allowed_tables: Iterable[str],
    dataset: str,
    max_length: int,
    validator: SecurityValidator | None = None,
) -> PreparedSQL:
    """Check ``sql`` with the security policy; the canonical text is regenerated from the tree."""
    from lgda_nb.security import SecurityPolicy, SecurityValidator

    if validator is None:
        validator = SecurityValidator(
            SecurityPolicy(
                allowed_tables=frozenset(allowed_tables), dataset=dataset, max_length=max_length
            )
        )
    checked = validator.validate(sql, known_tables=known_tables)
    return PreparedSQL(canonical=checked.canonical, tree=checked.tree, tables=checked.tables)

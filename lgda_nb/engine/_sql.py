"""SQL as a tree: parse BigQuery SQL, check it is one read-only query over known
tables, cap its rows, and generate the backend's dialect from the same tree.

This is the basic read-only policy; every statement, typed or generated, passes
it before a backend sees it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lgda_nb.errors import SecurityError, SQLSyntaxError, UnknownTableError, UsageError

if TYPE_CHECKING:
    from sqlglot import exp

CANONICAL_DIALECT = "bigquery"

#: Functions that reach outside the query's tables (files, URLs, settings, catalog).
_DENIED_FUNCTION = re.compile(
    r"^(read_\w+|glob|query|query_table|getenv|current_setting|duckdb_\w+|pragma_\w+|"
    r"sniff_csv|parquet_\w+|iceberg_\w+|delta_scan|external_query|ml\.\w+|load_\w+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PreparedSQL:
    """A validated query: its canonical text, its tree and the tables it reads."""

    canonical: str
    tree: exp.Query
    tables: tuple[str, ...]


def _write_nodes() -> tuple[type[exp.Expr], ...]:
    from sqlglot import exp

    return (
        exp.Insert,
        exp.Update,
        exp.Delete,
        exp.Merge,
        exp.Create,
        exp.Drop,
        exp.Alter,
        exp.Command,
        exp.Pragma,
        exp.Set,
        exp.Into,
        exp.Copy,
        exp.Use,
        exp.Transaction,
        exp.Commit,
        exp.Rollback,
    )


def parse_query(sql: str, *, max_length: int) -> exp.Query:
    """Parse exactly one BigQuery statement and insist that it is a query."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    if not sql or not sql.strip():
        raise UsageError(
            "There is no SQL to run.", hint="Write a SELECT statement below the %%lgda --sql line."
        )
    if len(sql) > max_length:
        raise SecurityError(
            f"The SQL is {len(sql):,} characters long; the limit is {max_length:,}.",
            hint="Shorten the query, or raise LGDA_SECURITY__MAX_SQL_LENGTH.",
        )
    try:
        statements = [s for s in sqlglot.parse(sql, read=CANONICAL_DIALECT) if s is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        line, col = first.get("line"), first.get("col")
        where = f" at line {line}, column {col}" if line else ""
        near = first.get("highlight")
        near_text = f" near {near!r}" if near else ""
        description = str(first.get("description") or exc).split(" <Token")[0]
        raise SQLSyntaxError(
            f"The SQL does not parse{where}{near_text}: {description}.",
            hint="SQL is read as BigQuery Standard SQL; check commas, brackets and quotes.",
            detail=str(exc),
        ) from None
    except TokenError as exc:
        raise SQLSyntaxError(
            f"The SQL does not parse: {exc}.",
            hint="Check for an unclosed quote or comment.",
        ) from None
    if not statements:
        raise UsageError("There is no SQL to run: the text holds only comments or semicolons.")
    if len(statements) > 1:
        raise SecurityError(
            f"Only one statement can run at a time; this text holds {len(statements)}.",
            hint="Run the statements in separate cells.",
        )
    tree = statements[0]
    write = next(iter(tree.find_all(*_write_nodes())), None)
    if not isinstance(tree, exp.Query) or write is not None:
        kind = type(write or tree).__name__.upper()
        raise SecurityError(
            f"Only read-only queries can run; this is a {kind} statement.",
            hint="Write a SELECT (or WITH ... SELECT) query; the data cannot be changed from here.",
        )
    return tree


def _cte_names(tree: exp.Expr) -> set[str]:
    from sqlglot import exp

    return {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}


def check_tables(
    tree: exp.Query,
    *,
    known_tables: Collection[str],
    allowed_tables: Iterable[str],
    dataset: str,
) -> tuple[str, ...]:
    """Resolve every table reference; refuse unknown, foreign or function tables."""
    from sqlglot import exp

    allowed = {name.lower() for name in allowed_tables}
    known = {name.lower(): name for name in known_tables}
    project, _, dataset_name = dataset.rpartition(".")
    ctes = _cte_names(tree)
    used: list[str] = []
    for func in tree.find_all(exp.Func):
        name = func.sql_name() if not isinstance(func, exp.Anonymous) else str(func.this)
        if _DENIED_FUNCTION.match(name):
            raise SecurityError(
                f"The function {name}() is not allowed: it reaches outside the dataset.",
            )
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            raise SecurityError(
                f"Table functions are not allowed: {table.this.sql(CANONICAL_DIALECT)}.",
                hint="Read only the dataset's tables by name.",
            )
        name = table.name.lower()
        qualified = bool(table.db or table.catalog)
        if not qualified and name in ctes:
            continue
        if qualified and (
            table.db.lower() != dataset_name.lower()
            or (table.catalog and table.catalog.lower() != project.lower())
        ):
            raise SecurityError(
                f"{table.sql(CANONICAL_DIALECT)} is outside the configured dataset {dataset}.",
                hint="Query the configured dataset's tables, or change LGDA_BIGQUERY__DATASET.",
            )
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            suggestion = f" Did you mean {close[0]!r}?" if close else ""
            raise UnknownTableError(
                f"Table {table.name!r} does not exist.{suggestion}",
                hint=f"Tables you can query: {', '.join(sorted(known)) or '(none)'}.",
            )
        if name not in allowed:
            raise SecurityError(
                f"Table {table.name!r} is not on the allowlist.",
                hint="Add it to LGDA_SECURITY__ALLOWED_TABLES if it should be queryable.",
            )
        if known[name] not in used:
            used.append(known[name])
    return tuple(used)


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


def to_backend(tree: exp.Query, *, dialect: str, ctes: Collection[str] = ()) -> str:
    """Generate the backend's SQL, with tables bare (DuckDB keeps them in ``main``)."""
    from sqlglot import exp

    local = tree.copy()
    names = set(ctes) | _cte_names(local)
    for table in local.find_all(exp.Table):
        if table.name.lower() in names and not (table.db or table.catalog):
            continue
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
) -> PreparedSQL:
    """Parse and check ``sql``; the canonical text is regenerated from the tree."""
    tree = parse_query(sql, max_length=max_length)
    tables = check_tables(
        tree, known_tables=known_tables, allowed_tables=allowed_tables, dataset=dataset
    )
    return PreparedSQL(canonical=tree.sql(dialect=CANONICAL_DIALECT), tree=tree, tables=tables)

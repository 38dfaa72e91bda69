"""Personal data masked where the table is read, as BigQuery's column data masking does.

Masking the result's columns after the query has run protects only what keeps its
name: an alias, a function, an aggregate, a struct, a JSON string, an error
message or a ``WHERE email LIKE 'h%'`` used as an oracle all read the raw value.
Here every read of a table with declared personal columns is replaced by a
subquery that reads those columns already masked, so no expression of the query
ever sees a raw value:

    FROM users AS u   ->   FROM (SELECT * REPLACE (<masked email> AS email, ...)
                                 FROM users) AS u

``mask`` turns a value into a salted pseudonym (``masked:3fa9c1d2e4b5``): equal
values stay equal, so ``COUNT(DISTINCT email)`` and ``GROUP BY email`` still work,
while the per-engine secret salt stops a dictionary of names from reversing it.
``deny`` reads the column as NULL. The result scan in ``_pii`` stays as a second
line, for personal data in columns nobody declared.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp

__all__ = ["MASK_PREFIX", "REDACTED", "ScanMasking"]

#: What a masked value starts with; the rest is 12 hex digits of a salted SHA-256.
MASK_PREFIX = "masked:"
#: Hex digits kept: 48 bits, so distinct values of any real column stay distinct.
_DIGITS = 12
#: How the salt is shown wherever SQL that ran is displayed, logged or quoted.
REDACTED = "<salt>"


@dataclass(frozen=True, eq=False)  # identity: each engine's masking has its own salt
class ScanMasking:
    """Which columns of which tables are masked or denied where they are read."""

    #: table -> column -> "mask" or "deny" (lower-case names).
    columns: Mapping[str, Mapping[str, str]]
    salt: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
    #: (table, column) of the masked columns known to hold text already (no cast).
    text: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def from_policy(
        cls,
        policy: Mapping[str, str],
        tables: Mapping[str, Mapping[str, str]],
        *,
        salt: str | None = None,
    ) -> ScanMasking | None:
        """The masking of ``policy`` (``"users.email"`` or ``"email"`` for every table
        with that column) over the columns that exist in ``tables``; None if none."""
        columns: dict[str, dict[str, str]] = {}
        text: set[tuple[str, str]] = set()
        for key, action in policy.items():
            if action not in {"mask", "deny"}:
                continue
            table, _, column = key.lower().rpartition(".")
            for name, schema in tables.items():
                types = {c.lower(): str(t).upper() for c, t in schema.items()}
                if (not table or name.lower() == table) and column in types:
                    columns.setdefault(name.lower(), {})[column] = action
                    if types[column] in _TEXT_TYPES:
                        text.add((name.lower(), column))
        if not columns:
            return None
        if salt is None:
            return cls(columns, text=frozenset(text))
        return cls(columns, salt, text=frozenset(text))

    @functools.cached_property
    def fingerprint(self) -> str:
        """Tells maskings apart in cache keys without revealing the salt."""
        text = repr(sorted((t, sorted(c.items())) for t, c in self.columns.items()))
        return hashlib.sha256((self.salt + text).encode()).hexdigest()[:16]

    def apply(self, tree: exp.Query, dialect: str) -> str:
        """``tree`` as ``dialect`` SQL with each read of a masked table replaced by its
        masking subquery (``tree`` is changed in place: pass a copy); ``hide`` then
        ``reveal``, for a caller that checks nothing in between."""
        hidden = self.hide(tree)
        return self.reveal(tree.sql(dialect=dialect, copy=False), hidden, dialect)

    def hide(self, tree: exp.Query) -> tuple[str, ...]:
        """Put a placeholder table where ``tree`` reads a masked table (in place: pass a
        copy) and return the placeholders' names; none when the query reads no
        personal column (the SQL that runs is then as written).

        Names of the query's own CTEs shadow tables and are left alone; table names
        must already be bare (no project or dataset). The SQL generated from the tree
        can be checked as it is, then ``reveal`` puts each table's subquery in.
        """
        from sqlglot import exp

        reads, tables, own = self._survey(tree)
        if not reads:
            return ()
        used: dict[str, None] = {}
        for table in tables:
            name = table.name.lower()
            if not isinstance(table.parent, exp.From | exp.Join):
                continue
            if name in own and not _inside_cte_named(table, name):
                continue  # the query's own CTE of that name, read from the masked table
            alias = table.args.get("alias")
            placeholder = exp.Table(
                this=exp.to_identifier(self._placeholder(name)),
                alias=alias.copy()
                if alias is not None
                else exp.TableAlias(this=exp.to_identifier(table.name)),
            )
            table.replace(placeholder)
            used[self._placeholder(name)] = None
        return tuple(used)

    def reveal(self, sql: str, hidden: tuple[str, ...], dialect: str) -> str:
        """``sql`` with each placeholder of ``hide`` replaced by its table's masking
        subquery, generated once per table and dialect."""
        prefix = self._placeholder("")
        for placeholder in hidden:
            table = placeholder[len(prefix) :]
            sql = sql.replace(placeholder, f"({self._subquery(table, dialect)})")
        return sql

    def _placeholder(self, table: str) -> str:
        return f"lgda_masked_{self.fingerprint}_{table}"

    @functools.lru_cache(maxsize=64)  # noqa: B019 - a few tables and dialects per engine
    def _subquery(self, table: str, dialect: str) -> str:
        """``SELECT * REPLACE (<masked> AS email, ...) FROM users`` in ``dialect``."""
        from sqlglot import exp

        replaced = [
            exp.alias_(self._expression(column, action, dialect, table=table), column, quoted=False)
            for column, action in sorted(self.columns[table].items())
        ]
        inner = exp.select(exp.Star(replace=replaced)).from_(
            exp.Table(this=exp.to_identifier(table))
        )
        return inner.sql(dialect=dialect)

    def reads_personal(self, tree: exp.Query) -> bool:
        """Whether any part of ``tree`` could read a masked column: a column of that
        name (with any qualifier), a whole row (``SELECT u``, ``TO_JSON_STRING(u)``)
        or a star projection (``*``, ``u.*``). ``COUNT(*)`` reads no column."""
        return self._survey(tree)[0]

    def _survey(self, tree: exp.Query) -> tuple[bool, list[exp.Table], set[str]]:
        """One walk: whether ``tree`` reads personal data (``reads_personal``), its reads
        of masked tables and the names of its own CTEs.

        Names and stars answer at once; bare column names are kept and compared with
        the masked tables' names and aliases at the end."""
        from sqlglot import exp

        names = self._names
        masked = self.columns
        rows = set(masked)
        bare: set[str] = set()
        tables: list[exp.Table] = []
        own: set[str] = set()
        reads = False
        for node in tree.walk():
            if isinstance(node, exp.Identifier):
                # the name anywhere: a column, JOIN ... USING (email), an alias
                reads = reads or node.name.lower() in names
            elif isinstance(node, exp.Column):
                if isinstance(node.this, exp.Star):
                    reads = True
                elif not node.table:
                    bare.add(node.name.lower())
            elif isinstance(node, exp.Select):
                reads = reads or any(isinstance(e, exp.Star) for e in node.expressions)
            elif isinstance(node, exp.Table):
                if node.name.lower() in masked:
                    rows.add(node.alias_or_name.lower())
                    tables.append(node)
            elif isinstance(node, exp.CTE):
                own.add(node.alias_or_name.lower())
        reads = reads or not bare.isdisjoint(rows)  # a whole row used as a value
        return reads, tables, own

    @functools.cached_property
    def _names(self) -> frozenset[str]:
        return frozenset(c for columns in self.columns.values() for c in columns)

    def _expression(
        self, column: str, action: str, dialect: str = "bigquery", *, table: str = ""
    ) -> exp.Expr:
        is_text = (table, column) in self.text
        return _masked_expression(self.salt, column, action, dialect, is_text).copy()


def _inside_cte_named(node: exp.Expression, name: str) -> bool:
    """Whether ``node`` sits in the body of a CTE called ``name``: there, in BigQuery,
    the name still means the table (``WITH users AS (SELECT * FROM users)``)."""
    from sqlglot import exp

    parent = node.parent
    while parent is not None:
        if isinstance(parent, exp.CTE) and parent.alias_or_name.lower() == name:
            return True
        parent = parent.parent
    return False


#: DuckDB's names of text types: a column of one is hashed without a cast.
_TEXT_TYPES = frozenset({"VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR"})


@functools.lru_cache(maxsize=256)
def _masked_expression(
    salt: str, column: str, action: str, dialect: str, is_text: bool = False
) -> exp.Expr:
    """The masking expression of one column, parsed once (callers copy it).

    DuckDB binds every function of it anew on each query, for each masked column
    (about 0.1 ms each), so it is written for DuckDB directly with as few as give the
    same text: ``SHA256`` already returns lower-case hex (no ``LOWER(HEX(UNHEX(...)))``
    as transpiling ``TO_HEX`` adds), ``PRINTF`` adds the prefix and keeps 12 digits in
    one call (NULL stays NULL), and a text column is not cast to text.
    """
    from sqlglot import parse_one

    if action == "deny":
        return parse_one("CAST(NULL AS STRING)", read="bigquery")
    salt = salt.replace("'", "")
    if dialect == "duckdb":
        value = column if is_text else f"CAST({column} AS TEXT)"
        return parse_one(
            f"PRINTF('{MASK_PREFIX}%.{_DIGITS}s', SHA256('{salt}' || {value}))", read="duckdb"
        )
    return parse_one(
        f"CONCAT('{MASK_PREFIX}', SUBSTR(TO_HEX(SHA256(CONCAT('{salt}', "
        f"CAST({column} AS STRING)))), 1, {_DIGITS}))",
        read="bigquery",
    )

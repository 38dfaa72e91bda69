"""BigQuery SQL text of a compiled tree, without the generator's no-op rewrites.

sqlglot's BigQuery generator rewrites every SELECT before writing it: exploded arrays
and series become UNNEST joins, UNNEST aliases are unqualified, DISTINCT ON and SEMI or
ANTI joins are spelled out, and grouped expressions that are also ordered get their
alias. Only the last one can apply to a tree the compiler builds without those nodes,
yet the first ones build a scope of every SELECT to find out: most of the time spent
writing an answer's SQL. A tree with none of those nodes is written by a generator
that keeps only the alias rewrite; any other tree, or a sqlglot whose rewrites are not
the ones known here or whose generator cannot be subclassed (the compiled build), by
the dialect's own. Both give the same text.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.generator import Generator

DIALECT = "bigquery"
#: The SELECT rewrites of sqlglot's BigQuery generator, in order, as this module knows
#: them; the one kept is the alias rewrite.
_KNOWN_REWRITES = (
    "_unnest_explode_generate_series",
    "_explode_projection_to_unnest",
    "unqualify_unnest",
    "eliminate_distinct_on",
    "_alias_ordered_group",
    "eliminate_semi_and_anti_joins",
)
_KEPT = "_alias_ordered_group"


def bigquery_sql(tree: exp.Expr) -> str:
    """``tree.sql(dialect="bigquery", copy=False)``, faster when the SELECT rewrites
    other than the alias one have nothing to do."""
    lean = _lean_generator()
    if lean is None or _rewritten(tree):
        return tree.sql(dialect=DIALECT, copy=False)
    from sqlglot.dialects.dialect import Dialect

    generator: Generator = lean(dialect=Dialect.get_or_raise(DIALECT))
    return generator.generate(tree, copy=False)


def _rewritten(tree: exp.Expr) -> bool:
    """Whether a SELECT rewrite left out of the lean generator may change ``tree``."""
    from sqlglot import exp

    kinds = (exp.Explode, exp.Unnest, exp.ExplodingGenerateSeries)
    for node in tree.walk():
        if isinstance(node, kinds):
            return True
        if isinstance(node, exp.Select) and node.args.get("distinct"):
            return True  # SELECT DISTINCT (ON); COUNT(DISTINCT x) is no rewrite's
        if isinstance(node, exp.Join) and node.kind in {"SEMI", "ANTI"}:
            return True
    return False


@cache
def _lean_generator() -> type[Generator] | None:
    """The BigQuery generator with only the alias rewrite of SELECT; ``None`` when the
    installed sqlglot rewrites SELECT otherwise than known here."""
    from sqlglot import exp, transforms
    from sqlglot.dialects.dialect import Dialect

    standard: Any = type(Dialect.get_or_raise(DIALECT).generator())
    rewrites = _select_rewrites(standard.TRANSFORMS.get(exp.Select))
    if rewrites is None or tuple(f.__name__ for f in rewrites) != _KNOWN_REWRITES:
        return None
    kept = rewrites[_KNOWN_REWRITES.index(_KEPT)]
    transforms_ = {**standard.TRANSFORMS, exp.Select: transforms.preprocess([kept])}
    try:
        lean: type[Generator] = type(
            "LeanBigQueryGenerator", (standard,), {"TRANSFORMS": transforms_}
        )
        lean(dialect=Dialect.get_or_raise(DIALECT))
    except TypeError:  # compiled sqlglot (sqlglotc): its classes take no Python subclass
        return None
    return lean


def _select_rewrites(handler: Any) -> list[Any] | None:
    """The functions ``transforms.preprocess`` chained into ``handler``, if it is one."""
    code = getattr(handler, "__code__", None)
    closure = getattr(handler, "__closure__", None)
    if code is None or closure is None or "transforms" not in code.co_freevars:
        return None
    found = closure[code.co_freevars.index("transforms")].cell_contents
    if not isinstance(found, list) or not all(callable(f) for f in found):
        return None
    return found

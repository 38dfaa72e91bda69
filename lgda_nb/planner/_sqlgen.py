"""BigQuery SQL text of a compiled tree, without the generator's no-op rewrites.

A tree the compiler builds has none of the nodes most of the BigQuery generator's SELECT
rewrites are for (exploded arrays, UNNEST, DISTINCT, SEMI or ANTI joins), so it is
written by the shared lean generator (``lgda_nb._bigquery_text``), which skips them and
gives the same text; any other tree, or a sqlglot the lean generator does not fit, is
written by the dialect itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from lgda_nb._bigquery_text import lean_generator

if TYPE_CHECKING:
    from sqlglot import exp

DIALECT = "bigquery"


def bigquery_sql(tree: exp.Expr) -> str:
    """``tree.sql(dialect="bigquery", copy=False)``, faster when the SELECT rewrites
    other than the alias one have nothing to do."""
    lean = lean_generator()
    if lean is None or _rewritten(tree):
        return tree.sql(dialect=DIALECT, copy=False)
    return cast("str", lean().generate(tree, copy=False))


def _rewritten(tree: exp.Expr) -> bool:
    """Whether a SELECT rewrite the lean generator skips may change ``tree``."""
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

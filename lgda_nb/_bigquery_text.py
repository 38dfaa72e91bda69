"""BigQuery text without the generator's SELECT rewrites where none applies.

sqlglot's BigQuery generator runs a chain of rewrites on every SELECT (EXPLODE to
UNNEST, DISTINCT ON, SEMI/ANTI joins, unnest aliases, GROUP BY aliases) and builds a
scope for it first, which is most of the time spent writing a typical query. The
generator made here writes a SELECT none of them applies to as it stands, and keeps
the GROUP BY alias rewrite; the security validator (canonical text) and the planner
(an answer's SQL) both write with it, and both give sqlglot's own text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

#: Functions BigQuery's generator rewrites where a SELECT projects them (EXPLODE and kin)
#: or reads them (UNNEST aliases); by class name, as some are missing in older sqlglot.
SELECT_REWRITTEN = ("Explode", "ExplodeOuter", "Inline", "ExplodingGenerateSeries", "Unnest")


@functools.cache
def lean_generator() -> Callable[[], Any] | None:
    """A new BigQuery generator that writes a SELECT no rewrite applies to as it stands.

    Where the generator can be subclassed, a subclass with its own SELECT transform;
    where sqlglot is compiled with mypyc (``sqlglotc``) it cannot, and each generator
    gets that transform in its own dispatch table instead. None where neither works.
    """
    from sqlglot import exp
    from sqlglot.dialects.bigquery import BigQuery
    from sqlglot.dialects.dialect import Dialect

    rewrite = BigQuery.Generator.TRANSFORMS[exp.Select]
    ordered_group = _alias_ordered_group()

    def select(self: Any, node: exp.Select) -> str:
        args = node.args
        distinct = args.get("distinct")
        if (distinct is not None and distinct.args.get("on") is not None) or any(
            join.kind in ("SEMI", "ANTI") for join in args.get("joins") or ()
        ):
            return rewrite(self, node)
        if args.get("group") and args.get("order"):
            if ordered_group is None:
                return rewrite(self, node)
            # The one rewrite that applies (GROUP BY an aliased expression, with ORDER BY,
            # groups by the alias); the generator works on its own copy of the tree.
            node = ordered_group(node)
        return cast("str", self.select_sql(node))

    dialect = Dialect.get_or_raise("bigquery")
    try:
        generator = type(
            "CanonicalGenerator",
            (BigQuery.Generator,),
            {"TRANSFORMS": {**BigQuery.Generator.TRANSFORMS, exp.Select: select}},
        )
        generator(dialect=dialect)
        return functools.partial(generator, dialect=dialect)
    except TypeError:  # "interpreted classes cannot inherit from compiled"
        pass
    dispatch = getattr(BigQuery.Generator(dialect=dialect), "_dispatch", None)
    if not isinstance(dispatch, dict) or dispatch.get(exp.Select) is not rewrite:
        return None
    dispatch = {**dispatch, exp.Select: select}

    def compiled() -> Any:
        made = BigQuery.Generator(dialect=dialect)
        made._dispatch = dispatch
        return made

    return compiled


def _alias_ordered_group() -> Any:
    """BigQuery's SELECT rewrite for GROUP BY with ORDER BY, where this sqlglot has it."""
    import importlib

    for module in ("sqlglot.generators.bigquery", "sqlglot.dialects.bigquery"):
        try:
            found = getattr(importlib.import_module(module), "_alias_ordered_group", None)
        except ImportError:
            continue
        if callable(found):
            return found
    return None

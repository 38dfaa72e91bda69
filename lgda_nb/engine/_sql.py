"""SQL trees on their way to a backend: cap the rows, generate the backend's dialect.

Checking is the security validator's job (``lgda_nb.security``); the backend
only ever sees SQL generated here from the checked tree, never the user's text.

Before generating, one walk over a copy of the tree makes it fit the backend:

* table names lose their dataset (the backend's default dataset holds them);
* an array generator or REPEAT whose size is not a literal gets a check that runs
  with the query (``security.guard_generated``);
* for DuckDB, BigQuery features it lacks are written in its terms:
  ``ARRAY_AGG``/``STRING_AGG``/``ARRAY_CONCAT_AGG`` with ``LIMIT`` slice the
  aggregated list; ``SAFE.f(...)`` is ``TRY(f(...))`` (NULL instead of an error);
  ``TIMESTAMP_DIFF`` counts whole units (``DATE_SUB``), not boundaries crossed;
  ``EXTRACT`` numbers weekdays 1-7 from Sunday and weeks from Sunday, as BigQuery does;
  geography values are WKT text, as the sample stores them, and ``ST_GEOGPOINT``,
  ``ST_ASTEXT``, ``ST_X``, ``ST_Y``, ``ST_DISTANCE`` and ``ST_DWITHIN`` are computed
  from it (distance on BigQuery's sphere). Other geography functions are an
  ``SQLError`` saying they are not available on the embedded sample.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from lgda_nb.errors import SQLError

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb.security import SecurityValidator, ValidatedSQL
    from lgda_nb.security._masking import ScanMasking

#: Backend SQL texts kept per checked query (row caps, dialects, maskings).
DERIVED_PER_QUERY = 8


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
    copied once; the copy gets bare table names, the cap and the masking's
    placeholders, and the backend's SQL is generated from it once and read back
    once by the validator's round trip. The outcome depends only on the tree, the
    cap, the dialect and the masking, so it is kept on ``checked`` (which the
    validator reuses for the same text), ``DERIVED_PER_QUERY`` of them at most: a
    repeated query generates nothing. ``masking`` replaces
    each read of a table with personal columns by a subquery that reads them masked
    (``security._masking``).
    """
    key = (cap, dialect, masking.fingerprint if masking is not None else "")
    known = checked.derived.get(key)
    if known is not None:
        return known
    from sqlglot import exp

    local = _for_backend(checked.tree.copy(), dialect)
    injected = _needs_cap(local, cap)
    if injected:  # a Limit node as it is: a number would be parsed as SQL text
        local = local.limit(exp.Limit(expression=exp.Literal.number(cap + 1)), copy=False)
    # Where the query reads personal columns, placeholders stand for the masked tables:
    # the SQL is generated once and read back with them, then each placeholder becomes
    # our own fixed masking subquery (generated, not re-read).
    hidden = masking.hide(local) if masking is not None else ()
    sql = local.sql(dialect=dialect, copy=False)  # the copy is ours: no second one
    validator.check_backend_sql(sql, dialect=dialect, tables=(*checked.tables, *hidden))
    if masking is not None and hidden:
        sql = masking.reveal(sql, hidden, dialect)
    derived = checked.derived
    while len(derived) >= DERIVED_PER_QUERY:  # a few caps and dialects per text: the oldest out
        derived.pop(next(iter(derived), key), None)
    derived[key] = (sql, injected)
    return sql, injected


def _needs_cap(tree: exp.Query, cap: int) -> bool:
    from sqlglot import exp

    limit = tree.args.get("limit")
    if isinstance(limit, exp.Limit):
        value = limit.expression
        if isinstance(value, exp.Literal) and value.is_int and int(value.this) <= cap:
            return False
    return True


def _for_backend(tree: exp.Query, dialect: str) -> exp.Query:
    """Make the tree fit ``dialect`` in one walk (see the module docstring).

    Children are rewritten before their parents, so a rewrite reads arguments that
    are already in the backend's terms.
    """
    from sqlglot import exp

    from lgda_nb.security._validator import guard_generated

    duckdb = dialect == "duckdb"
    for node in reversed(list(tree.walk())):
        if isinstance(node, exp.Table):
            node.set("catalog", None)
            node.set("db", None)
        elif isinstance(node, exp.Func):
            guard_generated(node)
            if duckdb:
                _to_duckdb(node)
    return tree


#: BigQuery's sphere for geography: ST_DISTANCE is in meters on a sphere of this radius.
EARTH_RADIUS_M = 6371008.8
#: A point as the sample stores GEOGRAPHY: WKT text, ``POINT(longitude latitude)``.
_WKT_POINT = r"^\s*POINT\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$"
#: Nodes a geography argument may have; ST_DISTANCE copies each argument eight times.
_GEOGRAPHY_ARGUMENT_NODES = 2_000
#: Geography functions the sample computes; the others are not available on it.
_SAMPLE_GEOGRAPHY = ("st_geogpoint", "st_astext", "st_x", "st_y", "st_dwithin")


@functools.cache
def _template(sql: str) -> exp.Expr:
    import sqlglot

    return sqlglot.parse_one(sql, read="duckdb")


def _fill(template: str, **values: exp.Expr) -> exp.Expr:
    """A DuckDB expression from ``template`` with each column ``lgda_<name>`` replaced."""
    from sqlglot import exp

    def put(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and node.name.startswith("lgda_"):
            return values[node.name[5:]].copy()
        return node

    return _template(template).copy().transform(put, copy=False)


def _not_on_sample(name: str, why: str = "") -> SQLError:
    return SQLError(
        f"{name} is not available on the embedded DuckDB sample{why}.",
        hint="Run the query on BigQuery (LGDA_BACKEND=bigquery), or write it without "
        f"{name}. On the sample, geography works with ST_GEOGPOINT, ST_ASTEXT, ST_X, ST_Y, "
        "ST_DISTANCE and ST_DWITHIN.",
    )


def _to_duckdb(node: exp.Func) -> None:
    """Write one BigQuery function DuckDB lacks in DuckDB's terms (module docstring)."""
    from sqlglot import exp

    if isinstance(node, exp.ArrayAgg | exp.GroupConcat | exp.ArrayConcatAgg):
        if isinstance(node.this, exp.Limit):
            _aggregate_limit(node)
    elif isinstance(node, exp.Pad):
        # DuckDB's LPAD/RPAD take an INTEGER length; BigQuery's lengths are INT64.
        node.set("expression", exp.cast(node.expression, exp.DataType.build("INT")))
    elif isinstance(node, exp.SafeFunc):
        node.replace(exp.Try(this=node.this))
    elif isinstance(node, exp.TimestampDiff | exp.DatetimeDiff):
        _whole_units(node)
    elif isinstance(node, exp.Extract):
        _extract_part(node)
    elif isinstance(node, exp.StDistance):
        spheroid = node.args.get("use_spheroid")
        if spheroid is not None and not (isinstance(spheroid, exp.Boolean) and not spheroid.this):
            raise _not_on_sample("ST_DISTANCE", " with use_spheroid (only the sphere)")
        node.replace(_distance(node.this, node.expression))
    elif isinstance(node, exp.Anonymous):
        name = str(node.this).lower()
        if name.startswith(("st_", "s2_")):
            node.replace(_geography(name, node.expressions))
    elif type(node).__name__.startswith("St") and type(node).__name__[2:3].isupper():
        raise _not_on_sample(node.sql_name())


def _extract_part(node: exp.Extract) -> None:
    """``EXTRACT`` parts whose numbering differs between the two engines: BigQuery's
    ``DAYOFWEEK`` runs 1 (Sunday) to 7 where DuckDB's runs 0 to 6; its ``WEEK`` counts
    weeks starting Sunday (``WEEK(MONDAY)``: Monday), days before the first one in week 0,
    where DuckDB's ``WEEK`` is the ISO week, which is BigQuery's ``ISOWEEK``."""
    from sqlglot import exp

    part = node.this
    if isinstance(part, exp.WeekStart):
        day = part.this.name.upper() if isinstance(part.this, exp.Var) else ""
        if day not in {"SUNDAY", "MONDAY"}:
            raise _not_on_sample(f"EXTRACT(WEEK({day or '...'}))", " (only SUNDAY and MONDAY)")
        node.replace(_week_number(node.expression, "%U" if day == "SUNDAY" else "%W"))
        return
    name = part.name.upper() if isinstance(part, exp.Var) else ""
    if name == "DAYOFWEEK":
        dow = exp.Extract(this=exp.var("DOW"), expression=node.expression)
        node.replace(exp.Paren(this=exp.Add(this=dow, expression=exp.Literal.number(1))))
    elif name == "ISOWEEK":
        node.set("this", exp.var("WEEK"))
    elif name == "WEEK":
        node.replace(_week_number(node.expression, "%U"))


def _week_number(value: exp.Expr, pattern: str) -> exp.Expr:
    """``CAST(STRFTIME(value, pattern) AS BIGINT)``: a week of the year, week 0 before the
    first Sunday (``%U``) or Monday (``%W``), as BigQuery numbers them."""
    from sqlglot import exp

    text = exp.Anonymous(this="STRFTIME", expressions=[value, exp.Literal.string(pattern)])
    return exp.cast(text, exp.DataType.build("BIGINT"))


#: Parts ``TIMESTAMP_DIFF`` counts in whole units of a fixed length.
_FIXED_PARTS = frozenset({"DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"})


def _whole_units(node: exp.Func) -> None:
    """``TIMESTAMP_DIFF(a, b, DAY)``: BigQuery counts whole days (47 hours is 1), where
    DuckDB's ``DATE_DIFF`` counts the midnights crossed (47 hours may be 2). DuckDB's
    ``DATE_SUB(part, b, a)`` counts whole parts, truncated toward zero, as BigQuery does."""
    from sqlglot import exp

    unit = node.args.get("unit")
    part = (unit.name if isinstance(unit, exp.Expr) else str(unit or "")).upper()
    if part not in _FIXED_PARTS:
        return
    node.replace(
        exp.Anonymous(
            this="DATE_SUB",
            expressions=[exp.Literal.string(part.lower()), node.expression, node.this],
        )
    )


def _aggregate_limit(node: exp.Func) -> None:
    """``AGG(x ORDER BY y LIMIT n)``: aggregate into a list, slice its first n items."""
    from sqlglot import exp

    limit = node.this
    count = limit.expression
    inner = limit.this
    node.set("this", inner)
    if isinstance(node, exp.ArrayAgg):
        # IGNORE NULLS wraps the aggregate; the slice goes around both.
        target: exp.Expr = node
        if isinstance(node.parent, exp.IgnoreNulls | exp.RespectNulls):
            target = node.parent
        sliced = exp.Anonymous(this="LIST_SLICE", expressions=[])
        target.replace(sliced)
        sliced.set("expressions", [target, exp.Literal.number(1), count])
        return
    value = inner.this if isinstance(inner, exp.Order) else inner
    if isinstance(value, exp.Distinct):
        value = value.expressions[0]
    # STRING_AGG and ARRAY_CONCAT_AGG skip NULL inputs before the limit counts them.
    present = exp.Filter(
        this=exp.ArrayAgg(this=inner),
        expression=exp.Where(this=exp.not_(exp.Is(this=value.copy(), expression=exp.Null()))),
    )
    items = exp.Anonymous(this="LIST_SLICE", expressions=[present, exp.Literal.number(1), count])
    if isinstance(node, exp.GroupConcat):
        separator = node.args.get("separator") or exp.Literal.string(",")
        node.replace(exp.Anonymous(this="ARRAY_TO_STRING", expressions=[items, separator]))
    else:
        node.replace(exp.Anonymous(this="FLATTEN", expressions=[items]))


def _coordinate(geography: exp.Expr, group: int) -> exp.Expr:
    """Longitude (group 1) or latitude (group 2) of a WKT point, as DOUBLE."""
    from sqlglot import exp

    _check_size(geography)
    pattern = exp.Literal.string(_WKT_POINT)
    found = exp.Anonymous(
        this="REGEXP_EXTRACT",
        expressions=[geography.copy(), pattern, exp.Literal.number(group)],
    )
    return exp.cast(found, exp.DataType.build("DOUBLE"))


def _check_size(geography: exp.Expr) -> None:
    """Geography arguments are copied into the rewrite: nested distances would grow the
    SQL eightfold per level, so an argument has a bounded number of nodes."""
    for index, _ in enumerate(geography.walk()):
        if index > _GEOGRAPHY_ARGUMENT_NODES:
            raise _not_on_sample(
                "A geography expression this large", " (distances nested in distances)"
            )


def _distance(a: exp.Expr, b: exp.Expr) -> exp.Expr:
    """Great-circle distance in meters on BigQuery's sphere.

    The arctangent form (Vincenty's formula on a sphere) is exact from coincident to
    antipodal points, needs no clamping into ASIN's domain and gives NULL for a NULL
    point (a clamp with LEAST would turn NULL into a number).
    """
    lng1, lat1, lng2, lat2 = (_coordinate(a, 1), _coordinate(a, 2), _coordinate(b, 1),
                              _coordinate(b, 2))  # fmt: skip
    return _fill(
        f"{EARTH_RADIUS_M} * ATAN2("
        "SQRT(POWER(COS(lgda_p2) * SIN(lgda_dl), 2)"
        " + POWER(COS(lgda_p1) * SIN(lgda_p2) - SIN(lgda_p1) * COS(lgda_p2) * COS(lgda_dl), 2)),"
        " SIN(lgda_p1) * SIN(lgda_p2) + COS(lgda_p1) * COS(lgda_p2) * COS(lgda_dl))",
        p1=_fill("RADIANS(lgda_v)", v=lat1),
        p2=_fill("RADIANS(lgda_v)", v=lat2),
        dl=_fill("RADIANS(lgda_b - lgda_a)", a=lng1, b=lng2),
    )


def _geography(name: str, args: list[Any]) -> exp.Expr:
    """One of ``_SAMPLE_GEOGRAPHY`` over WKT text; the rest are not on the sample."""
    from sqlglot import exp

    upper = name.upper()
    if name not in _SAMPLE_GEOGRAPHY:
        raise _not_on_sample(upper)
    if name == "st_geogpoint" and len(args) == 2:
        # Whole numbers print without ".0", as BigQuery writes them: POINT(1 2).
        return _fill(
            "'POINT(' || REGEXP_REPLACE(CAST(CAST(lgda_x AS DOUBLE) AS TEXT), '\\.0$', '')"
            " || ' ' || REGEXP_REPLACE(CAST(CAST(lgda_y AS DOUBLE) AS TEXT), '\\.0$', '')"
            " || ')'",
            x=args[0],
            y=args[1],
        )
    if name == "st_astext" and len(args) == 1:
        return exp.cast(args[0], exp.DataType.build("TEXT"))
    if name in ("st_x", "st_y") and len(args) == 1:
        return _coordinate(args[0], 1 if name == "st_x" else 2)
    if name == "st_dwithin" and len(args) in (3, 4):
        spheroid = args[3] if len(args) == 4 else None
        if spheroid is not None and not (isinstance(spheroid, exp.Boolean) and not spheroid.this):
            raise _not_on_sample("ST_DWITHIN", " with use_spheroid (only the sphere)")
        return exp.LTE(this=exp.Paren(this=_distance(args[0], args[1])), expression=args[2])
    raise _not_on_sample(upper, f" with {len(args)} arguments")


def cap_rows(tree: exp.Query, cap: int) -> tuple[exp.Query, bool]:
    """Return the tree with an outer LIMIT of at most ``cap + 1`` rows.

    One row more than the cap is fetched so the caller can tell the user the
    answer was truncated. Returns whether the limit was injected.
    """
    from sqlglot import exp

    if not _needs_cap(tree, cap):
        return tree, False
    return tree.limit(exp.Limit(expression=exp.Literal.number(cap + 1)), copy=True), True


def to_backend(tree: exp.Query, *, dialect: str) -> str:
    """Generate the backend's SQL with bare table names.

    The checked tree only names tables of the configured dataset, so qualifiers
    carry no information: DuckDB keeps the tables in ``main``, and BigQuery jobs
    run with the configured dataset as their default dataset.
    """
    return _for_backend(tree.copy(), dialect).sql(dialect=dialect, copy=False)

"""The SQL policy: one ``SecurityValidator`` every statement passes before a backend.

The policy is an allowlist read off the sqlglot tree, never a scan of the text:

* **text** -- bounded length; outside string literals and quoted identifiers only
  ASCII, so look-alike letters and invisible characters cannot disguise keywords.
* **one query** -- exactly one statement whose root is a query (SELECT, WITH,
  set operations); no node anywhere in the tree that writes, defines, scripts,
  configures or exports (sqlglot turns unknown syntax into ``Command``, and
  ``Drop``/``Set``/``Attach``/``Pragma`` are not ``DDL``, so these are listed).
* **tables** -- every table reference is a plain name on the allowlist, bare or
  qualified with the configured project and dataset; no table functions, no
  wildcards, no metadata schemas, no time travel unless enabled. CTE names only
  shadow bare references, and their bodies are checked like any other query.
* **functions** -- functions sqlglot knows by type are allowed unless they are on
  a short denylist (file readers, sequences); functions it does not know
  (``exp.Anonymous``, where DuckDB's ``getenv``, ``query()`` or ``nextval`` land)
  must be on an explicit allowlist of BigQuery functions. Allowlisting the
  unknown is what keeps new DuckDB system functions out by default.
* **shape** -- bounded subquery depth and join count.

The backend never runs the user's text: it runs SQL generated from the checked
tree, and that SQL is parsed again in the backend's dialect and must still be
one query over the same tables (two engines tokenize escapes and comments
differently; this round trip closes that gap).

The text is tokenized and parsed once; every rule reads that one tree, walked once. A text
that passed is remembered (bounded, least recently used first out) with the
policy and the table names it was checked against, so a repeated query (up to the
spaces and line breaks around it) is not parsed again; refusals are never remembered.
The SQL generated from it for a backend is kept with it, by row cap, dialect and
masking (a few of each).
"""

from __future__ import annotations

import datetime
import difflib
import functools
import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from lgda_nb._bigquery_text import SELECT_REWRITTEN, lean_generator
from lgda_nb.errors import SecurityError, SQLSyntaxError, UnknownTableError, UsageError

if TYPE_CHECKING:
    from sqlglot import exp

    from lgda_nb._config import UnifiedConfig

CANONICAL_DIALECT = "bigquery"

#: Statement and clause types that write, define, script, configure or export.
_FORBIDDEN_NODES = (
    "Alter", "AlterColumn", "AlterRename", "AlterSet", "Attach", "Cache", "Command",
    "Comment", "Commit", "Copy", "Create", "Declare", "Delete", "Describe", "Detach",
    "Drop", "Execute", "ExecuteSql", "Export", "Grant", "Insert", "Install", "Into",
    "Kill", "LoadData", "Merge", "Pragma", "Refresh", "Revoke", "Rollback", "Set",
    "SetItem", "Show", "Summarize", "Transaction", "TruncateTable", "Uncache", "Update",
    "Use", "UserDefinedFunction", "Analyze", "Checkpoint", "Vacuum", "Returning",
)  # fmt: skip

#: Typed functions that reach outside the query (files, sequences, models) or say who is
#: asking (identity and session functions).
_DENIED_FUNCTIONS = frozenset(
    {"ReadCSV", "ReadParquet", "ToFile", "NextValueFor", "Predict", "GenerateEmbedding",
     "FeaturesAtTime", "VectorSearch", "ExternalQuery"}
)  # fmt: skip
_IDENTITY_FUNCTIONS = frozenset(
    {"SessionUser", "CurrentUser", "CurrentRole", "CurrentSchema", "CurrentCatalog"}
)
#: Namespaces of BigQuery's remote-model functions (AI.GENERATE, ML.PREDICT, ...): they send
#: rows to a model outside the warehouse and bill outside the bytes ceiling.
_MODEL_NAMESPACES = frozenset({"ai", "ml"})
#: Elements an array generator may produce, and characters REPEAT or padding may.
MAX_GENERATED = 1_000_000

#: BigQuery functions sqlglot parses as anonymous calls that analysts use; nothing
#: else it does not know by type is allowed (see the module docstring).
ALLOWED_ANONYMOUS = frozenset(
    """
    approx_top_count approx_top_sum array_concat_agg array_reverse bit_count byte_length
    cbrt char_length character_length code_points_to_string collate contains_substr cot
    coth csc csch cume_dist date_bucket datetime_bucket div edit_distance ends_with
    error farm_fingerprint first_value format from_base32 from_base64 from_hex
    generate_timestamp_array greatest hll_count.extract hll_count.init hll_count.merge
    ieee_divide initcap instr is_inf is_nan justify_days justify_hours justify_interval
    last_value lax_bool lax_float64 lax_int64 lax_string least left logical_and
    logical_or lpad ltrim make_interval md5 net.host net.ip_from_string
    net.ip_net_mask net.ip_to_string net.ipv4_from_int64 net.ipv4_to_int64
    net.public_suffix net.reg_domain nth_value ntile normalize normalize_and_casefold
    octet_length parse_bignumeric parse_datetime parse_json parse_numeric percent_rank
    percentile_cont percentile_disc range_bucket regexp_instr regexp_substr repeat
    replace reverse right rpad rtrim safe_add safe_convert_bytes_to_string safe_multiply
    safe_negate safe_subtract sec sech sha1 sha256 sha512 soundex split starts_with
    string strpos substring timestamp_bucket to_base32 to_base64 to_code_points
    to_hex to_json to_json_string translate trunc unicode
    """.split()
) | frozenset(
    # Geography functions compute on their arguments only. ST_REGIONSTATS is left out:
    # it reads a raster from outside the dataset.
    """
    s2_cellidfrompoint s2_coveringcellids st_angle st_area st_asbinary st_asgeojson
    st_astext st_azimuth st_boundary st_boundingbox st_buffer st_bufferwithtolerance
    st_centroid st_centroid_agg st_closestpoint st_clusterdbscan st_contains
    st_convexhull st_coveredby st_covers st_difference st_dimension st_disjoint
    st_distance st_dump st_dwithin st_endpoint st_equals st_extent st_exteriorring
    st_geogfrom st_geogfromgeojson st_geogfromtext st_geogfromwkb st_geogpoint
    st_geogpointfromgeohash st_geohash st_geometrytype st_hausdorffdistance
    st_interiorrings st_intersection st_intersects st_intersectsbox st_isclosed
    st_iscollection st_isempty st_isring st_length st_lineinterpolatepoint
    st_linelocatepoint st_linesubstring st_makeline st_makepolygon
    st_makepolygonoriented st_maxdistance st_npoints st_numgeometries st_numpoints
    st_perimeter st_pointn st_simplify st_snaptogrid st_startpoint st_touches st_union
    st_union_agg st_within st_x st_y
    """.split()
)

_METADATA_SCHEMAS = ("information_schema", "pg_catalog", "sys", "duckdb_", "sqlite_")

#: Checked texts a validator remembers.
CHECKED_CACHE_SIZE = 256


def _default_dataset() -> str:
    from lgda_nb.sample._schema import DATASET

    return DATASET


@dataclass(frozen=True)
class SecurityPolicy:
    """What the validator allows; built from ``UnifiedConfig.security``."""

    allowed_tables: frozenset[str]
    #: The dataset unqualified names are read from; the config's (the sample's by default).
    dataset: str = field(default_factory=_default_dataset)
    max_length: int = 100_000
    max_depth: int = 12
    max_joins: int = 16
    allow_time_travel: bool = False
    denied_columns: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ValidatedSQL:
    """A query that passed the policy: its canonical text, its tree and its tables.

    The same object answers every later validation of the same text, so its tree
    is shared: read it, or ``copy()`` it before changing anything.
    """

    canonical: str
    tree: exp.Query
    tables: tuple[str, ...]
    #: SQL generated from ``tree`` for a backend, by (row cap, dialect, masking): see
    #: ``lgda_nb.engine._sql.backend_sql``.
    derived: dict[tuple[int, str, str], tuple[str, bool]] = field(
        default_factory=dict, compare=False, repr=False
    )


#: Functions whose output grows with an argument: arrays by element, strings by character,
#: by their BigQuery names.
_GENERATOR_NAMES = {
    "GenerateSeries": "GENERATE_ARRAY",
    "GenerateDateArray": "GENERATE_DATE_ARRAY",
    "GenerateTimestampArray": "GENERATE_TIMESTAMP_ARRAY",
    "Repeat": "REPEAT",
    "Pad": "LPAD/RPAD",
    "Space": "SPACE",
}
#: The shortest length of each interval unit, in seconds: a size computed with it is an
#: upper bound.
_UNIT_SECONDS = {
    "MICROSECOND": 1e-6, "MILLISECOND": 1e-3, "SECOND": 1.0, "MINUTE": 60.0,
    "HOUR": 3600.0, "DAY": 86400.0, "WEEK": 7 * 86400.0, "MONTH": 28 * 86400.0,
    "QUARTER": 89 * 86400.0, "YEAR": 365 * 86400.0,
}  # fmt: skip
#: The argument that sets the size of a generator's output, guarded at run time when it
#: is not a literal.
_SIZE_ARGUMENT = {
    "GenerateSeries": "end", "GenerateDateArray": "end", "GenerateTimestampArray": "end",
    "Repeat": "times", "Pad": "expression", "Space": "this",
}  # fmt: skip


@functools.cache
def _generator_types() -> tuple[type, ...]:
    from sqlglot import exp

    return tuple(getattr(exp, name) for name in _GENERATOR_NAMES)


def _number(node: Any) -> float | None:
    from sqlglot import exp

    if isinstance(node, exp.Neg):
        inner = _number(node.this)
        return -inner if inner is not None else None
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return float(node.this)
        except ValueError:
            return None
    return None


def _instant(node: Any) -> datetime.datetime | None:
    """A DATE or TIMESTAMP literal as a naive UTC datetime; None for anything else."""
    from sqlglot import exp

    if isinstance(node, exp.Cast):
        node = node.this
    if not (isinstance(node, exp.Literal) and node.is_string):
        return None
    try:
        value = datetime.datetime.fromisoformat(node.this.strip())
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def _step(func: exp.Func) -> tuple[Any, str] | None:
    """A date or timestamp array's step as (count node, unit); None if it has no unit."""
    from sqlglot import exp

    step = func.args.get("step")
    if step is None:
        return (exp.Literal.number(1), "DAY") if isinstance(func, exp.GenerateDateArray) else None
    unit = step.args.get("unit") if isinstance(step, exp.Interval) else None
    name = unit.name.upper() if isinstance(unit, exp.Var) else ""
    return (step.this, name) if name in _UNIT_SECONDS else None


def _generated_size(func: exp.Func) -> float | None:
    """Elements (characters for strings) ``func`` produces when its bounds are literals;
    None when they are not."""
    from sqlglot import exp

    if isinstance(func, exp.GenerateSeries):
        start, end = _number(func.args.get("start")), _number(func.args.get("end"))
        step = _number(func.args.get("step")) if func.args.get("step") is not None else 1.0
        if start is not None and end is not None and step:
            return abs(end - start) / abs(step)
        return None
    if isinstance(func, exp.GenerateDateArray | exp.GenerateTimestampArray):
        return _dates_size(func)
    if isinstance(func, exp.Repeat):
        times = _number(func.args.get("times"))
        text = func.this
        width = len(text.this) if isinstance(text, exp.Literal) and text.is_string else 1
        return None if times is None else times * max(width, 1)
    return _number(func.expression if isinstance(func, exp.Pad) else func.this)


def _dates_size(func: exp.Func) -> float | None:
    """Elements of a date or timestamp array with literal bounds and step (an upper bound:
    a month counts as 28 days)."""
    from sqlglot import exp

    start, end = _instant(func.args.get("start")), _instant(func.args.get("end"))
    step = _step(func)
    if start is None or end is None or step is None or not isinstance(step[0], exp.Literal):
        return None
    try:
        count = abs(float(step[0].this))
    except ValueError:
        return None
    if not count:
        return None
    return abs((end - start).total_seconds()) / (count * _UNIT_SECONDS[step[1]])


def _check_generated(func: exp.Func) -> None:
    """Array generators, REPEAT and padding may not produce more than ``MAX_GENERATED``
    elements (characters): ``GENERATE_ARRAY(1, 2000000000)`` grew past 6 GB.

    Literal bounds are checked here. Other bounds are checked when the query runs
    (``guard_generated``, which copies them into the check), so they may not hold a
    generator themselves (each level would double the SQL) and a date or timestamp
    array needs an ``INTERVAL`` step with a unit.
    """
    from sqlglot import exp

    if not isinstance(func, _generator_types()):
        return
    name = _GENERATOR_NAMES[type(func).__name__]
    size = _generated_size(func)
    if size is not None and size > MAX_GENERATED:
        _refuse(
            "shape",
            f"it would generate {size:,.0f} elements; the limit is {MAX_GENERATED:,}",
            func.sql(dialect=CANONICAL_DIALECT),
            hint="Generate a smaller range.",
        )
    if size is not None:
        return
    if isinstance(func, exp.GenerateDateArray | exp.GenerateTimestampArray) and not _step(func):
        _refuse(
            "shape",
            f"{name} needs an INTERVAL step with a unit (INTERVAL 1 DAY) when its bounds "
            "are not literals",
            func.sql(dialect=CANONICAL_DIALECT),
        )
    generators = _generator_types()
    for key in ("start", "end", "step", _SIZE_ARGUMENT[type(func).__name__]):
        bound = func.args.get(key)
        if isinstance(bound, exp.Expr) and any(
            isinstance(node, generators) for node in bound.walk()
        ):
            _refuse(
                "shape",
                f"the size of {name} is computed from another generator",
                func.sql(dialect=CANONICAL_DIALECT),
                hint="Write the bound as a number, a column or a subquery.",
            )


def guard_generated(func: exp.Func) -> None:
    """Give a generator whose size is not a literal a check when it runs: past
    ``MAX_GENERATED`` elements it raises ERROR() instead of filling memory.

    Changes ``func`` in place (a backend's copy of a checked tree): its size argument
    becomes ``CASE WHEN NOT (size <= limit) THEN ERROR(...) ELSE argument END``; a NULL
    size passes through, as the generator itself answers NULL for it.
    """
    from sqlglot import exp

    if not isinstance(func, _generator_types()) or _generated_size(func) is not None:
        return
    kind = type(func).__name__
    key = _SIZE_ARGUMENT[kind]
    bound = func.args.get(key)
    if not isinstance(bound, exp.Expr):
        return
    double = exp.DataType.build("DOUBLE")
    limit: exp.Expr = exp.Literal.number(MAX_GENERATED)
    size: exp.Expr
    if isinstance(func, exp.GenerateSeries):
        start = func.args["start"]
        size = exp.Abs(this=exp.Sub(this=exp.cast(bound.copy(), double),
                                    expression=exp.cast(start.copy(), double)))  # fmt: skip
        if func.args.get("step") is not None:
            step = exp.Abs(this=exp.cast(func.args["step"].copy(), double))
            limit = exp.Mul(this=limit, expression=step)
    elif isinstance(func, exp.GenerateDateArray | exp.GenerateTimestampArray):
        count, unit = _step(func) or (exp.Literal.number(1), "DAY")
        diff = exp.DateDiff if isinstance(func, exp.GenerateDateArray) else exp.TimestampDiff
        size = exp.Abs(this=diff(this=bound.copy(), expression=func.args["start"].copy(),
                                 unit=exp.var(unit)))  # fmt: skip
        limit = exp.Mul(this=limit, expression=exp.Abs(this=exp.cast(count.copy(), double)))
    else:
        size = bound.copy()
        text = func.this if isinstance(func, exp.Repeat) else None
        if isinstance(text, exp.Literal) and text.is_string and len(text.this) > 1:
            size = exp.Mul(this=size, expression=exp.Literal.number(len(text.this)))
    name = _GENERATOR_NAMES[kind]
    message = (
        f"Refused by the shape rule: {name} would generate more than {MAX_GENERATED:,} elements."
    )
    check = exp.Not(this=exp.Paren(this=exp.LTE(this=size, expression=limit)))
    fail = exp.Anonymous(this="ERROR", expressions=[exp.Literal.string(message)])
    func.set(key, exp.Case(ifs=[exp.If(this=check, true=fail)], default=bound))


@dataclass
class _Found:
    """What one walk of a tree finds, each list in the order ``find_all`` would give."""

    #: Nodes the read-only rule looks at: locks, parameters, forbidden types, versions.
    flagged: list[exp.Expr] = field(default_factory=list)
    tables: list[exp.Table] = field(default_factory=list)
    columns: list[exp.Column] = field(default_factory=list)
    dots: list[exp.Dot] = field(default_factory=list)
    funcs: list[exp.Func] = field(default_factory=list)
    ctes: list[exp.CTE] = field(default_factory=list)
    joins: int = 0
    depth: int = 0
    #: Levels of the tree a generator recurses through (``_collect``).
    levels: int = 0


_FLAGGED, _TABLE, _COLUMN, _DOT, _FUNC, _CTE, _JOIN, _NESTS, _CHAIN = (1 << bit for bit in range(9))


#: Node class -> what the rules want of it (``_kind``), filled as classes are met.
_KINDS: dict[type, int] = {}


def _kind(cls: type) -> int:
    """What the rules want of a node class, as bits (computed once per class)."""
    bits = _KINDS.get(cls)
    if bits is None:
        from sqlglot import exp

        flagged = (exp.Lock, exp.Parameter, exp.Placeholder, exp.Version, *_forbidden_types())
        kinds = (
            (_FLAGGED, flagged), (_TABLE, exp.Table), (_COLUMN, exp.Column), (_DOT, exp.Dot),
            (_FUNC, exp.Func), (_CTE, exp.CTE), (_JOIN, exp.Join),
            (_NESTS, (exp.Subquery, exp.Select)),
            (_CHAIN, (exp.Binary, exp.SetOperation)),
        )  # fmt: skip
        bits = _KINDS[cls] = sum(bit for bit, types in kinds if issubclass(cls, types))
    return bits


def _collect(tree: exp.Expr, *, forget_positions: bool = False) -> _Found:
    """Walk ``tree`` once, breadth first as ``find_all`` does, and sort out what every
    rule reads; the subquery depth (nested SELECTs and subqueries) is counted on the way.
    With ``forget_positions`` the same walk drops the parser's token positions
    (``_forget_node_positions``)."""
    found = _Found()
    queue: deque[tuple[Any, int, int]] = deque([(tree, 1, 1)])  # Any: sorted by class below
    kind = _kind
    while queue:
        node, depth, level = queue.popleft()
        found.depth = max(found.depth, depth)
        found.levels = max(found.levels, level)
        if forget_positions and node._meta:
            _forget_node_positions(node)
        bits = kind(type(node))
        if bits:
            if bits & _FLAGGED:
                found.flagged.append(node)
            if bits & _TABLE:
                found.tables.append(node)
            if bits & _COLUMN:
                found.columns.append(node)
            if bits & _DOT:
                found.dots.append(node)
            if bits & _FUNC:
                found.funcs.append(node)
            if bits & _CTE:
                found.ctes.append(node)
            if bits & _JOIN:
                found.joins += 1
        for child in node.iter_expressions():
            child_bits = kind(type(child))
            queue.append(
                (
                    child,
                    depth + 1 if child_bits & _NESTS else depth,
                    level + (0 if child_bits & bits & _CHAIN and _flat(node, child) else 1),
                )
            )
    return found


def _flat(parent: Any, child: Any) -> bool:
    """Whether sqlglot's generator writes ``child`` in the same loop as ``parent`` instead
    of one level deeper: a chain of one binary operator (``a + b + c``), of AND/OR, or of
    set operations. Such chains may be long; every other level counts (``_collect``)."""
    from sqlglot import exp

    if type(parent) is type(child):
        return not isinstance(child, exp.Dot)  # a.b.c is written one level per part
    return isinstance(parent, exp.Connector) and isinstance(child, exp.Connector)


#: Where a token stood in the text, kept by the parser on each node's ``meta``.
_POSITIONS = ("line", "col", "start", "end")


def _forget_node_positions(node: Any) -> None:
    """Drop the parser's token positions from one node of a checked tree: only a refusal
    points into the text, and every copy of the tree (the canonical text, each backend's
    SQL) would copy them, which is half of copying it. Other ``meta`` (how a name was
    quoted or spelt) is kept."""
    meta = node._meta
    for key in _POSITIONS:
        meta.pop(key, None)
    if not meta:
        node._meta = None


def _as_read(tree: exp.Query) -> exp.Query:
    """A tree built in code, made (in place) what BigQuery's parser gives for its text.

    The backend's SQL is generated from the checked tree, so a built tree must carry
    what parsing its canonical text would: the same text can stand for two trees that
    other dialects write differently. Three differences arise, each mended here:

    * an ORDER BY key written without ``Ordered`` means ascending with NULLs first
      (BigQuery's order), which DuckDB must be told (``NULLS FIRST``);
    * a name BigQuery reserves (``current``) is written quoted and read back quoted;
    * ``IF(c, x)`` is written ``IF(c, x, NULL)`` and read back with its NULL.
    """
    from sqlglot import exp

    generator = _bigquery_generator()
    reserved = generator.RESERVED_KEYWORDS
    for node in list(tree.walk()):
        if isinstance(node, exp.Order):
            for key in list(node.expressions):
                if not isinstance(key, exp.Ordered):
                    ordered = exp.Ordered(nulls_first=True)
                    key.replace(ordered)
                    ordered.set("this", key)
        elif isinstance(node, exp.Ordered):
            node.set("nulls_first", bool(node.args.get("nulls_first")))
        elif isinstance(node, exp.Identifier):
            name = node.name
            if not node.quoted and (name.lower() in reserved or name[:1].isdigit()):
                node.set("quoted", True)
        elif (
            isinstance(node, exp.If)
            and node.args.get("false") is None
            and not isinstance(node.parent, exp.Case)  # a WHEN of a CASE: no ELSE of its own
        ):
            node.set("false", exp.Null())
    return tree


@functools.cache
def _bigquery_generator() -> Any:
    from sqlglot.dialects.dialect import Dialect

    return Dialect.get_or_raise(CANONICAL_DIALECT).generator_class


def _canonical_sql(tree: exp.Query, found: _Found) -> str:
    """The canonical BigQuery text of a checked tree.

    sqlglot's BigQuery generator runs a chain of rewrites on every SELECT (EXPLODE
    to UNNEST, DISTINCT ON, SEMI/ANTI joins, unnest aliases, GROUP BY aliases) and
    builds a scope for it first, which costs about 40% of generating a typical query.
    A SELECT none of them applies to is generated as it stands; any other tree takes
    sqlglot's own path. Only this text skips them: backend SQL is generated in full.
    """
    generator = lean_generator()
    if generator is None or any(type(f).__name__ in SELECT_REWRITTEN for f in found.funcs):
        return tree.sql(dialect=CANONICAL_DIALECT)
    return cast("str", generator().generate(tree, copy=True))


@functools.cache
def _checking_parser_class() -> type | None:
    """BigQuery's parser without the wasted work of its implicit-UNNEST pass.

    BigQuery reads ``FROM t, t.items`` as ``FROM t, UNNEST(t.items)``: after every
    SELECT the parser copies and normalizes the FROM source and each joined source to
    look for such a join, and a subquery in FROM is copied whole at every level of
    nesting. Only a join of a plain table name without ``ON`` can be rewritten, so a
    SELECT without one is returned as it is (the pass would change nothing); any other
    goes through the pass. None where the parser cannot be subclassed (sqlglot compiled
    as ``sqlglotc``) or has no such pass.
    """
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect

    dialect = Dialect.get_or_raise(CANONICAL_DIALECT)
    base = dialect.parser_class
    rewrite = getattr(base, "_implicit_unnests_to_explicit", None)
    if rewrite is None:
        return None

    def implicit_unnests(self: Any, this: Any) -> Any:
        for join in this.args.get("joins") or ():
            if isinstance(join.this, exp.Table) and not join.args.get("on"):
                return rewrite(self, this)
        return this

    try:
        overrides = {"_implicit_unnests_to_explicit": implicit_unnests}
        parser = type("CheckingParser", (base,), overrides)
        parser(dialect=dialect)
    except TypeError:  # "interpreted classes cannot inherit from compiled"
        return None
    return parser


#: Levels of nesting a query may have: brackets, CASE ... END, prefix operators (NOT, -)
#: and chained subscripts. The parser recurses once per level, so the limit is checked on
#: the tokens, before parsing, whatever the interpreter's recursion limit (or none, where
#: sqlglot is compiled).
MAX_NESTING = 32
#: Calls of a type's name (``DATE(DATE(...))``, ``STRUCT(STRUCT(...))``) nested inside
#: each other: the parser tries each as a type first, so its work doubles per level.
MAX_TYPE_CALL_NESTING = 8
#: Levels of the parsed tree, not counting chains of one operator (``a + b + c``), AND/OR
#: or set operations, which sqlglot writes in a loop: ``a.b.c...`` or ``1 + 1 - 1 + ...``
#: nest without brackets, and generating SQL recurses once per level.
MAX_TREE_LEVELS = 100

_NESTING_HINT = (
    "Flatten the expression: compute inner parts in a WITH clause or a subquery column, "
    "or split it into simpler expressions."
)


@functools.cache
def _nesting_tokens() -> tuple[frozenset[Any], frozenset[Any], frozenset[Any], frozenset[Any]]:
    """Token types that open and close a level, prefix operators, and type names."""
    from sqlglot import TokenType
    from sqlglot.dialects.dialect import Dialect

    opening = frozenset({TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE,
                         TokenType.CASE})  # fmt: skip
    closing = frozenset({TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE,
                         TokenType.END})  # fmt: skip
    prefix = frozenset({TokenType.NOT, TokenType.DASH, TokenType.PLUS, TokenType.TILDE})
    parser = Dialect.get_or_raise(CANONICAL_DIALECT).parser_class
    types = frozenset(getattr(parser, "TYPE_TOKENS", ()))
    return opening, closing, prefix, types


def _check_nesting(tokens: list[Any]) -> None:
    """At most ``MAX_NESTING`` levels of nesting and ``MAX_TYPE_CALL_NESTING`` nested calls
    of type names, counted on the tokens before anything is parsed.

    A prefix operator counts as a level until its operand ends (at the latest, where the
    bracket around it closes); a subscript right after another (``a[0][1]``) is parsed
    inside it, so a chain of them nests."""
    from sqlglot import TokenType

    opening, closing, prefix, types = _nesting_tokens()
    levels: list[tuple[int, bool]] = []  # (weight, is a call of a type's name) per open level
    depth = run = type_calls = 0
    previous: Any = None
    closed = 0  # weight of the subscript that closed just before, for chains
    for token in tokens:
        kind = token.token_type
        if kind in opening:
            chained = kind == TokenType.L_BRACKET and previous == TokenType.R_BRACKET
            weight = (closed if chained else 0) + run + 1
            typed = kind == TokenType.L_PAREN and previous in types
            levels.append((weight, typed))
            depth += weight
            type_calls += typed
            run = 0
        elif kind in closing:
            if levels:
                weight, typed = levels.pop()
                depth -= weight
                type_calls -= typed
                closed = weight
            run = 0
        elif kind in prefix:
            run += 1
        else:
            run = 0
        previous = kind
        if depth + run > MAX_NESTING:
            _refuse(
                "shape",
                f"the query is nested more than {MAX_NESTING} levels deep (brackets, CASE, "
                "NOT and signs)",
                hint=_NESTING_HINT,
            )
        if type_calls > MAX_TYPE_CALL_NESTING:
            _refuse(
                "shape",
                f"calls of type names such as DATE(...) or STRUCT(...) are nested more than "
                f"{MAX_TYPE_CALL_NESTING} deep",
                hint=_NESTING_HINT,
            )


def _refuse(rule: str, explanation: str, fragment: str = "", hint: str | None = None) -> None:
    shown = f" ({fragment.strip()[:80]})" if fragment.strip() else ""
    error = SecurityError(
        f"Refused by the {rule} rule: {explanation}{shown}.",
        hint=hint or SecurityError.default_hint,
    )
    error.rule = rule
    raise error


class SecurityValidator:
    """Checks SQL text against a ``SecurityPolicy``; see the module docstring."""

    def __init__(self, policy: SecurityPolicy) -> None:
        self.policy = policy
        self._checked: OrderedDict[tuple[Any, ...], ValidatedSQL] = OrderedDict()
        self._lock = threading.Lock()
        # sqlglot warns on stderr when it falls back to Command; the policy reports it.
        logging.getLogger("sqlglot").setLevel(logging.ERROR)

    # -- entry point -------------------------------------------------------------
    def validate(
        self,
        sql: str,
        *,
        known_tables: Collection[str] | None = None,
        tree: exp.Query | None = None,
    ) -> ValidatedSQL:
        """Parse and check ``sql``; raise ``SecurityError`` naming the rule it breaks.

        A text that passed before under the same policy and table names, up to spaces
        and line breaks around it, is answered from memory with the same
        ``ValidatedSQL`` (see the module docstring).

        ``tree`` is the query ``sql`` was written from, when the caller built it (the
        planner's compiled query): it is checked instead of parsing ``sql`` again, every
        rule of the tree on it and the text rules (plain ASCII, nesting) on its canonical
        text, which is what runs and what the backend's SQL is read back against. The
        validator keeps ``tree`` as the checked query: do not change it afterwards.
        """
        self._check_size(sql)
        key = (_normalized(sql), self.policy,
               None if known_tables is None else frozenset(known_tables))  # fmt: skip
        with self._lock:
            hit = self._checked.get(key)
            if hit is not None:
                self._checked.move_to_end(key)
                return hit
        try:
            built = tree is not None
            tree = self._built(tree) if tree is not None else self.parse(sql)
            # One walk; the rules below read what it found. Token positions are dropped on
            # the way: a refusal quotes the fragment, not its place.
            found = _collect(tree, forget_positions=True)
            self.check_shape(tree, found)  # first: the other rules quote fragments as SQL
            self.check_nodes(tree, found)
            tables = self.check_tables(tree, known_tables=known_tables, found=found)
            self.check_functions(tree, found)
            self.check_columns(tree, found)
            canonical = _canonical_sql(tree, found)
            if built:
                self._check_tokens(canonical)
            checked = ValidatedSQL(canonical, tree, tables)
        except RecursionError:
            _refuse(
                "shape",
                "the query is nested too deeply to check",
                hint="Flatten the expression or the subqueries (WITH clauses help).",
            )
            raise  # unreachable: _refuse raises
        with self._lock:
            self._checked[key] = checked
            while len(self._checked) > CHECKED_CACHE_SIZE:
                self._checked.popitem(last=False)
        return checked

    def clear(self) -> None:
        """Forget the texts that passed (the next validation of each parses again)."""
        with self._lock:
            self._checked.clear()

    # -- rules -------------------------------------------------------------------
    def _check_size(self, sql: str) -> None:
        """Some SQL, and not more of it than the policy allows."""
        if not sql or not sql.strip():
            raise UsageError(
                "There is no SQL to run.",
                hint="Write a SELECT statement below the %%lgda --sql line.",
            )
        if len(sql) > self.policy.max_length:
            _refuse(
                "length",
                f"the SQL is {len(sql):,} characters long; the limit is {self.policy.max_length:,}",
                hint="Shorten the query, or raise LGDA_SECURITY__MAX_SQL_LENGTH.",
            )

    @staticmethod
    def _built(tree: exp.Query) -> exp.Query:
        """A query built in code, to check: one query, as ``parse`` requires."""
        from sqlglot import exp

        if not isinstance(tree, exp.Query):
            _refuse(
                "read-only",
                f"only queries can run; this is a {type(tree).__name__.upper()} statement",
                hint="Write a SELECT (or WITH ... SELECT) query; nothing can be changed from here.",
            )
        return _as_read(tree)

    def _check_tokens(self, sql: str) -> list[Any]:
        """``sql`` tokenized once and checked as text (its size, plain ASCII outside
        quotes, nesting): the text rules of ``parse``, which a built tree's canonical text
        passes too. Returns the tokens."""
        from sqlglot.dialects.dialect import Dialect
        from sqlglot.errors import TokenError

        self._check_size(sql)
        try:
            tokens: list[Any] = Dialect.get_or_raise(CANONICAL_DIALECT).tokenize(sql)
        except TokenError as exc:
            raise SQLSyntaxError(
                f"The SQL does not parse: {exc}.", hint="Check for an unclosed quote or comment."
            ) from None
        self._check_text(tokens)
        _check_nesting(tokens)
        return tokens

    def parse(self, sql: str) -> exp.Query:
        """Exactly one statement, and it is a query; tokenized once, checked as plain text."""
        from sqlglot import exp
        from sqlglot.dialects.dialect import Dialect
        from sqlglot.errors import ParseError, TokenError

        tokens = self._check_tokens(sql)
        dialect = Dialect.get_or_raise(CANONICAL_DIALECT)
        try:
            parser = _checking_parser_class() or dialect.parser_class
            statements = [s for s in parser(dialect=dialect).parse(tokens, sql) if s is not None]
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
        except TokenError as exc:  # sqlglot may tokenize again inside a construct
            raise SQLSyntaxError(
                f"The SQL does not parse: {exc}.", hint="Check for an unclosed quote or comment."
            ) from None
        if not statements:
            raise UsageError("There is no SQL to run: the text holds only comments or semicolons.")
        if len(statements) > 1:
            _refuse(
                "one statement",
                f"only one statement can run at a time; this text holds {len(statements)}",
                hint="Run the statements in separate cells.",
            )
        tree = statements[0]
        if not isinstance(tree, exp.Query):
            kind = type(tree).__name__.upper()
            _refuse(
                "read-only",
                f"only queries can run; this is a {kind} statement",
                tree.sql(dialect=CANONICAL_DIALECT)[:80] if kind != "COMMAND" else sql,
                hint="Write a SELECT (or WITH ... SELECT) query; nothing can be changed from here.",
            )
        return cast("exp.Query", tree)

    @staticmethod
    def _check_text(tokens: Iterable[Any]) -> None:
        """Outside literals and quoted names, only printable ASCII (no look-alikes)."""
        from sqlglot import TokenType

        quoted = {TokenType.STRING, TokenType.RAW_STRING, TokenType.BYTE_STRING}
        for token in tokens:
            if token.token_type in quoted or token.token_type == TokenType.IDENTIFIER:
                continue
            if not token.text.isascii() or not token.text.isprintable():
                _refuse(
                    "plain text",
                    "keywords and names must be plain ASCII outside quotes; this text "
                    "has look-alike or invisible characters",
                    repr(token.text),
                    hint="Retype the query; copy-paste may have brought in look-alike letters.",
                )

    def check_nodes(self, tree: exp.Query, found: _Found | None = None) -> None:
        """No node that writes, defines, scripts, configures or exports, at any depth."""
        from sqlglot import exp

        forbidden = _forbidden_types()
        for node in (found or _collect(tree)).flagged:
            if isinstance(node, exp.Lock):
                _refuse("read-only", "a locking clause (FOR UPDATE, FOR SHARE)",
                        node.sql(dialect=CANONICAL_DIALECT),
                        hint="Only read-only SELECT queries can run.")  # fmt: skip
            if isinstance(node, exp.Parameter | exp.Placeholder):
                _refuse("functions", "system variables and parameters (@@name, @name, ?) "
                        "are refused",
                        node.sql(dialect=CANONICAL_DIALECT),
                        hint="Write the value into the query instead.")  # fmt: skip
            if isinstance(node, forbidden):
                _refuse(
                    "read-only",
                    f"a {type(node).__name__.upper()} inside the query",
                    node.sql(dialect=CANONICAL_DIALECT)[:80],
                    hint="Only read-only SELECT queries can run.",
                )
            if isinstance(node, exp.Version) and not self.policy.allow_time_travel:
                _refuse(
                    "time travel",
                    "FOR SYSTEM_TIME AS OF reads old table versions, which is turned off",
                    node.sql(dialect=CANONICAL_DIALECT),
                    hint="Query the current tables, or enable LGDA_SECURITY__ALLOW_TIME_TRAVEL.",
                )

    def check_tables(  # noqa: PLR0912 - one refusal per way a table reference can go wrong
        self,
        tree: exp.Query,
        *,
        known_tables: Collection[str] | None = None,
        found: _Found | None = None,
    ) -> tuple[str, ...]:
        """Every table is a plain, allowlisted name in the configured dataset."""
        from sqlglot import exp

        policy = self.policy
        allowed = {name.lower() for name in policy.allowed_tables}
        known = {name.lower(): name for name in (known_tables or policy.allowed_tables)}
        project, _, dataset_name = policy.dataset.rpartition(".")
        found = found or _collect(tree)
        used: list[str] = []
        for table in found.tables:
            if not isinstance(table.this, exp.Identifier) or not table.name:
                _refuse(
                    "tables",
                    "table functions are not allowed",
                    _text(table),
                    hint="Read only the dataset's tables by name.",
                )
            parts = [p.lower() for p in (table.catalog, table.db, table.name) if p]
            if any(p.startswith(_METADATA_SCHEMAS) or ".information_schema" in p for p in parts):
                _refuse("tables", "metadata and system tables are not allowed", _text(table))
            if any(ch in table.name for ch in "*?") or table.name.lower().endswith("_table_suffix"):
                _refuse("tables", "wildcard tables are not allowed", _text(table))
            if any(ch in p for p in parts for ch in "/\\:~."):
                _refuse("tables", "file paths and URLs are not tables", _text(table))
            if any(table.args.get(key) for key in ("when", "version", "changes")):
                _refuse(
                    "time travel",
                    "reading a table at another version or time is turned off",
                    _text(table),
                    hint="Query the current tables, or enable LGDA_SECURITY__ALLOW_TIME_TRAVEL.",
                )
            name = table.name.lower()
            qualified = bool(table.db or table.catalog)
            if not qualified and name in _ctes_in_scope(table):
                continue
            if qualified and (
                table.db.lower() != dataset_name.lower()
                or (table.catalog and table.catalog.lower() != project.lower())
            ):
                _refuse(
                    "tables",
                    f"the table is outside the configured dataset {policy.dataset}",
                    _text(table),
                    hint="Query the configured dataset's tables, or change LGDA_BIGQUERY__DATASET.",
                )
            if name not in known:
                self._unknown_table(table.name, {k: v for k, v in known.items() if k in allowed})
            if name not in allowed:
                _refuse(
                    "tables",
                    f"table {table.name!r} is not on the allowlist",
                    _text(table),
                    hint="Add it to LGDA_SECURITY__ALLOWED_TABLES if it should be queryable.",
                )
            if known[name] not in used:
                used.append(known[name])
        for column in found.columns:
            if column.name.lower() == "_table_suffix":
                _refuse("tables", "wildcard tables are not allowed", "_TABLE_SUFFIX")
        return tuple(used)

    @staticmethod
    def _unknown_table(name: str, known: dict[str, str]) -> None:
        close = difflib.get_close_matches(name.lower(), sorted(known), n=1)
        suggestion = f" Did you mean {close[0]!r}?" if close else ""
        raise UnknownTableError(
            f"Table {name!r} does not exist.{suggestion}",
            name=name,
            hint=f"Tables you can query: {', '.join(sorted(known)) or '(none)'}.",
        )

    def check_functions(self, tree: exp.Query, found: _Found | None = None) -> None:
        """Known functions unless denied; unknown ones only from the BigQuery allowlist."""
        from sqlglot import exp

        found = found or _collect(tree)
        for dot in found.dots:
            namespace = dot.this.name.lower() if isinstance(dot.this, exp.Expression) else ""
            if namespace in _MODEL_NAMESPACES and isinstance(dot.expression, exp.Func):
                _refuse(
                    "functions",
                    f"{namespace.upper()}. functions send rows to a model outside the dataset",
                    dot.sql(dialect=CANONICAL_DIALECT),
                    hint="Ask the question without a model function.",
                )
        for func in found.funcs:
            _check_generated(func)
            if type(func).__name__.startswith(("AI", "ML")) and type(func).__name__[2:3].isupper():
                _refuse(
                    "functions",
                    f"{func.sql_name()}() sends rows to a model outside the dataset",
                    func.sql(dialect=CANONICAL_DIALECT),
                )
            if isinstance(func, exp.Anonymous):
                name = str(func.this).lower()
                if name not in ALLOWED_ANONYMOUS:
                    _refuse(
                        "functions",
                        f"{name}() is not a function this policy allows",
                        func.sql(dialect=CANONICAL_DIALECT),
                        hint="Use BigQuery's standard functions; system, file and SQL-running "
                        "functions are refused.",
                    )
            elif type(func).__name__ in _IDENTITY_FUNCTIONS:
                _refuse(
                    "functions",
                    f"{func.sql_name()}() says who is asking; identity and session functions "
                    "are refused",
                    func.sql(dialect=CANONICAL_DIALECT),
                )
            elif type(func).__name__ in _DENIED_FUNCTIONS:
                _refuse(
                    "functions",
                    f"{func.sql_name()}() reaches outside the dataset",
                    func.sql(dialect=CANONICAL_DIALECT),
                )

    def check_shape(self, tree: exp.Query, found: _Found | None = None) -> None:
        """Bounded subquery nesting, tree depth and join count."""
        found = found or _collect(tree)
        if found.levels > MAX_TREE_LEVELS:
            _refuse(
                "shape",
                f"the expression is {found.levels} levels deep; the limit is {MAX_TREE_LEVELS}",
                hint=_NESTING_HINT,
            )
        joins = found.joins
        if joins > self.policy.max_joins:
            _refuse(
                "shape",
                f"{joins} joins; the limit is {self.policy.max_joins}",
                hint="Simplify the query, or raise LGDA_SECURITY__MAX_JOINS.",
            )
        depth = found.depth
        if depth > self.policy.max_depth:
            _refuse(
                "shape",
                f"subqueries nested {depth} deep; the limit is {self.policy.max_depth}",
                hint="Flatten the query with WITH clauses, or raise LGDA_SECURITY__MAX_DEPTH.",
            )

    def check_columns(self, tree: exp.Query, found: _Found | None = None) -> None:
        """Columns whose PII policy is ``deny`` may not be read at all."""
        if not self.policy.denied_columns:
            return
        denied = {c.lower().rsplit(".", 1)[-1] for c in self.policy.denied_columns}
        for column in (found or _collect(tree)).columns:
            if column.name.lower() in denied:
                _refuse(
                    "privacy",
                    f"column {column.name!r} holds personal data and its policy is deny",
                    column.sql(dialect=CANONICAL_DIALECT),
                    hint="Remove the column from the query, or change LGDA_SECURITY__PII_POLICY.",
                )

    # -- after generation -------------------------------------------------------
    def check_backend_sql(self, sql: str, *, dialect: str, tables: Iterable[str]) -> None:
        """The generated backend SQL, read in its own dialect, is still the same one query."""
        import sqlglot
        from sqlglot import exp
        from sqlglot.errors import ParseError, TokenError

        try:
            statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
        except (ParseError, TokenError):
            _refuse("round trip", f"the {dialect} SQL generated for this query does not parse")
        if len(statements) != 1 or not isinstance(statements[0], exp.Query):
            _refuse("round trip", f"the {dialect} SQL generated is not one query")
        tree = cast("exp.Query", statements[0])
        found = _collect(tree)
        self.check_nodes(tree, found)
        ctes = {cte.alias_or_name.lower() for cte in found.ctes}
        seen = {t.name.lower() for t in found.tables} - ctes
        if not seen <= {t.lower() for t in tables}:
            _refuse("round trip", f"the {dialect} SQL reads tables the check did not see")


#: Characters around a text that change nothing about it: ASCII spaces and line breaks
#: (the tokenizer skips them; any other character is checked like the rest of the text).
_AROUND = " \t\n\r\f\v"


def _normalized(sql: str) -> str:
    """``sql`` as the checked-text memory knows it: without the spaces and line breaks
    around it, which tokenize to nothing (a refusal is never remembered, so where an
    error would point in the text does not matter)."""
    return sql.strip(_AROUND)


def _text(node: exp.Expr) -> str:
    """A node as canonical SQL, for a refusal's message (generated only when refusing)."""
    return node.sql(dialect=CANONICAL_DIALECT)


@functools.cache
def _forbidden_types() -> tuple[type, ...]:
    from sqlglot import exp

    named = (getattr(exp, name, None) for name in _FORBIDDEN_NODES)
    return (*(cls for cls in named if isinstance(cls, type)), exp.DDL, exp.DML)


def _ctes_in_scope(table: exp.Table) -> set[str]:
    """CTE names a bare table reference can mean, by SQL's scoping rules.

    A CTE is visible in the body of its own WITH query and in the CTEs defined
    after it (itself too when RECURSIVE); not outside that query. So a CTE in a
    subquery never covers a reference in the outer query, and a CTE cannot be
    used before it is defined.
    """
    from sqlglot import exp

    visible: set[str] = set()
    node: exp.Expr = table
    inside_cte_of: exp.Expr | None = None
    while node.parent is not None:
        parent = node.parent
        if isinstance(parent, exp.With) and isinstance(node, exp.CTE):
            names = [cte.alias_or_name.lower() for cte in parent.expressions]
            index = next(i for i, cte in enumerate(parent.expressions) if cte is node)
            visible.update(names[: index + 1 if parent.args.get("recursive") else index])
            inside_cte_of = parent.parent
        elif isinstance(parent, exp.Query) and parent is not inside_cte_of:
            with_ = parent.args.get("with_") or parent.args.get("with")
            if isinstance(with_, exp.With):
                visible.update(cte.alias_or_name.lower() for cte in with_.expressions)
        node = parent
    return visible


def policy_from_config(config: UnifiedConfig) -> SecurityPolicy:
    """Build the policy from ``UnifiedConfig.security`` and the configured dataset."""
    security = config.security
    return SecurityPolicy(
        allowed_tables=frozenset(security.allowed_tables),
        dataset=config.bigquery.dataset,
        max_length=security.max_sql_length,
        max_depth=security.max_depth,
        max_joins=security.max_joins,
        allow_time_travel=security.allow_time_travel,
        denied_columns=frozenset(k for k, v in security.pii_policy.items() if v == "deny"),
    )

"""A semantic model inferred from a schema, for databases that come without one.

The offline planner only understands what a model names, so a user's own
DuckDB file with no model file would answer nothing. ``infer_model`` reads the
column names and types and writes the model a person would start from: a row
count per table, sums, averages, maxima and minima of measure-like numbers,
text columns to group and filter by, one date per table for time questions,
and ``<thing>_id`` joins. Each phrase a question may use is given to exactly
one metric (or one dimension): a phrase two columns could mean equally ("name"
in two tables) is left out rather than guessed.

``infer`` does the same with a ``Profile`` of the data (row and distinct counts,
which foreign keys are contained in their targets, personal data found by the PII
detector) and says why it guessed each entry; ``lgda model init`` writes that as a
model file for the user to correct. With a profile, a join whose values are not all
found in its target is left out, a text column indexes its values only when it has
few of them, and each table with a unique ``id`` is an entity (a key dimension its
row count counts, for "accounts with more than 3 invoices").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from lgda_nb.errors import ConfigError
from lgda_nb.planner._model import Dimension, Join, Metric, SemanticModel, Table
from lgda_nb.planner._text import normalize, singular, tokens
from lgda_nb.planner._text import plural as _plural

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Words the SQL parser reads as syntax, not names: BigQuery's reserved keywords and
#: the few more that sqlglot treats as statements or clauses.
_RESERVED = frozenset(
    "all and any array as asc assert_rows_modified at between by case cast collate contains "
    "create cross cube current default define desc distinct else end enum escape except "
    "exclude exists extract false fetch following for from full group grouping groups hash "
    "having if ignore in inner intersect interval into is join lateral left like limit lookup "
    "merge natural new no not null nulls of on or order outer over partition preceding proto "
    "qualify range recursive respect right rollup rows select set some struct tablesample then "
    "to treat true unbounded union unnest using when where window with within values describe "
    "analyze returning pivot unpivot show summarize use".split()
)
#: Column names the compiler itself gives to output columns (time grains, shares...).
_OUTPUT_NAMES = frozenset(
    "day week month quarter year weekday hour share_pct growth_pct change_pct in_window "
    "previous step step_number funnel_session pct_of_first_step periods with_previous part whole "
    "steps reached v".split()
)
_NUMERIC = frozenset(
    "tinyint smallint integer int int1 int2 int4 int8 int16 int32 int64 bigint hugeint "
    "utinyint usmallint uinteger ubigint uhugeint byteint short long signed float float4 "
    "float8 float32 float64 real double decimal numeric bignumeric bigdecimal bignum varint "
    "money smallmoney".split()
)
_TEXT = frozenset("varchar string text char bpchar nvarchar nchar character enum".split())
_BOOLEAN = frozenset({"boolean", "bool", "logical"})
_DATES = frozenset(
    "date datetime timestamp timestamptz timestamp_s timestamp_ms timestamp_us timestamp_ns "
    "smalldatetime datetime2".split()
)
_ID_LIKE = re.compile(r"(^|_)(id|key|uuid|guid|pk|fk)$|^(id|uuid|guid)_")
#: Integers that label something rather than measure it: summing them means nothing.
_NOT_MEASURES = frozenset(
    "year month day week quarter hour minute second weekday zip zipcode zip_code postcode "
    "postal_code phone phone_number latitude longitude lat lon lng version".split()
)
_MONEY_WORDS = frozenset(
    "price prices amount amounts revenue revenues sales sale cost costs total value spend "
    "spent spending profit profits fee fees tax taxes discount income salary paid payment "
    "payments balance budget charge charges gmv earnings turnover mrr arr acv".split()
)
_NOT_MONEY_WORDS = frozenset(
    "pct percent percentage rate ratio count qty quantity units number num share".split()
)
#: Free text and contact details: too many distinct values, and words that read as
#: filters ("May", "Total") would hijack questions, so their values are not indexed.
_FREE_TEXT = re.compile(
    r"(^|_)(email|e_mail|phone|mobile|address|street|description|desc|comment|comments|"
    r"note|notes|url|uri|website|link|text|body|message|password|ip|ip_address|token|hash|"
    r"image|photo|path|filename|json)(_|$)"
)
_LABEL_COLUMNS = ("name", "title", "label", "full_name", "display_name")
_TIME_FIRST = ("created_at", "created", "created_date", "creation_date", "created_on")
_TIME_NAMED = (
    "date", "order_date", "ordered_at", "timestamp", "ts", "datetime", "event_time",
    "event_date", "transaction_date", "sale_date", "time",
)  # fmt: skip
_TIME_SUFFIX = re.compile(r"(_at|_date|_time|_ts|_on|_day)$|^(date|time)_")
_TIME_UNLIKELY = re.compile(
    r"(^|_)(updated|modified|changed|deleted|removed|expires?|expiry|expiration|birth|"
    r"dob|born|end|ends|ended|valid|last)(_|$)"
)


def _kind(type_name: str) -> str:
    """numeric, text, boolean, date or other, from a DuckDB or BigQuery type name."""
    lower = type_name.strip().lower()
    if any(mark in lower for mark in "[]<>") or lower.startswith(
        ("struct", "map", "array", "list", "union")
    ):
        return "other"
    base = re.sub(r"\(.*\)$", "", lower).strip()
    if base in {"timestamp with time zone", "timestamp without time zone"}:
        return "date"
    if base in {"double precision", "character varying"}:
        base = base.split()[0]
    for kind, names in (
        ("numeric", _NUMERIC),
        ("text", _TEXT),
        ("boolean", _BOOLEAN),
        ("date", _DATES),
    ):
        if base in names:
            return kind
    return "other"


def _snake(name: str) -> str:
    """``UnitPrice`` / ``Unit Price`` -> ``unit_price`` (may still start with a digit)."""
    text = unicodedata.normalize("NFKD", name.replace("ß", "ss")).encode("ascii", "ignore").decode()
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _identifier(name: str) -> str:
    """A lower-case SQL identifier for a metric or dimension (it becomes a column alias)."""
    snake = _snake(name) or "column"
    return f"c_{snake}" if snake[0].isdigit() else snake


def _words(name: str) -> str:
    """How a person would type a column name: ``unit_price`` -> ``unit price``."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return " ".join(re.sub(r"[_\W]+", " ", text.lower()).split())


def _singular(words: str) -> str:
    """``order items`` -> ``order item``; words that only end in s stay ("status")."""
    head, _, last = words.rpartition(" ")
    if last.endswith(("ss", "us", "is")) or len(last) <= 3:
        return words
    return f"{head} {singular(last)}".strip()


def _phrase_key(phrase: str) -> tuple[str, ...]:
    """The phrase as the planner indexes it (normalised, singular words)."""
    return tuple(singular(w) for w in tokens(normalize(phrase)) if w not in {"and", "&"})


def _is_id_like(column: str) -> bool:
    snake = _snake(column)
    return bool(_ID_LIKE.search(snake)) or snake in {"key", "uuid", "guid"}


def _quoted(table: str, column: str) -> str:
    """``table.column``, with the column in backticks when it is not a plain name."""
    if _PLAIN.match(column) and column.lower() not in _RESERVED:
        return f"{table}.{column}"
    return f"{table}.`{column.replace('`', '')}`"


def _referable(column: str) -> bool:
    """Whether ``table.column`` can be found by ``tables_in`` and parsed as a plain name."""
    return bool(_PLAIN.match(column)) and column.lower() not in _RESERVED


#: A text column with at most this many distinct values has them indexed (``values``).
VALUES_LIMIT = 100


@dataclass(frozen=True)
class Profile:
    """What the data says about a schema. Tables are lower case, columns as written."""

    #: Rows per table.
    rows: Mapping[str, int] = field(default_factory=dict)
    #: (table, column) -> (non-null values, distinct values), for text and key columns.
    counts: Mapping[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    #: Join -> (non-null values of its many-side column, how many are not in its target).
    missing: Mapping[Join, tuple[int, int]] = field(default_factory=dict)
    #: (table, column) -> the PII kind the detector found, by name or by content.
    pii: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def unique(self, table: str, column: str) -> bool:
        """Whether the column has a value in every row and no value twice."""
        rows = self.rows.get(table)
        non_null, distinct = self.counts.get((table, column), (-1, -2))
        return rows is not None and non_null == distinct == rows


@dataclass(frozen=True)
class Inference:
    """A model inferred from a schema, with the reasons behind each guess."""

    model: SemanticModel
    #: Tables in the order their entries come, and their key column (or None).
    tables: tuple[tuple[str, str | None], ...]
    #: ("metric" | "dimension" | "join" | "table", name) -> why it was guessed.
    reasons: Mapping[tuple[str, str], str]
    #: Joins a name suggested that the data refuted, and why.
    refused: tuple[tuple[Join, str], ...] = ()
    #: Tables left out (names the SQL parser reads as syntax, or no columns), and why.
    left_out: tuple[tuple[str, str], ...] = ()
    #: ``table.column`` -> PII kind.
    pii: Mapping[str, str] = field(default_factory=dict)
    #: Date columns of each table other than the one its measures are dated by.
    other_dates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _pii_by_name(column: str) -> str | None:
    from lgda_nb.security._pii import detect_column

    return detect_column(column, [])


@dataclass
class _Draft:
    """A metric or dimension being built; ``claims`` are (priority, phrase), lowest wins."""

    name: str
    claims: list[tuple[int, str]] = field(default_factory=list)
    #: A shorter label ("Amount" for "Total amount"), used if the phrase stays this draft's.
    short: str = ""

    def claim(self, priority: int, *phrases: str) -> None:
        for phrase in phrases:
            if phrase.strip():
                self.claims.append((priority, " ".join(phrase.split())))


def _settle(drafts: list[_Draft]) -> dict[str, tuple[str, ...]]:
    """Each phrase goes to the draft claiming it most strongly; an even tie goes to none.

    The planner reads each metric's name as a phrase too, so names claim first.
    """
    best: dict[tuple[str, ...], tuple[int, set[str]]] = {}
    for draft in drafts:
        for priority, phrase in [(-1, draft.name.replace("_", " ")), *draft.claims]:
            key = _phrase_key(phrase)
            if not key:
                continue
            held = best.get(key)
            if held is None or priority < held[0]:
                best[key] = (priority, {draft.name})
            elif priority == held[0]:
                held[1].add(draft.name)
    settled: dict[str, tuple[str, ...]] = {}
    for draft in drafts:
        kept: list[str] = []
        for _, phrase in draft.claims:
            key = _phrase_key(phrase)
            if key and best[key][1] == {draft.name} and phrase not in kept:
                kept.append(phrase)
        settled[draft.name] = tuple(kept)
    return settled


class _Names:
    """Unique, valid, non-reserved names across metrics and dimensions.

    The planner reads each name as a phrase too, so two names that read the same
    ("products_name" and "product_name") are not both given out.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.phrases: set[tuple[str, ...]] = set()

    def free(self, name: str) -> bool:
        return (
            name not in self.taken
            and name not in _RESERVED
            and name not in _OUTPUT_NAMES
            and _phrase_key(name.replace("_", " ")) not in self.phrases
        )

    def take(self, *candidates: str) -> str:
        name = next((c for c in candidates if self.free(c)), None)
        if name is None:
            base = candidates[-1]
            n = 2
            while not self.free(f"{base}_{n}"):
                n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        self.phrases.add(_phrase_key(name.replace("_", " ")))
        return name


def _time_column(table: str, columns: Mapping[str, str]) -> str | None:
    """The date a table's rows happen at: created_at before order_date before updated_at."""
    candidates = [c for c, t in columns.items() if _kind(t) == "date" and _referable(c)]
    if not candidates:
        return None

    def rank(column: str) -> int:
        snake = _snake(column)
        if _TIME_UNLIKELY.search(snake):
            return 4
        if snake in _TIME_FIRST:
            return 0
        if snake in _TIME_NAMED:
            return 1
        if _TIME_SUFFIX.search(snake):
            return 2
        return 3

    best = min(candidates, key=lambda c: (rank(c), candidates.index(c)))
    return f"{table}.{best}"


def _unit(column: str) -> str:
    words = set(_snake(column).split("_"))
    if words & _MONEY_WORDS and not words & _NOT_MONEY_WORDS:
        return "money"
    if words & {"pct", "percent", "percentage"}:
        return "percent"
    return "number"


def _joins(tables: Mapping[str, Mapping[str, str]]) -> tuple[Join, ...]:
    """``orders.customer_id`` -> ``customers.id`` (or ``customers.customer_id``)."""
    by_lower = {t.lower(): t for t in tables}
    joins: list[Join] = []
    for table, columns in tables.items():
        for column in columns:
            snake = column.lower()
            if not (_referable(column) and snake.endswith("_id") and len(snake) > 3):
                continue
            stem = snake[:-3]
            names = [stem, stem + "s", stem + "es"]
            if stem.endswith("y"):
                names.append(stem[:-1] + "ies")
            for name in names:
                target = by_lower.get(name)
                if target is None or target == table:
                    continue
                keys = {c.lower(): c for c in tables[target] if _referable(c)}
                key = keys.get("id") or keys.get(snake)
                if key is not None:
                    joins.append(Join(table.lower(), column, target.lower(), key))
                    break
    return tuple(joins)


def join_candidates(tables: Mapping[str, Mapping[str, str]]) -> tuple[Join, ...]:
    """The joins the column names suggest (``orders.customer_id`` -> ``customers.id``),
    for a profile to check against the data."""
    return _joins(_usable(tables))


def _usable(tables: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    return {
        t: dict(cols)
        for t, cols in tables.items()
        if _PLAIN.match(t) and t.lower() not in _RESERVED and cols
    }


def infer_model(tables: Mapping[str, Mapping[str, str]], *, name: str = "generic") -> SemanticModel:
    """A semantic model for ``tables`` (table -> {column: type}, as ``Backend.tables()``).

    Tables whose names the SQL parser would read as keywords, or that are not
    plain identifiers, are left out: the compiler could not name them in FROM.
    Raises ``ConfigError`` when no table is left.
    """
    return infer(tables, name=name).model


def infer(
    tables: Mapping[str, Mapping[str, str]],
    *,
    name: str = "generic",
    profile: Profile | None = None,
) -> Inference:
    """``infer_model``'s model and the reason for each guess; with ``profile``, joins,
    indexed values, keys and personal data are checked against the data."""
    usable = _usable(tables)
    left_out = tuple(
        (t, "no columns" if not cols else "its name is not a plain SQL name")
        for t, cols in tables.items()
        if t not in usable
    )
    if not usable:
        raise ConfigError(
            "The database has no tables a model can be inferred from.",
            hint="Check LGDA_DUCKDB__DATABASE, or write a semantic model file "
            "(LGDA_PLANNER__MODEL_FILE).",
        )
    times = {t: _time_column(t.lower(), cols) for t, cols in usable.items()}
    measures = {
        t: [
            c
            for c, kind in cols.items()
            if _kind(kind) == "numeric" and not _is_id_like(c) and _snake(c) not in _NOT_MEASURES
        ]
        for t, cols in usable.items()
    }
    texts = {
        t: [
            c
            for c, kind in cols.items()
            if _kind(kind) in {"text", "boolean"} and _referable(c) and not _is_id_like(c)
        ]
        for t, cols in usable.items()
    }
    # Fact tables first: the planner suggests questions about the first metrics.
    order = sorted(usable, key=lambda t: (times[t] is None, not measures[t]))
    reasons: dict[tuple[str, str], str] = {}
    joins, refused = _checked_joins(_joins(usable), profile, reasons)
    pii = _personal(usable, profile)
    keys = {t: _key(t, usable[t], profile) for t in order}
    names = _Names()
    entities = _entities(order, keys, joins, names, reasons) if profile is not None else {}
    metrics = _metrics(
        usable, order, times, measures, names=names, entities=entities, reasons=reasons
    )
    dimensions = _dimensions(
        order, texts, usable, names=names, profile=profile, pii=pii, keys=keys, reasons=reasons
    )
    dimensions = {**{d.name: d for d in entities.values()}, **dimensions}
    metrics = _ask_which(metrics, dimensions, reasons)
    for table in order:
        dated = times[table]
        reasons["table", table.lower()] = (
            f"measures of {table.lower()} are dated by {dated}" if dated else "no date column"
        )
        if keys[table]:
            reasons["table", table.lower()] += f"; key {table.lower()}.{keys[table]}"
    return Inference(
        model=SemanticModel(
            name=name,
            metrics=metrics,
            dimensions=dimensions,
            joins=joins,
            named_filters={},
            value_aliases={},
            dataset=None,
            catalog={t.lower(): _table(t, usable[t], keys[t], times[t]) for t in order},
        ),
        tables=tuple((t.lower(), keys[t]) for t in order),
        reasons=reasons,
        refused=refused,
        left_out=left_out,
        pii={f"{t}.{c}": kind for (t, c), kind in sorted(pii.items())},
        other_dates={
            t.lower(): tuple(
                f"{t.lower()}.{c}"
                for c, kind in usable[t].items()
                if _kind(kind) == "date" and f"{t.lower()}.{c}" != times[t]
            )
            for t in order
        },
    )


#: Words that rank a table's rows by its date, newest or oldest first.
_NEWEST = ("latest", "most recent", "newest")
_OLDEST = ("earliest", "oldest")


def _title(table: str, columns: Mapping[str, str]) -> str | None:
    """The text column that names each row ("name", "title", "<table>_name"), if any."""
    one = _singular(_words(table))
    names = {*_LABEL_COLUMNS, f"{_snake(one)}_name", f"{_snake(table)}_name"}
    return next(
        (c for c, t in columns.items() if _snake(c) in names and _kind(t) == "text" and
         _referable(c)),
        None,
    )  # fmt: skip


def _table(table: str, columns: Mapping[str, str], key: str | None, time: str | None) -> Table:
    """A table's rows as a question lists them: the words for a row (the table's name),
    each column's words (its name), its key and title, and its date's ranking words."""
    lower = table.lower()
    words = _words(table)
    listed = {c: (_words(c),) for c in columns if _referable(c)}
    dated = time.partition(".")[2] if time else None
    # Without an "id", a table's own "<thing>_id" tells its rows apart ("invoice_id").
    own_id = next((c for c in listed if _snake(c) == f"{_snake(_singular(words))}_id"), None)
    return Table(
        name=lower,
        words=tuple(dict.fromkeys((_singular(words), words))),
        key=key if key in listed else own_id,
        title=_title(table, {c: columns[c] for c in listed}),
        columns=listed,
        highest={dated: _NEWEST} if dated in listed else {},
        lowest={dated: _OLDEST} if dated in listed else {},
    )


def _checked_joins(
    candidates: tuple[Join, ...], profile: Profile | None, reasons: dict[tuple[str, str], str]
) -> tuple[tuple[Join, ...], tuple[tuple[Join, str], ...]]:
    """The candidates the data bears out: every value found in a unique target key."""
    kept: list[Join] = []
    refused: list[tuple[Join, str]] = []
    for join in candidates:
        where = f"{join.left}.{join.left_column}"
        target = f"{join.right}.{join.right_column}"
        said = f"{where} names {join.right}"
        if profile is None or join not in profile.missing:
            kept.append(join)
            reasons["join", _join_key(join)] = f"{said} (not checked against the data)"
            continue
        values, missing = profile.missing[join]
        if not profile.unique(join.right, join.right_column):
            refused.append((join, f"{said}, but {target} is not a unique key"))
        elif missing:
            refused.append(
                (join, f"{said}, but {missing:,} of its {values:,} values are not in {target}")
            )
        else:
            kept.append(join)
            reasons["join", _join_key(join)] = f"{said}; all {values:,} values are in {target}"
    return tuple(kept), tuple(refused)


def _join_key(join: Join) -> str:
    return f"{join.left}.{join.left_column}"


def _key(table: str, columns: Mapping[str, str], profile: Profile | None) -> str | None:
    """The column that names each row: ``id``, unique in the data when profiled."""
    key = next((c for c in columns if c.lower() == "id" and _referable(c)), None)
    if key is None or (profile is not None and not profile.unique(table.lower(), key)):
        return None
    return key


def _personal(
    usable: Mapping[str, Mapping[str, str]], profile: Profile | None
) -> dict[tuple[str, str], str]:
    """Columns of personal data: what the profile found, else what the names announce."""
    found: dict[tuple[str, str], str] = {}
    for table, columns in usable.items():
        for column, kind in columns.items():
            if _kind(kind) != "text":
                continue
            guess = profile.pii.get((table.lower(), column)) if profile is not None else None
            guess = guess or _pii_by_name(column)
            if guess is not None:
                found[table.lower(), column] = guess
    return found


def _entities(
    order: list[str],
    keys: Mapping[str, str | None],
    joins: tuple[Join, ...],
    names: _Names,
    reasons: dict[tuple[str, str], str],
) -> dict[str, Dimension]:
    """Per table with a unique key, a key dimension (``account_id``) that its row count
    counts and that rows joined to it group by with their own column."""
    out: dict[str, Dimension] = {}
    for table in order:
        key = keys[table]
        if key is None:
            continue
        lower = table.lower()
        one = _singular(_words(table))
        name = names.take(f"{_identifier(one)}_id", f"{_identifier(lower)}_id")
        columns: dict[str, str] = {}
        for join in joins:
            if join.right == lower and join.right_column == key:
                columns.setdefault(join.left, f"{join.left}.{join.left_column}")
        out[table] = Dimension(
            name=name,
            label=one[:1].upper() + one[1:],
            column=f"{lower}.{key}",
            table=lower,
            columns=columns,
        )
        refer = "refers" if len(columns) == 1 else "refer"
        via = f", and {', '.join(columns.values())} {refer} to it" if columns else ""
        reasons["dimension", name] = f"{lower}.{key} is unique: one {one} per row{via}"
    return out


def _metrics(
    usable: Mapping[str, Mapping[str, str]],
    order: list[str],
    times: Mapping[str, str | None],
    measures: Mapping[str, list[str]],
    *,
    names: _Names,
    entities: Mapping[str, Dimension],
    reasons: dict[tuple[str, str], str],
) -> dict[str, Metric]:
    """Row counts, then sum, average, maximum and minimum of each measure column."""
    shared = _shared(measures)
    built: list[tuple[_Draft, Metric]] = []
    for table in order:
        lower = table.lower()
        words = _words(table)
        one = _singular(words)
        count = _Draft(names.take(_identifier(table), f"{_identifier(table)}_rows"))
        count.claim(0, f"number of {words}", f"{words} count", f"count of {words}")
        count.claim(0, f"{words} rows", f"{words} records")
        count.claim(1, words, one)
        count.claim(2, f"total {words}", f"all {words}")
        count.claim(3, "rows", "records", "row count", "number of rows", "entries")
        # A table's own id names it for tables_in; else COUNT(*) over the FROM table.
        key = next((c for c in usable[table] if c.lower() == "id" and _referable(c)), None)
        entity = entities.get(table)
        built.append(
            (
                count,
                Metric(
                    name=count.name,
                    label=f"Number of {words}",
                    expression=f"COUNT({lower}.{key})" if key else "COUNT(*)",
                    table=lower,
                    time=times[table],
                    unit="count",
                    additive=True,
                    entity=entity.name if entity is not None else None,
                ),
            )
        )
        reasons["metric", count.name] = f"counts the rows of {lower}" + (
            f", one {one} each" if entity is not None else ""
        )
        for column in measures[table]:
            for draft, metric in _measure_metrics(
                lower, one, column, time=times[table], shared=column in shared, names=names
            ):
                built.append((draft, metric))
                reasons["metric", metric.name] = (
                    f"{lower}.{column} is a number that is not a key"
                    + (", money by its name" if metric.unit == "money" else "")
                )
    synonyms = _settle([draft for draft, _ in built])
    return {
        metric.name: replace(
            metric,
            label=_label(draft, metric.label, synonyms[metric.name]),
            synonyms=synonyms[metric.name],
        )
        for draft, metric in built
    }


#: Text columns whose values are the state of a row ("status", "order_state", "stage").
_STATE_COLUMN = re.compile(r"(?:^|_)(?:status|state|stage)$")


def _ask_which(
    metrics: Mapping[str, Metric],
    dimensions: Mapping[str, Dimension],
    reasons: dict[tuple[str, str], str],
) -> dict[str, Metric]:
    """Money measures on rows that have a status ask which statuses count.

    Whether a refunded payment's amount or a cancelled booking's fee counts is a
    business definition the schema cannot tell, and a guess there is a wrong number
    nobody can see; so the question must say (or the user's edit of the model).
    """
    states: dict[str, list[str]] = {}
    for dimension in dimensions.values():
        column = (dimension.column or "").rsplit(".", 1)[-1]
        if dimension.values and dimension.table and _STATE_COLUMN.search(_snake(column)):
            states.setdefault(dimension.table, []).append(dimension.name)
    out = dict(metrics)
    for metric in metrics.values():
        named = states.get(metric.table, [])
        if metric.unit != "money" or not named:
            continue
        out[metric.name] = replace(metric, ask_which=tuple(named))
        columns = ", ".join(str(dimensions[n].column) for n in named)
        reasons["ask_which", metric.name] = (
            f"guessed: which {columns} values count is a rule the data does not tell, so "
            "questions must name them; once filters = [...] say it, delete ask_which"
        )
    return out


def _label(draft: _Draft, label: str, synonyms: tuple[str, ...]) -> str:
    """ "Amount" reads better than "Total amount", unless "amount" means something else."""
    if draft.short and draft.short in synonyms:
        return draft.short[:1].upper() + draft.short[1:]
    return label


def _measure_metrics(
    table: str, one: str, column: str, *, time: str | None, shared: bool, names: _Names
) -> list[tuple[_Draft, Metric]]:
    """total_, average_, max_ and min_ of one numeric column."""
    words = _words(column)
    stem = _identifier(f"{table}_{_snake(column)}" if shared else column)
    qualified = f"{one} {words}"
    sql = _quoted(table, column)
    unit = _unit(column)
    specs = (
        ("total", "Total", f"SUM({sql})", True),
        ("average", "Average", f"AVG({sql})", False),
        ("max", "Maximum", f"MAX({sql})", False),
        ("min", "Minimum", f"MIN({sql})", False),
    )
    out: list[tuple[_Draft, Metric]] = []
    for prefix, title, expression, additive in specs:
        draft = _Draft(names.take(f"{prefix}_{stem}"))
        if prefix == "total":
            draft.claim(0, f"total {words}", f"sum of {words}", f"{words} total", f"sum {words}")
            draft.claim(0, qualified, f"total {qualified}", f"sum of {qualified}")
            draft.claim(1, words)
            draft.short = words
        elif prefix == "average":
            draft.claim(0, f"average {words}", f"avg {words}", f"mean {words}")
            draft.claim(
                0, f"average {qualified}", f"{words} per {one}", f"average {words} per {one}"
            )
        elif prefix == "max":
            draft.claim(0, f"maximum {words}", f"max {words}", f"maximum {qualified}")
        else:
            draft.claim(0, f"minimum {words}", f"min {words}", f"minimum {qualified}")
        label = f"{title} {words}" if not shared else f"{title} {qualified}"
        out.append(
            (
                draft,
                Metric(
                    name=draft.name,
                    label=label,
                    expression=expression,
                    table=table,
                    time=time,
                    unit=unit,
                    additive=additive,
                ),
            )
        )
    return out


def _shared(columns: Mapping[str, list[str]]) -> set[str]:
    """Column names (as identifiers) that more than one table has."""
    seen: dict[str, int] = {}
    for cols in columns.values():
        for column in {_identifier(c) for c in cols}:
            seen[column] = seen.get(column, 0) + 1
    return {c for cols in columns.values() for c in cols if seen[_identifier(c)] > 1}


def _dimensions(
    order: list[str],
    texts: Mapping[str, list[str]],
    usable: Mapping[str, Mapping[str, str]],
    *,
    names: _Names,
    profile: Profile | None,
    pii: Mapping[tuple[str, str], str],
    keys: Mapping[str, str | None],
    reasons: dict[tuple[str, str], str],
) -> dict[str, Dimension]:
    """A dimension per text or boolean column; a table's name column answers to the table.

    Values are indexed for text that is not free text or personal data and, when the
    data was profiled, has at most ``VALUES_LIMIT`` distinct values.
    """
    shared = _shared(texts)
    built: list[tuple[_Draft, Dimension]] = []
    for table in order:
        lower = table.lower()
        table_words = _words(table)
        one = _singular(table_words)
        label_column = next(
            (
                c
                for c in texts[table]
                if _snake(c) in {*_LABEL_COLUMNS, f"{_snake(one)}_name", f"{_snake(table)}_name"}
                and _kind(usable[table][c]) == "text"
            ),
            None,
        )
        for column in texts[table]:
            words = _words(column)
            prefixed = _identifier(f"{lower}_{_snake(column)}")
            draft = _Draft(
                names.take(prefixed)
                if column in shared
                else names.take(_identifier(column), prefixed)
            )
            draft.claim(1, words, _plural(words))
            draft.claim(0, f"{one} {words}")
            if column == label_column:
                draft.claim(2, one, _plural(one), table_words)
            boolean = _kind(usable[table][column]) == "boolean"
            label = f"{one} {words}" if column in shared else words
            values, why = _indexed(lower, column, boolean=boolean, profile=profile, pii=pii)
            key = keys[table]
            repeats = profile is not None and key is not None and not profile.unique(lower, column)
            if column == label_column:
                why += f"; names each {one}"
                if repeats:
                    why += f", but names repeat, so each {one} is told apart by its {key}"
            built.append(
                (
                    draft,
                    Dimension(
                        name=draft.name,
                        label=label[:1].upper() + label[1:],
                        column=f"{lower}.{column}",
                        table=lower,
                        values=values,
                        key=f"{lower}.{key}" if column == label_column and repeats else None,
                    ),
                )
            )
            reasons["dimension", draft.name] = why
    synonyms = _settle([draft for draft, _ in built])
    return {d.name: replace(d, synonyms=synonyms[d.name]) for _, d in built}


def _indexed(
    table: str,
    column: str,
    *,
    boolean: bool,
    profile: Profile | None,
    pii: Mapping[tuple[str, str], str],
) -> tuple[bool, str]:
    """Whether a text column's values go in the reader's vocabulary, and why."""
    if boolean:
        return False, "true or false: grouped by, values not indexed"
    kind = pii.get((table, column))
    if kind is not None:
        return False, f"looks like personal data ({kind.replace('_', ' ')}): values not indexed"
    if _FREE_TEXT.search(_snake(column)):
        return False, "free text by its name: values not indexed"
    if profile is None or (table, column) not in profile.counts:
        return True, "text: values indexed"
    distinct = profile.counts[table, column][1]
    if distinct > VALUES_LIMIT:
        return False, f"text with {distinct:,} distinct values: too many to index"
    return True, f"text with {distinct:,} distinct values: indexed"

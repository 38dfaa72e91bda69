"""Deterministic synthetic ``thelook_ecommerce``, written as a DuckDB file.

Everything random comes from ``numpy.random.default_rng`` seeded by the caller, and
every timestamp lies in a fixed window, so one seed and scale always give the same
database. Arrays are drawn with numpy, handed to DuckDB as Arrow tables, and turned
into the public schema by SQL (string formatting, joins, casts). Each table is
written as soon as it is drawn, in slices of at most ``_CHUNK_ROWS`` rows, and
the click-stream keeps its per-event arrays in small integer types and builds its
Arrow rows one slice at a time, so build time grows linearly with the scale and
peak memory stays bounded. numpy, pyarrow and duckdb are imported inside functions
only, so that ``import lgda_nb`` stays cheap.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgda_nb.sample import _domains as dom
from lgda_nb.sample._schema import (
    DUCKDB_TYPES,
    PUBLIC_ROW_COUNTS,
    SCHEMA,
    TABLES,
    TIME_RANGE_END,
    TIME_RANGE_START,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]
    FloatArray = npt.NDArray[np.float64]
    BoolArray = npt.NDArray[np.bool_]
    ByteArray = npt.NDArray[np.uint8]
    SmallIntArray = npt.NDArray[np.signedinteger[Any]]

GENERATOR_VERSION = 1
DEFAULT_SEED = 42
DEFAULT_SCALE = 0.1
MAX_SCALE = 10.0

_DAY = 86_400
_START = int(TIME_RANGE_START.timestamp())
_END = int(TIME_RANGE_END.timestamp())
# Users sign up early enough to order, and orders early enough that the slowest
# ship (3 d) + deliver (6 d) + return (6 d) chain still ends inside the window.
_USER_END = _END - 30 * _DAY
_ORDER_END = _END - 16 * _DAY
_MAX_ITEMS_PER_ORDER = 4
_MAX_ORDER_SESSION = 9  # home, department, 4 products, cart, purchase, cancel
_MAX_BROWSE_SESSION = 15
_MAX_EVENT_GAP = 300  # seconds between clicks; a session spans at most 75 minutes
# Rows per Arrow slice handed to DuckDB and per block of per-event array work; it
# bounds the memory one step needs and does not change the data.
_CHUNK_ROWS = 500_000
_WRITE_MEMORY = "256MB"  # DuckDB's own memory while writing the sample

_STATUS = [name for name, _ in dom.ORDER_STATUSES]
_SHIPPED, _PROCESSING, _CANCELLED, _RETURNED = (
    _STATUS.index(s) for s in ("Shipped", "Processing", "Cancelled", "Returned")
)
_HOME, _DEPARTMENT, _PRODUCT, _CART, _PURCHASE, _CANCEL = range(len(dom.EVENT_TYPES))


def _check_scale(scale: float) -> float:
    """Reject scales that are not numbers in (0, MAX_SCALE] before any work is done."""
    if isinstance(scale, bool) or not isinstance(scale, int | float):
        raise ValueError(f"scale must be a number, got {scale!r}")
    if not math.isfinite(scale) or scale <= 0 or scale > MAX_SCALE:
        raise ValueError(f"scale must be > 0 and <= {MAX_SCALE:g}, got {scale!r}")
    return float(scale)


@dataclass(frozen=True)
class _Catalog:
    """Every (department, category, brand) the catalogue sells, with URIs and weights."""

    departments: tuple[str, ...]
    categories: tuple[str, ...]
    brands: tuple[str, ...]
    combo_department: tuple[int, ...]
    combo_category: tuple[int, ...]
    combo_brand: tuple[int, ...]
    combo_weight: tuple[float, ...]
    combo_uri: tuple[str, ...]


def _slug(text: str, sep: str) -> str:
    """URL path segment: lower-case alphanumeric runs, ``&`` spelt out."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("&", "and"))
    return sep.join(words)


@cache
def _catalog() -> _Catalog:
    """Flatten the domain tables into parallel tuples indexed by combo number."""
    departments = tuple(name for name, _ in dom.DEPARTMENTS)
    categories = tuple(dom.CATEGORY_PRICES)
    brands: list[str] = []
    for category in categories:
        brands.extend(b for b in dom.CATEGORY_BRANDS[category] if b not in brands)
    dept_total = sum(w for _, w in dom.DEPARTMENTS)
    c_dept: list[int] = []
    c_cat: list[int] = []
    c_brand: list[int] = []
    c_weight: list[float] = []
    c_uri: list[str] = []
    for d, (dept, dept_weight) in enumerate(dom.DEPARTMENTS):
        cats = dom.DEPARTMENT_CATEGORIES[dept]
        cat_total = sum(w for _, w in cats)
        for category, cat_weight in cats:
            cat_brands = dom.CATEGORY_BRANDS[category]
            for brand in cat_brands:
                c_dept.append(d)
                c_cat.append(categories.index(category))
                c_brand.append(brands.index(brand))
                share = dept_weight / dept_total * cat_weight / cat_total / len(cat_brands)
                c_weight.append(share)
                c_uri.append(
                    f"/department/{_slug(dept, '-')}/category/{_slug(category, '-')}"
                    f"/brand/{_slug(brand, '')}"
                )
    return _Catalog(
        departments,
        categories,
        tuple(brands),
        tuple(c_dept),
        tuple(c_cat),
        tuple(c_brand),
        tuple(c_weight),
        tuple(c_uri),
    )


def expected_row_counts(scale: float) -> dict[str, int]:
    """Row count of every table at ``scale``: the public counts scaled, with floors.

    Floors keep tiny samples usable: every catalogue combination exists, each order
    has one to four items, every sold item has an inventory row, and there are
    enough events for one purchase session per order.
    """
    scale = _check_scale(scale)

    def scaled(table: str) -> int:
        return round(PUBLIC_ROW_COUNTS[table] * scale)

    orders = max(50, scaled("orders"))
    items = min(max(orders, scaled("order_items")), _MAX_ITEMS_PER_ORDER * orders)
    counts = {
        "distribution_centers": len(dom.DISTRIBUTION_CENTERS),
        "products": max(400, len(_catalog().combo_uri), scaled("products")),
        "users": max(50, scaled("users")),
        "orders": orders,
        "order_items": items,
        "inventory_items": max(items, scaled("inventory_items")),
        "events": max(_MAX_ORDER_SESSION * orders + 1, scaled("events")),
    }
    return {table: counts[table] for table in TABLES}


def build_sample(
    path: str | os.PathLike[str],
    *,
    scale: float = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    overwrite: bool = False,
) -> Path:
    """Write the synthetic dataset to ``path`` and return it.

    An existing file is returned untouched unless ``overwrite``; a new one is built
    next to the target and moved into place, so readers never see a partial file.
    """
    counts = expected_row_counts(scale)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    target = Path(path)
    if target.exists() and not overwrite:
        return target
    stages = _generate(counts, seed)
    comment = (
        f"Synthetic thelook_ecommerce sample (lgda_nb generator v{GENERATOR_VERSION}, "
        f"seed={seed}, scale={float(scale)!r})"
    )
    return write_in_place(target, lambda built: _write_duckdb(built, stages, comment))


def write_in_place(target: Path, write: Callable[[Path], None]) -> Path:
    """Run ``write`` on a file beside ``target``, then move it into place, so readers
    never see a partial file; returns ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        built = workdir / target.name
        write(built)
        os.replace(built, target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return target


# --------------------------------------------------------------------------- writing


# SQL per output column where it is not a plain copy of the staged column ``s.<col>``.
_EXPRESSIONS: dict[str, dict[str, str]] = {
    "distribution_centers": {
        "distribution_center_geom": "'POINT(' || s.longitude || ' ' || s.latitude || ')'",
    },
    "users": {
        "email": (
            "lower(regexp_replace(s.first_name || s.last_name, '[^A-Za-z]', '', 'g'))"
            " || '@' || s.email_domain"
        ),
        "street_address": "s.street_number || ' ' || s.street_name || ' ' || s.street_suffix",
        "user_geom": "'POINT(' || s.longitude || ' ' || s.latitude || ')'",
    },
    "order_items": {"sale_price": "p.retail_price"},
    "inventory_items": {
        "cost": "p.cost",
        "product_category": "p.category",
        "product_name": "p.name",
        "product_brand": "p.brand",
        "product_retail_price": "p.retail_price",
        "product_department": "p.department",
        "product_sku": "p.sku",
        "product_distribution_center_id": "p.distribution_center_id",
    },
    "events": {
        "ip_address": (
            "concat_ws('.', s.ip >> 24, (s.ip >> 16) & 255, (s.ip >> 8) & 255, s.ip & 255)"
        ),
        "uri": (
            "CASE s.event_type WHEN 'product' THEN '/product/' || s.product_id"
            " WHEN 'department' THEN s.department_uri ELSE '/' || s.event_type END"
        ),
    },
}

# Tables that copy product attributes join the finished ``products`` table, so the
# copies cannot drift from the source; the join needs an ORDER BY to keep id order.
_JOINS: dict[str, str] = {
    "order_items": " JOIN products AS p ON p.id = s.product_id ORDER BY s.id",
    "inventory_items": " JOIN products AS p ON p.id = s.product_id ORDER BY s.id",
}


def _insert_sql(table: str) -> str:
    """``INSERT`` of one staged slice into ``table``, cast to the public schema."""
    exprs = _EXPRESSIONS.get(table, {})
    select = ", ".join(
        f"CAST({exprs.get(name, f's.{name}')} AS {DUCKDB_TYPES[bq]})" for name, bq in SCHEMA[table]
    )
    return f"INSERT INTO {table} SELECT {select} FROM _stage AS s{_JOINS.get(table, '')}"


def _write_duckdb(path: Path, tables: Iterable[tuple[str, Iterable[Any]]], comment: str) -> None:
    """Create the seven tables with the public column order, then insert each table's
    slices as they come (``tables`` may draw each table only when it is reached)."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        # Written rows may leave memory: DuckDB flushes them to the file past this.
        con.execute(f"SET memory_limit = '{_WRITE_MEMORY}'")
        con.execute("SET enable_progress_bar = false")  # `lgda sample` prints its own lines
        for table in TABLES:
            ddl = ", ".join(f"{name} {DUCKDB_TYPES[bq]}" for name, bq in SCHEMA[table])
            con.execute(f"CREATE TABLE {table} ({ddl})")
            con.execute(f"COMMENT ON TABLE {table} IS '{comment}'")
        for table, slices in tables:
            _insert_slices(con, table, slices)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _insert_slices(con: Any, table: str, slices: Iterable[Any]) -> None:
    """Insert each Arrow slice; no reference to a slice (and so to its whole
    table's buffers) outlives this call."""
    insert = _insert_sql(table)
    for piece in slices:
        con.register("_stage", piece)
        con.execute(insert)
        con.unregister("_stage")


def _blocks(start: int, stop: int) -> Iterator[tuple[int, int]]:
    """``[a, b)`` ranges of at most ``_CHUNK_ROWS`` covering ``[start, stop)``."""
    for a in range(start, stop, _CHUNK_ROWS):
        yield a, min(a + _CHUNK_ROWS, stop)


def _slices(table: Any) -> Iterator[Any]:
    """Zero-copy slices of an Arrow table, at most ``_CHUNK_ROWS`` rows each."""
    for a, b in _blocks(0, table.num_rows):
        yield table.slice(a, b - a)


# ------------------------------------------------------------------- array helpers


def _choice(rng: np.random.Generator, weights: Sequence[float] | FloatArray, size: int) -> IntArray:
    """Draw ``size`` indices with probability proportional to ``weights``."""
    import numpy as np

    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=size, p=p / p.sum())


def _ts(seconds: IntArray, mask: BoolArray | None = None) -> Any:
    """UTC Arrow timestamps from epoch seconds; ``mask`` marks NULLs."""
    import pyarrow as pa

    return pa.array(seconds * 1_000_000, type=pa.timestamp("us", tz="UTC"), mask=mask)


def _dict(indices: SmallIntArray, values: Sequence[str] | Any) -> Any:
    """Dictionary-encoded strings: cheap to build, DuckDB reads them as VARCHAR."""
    import numpy as np
    import pyarrow as pa

    dictionary = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    return pa.DictionaryArray.from_arrays(
        pa.array(indices.astype(np.int32), mask=indices < 0), dictionary
    )


def _strings(chars: ByteArray, lengths: IntArray) -> Any:
    """Arrow strings from the first ``lengths[i]`` ASCII bytes of each matrix row."""
    import numpy as np
    import pyarrow as pa

    keep = np.arange(chars.shape[1]) < lengths[:, None]
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    data = np.ascontiguousarray(chars[keep])
    return pa.StringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data))


def _fill_templates(rng: np.random.Generator, templates: Sequence[str], which: IntArray) -> Any:
    """Instantiate ``templates[which[i]]``: ``#`` becomes a digit, ``@`` a capital letter."""
    import numpy as np

    encoded = [t.encode("ascii") for t in templates]
    width = max(len(e) for e in encoded)
    table = np.zeros((len(encoded), width), dtype=np.uint8)
    for i, e in enumerate(encoded):
        table[i, : len(e)] = np.frombuffer(e, dtype=np.uint8)
    chars = table[which]
    digits = rng.integers(ord("0"), ord("9") + 1, size=chars.shape, dtype=np.uint8)
    letters = rng.integers(ord("A"), ord("Z") + 1, size=chars.shape, dtype=np.uint8)
    chars = np.where(chars == ord("#"), digits, np.where(chars == ord("@"), letters, chars))
    lengths = np.array([len(e) for e in encoded], dtype=np.int64)[which]
    return _strings(chars, lengths)


def _hex_ids(rng: np.random.Generator, n: int, *, uuid: bool) -> Any:
    """Random 128-bit ids: upper-case hex (like the public SKUs) or UUID-4 text.

    Drawn from the seeded generator rather than ``uuid4`` so builds are repeatable;
    the bytes are drawn at once and spelt out in blocks, which bounds the memory.
    """
    import numpy as np
    import pyarrow as pa

    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    if uuid:  # set the version (4) and variant (10xx) bits
        raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
        raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    alphabet = np.frombuffer(b"0123456789abcdef" if uuid else b"0123456789ABCDEF", np.uint8)
    pieces = [_hex_text(raw[a:b], alphabet, uuid=uuid) for a, b in _blocks(0, n)]
    return pa.concat_arrays(pieces) if pieces else pa.array([], pa.string())


def _hex_text(raw: ByteArray, alphabet: ByteArray, *, uuid: bool) -> Any:
    """Arrow strings spelling each row of ``raw`` in hex, with UUID dashes if ``uuid``."""
    import numpy as np

    n = len(raw)
    nibbles = np.empty((n, 32), dtype=np.uint8)
    nibbles[:, 0::2] = raw >> 4
    nibbles[:, 1::2] = raw & 0x0F
    chars = alphabet[nibbles]
    if uuid:
        chars = np.insert(chars, [8, 12, 16, 20], ord("-"), axis=1)  # 8-4-4-4-12
    return _strings(chars, np.full(n, chars.shape[1], dtype=np.int64))


def _uniform_between(rng: np.random.Generator, low: IntArray, high: IntArray | int) -> IntArray:
    """Whole seconds drawn uniformly in ``[low, high]`` element-wise."""
    import numpy as np

    span = np.asarray(high, dtype=np.int64) - low
    return low + np.floor(rng.random(len(low)) * (span + 1)).astype(np.int64)


# ------------------------------------------------------------------------ tables


@dataclass(frozen=True)
class _Cities:
    """Flattened city domain: parallel arrays plus the strings Arrow needs."""

    names: tuple[str, ...]
    states: tuple[str, ...]
    countries: tuple[str, ...]
    country: IntArray
    latitude: FloatArray
    longitude: FloatArray
    postal: tuple[str, ...]
    weight: FloatArray


def _cities() -> _Cities:
    """Per-city arrays with weight = country share x city share within the country."""
    import numpy as np

    names, states, postal, country, lat, lon, weight = [], [], [], [], [], [], []
    total = sum(c.weight for c in dom.COUNTRIES)
    for k, c in enumerate(dom.COUNTRIES):
        city_total = sum(city.weight for city in c.cities)
        for city in c.cities:
            names.append(city.name)
            states.append(city.state)
            postal.append(city.postal)
            country.append(k)
            lat.append(city.latitude)
            lon.append(city.longitude)
            weight.append(c.weight / total * city.weight / city_total)
    return _Cities(
        tuple(names),
        tuple(states),
        tuple(c.name for c in dom.COUNTRIES),
        np.array(country, dtype=np.int64),
        np.array(lat),
        np.array(lon),
        tuple(postal),
        np.array(weight),
    )


def _distribution_centers() -> Any:
    """The ten fixed US distribution centres."""
    import pyarrow as pa

    dcs = dom.DISTRIBUTION_CENTERS
    return pa.table(
        {
            "id": [d.id for d in dcs],
            "name": [d.name for d in dcs],
            "latitude": [d.latitude for d in dcs],
            "longitude": [d.longitude for d in dcs],
        }
    )


@dataclass(frozen=True)
class _Products:
    table: Any
    department: IntArray
    combo: IntArray
    retail: FloatArray
    popularity: FloatArray


def _products(rng: np.random.Generator, n: int) -> _Products:
    """Catalogue: every combo once, the rest drawn by combo weight, then shuffled."""
    import numpy as np
    import pyarrow as pa

    cat = _catalog()
    n_combos = len(cat.combo_uri)
    combo = np.concatenate(
        [np.arange(n_combos, dtype=np.int64), _choice(rng, cat.combo_weight, n - n_combos)]
    )
    combo = rng.permutation(combo)
    category = np.array(cat.combo_category)[combo]
    department = np.array(cat.combo_department)[combo]
    brand = np.array(cat.combo_brand)[combo]
    median = np.array([dom.CATEGORY_PRICES[c] for c in cat.categories])[category]
    retail = np.round(np.clip(median * rng.lognormal(0.0, 0.45, n), 2.0, 999.0), 2)
    cost = np.round(retail * rng.uniform(0.35, 0.62, n), 2)
    style = rng.integers(0, len(dom.PRODUCT_STYLES), n)
    item_pick = rng.integers(0, 1 << 30, n)
    possessive = [f"{d}'s" for d in cat.departments]
    names = [
        f"{cat.brands[b]} {possessive[d]} {dom.PRODUCT_STYLES[s]} "
        f"{dom.CATEGORY_ITEMS[cat.categories[c]][i % len(dom.CATEGORY_ITEMS[cat.categories[c]])]}"
        for b, d, s, c, i in zip(
            brand.tolist(),
            department.tolist(),
            style.tolist(),
            category.tolist(),
            item_pick.tolist(),
            strict=True,
        )
    ]
    table = pa.table(
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "cost": cost,
            "category": _dict(category, cat.categories),
            "name": pa.array(names, pa.string()),
            "brand": _dict(brand, cat.brands),
            "retail_price": retail,
            "department": _dict(department, cat.departments),
            "sku": _hex_ids(rng, n, uuid=False),
            "distribution_center_id": rng.integers(1, len(dom.DISTRIBUTION_CENTERS) + 1, n),
        }
    )
    return _Products(table, department, combo, retail, rng.lognormal(0.0, 1.0, n))


@dataclass(frozen=True)
class _Users:
    table: Any
    gender: IntArray
    city: IntArray
    created: IntArray
    postal: Any
    activity: FloatArray


def _users(rng: np.random.Generator, n: int, cities: _Cities) -> _Users:
    """Customers spread over real cities; sign-ups grow linearly over the window."""
    import numpy as np
    import pyarrow as pa

    male, female = dom.MALE_FIRST_NAMES, dom.FEMALE_FIRST_NAMES
    gender = (rng.random(n) < 0.5).astype(np.int64)  # index into GENDERS: 0 = M, 1 = F
    first = np.where(
        gender == 0, rng.integers(0, len(male), n), len(male) + rng.integers(0, len(female), n)
    )
    city = _choice(rng, cities.weight, n)
    postal = _fill_templates(rng, cities.postal, city)
    # sqrt of a uniform has a linearly rising density: more sign-ups in later years.
    created = _START + np.floor(np.sqrt(rng.random(n)) * (_USER_END - _START)).astype(np.int64)
    latitude = np.round(cities.latitude[city] + rng.normal(0.0, 0.04, n), 6)
    longitude = np.round(cities.longitude[city] + rng.normal(0.0, 0.04, n), 6)
    table = pa.table(
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "first_name": _dict(first, male + female),
            "last_name": _dict(rng.integers(0, len(dom.LAST_NAMES), n), dom.LAST_NAMES),
            "email_domain": _dict(rng.integers(0, len(dom.EMAIL_DOMAINS), n), dom.EMAIL_DOMAINS),
            "age": rng.integers(12, 71, n),
            "gender": _dict(gender, dom.GENDERS),
            "state": _dict(city, cities.states),
            "street_number": rng.integers(1, 10_000, n),
            "street_name": _dict(rng.integers(0, len(dom.STREET_NAMES), n), dom.STREET_NAMES),
            "street_suffix": _dict(
                rng.integers(0, len(dom.STREET_SUFFIXES), n), dom.STREET_SUFFIXES
            ),
            "postal_code": postal,
            "city": _dict(city, cities.names),
            "country": _dict(cities.country[city], cities.countries),
            "latitude": latitude,
            "longitude": longitude,
            "traffic_source": _dict(
                _choice(rng, [w for _, w in dom.USER_TRAFFIC_SOURCES], n),
                [s for s, _ in dom.USER_TRAFFIC_SOURCES],
            ),
            "created_at": _ts(created),
        }
    )
    # Gamma(0.6) activity: a few heavy buyers, many one-off ones, some who never buy.
    return _Users(table, gender, city, created, postal, rng.gamma(0.6, 1.0, n))


def _items_per_order(rng: np.random.Generator, n_orders: int, n_items: int) -> IntArray:
    """Shuffled items-per-order counts (1..4) summing to exactly ``n_items``."""
    import numpy as np

    extra = n_items - n_orders
    four = int(extra * 0.15) // 3
    three = int(extra * 0.25) // 2
    two = extra - 3 * four - 2 * three
    one = n_orders - two - three - four
    if one < 0:  # only for item/order ratios far above the public one
        counts = np.minimum(np.full(n_orders, n_items // n_orders), _MAX_ITEMS_PER_ORDER)
        counts[: n_items - int(counts.sum())] += 1
    else:
        counts = np.repeat(np.arange(1, 5, dtype=np.int64), [one, two, three, four])
    return rng.permutation(counts.astype(np.int64))


@dataclass(frozen=True)
class _Orders:
    orders: Any
    items: Any
    user: IntArray
    created: IntArray
    status: IntArray
    counts: IntArray
    item_start: IntArray
    item_product: IntArray
    item_created: IntArray


def _orders(
    rng: np.random.Generator,
    n_orders: int,
    n_items: int,
    users: _Users,
    products: _Products,
) -> _Orders:
    """Orders and their items; ids follow creation time, status drives the timestamps."""
    import numpy as np
    import pyarrow as pa

    user = _choice(rng, users.activity, n_orders)
    created = _uniform_between(rng, users.created[user] + 3600, _ORDER_END)
    by_time = np.argsort(created, kind="stable")
    user, created = user[by_time], created[by_time]
    status = _choice(rng, [w for _, w in dom.ORDER_STATUSES], n_orders)
    shipped = created + rng.integers(3600, 3 * _DAY, n_orders)
    delivered = shipped + rng.integers(_DAY, 6 * _DAY, n_orders)
    returned = delivered + rng.integers(_DAY, 6 * _DAY, n_orders)
    not_shipped = np.isin(status, [_PROCESSING, _CANCELLED])
    not_delivered = not_shipped | (status == _SHIPPED)
    not_returned = status != _RETURNED
    counts = _items_per_order(rng, n_orders, n_items)
    gender = users.gender[user]

    order_of_item = np.repeat(np.arange(n_orders, dtype=np.int64), counts)
    item_start = np.zeros(n_orders, dtype=np.int64)
    np.cumsum(counts[:-1], out=item_start[1:])
    # Men shop the Men department and women the Women one, weighted by popularity.
    item_product = np.empty(n_items, dtype=np.int64)
    item_gender = gender[order_of_item]
    for d in range(len(dom.DEPARTMENTS)):
        pool = np.flatnonzero(products.department == d)
        wanted = item_gender == d
        item_product[wanted] = pool[_choice(rng, products.popularity[pool], int(wanted.sum()))]

    status_names = list(_STATUS)
    orders = pa.table(
        {
            "order_id": np.arange(1, n_orders + 1, dtype=np.int64),
            "user_id": user + 1,
            "status": _dict(status, status_names),
            "gender": _dict(gender, dom.GENDERS),
            "created_at": _ts(created),
            "returned_at": _ts(returned, not_returned),
            "shipped_at": _ts(shipped, not_shipped),
            "delivered_at": _ts(delivered, not_delivered),
            "num_of_item": counts,
        }
    )
    o = order_of_item
    items = pa.table(
        {
            "id": np.arange(1, n_items + 1, dtype=np.int64),
            "order_id": o + 1,
            "user_id": user[o] + 1,
            "product_id": item_product + 1,
            "status": _dict(status[o], status_names),
            "created_at": _ts(created[o]),
            "shipped_at": _ts(shipped[o], not_shipped[o]),
            "delivered_at": _ts(delivered[o], not_delivered[o]),
            "returned_at": _ts(returned[o], not_returned[o]),
        }
    )
    return _Orders(
        orders, items, user, created, status, counts, item_start, item_product, created[o]
    )


def _inventory(
    rng: np.random.Generator, n: int, orders: _Orders, products: _Products
) -> tuple[Any, IntArray]:
    """Stock: one sold unit per order item plus unsold units; ids follow arrival time.

    Returns the staged table and the inventory id of every order item.
    """
    import numpy as np
    import pyarrow as pa

    n_sold = len(orders.item_product)
    n_unsold = n - n_sold
    sold_created = orders.item_created - rng.integers(3600, 120 * _DAY, n_sold)
    product = np.concatenate([orders.item_product, _choice(rng, products.popularity, n_unsold)])
    created = np.concatenate(
        [np.maximum(sold_created, _START), _uniform_between(rng, np.full(n_unsold, _START), _END)]
    )
    sold_at = np.concatenate([orders.item_created, np.zeros(n_unsold, dtype=np.int64)])
    unsold = np.arange(n) >= n_sold
    by_time = np.argsort(created, kind="stable")
    inventory_id = np.empty(n, dtype=np.int64)
    inventory_id[by_time] = np.arange(1, n + 1, dtype=np.int64)
    table = pa.table(
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "product_id": product[by_time] + 1,
            "created_at": _ts(created[by_time]),
            "sold_at": _ts(sold_at[by_time], unsold[by_time]),
        }
    )
    return table, inventory_id[:n_sold]


@dataclass(frozen=True)
class _Browsing:
    """Browsing sessions: length, member (or -1), city, postal index, first click."""

    length: IntArray
    user: IntArray
    city: IntArray
    postal: IntArray
    start: IntArray
    anon_postal: Any


def _browsing(rng: np.random.Generator, budget: int, cities: _Cities, users: _Users) -> _Browsing:
    """Sessions of 2..15 clicks whose lengths add up to exactly ``budget``.

    ``budget // 2 + 1`` sessions of at least two clicks always cover the budget; the
    last one kept is trimmed. Members browse from their own city; anonymous visitors
    get a random city and postal code, indexed after the members' postal codes.
    """
    import numpy as np

    n_users = len(users.created)
    length = np.minimum(rng.geometric(0.28, budget // 2 + 1) + 1, _MAX_BROWSE_SESSION)
    ends = np.cumsum(length)
    n = int(np.searchsorted(ends, budget)) + 1 if budget > 0 else 0
    length = length[:n].astype(np.int64)
    if n:
        length[-1] -= int(ends[n - 1]) - budget

    member = rng.random(n) < 0.55
    user = np.where(member, _choice(rng, users.activity, n), -1)
    n_anon = int((~member).sum())
    anon_city = _choice(rng, cities.weight, n_anon)
    city = np.zeros(n, dtype=np.int64)
    postal = np.zeros(n, dtype=np.int64)
    city[member] = users.city[user[member]]
    postal[member] = user[member]
    city[~member] = anon_city
    postal[~member] = n_users + np.arange(n_anon)
    earliest = np.where(member, users.created[np.maximum(user, 0)], _START)
    return _Browsing(
        length,
        user,
        city,
        postal,
        _uniform_between(rng, earliest, _END - _DAY),
        _fill_templates(rng, cities.postal, anon_city),
    )


def _purchase_clicks(
    session: SmallIntArray,
    pos: IntArray,
    home: IntArray,
    products: _Products,
    orders: _Orders,
) -> tuple[IntArray, IntArray, IntArray]:
    """Event type, product and catalogue combo of each click of the purchase sessions.

    The position relative to the department click decides the type:
    [home] department product x items cart purchase [cancel].
    """
    import numpy as np

    rel = pos - home[session]
    k = orders.counts[session]
    event_type = np.select(
        [rel < 0, rel == 0, rel <= k, rel == k + 1, rel == k + 2],
        [_HOME, _DEPARTMENT, _PRODUCT, _CART, _PURCHASE],
        _CANCEL,
    )
    product = np.full(len(session), -1, dtype=np.int64)
    combo = np.full(len(session), -1, dtype=np.int64)
    item = np.clip(orders.item_start[session] + rel - 1, 0, len(orders.item_product) - 1)
    is_product = event_type == _PRODUCT
    product[is_product] = orders.item_product[item[is_product]]
    is_dept = event_type == _DEPARTMENT
    first_item = orders.item_product[orders.item_start[session[is_dept]]]
    combo[is_dept] = products.combo[first_item]
    return event_type, product, combo


def _browse_clicks(
    rng: np.random.Generator, clicks: _Clicks, start: int, products: _Products
) -> None:
    """Browsing lands on home, a department or a product page, then wanders.

    Fills ``clicks`` from event ``start`` on, whose positions are already set.
    """
    import numpy as np

    pos = clicks.pos[start:]
    n = len(pos)
    landing = np.array([_HOME, _DEPARTMENT, _PRODUCT], np.int8)[_choice(rng, [0.5, 0.3, 0.2], n)]
    wander = np.array([_DEPARTMENT, _PRODUCT, _CART], np.int8)[_choice(rng, [0.25, 0.6, 0.15], n)]
    event_type = clicks.event_type[start:]
    np.copyto(event_type, np.where(pos == 0, landing, wander))
    del landing, wander
    is_product = event_type == _PRODUCT
    clicks.product[start:][is_product] = _choice(rng, products.popularity, int(is_product.sum()))
    del is_product
    is_dept = event_type == _DEPARTMENT
    clicks.combo[start:][is_dept] = _choice(rng, _catalog().combo_weight, int(is_dept.sum()))


@dataclass(frozen=True)
class _Clicks:
    """Per-event arrays in the smallest integer types that hold them.

    ``session`` numbers the session, ``pos`` is the click's place in it, ``product``
    and ``combo`` are -1 where the click has none.
    """

    session: SmallIntArray
    pos: SmallIntArray
    event_type: SmallIntArray
    product: SmallIntArray
    combo: SmallIntArray


def _clicks(
    session_len: IntArray,
    n_order_events: int,
    home: IntArray,
    products: _Products,
    orders: _Orders,
) -> tuple[_Clicks, IntArray]:
    """Session and position of every event, and the purchase sessions' clicks.

    Returns the clicks (browsing clicks still to draw) and each session's first event.
    """
    import numpy as np

    n_sessions = len(session_len)
    session = np.repeat(np.arange(n_sessions, dtype=np.int32), session_len)
    n_events = len(session)
    session_first = np.zeros(n_sessions, dtype=np.int64)
    np.cumsum(session_len[:-1], out=session_first[1:])
    clicks = _Clicks(
        session,
        np.empty(n_events, np.int8),
        np.empty(n_events, np.int8),
        np.full(n_events, -1, np.int32),
        np.full(n_events, -1, np.int16),
    )
    for a, b in _blocks(0, n_events):
        pos = np.arange(a, b, dtype=np.int64) - session_first[session[a:b]]
        clicks.pos[a:b] = pos
        if a < n_order_events:
            end = min(b, n_order_events) - a
            bought = _purchase_clicks(session[a : a + end], pos[:end], home, products, orders)
            targets = (clicks.event_type, clicks.product, clicks.combo)
            for out, values in zip(targets, bought, strict=True):
                out[a : a + end] = values
    return clicks, session_first


def _event_times(
    rng: np.random.Generator, clicks: _Clicks, anchor_index: IntArray, anchor_time: IntArray
) -> IntArray:
    """Every click's time: cumulative click gaps measured from its session's anchor.

    The anchor is the purchase click (at the order's created_at) or the first click
    of a browse session; ``anchor_index`` and ``anchor_time`` are per session.
    """
    import numpy as np

    n_events = len(clicks.session)
    created = np.zeros(n_events, dtype=np.int64)  # first the click gaps elapsed so far
    gaps = rng.integers(5, _MAX_EVENT_GAP + 1, n_events)
    np.cumsum(gaps[:-1], out=created[1:])
    del gaps
    offset = anchor_time - created[anchor_index]
    for a, b in _blocks(0, n_events):
        created[a:b] += offset[clicks.session[a:b]]
    return created


def _events(
    rng: np.random.Generator,
    n_events: int,
    *,
    cities: _Cities,
    users: _Users,
    products: _Products,
    orders: _Orders,
) -> Iterator[Any]:
    """Click-stream, as Arrow slices in id order: one purchase session per order,
    then member and anonymous browsing.

    A purchase session's purchase click happens at the order's created_at. Browsing
    fills the remaining event budget exactly, so the row count does not depend on
    chance. Ids follow time; a session's clicks are 5..300 s apart.
    """
    import numpy as np
    import pyarrow as pa

    n_orders = len(orders.created)
    home = (rng.random(n_orders) < 0.5).astype(np.int64)
    order_len = home + orders.counts + 3 + (orders.status == _CANCELLED)
    n_order_events = int(order_len.sum())
    browsing = _browsing(rng, n_events - n_order_events, cities, users)

    # Session-level attributes; sessions 0..n_orders-1 are the purchase sessions.
    session_len = np.concatenate([order_len, browsing.length])
    n_sessions = len(session_len)
    # Kept until the last slice, so in 32-bit (ids) and 8-bit (choices of a few) types.
    session_user = np.concatenate([orders.user, browsing.user]).astype(np.int32)
    session_city = np.concatenate([users.city[orders.user], browsing.city]).astype(np.int32)
    session_postal = np.concatenate([orders.user, browsing.postal]).astype(np.int32)
    browser = _choice(rng, [w for _, w in dom.BROWSERS], n_sessions).astype(np.int8)
    source = _choice(rng, [w for _, w in dom.EVENT_TRAFFIC_SOURCES], n_sessions).astype(np.int8)
    first_octet = rng.integers(1, 224, n_sessions)
    first_octet += np.isin(first_octet, [10, 127])  # skip private and loopback blocks
    ip = (first_octet << 24) | rng.integers(0, 1 << 24, n_sessions)
    anchor_time = np.concatenate([orders.created, browsing.start])
    postal = pa.concat_arrays([users.postal, browsing.anon_postal])
    del browsing, first_octet

    clicks, session_first = _clicks(session_len, n_order_events, home, products, orders)
    _browse_clicks(rng, clicks, n_order_events, products)
    anchor_index = np.concatenate(
        [session_first[:n_orders] + home + orders.counts + 2, session_first[n_orders:]]
    )
    created = _event_times(rng, clicks, anchor_index, anchor_time)
    del session_first, anchor_index, anchor_time, session_len
    session_ids = _hex_ids(rng, n_sessions, uuid=True)
    # Put every per-event array in time (= id) order, one at a time to bound memory.
    by_time = np.argsort(created, kind="stable")
    created = created[by_time]
    for column in (clicks.session, clicks.pos, clicks.event_type, clicks.product, clicks.combo):
        column[:] = column[by_time]
    del by_time
    cat = _catalog()

    for a, b in _blocks(0, n_events):
        index = slice(a, b)
        s = clicks.session[index]
        user = session_user[s].astype(np.int64)
        product = clicks.product[index].astype(np.int64)
        yield pa.table(
            {
                "id": np.arange(a + 1, b + 1, dtype=np.int64),
                "user_id": pa.array(user + 1, mask=user < 0),
                "sequence_number": clicks.pos[index].astype(np.int64) + 1,
                "session_id": session_ids.take(pa.array(s)),
                "created_at": _ts(created[index]),
                "ip": ip[s],
                "city": _dict(session_city[s], cities.names),
                "state": _dict(session_city[s], cities.states),
                "postal_code": postal.take(pa.array(session_postal[s])),
                "browser": _dict(browser[s], [b for b, _ in dom.BROWSERS]),
                "traffic_source": _dict(source[s], [t for t, _ in dom.EVENT_TRAFFIC_SOURCES]),
                "product_id": pa.array(product + 1, mask=product < 0),
                "department_uri": _dict(clicks.combo[index], cat.combo_uri),
                "event_type": _dict(clicks.event_type[index], dom.EVENT_TYPES),
            }
        )


def _generate(counts: dict[str, int], seed: int) -> Iterator[tuple[str, Iterable[Any]]]:
    """Draw every table, each only when the writer reaches it, as Arrow slices.

    Each table gets its own child stream, so tables vary independently and the
    order they are drawn in does not change them; a table's Arrow data is dropped
    once written, and only the arrays later tables need are kept.
    """
    import numpy as np
    import pyarrow as pa

    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    cities = _cities()
    yield "distribution_centers", [_distribution_centers()]
    products = _products(streams[0], counts["products"])
    yield "products", _slices(products.table)
    products = replace(products, table=None)  # written: keep only the arrays
    users = _users(streams[1], counts["users"], cities)
    yield "users", _slices(users.table)
    users = replace(users, table=None)
    orders = _orders(streams[2], counts["orders"], counts["order_items"], users, products)
    yield "orders", _slices(orders.orders)
    inventory, inventory_id = _inventory(streams[3], counts["inventory_items"], orders, products)
    yield "inventory_items", _slices(inventory)
    del inventory
    items = orders.items.append_column("inventory_item_id", pa.array(inventory_id))
    orders = replace(orders, orders=None, items=None)
    yield "order_items", _slices(items)
    del items, inventory_id
    yield (
        "events",
        _events(
            streams[4],
            counts["events"],
            cities=cities,
            users=users,
            products=products,
            orders=orders,
        ),
    )

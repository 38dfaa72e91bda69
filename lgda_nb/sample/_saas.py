"""A deterministic SaaS subscriptions sample: a second dataset that is not e-commerce.

Accounts sign up, subscribe to a plan (some upgrade, some cancel), are invoiced every
month while subscribed and use the product. Its shape differs from thelook on
purpose: a price list (``plans``), a chain of joins (invoices -> subscriptions ->
plans), nullable end dates, money that is monthly recurring rather than per order.
No model ships with it: questions about it go through the inferred model or a
model file written by ``lgda model init``.

Everything random comes from one ``numpy.random.default_rng`` per table, seeded from
the caller's seed; every date lies in a fixed window, so one seed and scale always
give the same file. numpy, pyarrow and duckdb load only when a sample is built.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgda_nb.sample._generate import write_in_place

if TYPE_CHECKING:
    import numpy as np

    from lgda_nb._config import UnifiedConfig

SAAS_VERSION = 1
SAAS_TABLES: tuple[str, ...] = ("plans", "accounts", "subscriptions", "invoices", "usage_events")
SAAS_START = datetime(2023, 1, 1, tzinfo=UTC)
SAAS_END = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)

#: Column name -> DuckDB type, in table order.
SAAS_SCHEMA: dict[str, tuple[tuple[str, str], ...]] = {
    "plans": (
        ("id", "BIGINT"),
        ("name", "VARCHAR"),
        ("tier", "VARCHAR"),
        ("price_per_seat", "DOUBLE"),
    ),
    "accounts": (
        ("id", "BIGINT"),
        ("name", "VARCHAR"),
        ("country", "VARCHAR"),
        ("industry", "VARCHAR"),
        ("company_size", "VARCHAR"),
        ("contact_name", "VARCHAR"),
        ("billing_email", "VARCHAR"),
        ("created_at", "TIMESTAMP WITH TIME ZONE"),
    ),
    "subscriptions": (
        ("id", "BIGINT"),
        ("account_id", "BIGINT"),
        ("plan_id", "BIGINT"),
        ("status", "VARCHAR"),
        ("seats", "BIGINT"),
        ("mrr", "DOUBLE"),
        ("started_at", "TIMESTAMP WITH TIME ZONE"),
        ("cancelled_at", "TIMESTAMP WITH TIME ZONE"),
    ),
    "invoices": (
        ("id", "BIGINT"),
        ("subscription_id", "BIGINT"),
        ("account_id", "BIGINT"),
        ("issued_at", "TIMESTAMP WITH TIME ZONE"),
        ("amount", "DOUBLE"),
        ("status", "VARCHAR"),
        ("paid_at", "TIMESTAMP WITH TIME ZONE"),
    ),
    "usage_events": (
        ("id", "BIGINT"),
        ("account_id", "BIGINT"),
        ("event_type", "VARCHAR"),
        ("quantity", "BIGINT"),
        ("occurred_at", "TIMESTAMP WITH TIME ZONE"),
    ),
}

#: name, tier, price per seat and month, weight of new subscriptions, seats (low, high).
PLANS: tuple[tuple[str, str, float, float, tuple[int, int]], ...] = (
    ("Free", "self-serve", 0.0, 0.30, (1, 1)),
    ("Starter", "self-serve", 12.0, 0.30, (1, 5)),
    ("Team", "self-serve", 25.0, 0.20, (3, 20)),
    ("Business", "sales-led", 45.0, 0.15, (10, 100)),
    ("Enterprise", "sales-led", 80.0, 0.05, (50, 400)),
)
COUNTRIES: tuple[tuple[str, float], ...] = (
    ("United States", 0.34),
    ("United Kingdom", 0.10),
    ("Germany", 0.10),
    ("India", 0.08),
    ("France", 0.07),
    ("Canada", 0.07),
    ("Netherlands", 0.07),
    ("Brazil", 0.06),
    ("Australia", 0.06),
    ("Japan", 0.05),
)
INDUSTRIES = (
    "Software", "Retail", "Healthcare", "Finance", "Education", "Manufacturing", "Media",
    "Logistics",
)  # fmt: skip
COMPANY_SIZES: tuple[tuple[str, float], ...] = (
    ("1-10", 0.35),
    ("11-50", 0.30),
    ("51-200", 0.20),
    ("201-1000", 0.10),
    ("1001+", 0.05),
)
EVENT_TYPES: tuple[tuple[str, float], ...] = (
    ("login", 0.40),
    ("api_call", 0.25),
    ("report_run", 0.15),
    ("export", 0.10),
    ("invite_sent", 0.10),
)
_NAME_HEADS = (
    "Blue", "North", "Bright", "Silver", "Rapid", "Quiet", "Iron", "Green", "Clear", "Bold",
    "Summit", "Harbor", "Pioneer", "Lumen", "Vertex", "Cedar", "Atlas", "Nova", "Orbit", "Delta",
)  # fmt: skip
_NAME_TAILS = (
    "Labs", "Systems", "Works", "Analytics", "Foods", "Health", "Logistics", "Media", "Studio",
    "Partners", "Retail", "Capital", "Robotics", "Learning", "Energy", "Cloud",
)  # fmt: skip
_FIRST = (
    "Alex", "Sam", "Priya", "Jonas", "Maria", "Kenji", "Lea", "Omar", "Chloe", "Diego",
    "Hannah", "Ravi", "Sofia", "Tom", "Yuki", "Amara",
)  # fmt: skip
_LAST = (
    "Smith", "Müller", "Patel", "Dubois", "Silva", "Tanaka", "Brown", "Khan", "Jansen",
    "Garcia", "Novak", "Okafor", "Rossi", "Lee",
)  # fmt: skip
_SUBSCRIPTION_STATUSES = ("active", "past_due", "trialing", "cancelled")
_INVOICE_STATUSES = ("paid", "open", "void", "uncollectible")

_DAY = 86_400
_MONTH = 30 * _DAY
_START = int(SAAS_START.timestamp())
_END = int(SAAS_END.timestamp())
_ACCOUNTS_AT_SCALE_1 = 4_000
_EVENTS_PER_ACCOUNT = 40
MAX_SCALE = 10.0


def _check(scale: float, seed: int) -> float:
    if isinstance(scale, bool) or not isinstance(scale, int | float):
        raise ValueError(f"scale must be a number, got {scale!r}")
    if not math.isfinite(scale) or scale <= 0 or scale > MAX_SCALE:
        raise ValueError(f"scale must be > 0 and <= {MAX_SCALE:g}, got {scale!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return float(scale)


def saas_sample_path(config: UnifiedConfig) -> Path:
    """Where ``lgda sample --dataset saas`` writes: next to the thelook sample."""
    from lgda_nb.backends._duckdb import default_sample_path

    settings = config.duckdb
    name = f"saas_s{settings.sample_scale:g}_seed{settings.sample_seed}_v{SAAS_VERSION}.duckdb"
    return default_sample_path(config).with_name(name)


def build_saas_sample(
    path: str | os.PathLike[str],
    *,
    scale: float = 0.1,
    seed: int = 42,
    overwrite: bool = False,
) -> Path:
    """Write the SaaS sample to ``path`` and return it (an existing file is kept unless
    ``overwrite``); the file is built beside the target and moved into place."""
    scale = _check(scale, seed)
    target = Path(path)
    if target.exists() and not overwrite:
        return target
    tables = _generate(scale, seed)
    comment = (
        f"Synthetic SaaS subscriptions sample (lgda_nb v{SAAS_VERSION}, "
        f"seed={seed}, scale={scale!r})"
    )
    return write_in_place(target, lambda built: _write(built, tables, comment))


def _write(path: Path, tables: dict[str, Any], comment: str) -> None:
    import duckdb

    con = duckdb.connect(str(path))
    try:
        for table in SAAS_TABLES:
            columns = SAAS_SCHEMA[table]
            con.register("_stage", tables[table])
            ddl = ", ".join(f"{name} {kind}" for name, kind in columns)
            select = ", ".join(f"CAST(s.{name} AS {kind})" for name, kind in columns)
            con.execute(f"CREATE TABLE {table} ({ddl})")
            con.execute(f"INSERT INTO {table} SELECT {select} FROM _stage AS s ORDER BY s.id")
            con.execute(f"COMMENT ON TABLE {table} IS '{comment}'")
            con.unregister("_stage")
        con.execute("CHECKPOINT")
    finally:
        con.close()


@dataclass
class _Subscription:
    account: int
    plan: int
    seats: int
    mrr: float
    start: int
    end: int | None  # cancelled at; None while it runs
    status: str


def _weights(pairs: tuple[tuple[str, float], ...]) -> list[float]:
    return [w for _, w in pairs]


def _pick(rng: np.random.Generator, weights: list[float], size: int) -> Any:
    import numpy as np

    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=size, p=p / p.sum())


def _generate(scale: float, seed: int) -> dict[str, Any]:
    """Every table as an Arrow table; each has its own child stream of the seed."""
    import numpy as np

    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    n = max(50, round(_ACCOUNTS_AT_SCALE_1 * scale))
    accounts = _accounts(rngs[0], n)
    subscriptions = _subscriptions(rngs[1], accounts["created"])
    return {
        "plans": _plans(),
        "accounts": accounts["table"],
        "subscriptions": _subscription_table(subscriptions),
        "invoices": _invoices(rngs[2], subscriptions),
        "usage_events": _usage(rngs[3], accounts["created"], subscriptions),
    }


def _ts(seconds: Any) -> Any:
    """UTC Arrow timestamps from epoch seconds (None stays NULL)."""
    import pyarrow as pa

    values = [None if s is None else int(s) * 1_000_000 for s in seconds]
    return pa.array(values, type=pa.timestamp("us", tz="UTC"))


def _plans() -> Any:
    import pyarrow as pa

    return pa.table(
        {
            "id": list(range(1, len(PLANS) + 1)),
            "name": [p[0] for p in PLANS],
            "tier": [p[1] for p in PLANS],
            "price_per_seat": [p[2] for p in PLANS],
        }
    )


def _accounts(rng: np.random.Generator, n: int) -> dict[str, Any]:
    """Accounts, sorted by signup; more sign up later (the business grows)."""
    import numpy as np
    import pyarrow as pa

    span = _END - 45 * _DAY - _START
    created = np.sort(_START + (np.sqrt(rng.random(n)) * span).astype(np.int64))
    head = rng.integers(0, len(_NAME_HEADS), n)
    tail = rng.integers(0, len(_NAME_TAILS), n)
    names = [f"{_NAME_HEADS[h]} {_NAME_TAILS[t]}" for h, t in zip(head, tail, strict=True)]
    first = rng.integers(0, len(_FIRST), n)
    last = rng.integers(0, len(_LAST), n)
    ids = np.arange(1, n + 1)
    emails = [
        f"billing+{i}@{name.lower().replace(' ', '')}.example.com"
        for i, name in zip(ids, names, strict=True)
    ]
    table = pa.table(
        {
            "id": ids,
            "name": names,
            "country": [COUNTRIES[i][0] for i in _pick(rng, _weights(COUNTRIES), n)],
            "industry": [INDUSTRIES[i] for i in rng.integers(0, len(INDUSTRIES), n)],
            "company_size": [COMPANY_SIZES[i][0] for i in _pick(rng, _weights(COMPANY_SIZES), n)],
            "contact_name": [f"{_FIRST[a]} {_LAST[b]}" for a, b in zip(first, last, strict=True)],
            "billing_email": emails,
            "created_at": _ts(created.tolist()),
        }
    )
    return {"table": table, "created": created}


def _subscriptions(rng: np.random.Generator, created: Any) -> list[_Subscription]:
    """One subscription per account from signup; a quarter upgrade a plan later (the
    first then ends), some cancel. Sorted by start, as ids are given in that order."""
    out: list[_Subscription] = []
    plan_weights = [p[3] for p in PLANS]
    for account, signup in enumerate(created.tolist()):
        start = int(signup) + int(rng.integers(0, 14 * _DAY))
        plan = int(_pick(rng, plan_weights, 1)[0])
        # Months until cancelling: about 2.5% a month.
        churn = start + int(rng.geometric(0.025)) * _MONTH + int(rng.integers(0, _DAY))
        upgrade = rng.random() < 0.25 and plan < len(PLANS) - 1
        upgrade_at = start + int(rng.integers(2, 12)) * _MONTH
        if upgrade and upgrade_at < min(churn, _END):
            out.append(_make(rng, account, plan, start, end=upgrade_at, status="cancelled"))
            plan, start = plan + 1, upgrade_at
        if churn < _END:
            out.append(_make(rng, account, plan, start, end=churn, status="cancelled"))
        else:
            recent = _END - start < 14 * _DAY
            status = "trialing" if recent else ("past_due" if rng.random() < 0.05 else "active")
            out.append(_make(rng, account, plan, start, end=None, status=status))
    out.sort(key=lambda s: (s.start, s.account))
    return out


def _make(
    rng: np.random.Generator, account: int, plan: int, start: int, *, end: int | None, status: str
) -> _Subscription:
    low, high = PLANS[plan][4]
    seats = int(rng.integers(low, high + 1))
    discount = (0.0, 0.1, 0.2)[int(_pick(rng, [0.7, 0.2, 0.1], 1)[0])]
    mrr = round(seats * PLANS[plan][2] * (1 - discount), 2)
    return _Subscription(account, plan, seats, mrr, start, end, status)


def _subscription_table(subscriptions: list[_Subscription]) -> Any:
    import pyarrow as pa

    return pa.table(
        {
            "id": list(range(1, len(subscriptions) + 1)),
            "account_id": [s.account + 1 for s in subscriptions],
            "plan_id": [s.plan + 1 for s in subscriptions],
            "status": [s.status for s in subscriptions],
            "seats": [s.seats for s in subscriptions],
            "mrr": [s.mrr for s in subscriptions],
            "started_at": _ts([s.start for s in subscriptions]),
            "cancelled_at": _ts([s.end for s in subscriptions]),
        }
    )


def _invoices(rng: np.random.Generator, subscriptions: list[_Subscription]) -> Any:
    """A monthly invoice of the subscription's MRR from its start until it ends; free
    plans are not invoiced. Recent invoices may still be open; a few are void or never
    collected."""
    import pyarrow as pa

    rows: list[tuple[int, int, int, float, str, int | None]] = []
    for number, sub in enumerate(subscriptions, 1):
        if sub.mrr <= 0 or sub.status == "trialing":
            continue
        issued = sub.start
        stop = sub.end if sub.end is not None else _END
        while issued < stop:
            if _END - issued < 20 * _DAY and rng.random() < 0.6:
                status = "open"
            else:
                status = _INVOICE_STATUSES[int(_pick(rng, [0.94, 0.0, 0.03, 0.03], 1)[0])]
            paid = issued + int(rng.integers(0, 10 * _DAY)) if status == "paid" else None
            rows.append((number, sub.account + 1, issued, sub.mrr, status, paid))
            issued += _MONTH
    rows.sort(key=lambda r: (r[2], r[0]))
    return pa.table(
        {
            "id": list(range(1, len(rows) + 1)),
            "subscription_id": [r[0] for r in rows],
            "account_id": [r[1] for r in rows],
            "issued_at": _ts([r[2] for r in rows]),
            "amount": [r[3] for r in rows],
            "status": [r[4] for r in rows],
            "paid_at": _ts([r[5] for r in rows]),
        }
    )


def _usage(rng: np.random.Generator, created: Any, subscriptions: list[_Subscription]) -> Any:
    """Product usage between an account's signup and the end of its last subscription."""
    import numpy as np
    import pyarrow as pa

    last_end = np.full(len(created), _END, dtype=np.int64)
    for sub in subscriptions:
        if sub.end is not None and sub.status == "cancelled":
            last_end[sub.account] = sub.end
    for sub in subscriptions:  # a later subscription still running keeps the account alive
        if sub.end is None:
            last_end[sub.account] = _END
    counts = rng.poisson(_EVENTS_PER_ACCOUNT, len(created))
    account = np.repeat(np.arange(len(created)), counts)
    begin, end = np.asarray(created)[account], np.minimum(last_end[account], _END)
    occurred = begin + (rng.random(len(account)) * np.maximum(end - begin, 1)).astype(np.int64)
    kind = _pick(rng, _weights(EVENT_TYPES), len(account))
    api = kind == 1
    quantity = np.where(api, rng.integers(1, 500, len(account)), 1)
    order = np.lexsort((account, occurred))
    return pa.table(
        {
            "id": np.arange(1, len(account) + 1),
            "account_id": account[order] + 1,
            "event_type": [EVENT_TYPES[i][0] for i in kind[order]],
            "quantity": quantity[order],
            "occurred_at": _ts(occurred[order].tolist()),
        }
    )

"""The SaaS subscriptions sample: deterministic by seed, small, and consistent with itself."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from lgda_nb.sample import SAAS_TABLES, build_saas_sample
from lgda_nb.sample._saas import SAAS_END, SAAS_SCHEMA, SAAS_START


@pytest.fixture(scope="module")
def saas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample at the default scale and seed."""
    return build_saas_sample(tmp_path_factory.mktemp("saas") / "saas.duckdb")


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in SAAS_TABLES}


def _one(path: Path, sql: str) -> object:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def test_same_seed_same_data(saas: Path, tmp_path: Path) -> None:
    """Two builds with one seed hold the same rows; another seed gives other rows."""
    again = build_saas_sample(tmp_path / "again.duckdb")
    other = build_saas_sample(tmp_path / "other.duckdb", seed=7)
    assert _rows(again) == _rows(saas)
    assert _rows(other)["accounts"] != _rows(saas)["accounts"]


def test_tables_and_columns(saas: Path) -> None:
    """Five tables with the documented columns, in order."""
    with duckdb.connect(str(saas), read_only=True) as con:
        found = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "ORDER BY table_name, ordinal_position"
        ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in found:
        columns.setdefault(table, []).append(column)
    assert columns == {t: [c for c, _ in cols] for t, cols in SAAS_SCHEMA.items()}


def test_sizes_scale(tmp_path: Path) -> None:
    """Scale sets the number of accounts (400 at the default 0.1, at least 50)."""
    tiny = build_saas_sample(tmp_path / "tiny.duckdb", scale=0.001)
    assert _one(tiny, "SELECT COUNT(*) FROM accounts") == 50
    assert _one(tiny, "SELECT COUNT(*) FROM plans") == 5


def test_foreign_keys_are_contained(saas: Path) -> None:
    """Every account, plan and subscription a row points at exists."""
    for child, column, parent in (
        ("subscriptions", "account_id", "accounts"),
        ("subscriptions", "plan_id", "plans"),
        ("invoices", "subscription_id", "subscriptions"),
        ("invoices", "account_id", "accounts"),
        ("usage_events", "account_id", "accounts"),
    ):
        missing = _one(
            saas, f"SELECT COUNT(*) FROM {child} WHERE {column} NOT IN (SELECT id FROM {parent})"
        )
        assert missing == 0, (child, column)


def test_invoices_bill_their_subscription(saas: Path) -> None:
    """An invoice's amount is its subscription's MRR and its account the subscription's."""
    wrong = _one(
        saas,
        "SELECT COUNT(*) FROM invoices i JOIN subscriptions s ON s.id = i.subscription_id "
        "WHERE i.amount <> s.mrr OR i.account_id <> s.account_id "
        "OR i.issued_at < s.started_at OR i.issued_at >= COALESCE(s.cancelled_at, i.issued_at + "
        "INTERVAL 1 DAY)",
    )
    assert wrong == 0
    assert _one(saas, "SELECT COUNT(*) FROM invoices i JOIN subscriptions s "
                "ON s.id = i.subscription_id WHERE s.mrr = 0") == 0  # fmt: skip


def test_cancelled_subscriptions_have_an_end(saas: Path) -> None:
    """cancelled_at is set exactly for cancelled subscriptions, after the start."""
    assert (
        _one(
            saas,
            "SELECT COUNT(*) FROM subscriptions WHERE (status = 'cancelled') <> "
            "(cancelled_at IS NOT NULL) OR cancelled_at <= started_at",
        )
        == 0
    )


def test_dates_in_the_window(saas: Path) -> None:
    """Every date lies in 2023-2025, so 'in 2025' is a whole year."""
    for table, column in (
        ("accounts", "created_at"),
        ("subscriptions", "started_at"),
        ("subscriptions", "cancelled_at"),
        ("invoices", "issued_at"),
        ("usage_events", "occurred_at"),
    ):
        low, high = (
            _one(saas, f"SELECT MIN({column}) FROM {table}"),
            _one(saas, f"SELECT MAX({column}) FROM {table}"),
        )
        assert SAAS_START <= low <= high <= SAAS_END, (table, column)  # type: ignore[operator]
    assert _one(saas, "SELECT COUNT(*) FROM invoices WHERE year(issued_at) = 2025") > 1000  # type: ignore[operator]

"""PII detection and masking: the labelled set, each mask's shape, column detection, policy."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lgda_nb.errors import ConfigError, SecurityError
from lgda_nb.security._pii import (
    DEFAULT_POLICY,
    PII_KINDS,
    PIIFinding,
    apply_policy,
    detect_column,
    detect_value,
    mask_value,
)

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "pii" / "labelled.jsonl"


def _labelled() -> list[tuple[str, str | None]]:
    rows = [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines() if line]
    return [(row["value"], row["kind"]) for row in rows]


def _users_frame(n: int = 6) -> pd.DataFrame:
    """A small frame shaped like ``SELECT * FROM users`` in thelook."""
    first = ["Jane", "John", "Mary", "Kim", None, "Li"][:n]
    return pd.DataFrame(
        {
            "id": list(range(1, n + 1)),
            "first_name": first,
            "last_name": ["Doe", "Smith", "Jones", "Lee", "Park", None][:n],
            "email": [
                "janedoe@example.com",
                "johnsmith@example.net",
                None,
                "kimlee@example.org",
                "park@example.com",
                "li@example.com",
            ][:n],
            "street_address": [
                "742 Evergreen Terrace",
                "123 Main Street",
                "8 Oak Road",
                None,
                "1234 Oak Boulevard",
                "55 Maple Avenue",
            ][:n],
            "postal_code": ["94107", "150-0002", "10001", "SW1A 2AA", "94107", ""][:n],
            "city": ["San Francisco", "Tokyo", "New York", "London", "Chicago", "Sydney"][:n],
            "state": ["California", "Tokyo", "New York", "England", "Illinois", "NSW"][:n],
            "latitude": [37.77, 35.67, 40.71, 51.50, 41.83, -33.86][:n],
        }
    )


# --------------------------------------------------------------- labelled set


def test_labelled_set_is_large_and_balanced() -> None:
    """The fixture has 240+ rows, at least half PII over every content-detected kind."""
    rows = _labelled()
    kinds = Counter(kind for _, kind in rows)
    assert len(rows) >= 240
    positives = len(rows) - kinds[None]
    assert positives >= len(rows) / 2
    assert kinds[None] >= 120
    for kind in ("email", "phone", "street_address", "ip_address", "card_number"):
        assert kinds[kind] >= 15, kind
    assert "person_name" not in kinds, "names are not detected by content"


def test_detection_recall_and_false_positive_rate() -> None:
    """Recall >= 0.95 on PII values and false-positive rate <= 0.02 on look-alikes."""
    rows = _labelled()
    positives = [(v, k) for v, k in rows if k is not None]
    negatives = [v for v, k in rows if k is None]
    hits = [v for v, k in positives if detect_value(v) == k]
    false_positives = [(v, detect_value(v)) for v in negatives if detect_value(v) is not None]
    misses = [(v, k, detect_value(v)) for v, k in positives if detect_value(v) != k]
    recall = len(hits) / len(positives)
    fpr = len(false_positives) / len(negatives)
    print(f"\nPII detection: recall={recall:.3f} ({len(hits)}/{len(positives)}), ")
    print(f"false-positive rate={fpr:.3f} ({len(false_positives)}/{len(negatives)})")
    assert recall >= 0.95, misses
    assert fpr <= 0.02, false_positives


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("1.2.3.4", "ip_address"),  # a dotted quad is an IPv4 address, version or not
        ("10.0.19041.1", None),  # 19041 is no octet
        ("4111 1111 1111 1112", None),  # Luhn check fails
        ("1234567812345674", None),  # Luhn-valid but no issuer starts with 1
        ("2024-01-15", None),
        ("555-1234", None),  # 7-digit local numbers are not detected (postal-code shape)
        ("+44 (0)20 7946 0958", "phone"),
        ("Jane", None),  # names only by column name
        (4111111111111111, "card_number"),
        (3.14, None),
        (True, None),
        (None, None),
        ("x" * 300 + "@example.com", None),  # free text is not inspected
    ],
)
def test_detect_value_edge_cases(value: object, kind: str | None) -> None:
    """Documented decisions on ambiguous shapes and non-string values."""
    assert detect_value(value) == kind


def test_detection_resists_pathological_inputs() -> None:
    """Long near-misses do not backtrack catastrophically."""
    nasty = [
        "1" * 250 + "x",
        "+" + "1 " * 120 + "x",
        "0" + "12 " * 80 + "x",
        "1 " + "Aa " * 80 + "Street x",
        "a" * 200 + "@" + "b-" * 25,
        "Rue " + "a " * 100 + "1x",
    ]
    start = time.perf_counter()
    for value in nasty:
        detect_value(value)
    assert time.perf_counter() - start < 1.0


# -------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("value", "kind", "masked"),
    [
        ("jane.doe@example.com", "email", "j***@example.com"),
        ("  Jane@Example.org ", "email", "J***@Example.org"),
        ("(415) 555-2671", "phone", "(***) ***-**71"),
        ("+44 20 7946 0958", "phone", "+** ** **** **58"),
        ("742 Evergreen Terrace", "street_address", "*** Terrace"),
        ("123 Main St, Springfield, IL 62701", "street_address", "*** St"),
        ("Hauptstraße 5", "street_address", "***"),
        ("192.168.1.23", "ip_address", "192.168.*.*"),
        ("2001:db8:85a3::8a2e:370:7334", "ip_address", "2001:db8:*:*:*:*:*:*"),
        ("4111 1111 1111 1111", "card_number", "**** **** **** 1111"),
        ("4111-1111-1111-1234", "card_number", "****-****-****-1234"),
        (4111111111111111, "card_number", "************1111"),
        ("Jane", "person_name", "J***"),
        ("Mary Ann", "person_name", "M*** A***"),
        ("not an ip", "ip_address", "***"),
        ("secret", "other", "***"),
    ],
)
def test_mask_value_shapes(value: object, kind: str, masked: str) -> None:
    """Each kind keeps a recognisable shape and hides the identifying part."""
    assert mask_value(value, kind) == masked


@pytest.mark.parametrize("kind", PII_KINDS)
def test_mask_value_returns_str_and_is_deterministic(kind: str) -> None:
    """Masking returns ``str`` and the same output for the same input."""
    value = {"email": "a@b.co", "ip_address": "8.8.8.8"}.get(kind, "12345678 Main St")
    first = mask_value(value, kind)
    assert isinstance(first, str)
    assert mask_value(value, kind) == first


def test_mask_value_keeps_missing_values() -> None:
    """None, NaN, pd.NA and pd.NaT come back unchanged."""
    assert mask_value(None, "email") is None
    nan = mask_value(float("nan"), "phone")
    assert isinstance(nan, float)
    assert math.isnan(nan)
    assert mask_value(pd.NA, "person_name") is pd.NA
    assert mask_value(pd.NaT, "ip_address") is pd.NaT


def test_mask_value_rejects_unknown_kind() -> None:
    """An unknown kind is a programming error, not a silent pass-through."""
    with pytest.raises(ValueError, match="unknown PII kind"):
        mask_value("x", "ssn")


# ------------------------------------------------------------ column detection


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("email", "email"),
        ("users.email", "email"),
        ("User_Email", "email"),
        ("emailAddress", "email"),
        ("first_name", "person_name"),
        ("LAST_NAME", "person_name"),
        ("customer_name", "person_name"),
        ("user_name", "person_name"),
        ("phone_number", "phone"),
        ("street_address", "street_address"),
        ("billing_address", "street_address"),
        ("ip_address", "ip_address"),
        ("client_ip", "ip_address"),
        ("credit_card", "card_number"),
        ("cc_number", "card_number"),
        ("name", None),
        ("product_name", None),
        ("brand", None),
        ("category", None),
        ("city", None),
        ("state", None),
        ("country", None),
        ("postal_code", None),
        ("email_verified", None),
        ("card_type", None),
        ("ip_count", None),
    ],
)
def test_detect_column_by_name(name: str, kind: str | None) -> None:
    """Column names announce PII; catalogue and coarse-location names do not."""
    assert detect_column(name, []) == kind


def test_detect_column_by_content() -> None:
    """Unhinted names are judged by content: emails and IPs yes, products and cities no."""
    emails = [f"user{i}@example.com" for i in range(50)]
    ips = [f"10.0.{i}.{i * 3}" for i in range(50)]
    products = [
        "Levi's Men's 501 Original Fit Jeans",
        "Hanes Men's 2 Pack Crew Socks",
        "Calvin Klein Women's Wrap Dress",
        "Seven7 Women's Long Sleeve Stripe Belted Top",
    ] * 10
    dcs = ["Memphis TN", "Chicago IL", "Port Authority of New York/New Jersey NY/NJ"] * 5
    assert detect_column("contact", emails) == "email"
    assert detect_column("addr_seen", pd.Series(ips, index=range(100, 150))) == "ip_address"
    assert detect_column("name", products) is None
    assert detect_column("name", dcs) is None
    assert detect_column("destination", ["San Francisco", "Tokyo", "São Paulo"] * 9) is None
    assert detect_column("postal_code", ["150-0002", "020 7946 0958"] * 5) is None
    assert detect_column("created_at", pd.Series(pd.date_range("2024-01-01", periods=5))) is None
    assert detect_column("revenue", [1234.5, 99.0, float("nan")]) is None


def test_detect_column_threshold_nulls_and_determinism() -> None:
    """60% of the non-null sample must agree; nulls are ignored; the result is stable."""
    mostly = ["jane@example.com"] * 6 + ["n/a"] * 4 + [None] * 20
    half = ["jane@example.com"] * 5 + ["n/a"] * 5
    assert detect_column("x", mostly) == "email"
    assert detect_column("x", half) is None
    assert detect_column("x", [None, float("nan")]) is None
    big = pd.Series([f"u{i}@example.com" if i % 3 else "-" for i in range(10_000)])
    assert {detect_column("x", big, sample=50) for _ in range(3)} == {"email"}


# ---------------------------------------------------------------------- policy


def test_apply_policy_default_policy_masks_users() -> None:
    """The default policy masks the users' identifying columns and nothing else."""
    df = _users_frame()
    out, findings = apply_policy(df, DEFAULT_POLICY)
    assert {f.column: (f.kind, f.action) for f in findings} == {
        "first_name": ("person_name", "mask"),
        "last_name": ("person_name", "mask"),
        "email": ("email", "mask"),
        "street_address": ("street_address", "mask"),
    }
    assert out["email"].tolist()[:2] == ["j***@example.com", "j***@example.net"]
    assert out["first_name"].tolist()[:2] == ["J***", "J***"]
    assert out["street_address"].tolist()[:3] == ["*** Terrace", "*** Street", "*** Road"]
    for column in ("id", "postal_code", "city", "state", "latitude"):
        pd.testing.assert_series_equal(out[column], df[column])


def test_apply_policy_keeps_shape_dtype_index_and_nulls() -> None:
    """Masked columns keep name, row count, index, string/object dtype and their nulls."""
    df = _users_frame().set_index(pd.Index(list("abcdef"), name="key"))
    out, _ = apply_policy(df, DEFAULT_POLICY)
    assert out.shape == df.shape
    assert list(out.columns) == list(df.columns)
    assert out.index.equals(df.index)
    assert out.dtypes.equals(df.dtypes)
    assert out["email"].isna().tolist() == df["email"].isna().tolist()
    assert out["last_name"].isna().tolist() == df["last_name"].isna().tolist()
    obj = pd.DataFrame({"email": pd.Series(["a@example.com", None], dtype=object)})
    masked, _ = apply_policy(obj, {"email": "mask"})
    assert masked["email"].dtype == object
    assert masked["email"].tolist() == ["a***@example.com", None]


def test_apply_policy_does_not_mutate_input() -> None:
    """The input frame is untouched; it is returned as is when nothing changes."""
    df = _users_frame()
    before = df.copy(deep=True)
    out, _ = apply_policy(df, DEFAULT_POLICY)
    pd.testing.assert_frame_equal(df, before)
    assert out is not df
    clean = df[["id", "city", "state"]]
    same, findings = apply_policy(clean, DEFAULT_POLICY)
    assert same is clean
    assert findings == []


def test_apply_policy_allow_mask_deny_and_default() -> None:
    """Entries win over detection; unlisted PII gets the default; deny raises."""
    df = pd.DataFrame({"email": ["a@example.com"], "ip": ["8.8.4.4"], "n": [1]})
    out, findings = apply_policy(df, {"email": "allow"})
    assert out["email"].iloc[0] == "a@example.com"
    assert out["ip"].iloc[0] == "8.8.*.*"
    assert findings == [
        PIIFinding("email", "email", "allow"),
        PIIFinding("ip", "ip_address", "mask"),
    ]
    out, findings = apply_policy(df, {}, default="allow")
    assert out is df
    assert [f.action for f in findings] == ["allow", "allow"]
    out, findings = apply_policy(df, {"email": "mask"}, detect=False)
    assert out["ip"].iloc[0] == "8.8.4.4"
    assert findings == [PIIFinding("email", "email", "mask")]
    with pytest.raises(SecurityError) as info:
        apply_policy(df, {"ip": "deny"})
    assert "'ip'" in info.value.message
    assert "ip_address" in info.value.message
    assert "LGDA_SECURITY__PII_POLICY" in info.value.hint
    with pytest.raises(SecurityError, match="email"):
        apply_policy(df, {}, default="deny")


def test_apply_policy_masks_listed_column_without_detection() -> None:
    """A column the policy masks is masked even when nothing recognises its content."""
    df = pd.DataFrame({"notes": ["call me", None]})
    out, findings = apply_policy(df, {"notes": "mask"})
    assert out["notes"].iloc[0] == "***"
    assert out["notes"].isna().tolist() == [False, True]
    assert findings == [PIIFinding("notes", "other", "mask")]


def test_apply_policy_keys_are_case_insensitive_and_table_qualified() -> None:
    """``Users.EMAIL`` and ``email`` both match column ``Email``; strictest entry wins."""
    df = pd.DataFrame({"Email": ["jane@example.com"], "name": ["Levi's 501 Jeans"]})
    out, _ = apply_policy(df, {"Users.EMAIL": "mask"}, default="allow")
    assert out["Email"].iloc[0] == "j***@example.com"
    out, _ = apply_policy(df, {"`users`.email": "allow"}, default="mask")
    assert out is df
    with pytest.raises(SecurityError):
        apply_policy(df, {"users.email": "allow", "orders.EMAIL": "deny"})
    out, findings = apply_policy(df, {"products.name": "allow"})
    assert findings[-1] == PIIFinding("name", "other", "allow")


def test_apply_policy_rejects_unknown_actions() -> None:
    """An action other than allow/mask/deny is a configuration error."""
    df = pd.DataFrame({"email": ["a@example.com"]})
    with pytest.raises(ConfigError):
        apply_policy(df, {"email": "hide"})
    with pytest.raises(ConfigError):
        apply_policy(df, {}, default="drop")


def test_apply_policy_handles_duplicate_and_non_string_labels() -> None:
    """Duplicate column names and integer labels are masked position by position."""
    df = pd.DataFrame([["a@example.com", "b@example.com", 7]], columns=["email", "email", 0])
    out, findings = apply_policy(df, {})
    assert out.iloc[0].tolist() == ["a***@example.com", "b***@example.com", 7]
    assert [f.column for f in findings] == ["email", "email"]


def test_masking_100k_rows_is_fast() -> None:
    """Masking four PII columns of 100k mostly distinct rows stays well under 5 s."""
    n = 100_000
    df = pd.DataFrame(
        {
            "email": [f"user{i}@example.com" for i in range(n)],
            "ip_address": [f"{i % 223 + 1}.{i % 251}.{i % 97}.{i % 13}" for i in range(n)],
            "street_address": [f"{i % 9999 + 1} Main Street" for i in range(n)],
            "first_name": np.array(["Jane", "John", None], dtype=object)[np.arange(n) % 3],
        }
    )
    start = time.perf_counter()
    out, findings = apply_policy(df, DEFAULT_POLICY)
    elapsed = time.perf_counter() - start
    print(f"\nmasked 4 columns x {n} rows in {elapsed:.3f} s")
    assert len(findings) == 4
    assert out["ip_address"].iloc[5] == "6.5.*.*"
    assert elapsed < 5.0


# ------------------------------------------------------------ the real sample


@pytest.fixture(scope="module")
def thelook(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The first rows of every table of a small generated thelook sample."""
    import duckdb

    from lgda_nb.sample import TABLES, build_sample

    path = build_sample(tmp_path_factory.mktemp("pii") / "thelook.duckdb", scale=0.005)
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} LIMIT 500").df() for t in TABLES}


def test_sample_tables_flag_exactly_the_personal_columns(thelook: dict[str, Any]) -> None:
    """On the sample only users' names, email, street and events' IP are PII."""
    found = {
        (table, column): detect_column(column, df[column])
        for table, df in thelook.items()
        for column in df.columns
    }
    flagged = {key: kind for key, kind in found.items() if kind is not None}
    assert flagged == {
        ("users", "first_name"): "person_name",
        ("users", "last_name"): "person_name",
        ("users", "email"): "email",
        ("users", "street_address"): "street_address",
        ("events", "ip_address"): "ip_address",
    }
    # Without their names, the same columns are still caught by content.
    assert detect_column("c1", thelook["users"]["email"]) == "email"
    assert detect_column("c2", thelook["users"]["street_address"]) == "street_address"
    assert detect_column("c3", thelook["events"]["ip_address"]) == "ip_address"


def test_sample_users_are_masked_by_the_default_policy(thelook: dict[str, Any]) -> None:
    """The default policy leaves no raw email, name or street in a users result."""
    users = thelook["users"]
    out, findings = apply_policy(users, DEFAULT_POLICY)
    assert {f.column for f in findings} == {"first_name", "last_name", "email", "street_address"}
    assert out["email"].str.contains(r"^.\*\*\*@example\.(?:com|net|org)$").all()
    assert not set(out["first_name"]) & set(users["first_name"])
    assert out["street_address"].str.startswith("*** ").all()
    pd.testing.assert_series_equal(out["city"], users["city"])


def test_import_does_not_load_pandas() -> None:
    """Importing the module loads neither pandas nor numpy."""
    code = (
        "import sys, lgda_nb.security._pii; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'numpy')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


class _CountingColumn(Sequence[object]):
    """A long column that counts the rows read from it (and refuses to be walked whole)."""

    def __init__(self, length: int, value: Callable[[int], object]) -> None:
        self.length, self.value, self.reads = length, value, 0

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: Any) -> Any:
        assert isinstance(index, int)
        self.reads += 1
        return self.value(index)

    def __iter__(self) -> Iterator[object]:
        raise AssertionError("the whole column was read")


@pytest.mark.parametrize("length", [10_000, 10_000_000])
def test_content_check_reads_a_bounded_number_of_rows(length: int) -> None:
    """Past the sample, the rows a content check reads do not grow with the column."""
    emails = _CountingColumn(length, lambda i: f"user{i}@example.com")
    assert detect_column("contact", emails, sample=200) == "email"
    assert emails.reads <= 8 * 200
    words = _CountingColumn(length, lambda i: None if i % 2 else f"word {i}")
    assert detect_column("note", words, sample=200) is None
    assert words.reads <= 8 * 200


def test_a_few_personal_values_among_many_nulls_are_still_found() -> None:
    """A column almost all null is searched whole: 30 emails in a million rows are seen."""
    values = np.full(1_000_000, None, dtype=object)
    values[17::33_333] = [f"user{i}@example.com" for i in range(len(values[17::33_333]))]
    assert detect_column("contact", pd.Series(values)) == "email"
    assert detect_column("contact", list(values)) == "email"


def test_float_and_date_columns_are_not_read() -> None:
    """Floats, booleans, dates and durations are never PII by content, so nothing is sampled."""
    for series in (
        pd.Series(np.arange(1_000, dtype=float)),
        pd.Series([True, False] * 500),
        pd.Series(pd.date_range("2024-01-01", periods=1_000, freq="h")),
        pd.Series(pd.to_timedelta(np.arange(1_000), unit="s")),
    ):
        assert detect_column("x", series) is None


def test_short_integers_are_not_read_and_long_ones_still_are() -> None:
    """Integers of 32 bits or fewer cannot hold a 13-digit card number, so they are not
    sampled; a 64-bit column of card numbers is still found by content, nullable too."""
    for dtype in ("int8", "int16", "int32", "uint32", "Int32"):
        assert detect_column("x", pd.Series(np.arange(100), dtype=dtype)) is None
    cards = [4111111111111111, 5500000000000004, 340000000000009] * 10
    assert detect_column("x", pd.Series(cards, dtype="int64")) == "card_number"
    assert detect_column("x", pd.Series([*cards, None], dtype="Int64")) == "card_number"
    df = pd.DataFrame({"n": pd.Series(cards, dtype="int64"), "k": np.arange(30, dtype="int32")})
    out, findings = apply_policy(df, {})
    assert [(f.column, f.kind) for f in findings] == [("n", "card_number")]
    assert out["k"].tolist() == list(range(30))


@pytest.mark.parametrize(
    "dtype", ["str", "object", "string[python]", "string[pyarrow]", "category"]
)
@pytest.mark.parametrize("rows", [1, 3, 1_600, 1_601])
def test_short_and_long_answers_are_checked_by_content_alike(dtype: str, rows: int) -> None:
    """A short answer's columns are read as pandas' own arrays (no Series built), a long
    one's as Series: either way an undeclared column of personal values, among nulls,
    is found and masked, and one of other words is left alone."""
    emails = [None if i % 3 == 2 else f"user{i}@example.com" for i in range(rows)]
    words = [f"word {i % 7}" for i in range(rows)]
    df = pd.DataFrame(
        {
            "contact": pd.Series(emails, dtype=dtype),
            "note": pd.Series(words, dtype=dtype),
            "cards": pd.Series([4111111111111111] * rows, dtype="Int64"),
        }
    )
    out, findings = apply_policy(df, {})
    assert [(f.column, f.kind, f.action) for f in findings] == [
        ("contact", "email", "mask"),
        ("cards", "card_number", "mask"),
    ]
    assert out["contact"].iloc[0] == "u***@example.com"
    assert out["note"].tolist() == words
    assert out["contact"].isna().sum() == df["contact"].isna().sum()

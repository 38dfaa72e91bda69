"""Find personal data in result DataFrames and mask (or refuse) it by column.

A column is PII when its *name* says so (``email``, ``first_name``, ``ip_address``,
``customer_name``...) or when at least 60% of a deterministic sample of its values
is recognised as the same kind *by content*. Content checks are deliberately
strict, because a false positive hides a legitimate answer:

* **email** -- ``local@domain.tld``; ``@handle`` and bare URLs are not emails.
* **ip_address** -- a valid IPv4 dotted quad or IPv6 address (``ipaddress``
  validates). A four-part version string such as ``1.2.3.4`` *is* a valid IPv4
  address and is reported as one: content alone cannot tell them apart.
* **card_number** -- 13-19 digits, optionally grouped by single spaces or dashes,
  with a known issuer prefix and length (Visa, Mastercard, Amex, Discover, JCB,
  Diners, UnionPay, Maestro) and a valid Luhn check digit.
* **phone** -- a ``+`` country code with 8-15 digits; a North American number with
  separators (``(415) 555-2671``); a national number with a trunk ``0`` and
  separators (``020 7946 0958``, ``03-1234-5678``); or a parenthesised area code
  (``(11) 91234-5678``). Bare digit runs are never phones (order ids, epochs), nor
  are 7-digit local numbers (``555-1234`` has the shape of a Japanese postal code).
* **street_address** -- a house number, one to four name words and a street
  suffix (``742 Evergreen Terrace``, ``221B Baker St, London``), a PO box, or the
  common continental forms (``Hauptstraße 5``, ``12 rue de Rivoli``, ``Calle Mayor 10``).
* **person_name** -- never by content: too many words are also names.

City, state, country and postal code are coarse location and not PII here, so
columns named that way are never flagged. Values longer than 256 characters
(free text) are not inspected.

Masking keeps a value's type (``str``) and a recognisable shape, hides what
identifies the person, and leaves missing values (``None``, ``NaN``, ``NA``) as
they were. ``import`` of this module loads neither pandas nor numpy.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lgda_nb.errors import ConfigError, SecurityError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PII_KINDS",
    "PIIFinding",
    "apply_policy",
    "default_policy",
    "detect_column",
    "detect_value",
    "mask_value",
]

PII_KINDS: tuple[str, ...] = (
    "email",
    "phone",
    "street_address",
    "ip_address",
    "card_number",
    "person_name",
)

#: Kind reported for a column the policy masks although nothing recognised it;
#: its values are masked as ``"***"``.
OTHER_KIND = "other"

ACTIONS: tuple[str, ...] = ("allow", "mask", "deny")


def default_policy() -> dict[str, str]:
    """The sample's personal columns, masked: the policy when the config names none
    (``DEFAULT_POLICY``; the column names live with the sample's schema)."""
    from lgda_nb.sample._schema import PERSONAL_COLUMNS

    return dict.fromkeys(PERSONAL_COLUMNS, "mask")


def __getattr__(name: str) -> Any:
    if name == "DEFAULT_POLICY":
        return default_policy()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Share of sampled non-null values that must agree for content detection.
CONTENT_THRESHOLD = 0.6

_MAX_VALUE_LENGTH = 256
_DENY_HINT = "Remove the column from the query, or set LGDA_SECURITY__PII_POLICY to allow it."

# ----------------------------------------------------------------------- patterns

_EMAIL = re.compile(
    r"[A-Za-z0-9_%+'-]+(?:\.[A-Za-z0-9_%+'-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_IPV6_CHARS = re.compile(r"[0-9A-Fa-f:.]+(?:%[\w.-]+)?")
# Every repetition below is separated by a mandatory character, so no pattern can
# backtrack exponentially on a long near-miss.
_CARD = re.compile(r"\d{13,19}|\d{4,6}(?:[ -]\d{2,8}){1,4}")

_PHONE_EXT = r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?"
_PHONE_INTL = re.compile(
    r"\+\d{1,4}(?:[ .-]?\(\d{1,5}\))?[ .-]?\d{1,12}(?:[ .-]\d{1,12})*" + _PHONE_EXT, re.I
)
_PHONE_NANP = re.compile(
    r"(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}" + _PHONE_EXT,
    re.I,
)
_PHONE_TRUNK = re.compile(r"0\d{1,4}(?:[ .-]\d{2,8})+" + _PHONE_EXT, re.I)
_PHONE_EXT_TAIL = re.compile(_PHONE_EXT + "$", re.I)
_PHONE_AREA = re.compile(r"\(0?\d{1,4}\)[ ]?\d{2,5}(?:[ .-]\d{2,5}){1,3}" + _PHONE_EXT, re.I)

_STREET_SUFFIXES = (
    "street|st|avenue|ave|av|road|rd|lane|ln|drive|dr|court|ct|boulevard|blvd|way|"
    "place|pl|terrace|ter|terr|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|"
    "crescent|cres|close|alley|loop|plaza|expressway|expy|freeway|fwy|turnpike|mews|"
    "grove|gardens"
)
_DIRECTION = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
_UNIT = r"(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|Bldg|#)\.?\s*#?\s*[\w-]+"
_STREET_EN = re.compile(
    r"(?P<number>\d{1,6}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?)\s+"
    rf"(?:{_DIRECTION}\s+)?"
    r"(?P<name>(?:[^\W_][\w'\u2019.-]*\s+){1,4}?)"
    rf"(?P<suffix>(?:{_STREET_SUFFIXES})\.?)"
    rf"(?:\s+{_DIRECTION})?"
    rf"(?:\s*,?\s*{_UNIT})?"
    r"(?P<tail>(?:\s*,\s*[^,]+){0,4})",
    re.I,
)
_PO_BOX = re.compile(r"(?:P\.?\s?O\.?\s*Box|Post\s+Office\s+Box)\s*#?\s*\d{1,8}(?:\s*,.*)?", re.I)
_STREET_COMPOUND = re.compile(
    r"[^\W\d_][\w.-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|straat|laan|gracht|plein)"
    r"\s+\d{1,5}[a-z]?(?:\s*,.*)?",
    re.I,
)
_STREET_PREFIX_WORDS = (
    "rue|avenue|av\\.|boulevard|bd|chemin|allée|impasse|quai|calle|avenida|paseo|"
    "rua|via|viale|piazza|corso|carrer|plaza"
)
_STREET_PREFIX_NUMBER_FIRST = re.compile(
    rf"\d{{1,5}}[a-z]?,?\s+(?:{_STREET_PREFIX_WORDS})\s+[^\W\d_][\w'\u2019 .-]{{1,40}}(?:\s*,.*)?",
    re.I,
)
_STREET_PREFIX_NUMBER_LAST = re.compile(
    rf"(?:{_STREET_PREFIX_WORDS})\s+[^\W\d_][\w'\u2019 .-]{{1,40}}?,?\s+\d{{1,5}}[a-z]?(?:\s*,.*)?",
    re.I,
)

# ------------------------------------------------------------------ column names

#: Coarse location and catalogue columns: never PII, whatever their content looks like.
_NOT_PII_NAMES = frozenset(
    "city state country region province county postal_code postcode post_code zip zipcode "
    "zip_code latitude longitude lat lon lng brand category department sku".split()
)
#: A token that makes a column *about* a PII value rather than the value itself.
_META_TOKENS = frozenset(
    "at date time timestamp ts count cnt flag is has verified valid opt optin opted sent "
    "domain type brand network issuer balance exp expiry expiration last4 length len pct "
    "rate share hash hashed md5 sha1 sha256 country version".split()
)
_PERSON_QUALIFIERS = frozenset(
    "customer user buyer client person contact member employee owner recipient shipping "
    "billing cardholder holder account sender receiver passenger patient student "
    "applicant guest subscriber signer".split()
)
_PERSON_NAMES = frozenset(
    "first_name last_name full_name given_name family_name middle_name surname "
    "firstname lastname fullname forename givenname familyname middlename username "
    "display_name maiden_name".split()
)
_PHONE_NAMES = frozenset("phone telephone tel msisdn fax mobile_number mobile_phone".split())
_IP_NAMES = frozenset("ip ipv4 ipv6 ip_address ip_addr ipaddress ipaddr remote_addr".split())
_CARD_NAMES = frozenset(
    "card credit_card creditcard card_number cardnumber cc_number ccnum cc_num pan "
    "card_no debit_card".split()
)
_ADDRESS_NAMES = frozenset(
    "address addr street street_address address_line address_line1 address_line_1 "
    "address_line2 address_line_2 address1 address2 streetaddress".split()
)
_NON_STREET_ADDRESS = frozenset("ip email e_mail mac wallet web url ipv4 ipv6".split())


# --------------------------------------------------------------------- detection


def detect_value(value: object) -> str | None:
    """The PII kind of one value by its content, or ``None``.

    Names are never detected here (see the module docstring); ints are only
    checked as card numbers, and other non-strings are never PII by content.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return "card_number" if _is_card(str(value)) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not 3 <= len(text) <= _MAX_VALUE_LENGTH:
        return None
    if "@" in text:
        return "email" if _EMAIL.fullmatch(text) else None
    kind = _detect_numeric(text) if text[0].isdigit() or text[0] in "+(" else None
    if kind is None and ":" in text and _is_ipv6(text):
        kind = "ip_address"
    if kind is None and _is_street_address(text):
        kind = "street_address"
    return kind


def _detect_numeric(text: str) -> str | None:
    """Kinds whose values start with a digit, ``+`` or ``(``: IP, card, phone, address."""
    if _IPV4.fullmatch(text):
        return "ip_address" if _is_ipv4(text) else None
    if _is_card(text):
        return "card_number"
    if _is_phone(text):
        return "phone"
    return None


def _is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:  # octet > 255, leading zeros
        return False
    return True


def _is_ipv6(text: str) -> bool:
    if text.count(":") < 2 or not _IPV6_CHARS.fullmatch(text):
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:  # times (10:30:00), MAC addresses, too many groups
        return False
    return True


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _issuer_ok(digits: str) -> bool:
    """Known issuer prefix with a length that issuer uses; cuts random Luhn hits."""
    n = len(digits)
    two, four = int(digits[:2]), int(digits[:4])
    checks = (
        (digits[0] == "4", n in (13, 16, 19)),  # Visa
        (two in (34, 37), n == 15),  # Amex
        (51 <= two <= 55 or 2221 <= four <= 2720, n == 16),  # Mastercard
        (two == 35, 16 <= n <= 19),  # JCB
        (two in (36, 38, 39) or 300 <= int(digits[:3]) <= 305, 14 <= n <= 19),  # Diners
        (digits[0] == "6", 16 <= n <= 19),  # Discover, UnionPay, Maestro 6x
        (two == 50 or 56 <= two <= 58, 13 <= n <= 19),  # Maestro
    )
    return any(prefix and length for prefix, length in checks)


def _is_card(text: str) -> bool:
    if not _CARD.fullmatch(text):
        return False
    digits = text.replace(" ", "").replace("-", "")
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    return _issuer_ok(digits) and _luhn_ok(digits)


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _is_phone(text: str) -> bool:
    core = _PHONE_EXT_TAIL.sub("", text)
    if core[:1] == "+":
        digits = _digit_count(core.replace("(0)", ""))
        return bool(_PHONE_INTL.fullmatch(text)) and 8 <= digits <= 15
    if _PHONE_NANP.fullmatch(text):
        return True
    if core[:1] == "(":
        return bool(_PHONE_AREA.fullmatch(text)) and 8 <= _digit_count(core) <= 13
    if not _PHONE_TRUNK.fullmatch(text) or not 9 <= _digit_count(core) <= 12:
        return False
    # Dots also separate dates and decimals: a dotted number needs three groups.
    return "." not in core or (core.count(".") >= 2 and " " not in core and "-" not in core)


def _is_street_address(text: str) -> bool:
    first = text[0]
    if first.isdigit():
        return bool(_STREET_EN.fullmatch(text) or _STREET_PREFIX_NUMBER_FIRST.fullmatch(text))
    if first in "Pp" and _PO_BOX.fullmatch(text):
        return True
    return bool(_STREET_COMPOUND.fullmatch(text) or _STREET_PREFIX_NUMBER_LAST.fullmatch(text))


def _normalise_name(name: str) -> str:
    """``users.firstName`` -> ``first_name``: last dotted part, snake case, lower."""
    part = str(name).strip().strip("`\"'[]").rsplit(".", 1)[-1]
    part = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", part)
    return re.sub(r"[^a-z0-9]+", "_", part.lower()).strip("_")


def _kind_from_name(name: str) -> str | None:
    """The PII kind a column name announces, ``None`` if it announces none."""
    norm = _normalise_name(name)
    tokens = norm.split("_")
    if _META_TOKENS.intersection(tokens):  # email_verified, card_type, ip_count...
        return None
    rules = (
        ("email", "email" in tokens or "e_mail" in norm or norm == "emailaddress"),
        (
            "ip_address",
            norm in _IP_NAMES
            or tokens[-1] in ("ip", "ipv4", "ipv6")
            or norm.endswith("ip_address"),
        ),
        (
            "person_name",
            norm in _PERSON_NAMES
            or any(norm.endswith("_" + n) for n in _PERSON_NAMES)
            or (tokens[-1] == "name" and len(tokens) >= 2 and tokens[-2] in _PERSON_QUALIFIERS),
        ),
        ("phone", norm in _PHONE_NAMES or bool({"phone", "telephone", "tel"}.intersection(tokens))),
        (
            "card_number",
            norm in _CARD_NAMES or norm.endswith(("card_number", "cc_number", "credit_card")),
        ),
        (
            "street_address",
            norm in _ADDRESS_NAMES
            or "street" in tokens
            or ("address" in tokens and not _NON_STREET_ADDRESS.intersection(tokens)),
        ),
    )
    return next((kind for kind, hit in rules if hit), None)


def _is_missing(value: object) -> bool:
    """``None``, float NaN, ``pd.NA`` or ``pd.NaT``, without importing pandas."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


#: A content check reads at most this many rows per sampled value, evenly spaced.
_READ_PER_SAMPLE = 8
#: Fewer values than this among the rows read (a column almost all null): read it all.
_ENOUGH_VALUES = 50


def _sample(values: Sequence[object] | pd.Series[Any], size: int) -> list[object]:
    """Up to ``size`` non-null values, evenly spaced: the same input, the same sample.

    A long column costs what a short one does: ``size`` evenly spaced rows are read,
    and they are the sample when none is null; otherwise ``_READ_PER_SAMPLE * size``
    rows are. Only when those hold fewer than 50 values (or ``size``, if smaller) is
    the whole column searched, so a few personal values among very many nulls are
    still seen.
    """
    n = len(values)
    reach = _READ_PER_SAMPLE * size
    series: Any = values if hasattr(values, "dropna") and hasattr(values, "iloc") else None

    def present(count: int) -> list[object]:
        positions = [i * n // count for i in range(count)]
        read = (
            series.iloc[positions].tolist()
            if series is not None
            else map(values.__getitem__, positions)
        )
        return [v for v in read if not _is_missing(v)]

    if n > reach:
        found = present(size)
        if len(found) == size:  # mostly no null among them: they are the sample
            return found
        found = present(reach)
        if len(found) >= min(size, _ENOUGH_VALUES):
            return _spread(found, size)
    if series is not None and n > reach:
        non_null = series.dropna()
        count = len(non_null)
        if count <= size:
            return list(non_null.tolist())
        return list(non_null.iloc[[i * count // size for i in range(size)]].tolist())
    # short: Python beats pandas (an array's own ``tolist``, when it has one)
    rows = values.tolist() if hasattr(values, "tolist") else values
    return _spread([v for v in rows if not _is_missing(v)], size)


def _spread(kept: list[object], size: int) -> list[object]:
    """At most ``size`` of ``kept``, evenly spaced."""
    count = len(kept)
    if count <= size:
        return kept
    return [kept[i * count // size] for i in range(size)]


def _never_pii_by_content(values: object) -> bool:
    """Floats, booleans, dates and durations, and integers of 32 bits or fewer (too
    short for a card number, the only kind an integer can be): ``detect_value`` says
    no to each of them."""
    dtype = getattr(values, "dtype", None)
    kind = getattr(dtype, "kind", "O")
    if not isinstance(kind, str):
        return False
    if kind in "iu":
        return getattr(dtype, "itemsize", 8) <= 4  # below 2**32: never 13 digits
    return kind in "fbmMc"


def detect_column(
    name: str, values: Sequence[object] | pd.Series[Any], *, sample: int = 200
) -> str | None:
    """The column's PII kind from its name, else from its content, else ``None``.

    Content needs at least 60% of the sampled non-null values to be detected as
    the same kind. Coarse location (city, state, country, postal code) and
    catalogue columns (brand, category, sku) are never PII.
    """
    decided, kind = _kind_by_name(name)
    if decided:
        return kind
    return _kind_by_content(values, sample=sample)


@functools.lru_cache(maxsize=1024)
def _kind_by_name(name: str) -> tuple[bool, str | None]:
    """(whether the name decides, the kind it names): a coarse location or catalogue
    name decides "not PII", a PII name decides its kind; any other name leaves it to
    the content. Remembered per name: the same columns come back query after query."""
    if _normalise_name(name) in _NOT_PII_NAMES:
        return True, None
    hinted = _kind_from_name(name)
    return hinted is not None, hinted


#: An integer is a card number only with 13 to 19 digits.
_SHORTEST_CARD = 10**12


#: Values a content check samples per column.
_CONTENT_SAMPLE = 200


def _kind_by_content(
    values: Sequence[object] | pd.Series[Any], *, sample: int = _CONTENT_SAMPLE
) -> str | None:
    """The kind at least 60% of a bounded sample of the non-null values agree on."""
    if _never_pii_by_content(values):
        return None
    picked = _sample(values, max(sample, 1))
    if not picked:
        return None
    if all(type(v) is int and -_SHORTEST_CARD < v < _SHORTEST_CARD for v in picked):
        return None  # ids, counts, ages: too short for any card number
    counts: dict[str, int] = {}
    for value in picked:
        kind = detect_value(value)
        if kind is not None:
            counts[kind] = counts.get(kind, 0) + 1
    if not counts:
        return None
    # Ties go to the kind listed first in PII_KINDS, so the answer is deterministic.
    best = max(counts, key=lambda k: (counts[k], -PII_KINDS.index(k)))
    return best if counts[best] >= CONTENT_THRESHOLD * len(picked) else None


# ----------------------------------------------------------------------- masking


def _mask_digits(text: str, keep: int) -> str:
    """Every digit but the last ``keep`` becomes ``*``; separators stay."""
    total = _digit_count(text)
    out: list[str] = []
    seen = 0
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def _mask_email(text: str) -> str:
    local, at, domain = text.strip().rpartition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"


def _mask_ip(text: str) -> str:
    text = text.strip()
    if _IPV4.fullmatch(text):  # fast path: parsing 100k addresses costs more than masking
        a, b, _, _ = text.split(".")
        return f"{a}.{b}.*.*"
    try:
        address = ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return "***"
    groups = [g.lstrip("0") or "0" for g in address.exploded.split(":")]
    return ":".join(groups[:2] + ["*"] * 6)


def _mask_street(text: str) -> str:
    text = text.strip()
    match = _STREET_EN.fullmatch(text)
    if match:
        return f"*** {match.group('suffix')}"
    return "***"


def _mask_name(text: str) -> str:
    words = text.split()
    if not words:
        return "***"
    return " ".join(f"{w[0]}***" for w in words)


def _mask_card(text: str) -> str:
    return _mask_digits(text.strip(), 4) if _digit_count(text) >= 8 else "***"


def _mask_phone(text: str) -> str:
    return _mask_digits(text.strip(), 2) if _digit_count(text) >= 4 else "***"


def _mask_other(_text: str) -> str:
    return "***"


_MASKERS: dict[str, Callable[[str], str]] = {
    "email": _mask_email,
    "phone": _mask_phone,
    "street_address": _mask_street,
    "ip_address": _mask_ip,
    "card_number": _mask_card,
    "person_name": _mask_name,
    OTHER_KIND: _mask_other,
}


def mask_value(value: object, kind: str) -> object:
    """``value`` masked for ``kind`` as a string; missing values are returned unchanged.

    ``jane.doe@example.com`` -> ``j***@example.com``, ``(415) 555-2671`` ->
    ``(***) ***-**71``, ``742 Evergreen Terrace`` -> ``*** Terrace``,
    ``192.168.1.23`` -> ``192.168.*.*``, a card keeps its last four digits, a name
    its initials (``Jane`` -> ``J***``). Kind ``"other"`` masks to ``***``.
    """
    if _is_missing(value):
        return value
    masker = _MASKERS.get(kind)
    if masker is None:
        raise ValueError(f"unknown PII kind {kind!r}; expected one of {PII_KINDS}")
    return masker(str(value))


# ------------------------------------------------------------------------ policy


@dataclass(frozen=True)
class PIIFinding:
    """One column that holds personal data and what the policy did with it."""

    column: str
    kind: str
    action: str  # "allow" | "mask" | "deny"


def _check_action(action: str, where: str) -> str:
    normalised = str(action).strip().lower()
    if normalised not in ACTIONS:
        raise ConfigError(
            f"PII policy {where} has action {action!r}; expected allow, mask or deny.",
            hint="Fix LGDA_SECURITY__PII_POLICY (for example users.email=mask).",
        )
    return normalised


def _policy_by_column(policy: Mapping[str, str]) -> dict[str, str]:
    """Keys reduced to their lower-case column part; on a clash the strictest action wins."""
    rank = {action: i for i, action in enumerate(ACTIONS)}
    out: dict[str, str] = {}
    for key, action in policy.items():
        column = str(key).strip().lower().rsplit(".", 1)[-1]
        checked = _check_action(action, f"entry {key!r}")
        if column not in out or rank[checked] > rank[out[column]]:
            out[column] = checked
    return out


def _masked_column(series: pd.Series[Any], kind: str) -> pd.Series[Any]:
    """Mask each distinct value once (factorize), then broadcast; nulls are kept.

    A string-dtype column stays string dtype, anything else becomes object (named
    explicitly: pandas 3 would otherwise infer ``str``).
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    masked = np.empty(len(uniques) + 1, dtype=object)
    masked[:-1] = [mask_value(u, kind) for u in uniques.tolist()]
    masked[-1] = None
    values = masked[codes]
    missing = codes == -1
    if missing.any():
        values[missing] = series.to_numpy(dtype=object)[missing]
    dtype: Any = series.dtype if isinstance(series.dtype, pd.StringDtype) else object
    result: pd.Series[Any] = pd.Series(values, index=series.index, name=series.name, dtype=dtype)
    return result


def _column(df: pd.DataFrame, position: int) -> pd.Series[Any] | Any:
    """The column at ``position``, for the content check.

    A short answer (no more rows than the check reads anyway) gives the column's own
    array (numpy or pandas extension array, about 1 us) where pandas has
    ``_mgr.iget_values``: building a Series costs about 12 us a column, more than the
    check of a one-row answer. A longer one gives the Series, whose ``dropna`` and
    ``iloc`` the sample uses. Otherwise ``DataFrame._ixs`` where pandas has it: a label
    lookup builds the columns' hash table on each new frame, and ``iloc`` parses its
    key, each costing more than the content check of a short answer."""
    if len(df) <= _READ_PER_SAMPLE * _CONTENT_SAMPLE:
        values = getattr(getattr(df, "_mgr", None), "iget_values", None)
        if callable(values):
            return values(position)
    take = getattr(df, "_ixs", None)
    if callable(take):
        column: pd.Series[Any] = take(position, axis=1)
        return column
    return df.iloc[:, position]


def apply_policy(
    df: pd.DataFrame,
    policy: Mapping[str, str],
    *,
    default: str = "mask",
    detect: bool = True,
) -> tuple[pd.DataFrame, list[PIIFinding]]:
    """Apply the PII policy to every column of ``df``: allow, mask or refuse.

    A policy entry (``"email"`` or ``"users.email"``, case-insensitive, matched on
    the column part) wins; otherwise a column detected as PII gets ``default``.
    Nothing is masked before every column is decided, so a ``deny`` raises
    :class:`~lgda_nb.errors.SecurityError` without partial work. ``df`` is never
    mutated; it is returned as is when nothing had to change.
    """
    by_column = _policy_by_column(policy)
    default_action = _check_action(default, "default")
    findings: list[PIIFinding] = []
    to_mask: list[tuple[int, str]] = []
    labels = list(df.columns)
    for position, label in enumerate(labels):
        name = str(label)
        action = by_column.get(name.strip().lower().rsplit(".", 1)[-1])
        if action is None and not detect:
            continue
        # The name first; only a column it leaves open is read (pandas costs more per
        # column than the sample does), and only if its type can hold personal data.
        decided, kind = _kind_by_name(name)
        if not decided:
            kind = _kind_by_content(_column(df, position))
        if action is None:
            if kind is None:
                continue
            action = default_action
        kind = kind or OTHER_KIND
        findings.append(PIIFinding(column=name, kind=kind, action=action))
        if action == "deny":
            raise SecurityError(
                f"Column {name!r} holds personal data ({kind}) and the PII policy denies it.",
                hint=_DENY_HINT,
            )
        if action == "mask":
            to_mask.append((position, kind))
    if not to_mask:
        return df, findings
    out = df.copy(deep=False)
    for position, kind in to_mask:
        column: Any = _masked_column(df.iloc[:, position], kind)  # stubs omit Series here
        out.isetitem(position, column)
    return out, findings

"""An LLM-written insight narrative, kept only when every number in it is in the facts.

The model receives the computed ``Facts`` (never rows) and the deterministic
summary. ``unverified_numbers`` lists each number of its text that no fact
supports, at the precision the text states it (``$21.0k`` matches 20,975.47;
``38%`` matches 38.41); a narrative with any such number is discarded.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

NARRATIVE_SYSTEM = (
    "You summarise query results for a business analyst in two or three plain "
    "sentences. Use only the facts given; copy numbers exactly as they appear in them "
    "(you may round, but never compute new numbers, estimate, or guess causes). "
    "Answer with the sentences only."
)

_NUMBER = re.compile(
    r"(?<![\w.])(-?)\$?(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|k\b|K\b|m\b|M\b|bn\b|B\b|"
    r"thousand\b|million\b|billion\b)?"
)
_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}


def facts_payload(facts: Any, summary: str) -> dict[str, Any]:
    """The facts as JSON-ready data, with the deterministic summary beside them."""
    is_instance = dataclasses.is_dataclass(facts) and not isinstance(facts, type)
    data = dataclasses.asdict(facts) if is_instance else dict(facts)
    return {"facts": _plain(data), "summary": summary}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if v not in (None, (), [])}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def narrative_prompt(payload: Mapping[str, Any], question: str | None) -> str:
    """The user message of a narrative request."""
    asked = f"Question: {question}\n" if question else ""
    return f"{asked}Facts (JSON):\n{json.dumps(payload, default=str)}"


def _fact_numbers(value: Any) -> Iterator[float]:
    """Every number in the payload: numeric fields and numbers inside labels."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, str):
        for sign, digits, _ in _NUMBER.findall(value):
            yield float(sign + digits.replace(",", ""))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _fact_numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _fact_numbers(item)


def unverified_numbers(
    text: str, payload: Mapping[str, Any], question: str | None = None
) -> list[str]:
    """Numbers in ``text`` that no fact (or the question itself) supports."""
    known = set(_fact_numbers(payload))
    if question:
        known.update(_fact_numbers(question))
    known.update(abs(n) for n in list(known))
    missing = []
    for match in _NUMBER.finditer(text):
        sign, digits, suffix = match.groups()
        value = float(sign + digits.replace(",", ""))
        decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
        scale = _SCALE.get((suffix or "").lower(), 1.0)
        if not any(_matches(value, decimals, scale, fact) for fact in known):
            missing.append(match.group(0).strip())
    return missing


def _matches(value: float, decimals: int, scale: float, fact: float) -> bool:
    """Whether ``fact``, rounded as the text rounded it, reads as ``value``."""
    scaled = fact / scale
    return any(
        math.isclose(round(candidate, decimals), value, abs_tol=10**-decimals / 2)
        for candidate in (scaled, abs(scaled))
    )

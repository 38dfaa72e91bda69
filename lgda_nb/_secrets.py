"""Configured secrets, scrubbed from every text the toolkit shows or writes.

A provider that echoes the API key in an error body (some 401 and 500 replies do)
would otherwise carry it into the error, the error card, ``plan.calls``, the audit
file and the log file. Rather than trusting each producer, the few places where
text leaves the toolkit call ``scrub``: the ``LGDAError`` attributes and renderings,
audit records, log lines and the engine's plans and attempts.

Every ``UnifiedConfig`` that is built remembers its ``SecretStr`` values (and the
SDKs' own key variables); they are kept for the life of the process, so an error
raised under an old config is still scrubbed. Values shorter than
``MIN_LENGTH`` are not treated as secrets: replacing every ``x`` would ruin text
and protect nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import fields, is_dataclass, replace
from typing import Any

#: What a secret is replaced by.
SCRUBBED = "***"
MIN_LENGTH = 6

_lock = threading.Lock()
#: Each secret's forms (raw, as escaped inside JSON), longest first.
_forms: tuple[str, ...] = ()


def remember(values: Iterable[str | None]) -> None:
    """Scrub these values (and their JSON-escaped forms) from now on."""
    global _forms
    new = set()
    for value in values:
        if value and len(value) >= MIN_LENGTH:
            new.add(value)
            new.add(json.dumps(value)[1:-1])
            new.add(json.dumps(value, ensure_ascii=False)[1:-1])
    with _lock:
        if new - set(_forms):
            _forms = tuple(sorted(set(_forms) | new, key=len, reverse=True))


def scrub(text: str) -> str:
    """``text`` with every remembered secret replaced by ``***``."""
    forms = _forms
    if not forms or not text:
        return text
    for form in forms:
        if form in text:
            text = text.replace(form, SCRUBBED)
    return text


def scrub_value(value: Any) -> Any:
    """``value`` with secrets scrubbed from every string inside (dicts, lists, tuples,
    dataclasses such as a plan and its ``calls``); unchanged values are returned as is."""
    if not _forms:
        return value
    if isinstance(value, str):
        value = scrub(value)
    elif isinstance(value, dict):
        value = {scrub_value(k): scrub_value(v) for k, v in value.items()}
    elif isinstance(value, list):
        value = [scrub_value(item) for item in value]
    elif isinstance(value, tuple):
        value = tuple(scrub_value(item) for item in value)
    elif is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for spec in fields(value):
            old = getattr(value, spec.name)
            new = scrub_value(old)
            if new is not old and new != old:
                changed[spec.name] = new
        if changed:
            value = replace(value, **changed)
    return value

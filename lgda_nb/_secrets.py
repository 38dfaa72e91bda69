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

A server may echo only part of a key: the first characters, a truncated piece, or a
masked form such as ``sk-abc1...xyz9``. For a secret of at least ``PARTIAL_LENGTH``
characters, any ``PIECE`` or more consecutive characters of it are scrubbed, and so are
``EDGE`` or more of its first or last characters next to a run of mask characters
(``...``, ``…``, ``**``, ``•``).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import fields, is_dataclass, replace
from typing import Any

#: What a secret is replaced by.
SCRUBBED = "***"
MIN_LENGTH = 6
#: Secrets this long are also scrubbed in part (module docstring).
PARTIAL_LENGTH = 12
#: Consecutive characters of a secret that are scrubbed wherever they appear.
PIECE = 8
#: First or last characters of a secret scrubbed next to a run of mask characters.
EDGE = 4
_MASK = r"(?:[*.\u2022]{2,}|\u2026)"

_lock = threading.Lock()
#: Each secret's forms (raw, as escaped inside JSON), longest first.
_forms: tuple[str, ...] = ()
#: Secrets scrubbed in part, with the pattern of their masked echoes.
_partial: tuple[tuple[str, re.Pattern[str]], ...] = ()


def remember(values: Iterable[str | None]) -> None:
    """Scrub these values (and their JSON-escaped forms) from now on."""
    global _forms
    new = set()
    for value in values:
        if value and len(value) >= MIN_LENGTH:
            new.add(value)
            new.add(json.dumps(value)[1:-1])
            new.add(json.dumps(value, ensure_ascii=False)[1:-1])
    global _partial
    with _lock:
        if new - set(_forms):
            _forms = tuple(sorted(set(_forms) | new, key=len, reverse=True))
            known = {secret for secret, _ in _partial}
            _partial = _partial + tuple(
                (form, _echo_pattern(form))
                for form in sorted(new - known)
                if len(form) >= PARTIAL_LENGTH
            )


def _echo_pattern(secret: str) -> re.Pattern[str]:
    """A masked echo of ``secret``: its first ``EDGE``+ characters before a mask run, or
    its last ``EDGE``+ characters after one (``sk-abc1...xyz9`` matches both)."""
    prefixes = "|".join(re.escape(secret[:n]) for n in range(len(secret) - 1, EDGE - 1, -1))
    suffixes = "|".join(re.escape(secret[-n:]) for n in range(len(secret) - 1, EDGE - 1, -1))
    return re.compile(f"(?:{prefixes}){_MASK}(?:{suffixes})?|{_MASK}(?:{suffixes})")


def _scrub_pieces(text: str, secret: str) -> str:
    """``text`` with every run of ``PIECE`` or more consecutive characters of ``secret``
    replaced. Any such run holds one of the secret's aligned pieces of ``PIECE // 2``
    characters, so text holding none of them is returned at once."""
    step = PIECE // 2
    anchors = {secret[i : i + step]: i for i in range(0, len(secret) - step + 1, step)}
    if not any(anchor in text for anchor in anchors):
        return text
    spans: list[tuple[int, int]] = []
    for anchor in anchors:
        start = text.find(anchor)
        while start != -1:
            for offset in _offsets(secret, anchor):
                left = 0
                while (
                    left < min(start, offset)
                    and text[start - left - 1] == secret[offset - left - 1]
                ):
                    left += 1
                right = step
                while (
                    start + right < len(text)
                    and offset + right < len(secret)
                    and text[start + right] == secret[offset + right]
                ):
                    right += 1
                if left + right >= PIECE:
                    spans.append((start - left, start + right))
            start = text.find(anchor, start + 1)
    if not spans:
        return text
    merged: list[list[int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    for begin, end in reversed(merged):
        text = text[:begin] + SCRUBBED + text[end:]
    return text


def _offsets(secret: str, piece: str) -> list[int]:
    found, start = [], secret.find(piece)
    while start != -1:
        found.append(start)
        start = secret.find(piece, start + 1)
    return found


def scrub(text: str) -> str:
    """``text`` with every remembered secret replaced by ``***``."""
    forms = _forms
    if not forms or not text:
        return text
    for form in forms:
        if form in text:
            text = text.replace(form, SCRUBBED)
    for secret, echo in _partial:
        text = _scrub_pieces(text, secret)
        if "*" in text or "." in text or "\u2026" in text or "\u2022" in text:
            text = echo.sub(SCRUBBED, text)
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

"""In-kernel caches, bounded by bytes and entries, with TTL and LRU eviction.

``QueryCache`` holds answers keyed by the executed SQL (generated from the
checked tree, so two questions that plan to the same SQL share an entry) plus
everything that changes the answer: the backend's identity, the security and
PII policy, the row limit and the as-of time. Entries are copies both ways, so
a caller that edits the DataFrame it got back cannot corrupt the cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb.engine import Result

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def frame_bytes(df: pd.DataFrame) -> int:
    """What a DataFrame really holds in memory (strings included)."""
    return int(df.memory_usage(deep=True, index=True).sum())


def cache_key(sql: str, context: Mapping[str, Any]) -> str:
    """A stable key for ``sql`` under ``context`` (never include secrets in it)."""
    payload = json.dumps({"sql": sql, **context}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class CacheStats:
    """What ``%lgda_cache`` shows."""

    hits: int = 0
    misses: int = 0
    evictions: int = 0
    expirations: int = 0

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


@dataclass
class _Entry(Generic[V]):
    value: V
    size: int
    expires: float


@dataclass
class BoundedCache(Generic[K, V]):
    """LRU with a byte bound, an entry bound and a TTL; safe across threads."""

    max_bytes: int
    max_entries: int
    ttl: float
    stats: CacheStats = field(default_factory=CacheStats)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()
        self.bytes = 0

    def get(self, key: K) -> V | None:
        """The value for ``key`` if present and fresh (and mark it recently used)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.stats.misses += 1
                return None
            if entry.expires < time.monotonic():
                self._drop(key)
                self.stats.expirations += 1
                self.stats.misses += 1
                return None
            self._entries.move_to_end(key)
            self.stats.hits += 1
            return entry.value

    def put(self, key: K, value: V, size: int) -> bool:
        """Store ``value``; evict least recently used entries to stay within bounds."""
        if size > self.max_bytes or self.max_entries == 0:
            return False
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = _Entry(value, size, time.monotonic() + self.ttl)
            self.bytes += size
            while self.bytes > self.max_bytes or len(self._entries) > self.max_entries:
                oldest = next(iter(self._entries))
                self._drop(oldest)
                self.stats.evictions += 1
            return True

    def _drop(self, key: K) -> None:
        entry = self._entries.pop(key)
        self.bytes -= entry.size

    def clear(self) -> None:
        """Forget every entry (statistics are kept)."""
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True)
class CachedAnswer:
    """What a query produced, as stored: the rows and how they were shaped."""

    df: pd.DataFrame
    truncated: bool
    pii: tuple[Any, ...]
    size: int = 0


class QueryCache:
    """Answers by key; DataFrames are copied in and out.

    Two kinds of key share the bounds: the executed SQL (so differently worded
    questions that plan alike share an answer) and the exact text the user sent
    (so a repeated cell skips planning and checking as well; the key includes the
    policy, so what passed the checks before passes them again).
    """

    def __init__(self, *, max_bytes: int, max_entries: int, ttl: float) -> None:
        self._cache: BoundedCache[str, Any] = BoundedCache(max_bytes, max_entries, ttl)

    @property
    def stats(self) -> CacheStats:
        return self._cache.stats

    @property
    def bytes(self) -> int:
        return self._cache.bytes

    def __len__(self) -> int:
        return len(self._cache)

    def get(self, key: str) -> CachedAnswer | None:
        """A private copy of the cached answer, or ``None``."""
        hit = self._cache.get(key)
        if not isinstance(hit, CachedAnswer):
            return None
        return CachedAnswer(hit.df.copy(deep=True), hit.truncated, hit.pii, hit.size)

    def get_result(self, key: str) -> Result | None:
        """A private copy of a whole cached result (marked cached), or ``None``."""
        from dataclasses import replace

        hit = self._cache.get(key)
        if hit is None or isinstance(hit, CachedAnswer):
            return None
        result: Result = replace(hit, df=hit.df.copy(deep=True), cached=True)
        return result

    def put_result(self, key: str, result: Result) -> None:
        """Keep a private copy of a whole result under the text the user sent."""
        from dataclasses import replace

        stored = replace(result, df=result.df.copy(deep=True))
        self._cache.put(key, stored, result.bytes or frame_bytes(result.df))

    def put(self, key: str, answer: CachedAnswer) -> None:
        """Store a private copy, sized by the DataFrame's deep memory usage."""
        size = answer.size or frame_bytes(answer.df)
        stored = CachedAnswer(answer.df.copy(deep=True), answer.truncated, answer.pii, size)
        self._cache.put(key, stored, size)

    def clear(self) -> None:
        self._cache.clear()

    def snapshot(self) -> dict[str, object]:
        """Entries, bytes, hit rate, evictions: for ``%lgda_cache``."""
        stats = self.stats
        return {
            "entries": len(self),
            "bytes": self.bytes,
            "max_bytes": self._cache.max_bytes,
            "hits": stats.hits,
            "misses": stats.misses,
            "hit_rate": round(stats.hit_rate, 3),
            "evictions": stats.evictions,
            "expirations": stats.expirations,
        }

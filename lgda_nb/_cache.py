"""In-kernel caches, bounded by bytes and entries, with TTL and LRU eviction.

``QueryCache`` holds answers keyed by the executed SQL (generated from the
checked tree, so two questions that plan to the same SQL share an entry) plus
everything that changes the answer: the backend's identity, the security and
PII policy, the row limit and the as-of time. Each answer's rows are stored
once, and only they count against the byte bound.

What a caller gets back is its own DataFrame object that shares the cached
data under pandas Copy-on-Write (always on from pandas 3; under pandas 2 when
``pd.options.mode.copy_on_write`` is set): changing it, in place or not,
copies what it changes, so it cannot corrupt the cache, and a hit costs no
copy of the rows. Under pandas 2 without Copy-on-Write it is a deep copy, as
before, both ways.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

if TYPE_CHECKING:
    import pandas as pd

    from lgda_nb.engine import Result

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def frame_bytes(df: pd.DataFrame) -> int:
    """What a DataFrame really holds in memory (strings included)."""
    return int(df.memory_usage(deep=True, index=True).sum())


@functools.cache
def _copy_on_write() -> bool:
    import pandas as pd

    if int(pd.__version__.split(".")[0]) >= 3:
        return True  # always on; reading the option would warn that it is deprecated
    return bool(pd.options.mode.copy_on_write is True)


def private_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A frame of its own that shares ``df``'s data until either is changed (see above)."""
    return df.copy(deep=not _copy_on_write())


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

    def peek(self, key: K) -> V | None:
        """The value for ``key`` if present and fresh; no statistics, no reordering."""
        with self._lock:
            entry = self._entries.get(key)
            return entry.value if entry is not None and entry.expires >= time.monotonic() else None

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
    """Answers by key, each stored once; see the module docstring for what a hit returns.

    Two kinds of key lead to an answer: the executed SQL (so differently worded
    questions that plan alike share it) and the exact text the user sent (so a
    repeated cell skips planning and checking as well; the key includes the
    policy, so what passed the checks before passes them again). A text key
    holds the rest of the ``Result`` and the SQL key of its rows, so it takes
    no bytes and is gone with the answer it points to.
    """

    def __init__(self, *, max_bytes: int, max_entries: int, ttl: float) -> None:
        self._cache: BoundedCache[str, CachedAnswer] = BoundedCache(max_bytes, max_entries, ttl)
        self._texts: BoundedCache[str, tuple[str, Result]] = BoundedCache(
            max_entries, max_entries, ttl
        )

    @property
    def stats(self) -> CacheStats:
        return self._cache.stats

    @property
    def bytes(self) -> int:
        return self._cache.bytes

    def __len__(self) -> int:
        """Answers held (text keys that lead to them are not counted)."""
        return len(self._cache)

    def get(self, key: str) -> CachedAnswer | None:
        """The cached answer with a frame of the caller's own, or ``None``."""
        hit = self._cache.get(key)
        if hit is None:
            return None
        return CachedAnswer(private_frame(hit.df), hit.truncated, hit.pii, hit.size)

    def get_result(self, key: str) -> Result | None:
        """The whole result cached under the text ``key`` (marked cached), or ``None``."""
        from dataclasses import replace

        link = self._texts.get(key)
        if link is None:
            self._cache.stats.misses += 1
            return None
        answer_key, stored = link
        hit = self._cache.get(answer_key)
        if hit is None:
            return None
        result: Result = replace(stored, df=private_frame(hit.df), cached=True)
        return result

    def put_result(self, key: str, result: Result, *, answer_key: str) -> None:
        """Remember ``result`` under the text ``key``; its rows stay under ``answer_key``.

        Nothing is kept when that answer is not in the cache.
        """
        from dataclasses import replace

        if self._cache.peek(answer_key) is None:
            return
        stored = replace(result, df=cast("pd.DataFrame", None))  # the rows are the answer's
        self._texts.put(key, (answer_key, stored), 1)

    def put(self, key: str, answer: CachedAnswer) -> None:
        """Store the answer once, sized by ``answer.size`` or the frame's deep memory usage."""
        size = answer.size or frame_bytes(answer.df)
        stored = CachedAnswer(private_frame(answer.df), answer.truncated, answer.pii, size)
        self._cache.put(key, stored, size)

    def clear(self) -> None:
        self._texts.clear()
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

"""A small time-limited memo for page furniture that is costly on a big corpus.

The search page shows corpus totals and the most quoted speakers beside every result
list; recomputing them (several full-table aggregates) on each page view would cost more
than the search itself. They change only when something is ingested, so a few seconds'
staleness is fine. Per app (``app.state``), thread-safe, no eviction beyond the TTL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_TTL = 30.0


class TTLCache:
    def __init__(self, ttl: float = DEFAULT_TTL) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, Any]] = {}

    def get(self, key: str, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        value = compute()  # outside the lock: a slow query must not block other keys
        with self._lock:
            self._items[key] = (time.monotonic(), value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

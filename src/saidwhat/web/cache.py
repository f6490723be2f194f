"""A memo of page furniture that is costly on a big corpus, kept for one store generation.

The search page shows corpus totals and the most quoted speakers beside every result
list, the outlets page the list of outlets; recomputing them (several full-table
aggregates) on each page view would cost more than the search itself. They change only
when the store does, so the memo holds them for the store generation they were computed
at (``saidwhat.query.store_generation``, which every write moves on, whoever makes it):
a new generation empties the memo. So a page never shows totals older than the store,
and its ETag (``web.conditional``, keyed on the same generation) never outlives them.
Per app (``app.state``), thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import Request

from saidwhat.query import store_generation
from saidwhat.web.conditional import GENERATION_KEY

T = TypeVar("T")


class GenerationMemo:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._items: dict[str, Any] = {}

    def get(self, key: str, generation: int, compute: Callable[[], T]) -> T:
        with self._lock:
            if generation == self._generation and key in self._items:
                return self._items[key]
        value = compute()  # outside the lock: a slow query must not block other keys
        with self._lock:
            if generation != self._generation:
                if self._generation is not None and generation < self._generation:
                    return value  # a late answer from before the last write: not kept
                self._items = {}
                self._generation = generation
            self._items[key] = value
        return value


def furniture(request: Request, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, memoised for the store generation of this request (read by the
    conditional-GET middleware before the page ran, else here)."""
    generation = request.scope.get("state", {}).get(GENERATION_KEY)
    if generation is None:
        generation = store_generation(request.app.state.store)
    return request.app.state.cache.get(key, generation, compute)

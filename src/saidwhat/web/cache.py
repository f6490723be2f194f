"""Memos kept for one store generation: page furniture, and whole read answers.

The search page shows corpus totals and the most quoted speakers beside every result
list, the outlets page the list of outlets; recomputing them (several full-table
aggregates) on each page view would cost more than the search itself. They change only
when the store does, so the memo holds them for the store generation they were computed
at (``saidwhat.query.store_generation``, which every write moves on, whoever makes it):
a new generation empties the memo. So a page never shows totals older than the store,
and its ETag (``web.conditional``, keyed on the same generation) never outlives them.
Per app (``app.state``), thread-safe.

``AnswerCache`` keeps whole read answers (status 200, GET) under their ETag, which
names the generation, the request and its representation (``web.conditional``): many
clients asking the same thing (the stats, a speaker's profile, the first page of a
search) cost one query per generation, not one each. It is bounded in bytes, least
recently used first out, emptied when the generation moves, and lives on the event
loop's thread (the middleware's), so it needs no lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.requests import Request

from saidwhat.query import store_generation

T = TypeVar("T")

GENERATION_KEY = "store_generation"  # where the middleware leaves it in scope["state"]
ENTRY_OVERHEAD = 512  # bytes counted per cached answer beyond its body (headers, keys)


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


@dataclass(frozen=True)
class Answer:
    headers: list[tuple[bytes, bytes]]
    body: bytes


class AnswerCache:
    """Read answers by ETag, for one generation at a time, within ``budget`` bytes (an
    answer over an eighth of the budget is not kept: one huge page must not empty it)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.hits = 0
        self.misses = 0
        self._generation: int | None = None
        self._items: OrderedDict[str, Answer] = OrderedDict()

    def get(self, generation: int, tag: str) -> Answer | None:
        if generation != self._generation:
            self._items.clear()
            self.used = 0
            self._generation = generation
        answer = self._items.get(tag)
        if answer is None:
            self.misses += 1
            return None
        self._items.move_to_end(tag)
        self.hits += 1
        return answer

    def put(self, generation: int, tag: str, answer: Answer) -> None:
        size = len(answer.body) + ENTRY_OVERHEAD
        if generation != self._generation or size > self.budget // 8 or tag in self._items:
            return
        self._items[tag] = answer
        self.used += size
        while self.used > self.budget:
            _, old = self._items.popitem(last=False)
            self.used -= len(old.body) + ENTRY_OVERHEAD

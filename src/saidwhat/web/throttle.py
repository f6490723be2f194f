"""Slowing down a client that keeps sending a wrong write token.

Why: the token is the only thing between the open network and writes to the store; a
comparison that costs microseconds lets a client try hundreds of guesses a second. Per
client address, ``auth_free_failures`` wrong tokens are free (a typo, a stale config);
each one after that locks the address out for ``auth_base_delay`` seconds, doubling per
further failure up to ``auth_max_delay``. During a lock-out every write from the
address is answered 429 with ``Retry-After`` and the token is not compared at all, so
guessing speed falls to a handful an hour. A right token clears the address's record.

The table is in memory, per worker process, and bounded: past ``MAX_CLIENTS`` addresses
the ones whose last failure is oldest are forgotten first (an address that is still
locked out is never forgotten before one that is not).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from saidwhat.web.options import WebOptions

MAX_CLIENTS = 10_000
FORGET_AFTER = 3600.0  # seconds after the last failure, when the lock-out is long over


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0
    locked_until: float = 0.0


class AuthThrottle:
    """Failed token attempts per client address (thread-safe: endpoints run in threads)."""

    def __init__(self, options: WebOptions, clock: Callable[[], float] = time.monotonic) -> None:
        self.free = options.auth_free_failures
        self.base = options.auth_base_delay
        self.cap = options.auth_max_delay
        self.clock = clock
        self._lock = threading.Lock()
        self._clients: dict[str, _Record] = {}

    def retry_after(self, client: str) -> int | None:
        """Whole seconds until ``client`` may try again, or None if it may try now."""
        now = self.clock()
        with self._lock:
            record = self._clients.get(client)
            if record is None or record.locked_until <= now:
                return None
            return max(1, math.ceil(record.locked_until - now))

    def failed(self, client: str) -> int | None:
        """Note a wrong token; the lock-out it earned in whole seconds (None: still free)."""
        now = self.clock()
        with self._lock:
            record = self._clients.pop(client, None) or _Record()
            if now - record.last > FORGET_AFTER:
                record = _Record()
            record.failures += 1
            record.last = now
            over = record.failures - self.free
            delay = min(self.cap, self.base * 2 ** (over - 1)) if over > 0 else 0.0
            record.locked_until = now + delay
            self._clients[client] = record  # re-inserted: the dict is ordered by last failure
            self._trim(now)
        return max(1, math.ceil(delay)) if delay else None

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)

    def _trim(self, now: float) -> None:
        if len(self._clients) <= MAX_CLIENTS:
            return
        for client in list(self._clients):  # oldest last failure first
            if len(self._clients) <= MAX_CLIENTS:
                return
            if self._clients[client].locked_until <= now:
                del self._clients[client]
        while len(self._clients) > MAX_CLIENTS:  # all locked out: drop the oldest anyway
            del self._clients[next(iter(self._clients))]

"""``WebOptions``: every setting of the web app and of ``saidwhat serve``, in one object.

Why one object: the app (``create_app``), the connection guard (``web.server``), the
log set-up (``web.logs``) and the command line all need some of these numbers, and a
module global per setting would make a test's change leak into the next test and make
worker processes (``--workers``) disagree with their parent. ``saidwhat serve`` builds
one from its options and hands it to each worker as JSON (``to_json`` / ``from_json``).

The defaults are for a server on the open network with one operator who writes: they
bound what a slow or hostile client can hold (a connection, a log line, a guess at the
token) while leaving a normal browser, API client or upload untouched.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from saidwhat.attribution.budget import DEFAULT_TIME_BUDGET

DEFAULT_MAX_BODY = 2 * 1024 * 1024  # bytes; a long article is ~50 kB, a feed file more


@dataclass(frozen=True)
class WebOptions:
    """Limits and switches of the web app and its server; see README "Serve"."""

    # -- requests --------------------------------------------------------------------
    max_body: int = DEFAULT_MAX_BODY
    """Largest request body in bytes (uploads); more is a 413 before it is parsed."""

    # -- connections (saidwhat serve's protocol, web.server) --------------------------
    header_timeout: float = 10.0
    """Seconds a client has to send a complete request head (request line and headers)
    from the moment it connects or sends the first byte of the next request: a client
    that trickles its headers byte by byte (slowloris) is cut off with 408."""
    body_timeout: float = 60.0
    """Seconds for the whole request body once the head is in (a 2 MB upload at a slow
    100 kB/s takes 20 s)."""
    send_timeout: float = 30.0
    """Seconds the server waits for a client that stopped reading its answer."""
    keep_alive: float = 5.0
    """Seconds an idle keep-alive connection stays open between requests."""
    max_connections: int = 1000
    """Open connections per worker process; one more is answered 503 and closed at once
    (lowered at start-up when the process may not open that many files)."""

    threads: int = 40
    """Endpoint threads (sync endpoints run in a thread pool; 40 is Starlette's own
    default). Fewer leave the event loop more of the GIL for 304s and cached answers
    under load; more let more slow queries wait on the database at once."""

    # -- logging (web.logs) ----------------------------------------------------------
    access_log: bool = True
    """One line per request: time, client, method, path, status, duration."""
    log_burst: int = 20
    """Lines of one message let through per interval; the rest are counted and summed
    up in one line when the interval is over."""
    access_log_burst: int = 200
    """The same for access lines, per client address and status (200 per 10 s is 20 a
    second from one client: a browser or a script is logged line by line, a flood is
    summed up)."""
    log_interval: float = 10.0
    """Seconds of the log rate limit's window."""

    # -- the write token (web.throttle) -----------------------------------------------
    auth_free_failures: int = 3
    """Wrong tokens a client address may send before it is slowed down."""
    auth_base_delay: float = 1.0
    """Seconds locked out after the first failure past the free ones; doubles with each
    further failure, up to ``auth_max_delay``. Answers in the lock-out are 429 with
    Retry-After, and the token is not even compared."""
    auth_max_delay: float = 300.0

    # -- analysis of posted articles (web.analysers) ---------------------------------
    analysis_slots: int = 2
    """Articles analysed at the same time (each slot holds its own spaCy pipeline, so
    one slow article never holds up another post, and reads never wait for either)."""
    analysis_wait: float = 30.0
    """Seconds a post waits for a free slot before it is answered 503."""
    time_budget: float | None = DEFAULT_TIME_BUDGET
    """Seconds one posted article's analysis may take (None: no limit); an article over
    it is one line under ``errors`` and the slot is free again at once."""
    engine: str | None = None
    """The attribution engine posted articles are analysed with (None: the default of
    ``AttributionOptions``)."""
    outlets: str | None = None
    """The user's outlets file posted articles are read with, on top of the shipped one
    (None: the shipped table alone); README, "Outlets and agencies"."""

    # -- HTTP caching (web.conditional) ----------------------------------------------
    cache_control: str = "no-cache"
    """``Cache-Control`` of read answers. ``no-cache`` lets clients keep an answer but
    makes them ask again each time; the ETag turns that into a cheap 304 until the
    store changes."""
    answer_cache_mb: float = 64.0
    """Megabytes of whole read answers kept for the current store generation, so the
    same request from another client costs no query (0: none kept)."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if value < 0 or (
                value == 0 and f.name not in ("auth_free_failures", "answer_cache_mb")
            ):
                raise ValueError(f"{f.name} must be positive, not {value}")

    def replace(self, **changes: Any) -> WebOptions:
        return replace(self, **changes)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | None) -> WebOptions:
        """Options as ``to_json`` wrote them; unknown keys are an error (a worker must
        not silently run with settings its parent did not mean)."""
        return cls(**json.loads(text)) if text else cls()

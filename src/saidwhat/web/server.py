"""``saidwhat serve``'s HTTP server: uvicorn with a guard on every connection.

Why a guard: uvicorn times out only idle keep-alive connections. A client that connects
and sends nothing, or sends its headers a byte at a time (slowloris), or never finishes
its body, or stops reading the answer, holds a connection and a file descriptor for
ever; a thousand of them and the process cannot accept anyone else ("Too many open
files"), while asyncio logs each failed accept. ``GuardedH11Protocol`` is uvicorn's h11
protocol with four timers and a cap:

* the request head (request line and headers) must be complete ``header_timeout``
  seconds after the connection opens, or after the first byte of a later request on it
  (the idle time between requests is uvicorn's keep-alive timeout): else 408 and close;
* the body must be complete ``body_timeout`` seconds after the head: else close;
* a client that stops reading an answer for ``send_timeout`` seconds is closed;
* past ``max_connections`` open connections, a new one is answered 503 (with
  Retry-After) and closed at once, before anything is read from it.

``serve`` raises the process's open-file limit to its hard limit and lowers the cap
(and the listen backlog) to fit under it, so the cap is what refuses a client, never
the operating system. Every refusal is logged through the rate limit of ``web.logs``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from saidwhat.web.options import WebOptions

log = logging.getLogger("saidwhat.server")

FD_RESERVE = 128  # descriptors kept for the database, the log, threads and imports
MAX_BACKLOG = 2048  # uvicorn's default listen backlog


def _plain(status: str, detail: str, *extra: str) -> bytes:
    body = detail.encode() + b"\n"
    head = [
        f"HTTP/1.1 {status}",
        "content-type: text/plain; charset=utf-8",
        f"content-length: {len(body)}",
        "connection: close",
        *extra,
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


REFUSED = _plain("503 Service Unavailable", "too many connections", "retry-after: 1")


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the timeouts and the connection cap described above.

    The timers follow h11's view of the client (``conn.their_state``): IDLE while the
    head is awaited, SEND_BODY while the body comes, DONE once the request is in.
    """

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        guard: WebOptions,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.guard = guard
        self.refused = False
        self._timer: asyncio.TimerHandle | None = None
        self._timing: str | None = None  # "head" | "body" | "send"

    # -- the cap ------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.guard.max_connections:
            self.refused = True
            self.transport = transport
            peer = transport.get_extra_info("peername")
            transport.write(REFUSED)
            transport.close()
            log.warning(
                "refused a connection from %s: %d connections open (--max-connections)",
                peer[0] if peer else "?",
                len(self.connections),
            )
            return
        super().connection_made(transport)
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop()
        if not self.refused:
            super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.refused:
            return
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # the idle wait for the next request is the keep-alive timer's; the head timer
        # starts again with the next request's first byte (here, for a pipelined one)
        self._watch()

    def pause_writing(self) -> None:
        super().pause_writing()
        self._start("send", self.guard.send_timeout)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._timing == "send":
            self._stop()
            self._watch()

    # -- the timers ---------------------------------------------------------------------

    def _watch(self) -> None:
        """Start, keep or stop the head / body timer for where the request now is."""
        if self._timing == "send" or self.transport is None or self.transport.is_closing():
            return
        state = self.conn.their_state
        fresh = self.cycle is None  # no request yet on this connection
        if state is h11.IDLE:
            # waiting for a head: from the connection's start, or from the first byte of
            # a later request (a keep-alive connection with nothing buffered is idle)
            if self._timing != "head" and (fresh or self.conn.trailing_data[0]):
                self._start("head", self.guard.header_timeout)
        elif state is h11.SEND_BODY:
            if self._timing != "body":
                self._start("body", self.guard.body_timeout)
        elif self._timing is not None:
            self._stop()

    def _start(self, what: str, seconds: float) -> None:
        self._stop()
        self._timing = what
        self._timer = self.loop.call_later(seconds, self._expired, what)

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        self._timing = None

    def _expired(self, what: str) -> None:
        self._timer = None
        self._timing = None
        if self.transport is None or self.transport.is_closing():
            return
        client = self.client[0] if self.client else "?"
        limit = {
            "head": self.guard.header_timeout,
            "body": self.guard.body_timeout,
            "send": self.guard.send_timeout,
        }[what]
        log.warning("closed a connection from %s: no complete %s in %g s", client, what, limit)
        if what == "head" and self.conn.our_state is h11.IDLE:
            self.transport.write(_plain("408 Request Timeout", f"no request head in {limit:g} s"))
        self.transport.close()


def protocol_factory(options: WebOptions) -> Any:
    """What uvicorn's ``http=`` takes: the guarded protocol bound to the options (a
    ``functools.partial``, so it pickles to ``--workers`` processes)."""
    return functools.partial(GuardedH11Protocol, guard=options)


def fit_to_open_files(options: WebOptions) -> tuple[WebOptions, int, str | None]:
    """Raise the soft open-file limit to the hard one; then the options with the cap
    lowered (if need be) and the listen backlog, so that open connections plus the
    backlog plus ``FD_RESERVE`` stay under the limit. Returns a note when it lowered."""
    try:
        import resource
    except ImportError:  # not on this platform: leave the numbers as asked
        return options, MAX_BACKLOG, None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    room = max(soft - FD_RESERVE, 16)
    backlog = min(MAX_BACKLOG, max(16, room // 4))
    cap = min(options.max_connections, room - backlog)
    if cap >= options.max_connections:
        return options, backlog, None
    note = (
        f"--max-connections lowered from {options.max_connections} to {cap}: "
        f"this process may open {soft} files"
    )
    return options.replace(max_connections=max(cap, 1)), backlog, note

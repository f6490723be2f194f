"""The server's log: an access line per request, and a limit on repeats of any line.

Why a limit: a hostile client can make a server say the same thing thousands of times a
second (a refused connection, a malformed request, a wrong token), and a log that grows
by hundreds of megabytes a minute fills the disk and hides everything else. So every
line goes through ``RepeatLimiter``: of each kind of line (the same message, and for
the access log the same client and status) the first ``log_burst`` (access lines:
``access_log_burst``) per ``log_interval`` are written, the rest are only counted, and when the window closes one line says how many
were left out. A normal server under normal traffic never reaches the limit.

The access line is written by ``AccessLogMiddleware`` (outermost, so it times the whole
answer) to the ``saidwhat.access`` logger: time, client, method, path with query,
status, duration in ms. The path is written with control characters escaped, so a
request cannot forge a log line.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from saidwhat.web.options import WebOptions

ACCESS_LOGGER = "saidwhat.access"
SUMMARY_FLAG = "saidwhat_repeat_summary"
MAX_KEYS = 4096  # kinds of line tracked at once; past it the oldest windows are closed
MAX_LOGGED_PATH = 300
# loggers of the server process that get the limited handler
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "asyncio", "saidwhat")


@dataclass
class _Window:
    start: float
    seen: int = 0
    dropped: int = 0
    record: logging.LogRecord | None = None  # the last one dropped, for the summary


class RepeatLimiter(logging.Filter):
    """A handler filter: the first ``burst`` lines of each kind per ``interval`` pass,
    the rest are counted; one summary line per window says how many were left out.

    The kind is the logger, the level and the message template (``record.msg``, before
    its arguments), or ``record.rate_key`` where the caller set one (the access log uses
    the client address and status). Summaries are written when the kind's window closes:
    at its next line, or by a timer when the flood stops. ``clock`` is for tests.
    """

    def __init__(
        self, burst: int, interval: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.burst = burst
        self.interval = interval
        self.clock = clock
        self._lock = threading.Lock()
        self._windows: dict[object, _Window] = {}
        self._handler: logging.Handler | None = None
        self._timer: threading.Timer | None = None

    def bind(self, handler: logging.Handler) -> RepeatLimiter:
        """Filter ``handler``'s records and write the summaries to it."""
        self._handler = handler
        handler.addFilter(self)
        return self

    @staticmethod
    def kind(record: logging.LogRecord) -> object:
        key = getattr(record, "rate_key", None)
        return (record.name, record.levelno, key if key is not None else str(record.msg))

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, SUMMARY_FLAG, False):
            return True
        now = self.clock()
        kind = self.kind(record)
        with self._lock:
            closed = self._close_expired(now) if len(self._windows) >= MAX_KEYS else []
            window = self._windows.get(kind)
            if window is not None and now - window.start >= self.interval:
                closed.append(self._windows.pop(kind))
                window = None
            if window is None:
                if len(self._windows) >= MAX_KEYS:  # all current: close the oldest
                    oldest = min(self._windows, key=lambda k: self._windows[k].start)
                    closed.append(self._windows.pop(oldest))
                window = self._windows[kind] = _Window(now)
            window.seen += 1
            passed = window.seen <= self.burst
            if not passed:
                window.dropped += 1
                window.record = record
                self._schedule()
        self._summarise(closed)
        return passed

    def flush(self) -> None:
        """Write the summary of every window that has closed (the timer calls this, so
        that the count of a flood that stopped is not left unwritten)."""
        with self._lock:
            self._timer = None
            closed = self._close_expired(self.clock())
            if any(w.dropped for w in self._windows.values()):
                self._schedule()
        self._summarise(closed)

    def close(self) -> None:
        """Write every pending summary now (the process is stopping)."""
        with self._lock:
            closed = list(self._windows.values())
            self._windows.clear()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        self._summarise(closed)

    def _close_expired(self, now: float) -> list[_Window]:
        expired = [k for k, w in self._windows.items() if now - w.start >= self.interval]
        return [self._windows.pop(k) for k in expired]

    def _schedule(self) -> None:
        if self._timer is None:
            self._timer = threading.Timer(self.interval, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def _summarise(self, windows: list[_Window]) -> None:
        for w in windows:
            if not w.dropped or w.record is None or self._handler is None:
                continue
            last = w.record
            summary = logging.LogRecord(
                last.name,
                last.levelno,
                last.pathname,
                last.lineno,
                "%d more like this in %.0f s, the last: %s",
                (w.dropped, self.interval, last.getMessage()),
                None,
            )
            setattr(summary, SUMMARY_FLAG, True)
            self._handler.handle(summary)


def install_logging(options: WebOptions) -> list[RepeatLimiter]:
    """The server's log set-up (each worker process calls it once): warnings and errors
    as ``time LEVEL logger: message``, access lines as ``time client method path status
    ms``, both on stderr and both through a ``RepeatLimiter``."""
    general = logging.StreamHandler(sys.stderr)
    general.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    access = logging.StreamHandler(sys.stderr)
    access.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    limiters = [
        RepeatLimiter(options.log_burst, options.log_interval).bind(general),
        RepeatLimiter(options.access_log_burst, options.log_interval).bind(access),
    ]
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [general]
        logger.propagate = False
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
    access_logger = logging.getLogger(ACCESS_LOGGER)
    access_logger.handlers[:] = [access]
    access_logger.propagate = False
    access_logger.setLevel(logging.INFO if options.access_log else logging.WARNING)
    return limiters


def printable(raw: bytes, limit: int = MAX_LOGGED_PATH) -> str:
    """Bytes from the request line as one safe log token: non-ASCII and control
    characters escaped, cut at ``limit``."""
    text = raw.decode("ascii", "backslashreplace")
    text = "".join(c if 32 < ord(c) < 127 else f"\\x{ord(c):02x}" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AccessLogMiddleware:
    """One ``saidwhat.access`` line per HTTP request, written when the answer is sent
    (or the client went away: status 499 then, as nginx writes it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.logger = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.logger.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 499

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting)
        except Exception:
            status = 500
            raise
        finally:
            client = scope.get("client")
            host = client[0] if client else "-"
            target = scope.get("raw_path") or scope.get("path", "").encode()
            if scope.get("query_string"):
                target += b"?" + scope["query_string"]
            self.logger.info(
                "%s %s %s %d %.1f ms",
                host,
                printable(scope.get("method", "-").encode()),
                printable(target),
                status,
                1000 * (time.perf_counter() - t0),
                extra={"rate_key": ("access", host, status)},
            )

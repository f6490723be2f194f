"""HTTP caching of read answers: an ETag keyed on the store generation, and 304s.

Why: most requests to a news archive ask again for what they already have (a browser
coming back to a page, a dashboard polling ``/api/stats``). Every write to the store,
by this server or by any other process (an ``ingest`` beside a running ``serve``),
moves ``saidwhat.query.store_generation`` on, and a read answer depends on nothing but
the store and the request. So the tag of an answer is a hash of the generation, the
request (path and query string), its representation (JSON for ``/api``, HTML for the
pages), the store and the code's version; a client that sends it back in
``If-None-Match`` gets ``304 Not Modified`` after one primary-key lookup, without the
query, the rendering or the serialisation.

``Cache-Control`` (``WebOptions.cache_control``, default ``no-cache``) lets a client
keep the answer but makes it ask each time, so nobody sees an answer older than the
store. The generation is read before the answer is computed: a write that lands in
between gives a newer body under the older tag, which costs that client one extra full
answer later, never a stale one. Only 200 answers to GET on the read paths
are tagged (not errors, the ingest form, the docs or static files, which Starlette
tags itself).

Two things keep this path cheap under load. The generation is read by
``GenerationWatch``: requests that ask while a read is under way share the next one
(each still gets a value read after it arrived, so none misses a write that committed
before it), on a thread of its own, so a 304 never queues behind slow queries in the
endpoints' thread pool. And a full answer already given at this generation is given
again from ``cache.AnswerCache`` (``WebOptions.answer_cache_mb``), so a client without
the tag, asking what another client asked, costs no query either.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable

import anyio
import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from saidwhat.query import store_generation
from saidwhat.store import Store
from saidwhat.web.cache import GENERATION_KEY, Answer, AnswerCache

log = logging.getLogger("saidwhat.web")
READ_PAGES = ("/speakers", "/articles", "/outlets")


def cacheable(scope: Scope) -> bool:
    """A GET of a read endpoint (every GET under /api is one) or a page (the routes
    answer HEAD with 405, so only GET is tagged)."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    path: str = scope["path"]
    return path == "/" or path.startswith("/api/") or path.startswith(READ_PAGES)


def etag(salt: str, generation: int, scope: Scope) -> str:
    """The tag of the answer to this request at this generation (weak: it names the
    answer's content, not its bytes)."""
    representation = "json" if scope["path"].startswith("/api/") else "html"
    key = b"\0".join(
        [
            salt.encode(),
            str(generation).encode(),
            representation.encode(),
            scope.get("raw_path") or scope["path"].encode(),
            scope.get("query_string") or b"",
        ]
    )
    return 'W/"' + hashlib.blake2b(key, digest_size=12).hexdigest() + '"'


def matches(if_none_match: bytes | None, tag: str) -> bool:
    """``If-None-Match`` holds ``tag`` (or ``*``), by the weak comparison of RFC 9110."""
    if not if_none_match:
        return False
    ours = tag.removeprefix("W/")
    for given in if_none_match.decode("latin-1").split(","):
        given = given.strip()
        if given == "*" or given.removeprefix("W/") == ours:
            return True
    return False


class GenerationWatch:
    """The store generation, read for requests in flights: whoever asks while a read
    runs waits for the next read, which begins when that one ends and answers everyone
    who asked in between. So each caller gets a value read after it asked, and under
    load the store sees one generation read at a time, not one per request."""

    def __init__(self, read: Callable[[], int]) -> None:
        self._read = read
        self._next: asyncio.Future[int] | None = None  # for the read not begun yet
        self._running: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._limiter: anyio.CapacityLimiter | None = None

    async def current(self) -> int:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests): start afresh on it
            self._loop, self._next, self._running = loop, None, None
            self._limiter = anyio.CapacityLimiter(1)  # its own thread, not the endpoints'
        future = self._next
        if future is None:
            future = self._next = loop.create_future()
            future.add_done_callback(_retrieve)
            if self._running is None:
                self._begin()
        return await asyncio.shield(future)  # a caller that goes away cancels only itself

    def _begin(self) -> None:
        assert self._loop is not None and self._next is not None
        future, self._next = self._next, None
        self._running = self._loop.create_task(self._run(future))

    async def _run(self, future: asyncio.Future[int]) -> None:
        try:
            value = await anyio.to_thread.run_sync(self._read, limiter=self._limiter)
        except Exception as exc:
            future.set_exception(exc)
        else:
            future.set_result(value)
        finally:
            self._running = None
            if self._next is not None:
                self._begin()


def _retrieve(future: asyncio.Future[int]) -> None:
    if not future.cancelled():
        future.exception()  # seen, even when every waiter went away


class ConditionalGetMiddleware:
    """Tag read answers with an ETag and ``Cache-Control``; answer 304 to a matching
    ``If-None-Match`` before the endpoint runs, and a repeated GET from the answer
    cache. The generation it read is left in ``request.state`` (``GENERATION_KEY``)
    for the page furniture memo."""

    def __init__(
        self,
        app: ASGIApp,
        store: Callable[[], Store],
        salt: str,
        cache_control: str,
        answer_bytes: int,
    ) -> None:
        self.app = app
        self.salt = salt
        self.cache_control = cache_control.encode()
        self.watch = GenerationWatch(lambda: store_generation(store()))
        self.answers = AnswerCache(answer_bytes) if answer_bytes else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not cacheable(scope):
            await self.app(scope, receive, send)
            return
        try:
            generation = await self.watch.current()
        except Exception as exc:  # the store is unwell: let the endpoint answer as it would
            log.warning("answered without an ETag: no store generation (%s)", exc)
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})[GENERATION_KEY] = generation
        tag = etag(self.salt, generation, scope)
        ours = [(b"etag", tag.encode()), (b"cache-control", self.cache_control)]
        given = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
        if matches(given, tag):
            await send({"type": "http.response.start", "status": 304, "headers": ours})
            await send({"type": "http.response.body", "body": b""})
            return
        answers = self.answers
        kept = answers.get(generation, tag) if answers is not None else None
        if kept is not None:
            await send(
                {"type": "http.response.start", "status": 200, "headers": kept.headers + ours}
            )
            await send({"type": "http.response.body", "body": kept.body})
            return
        headers: list[tuple[bytes, bytes]] | None = None  # of a 200 worth keeping
        body: list[bytes] = []
        size = [0]  # bytes of body so far

        async def tagged(message: Message) -> None:
            nonlocal headers
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = list(message.get("headers", ()))
                message = {**message, "headers": headers + ours}
            elif message["type"] == "http.response.body" and headers is not None:
                body.append(message.get("body", b""))
                size[0] += len(body[-1])
                if answers is not None and size[0] > answers.budget // 8:
                    # too big to keep (a streamed download of a whole result): the body
                    # is passed on without being held in memory
                    headers = None
                    body.clear()
                elif not message.get("more_body", False) and answers is not None:
                    answers.put(generation, tag, Answer(headers, b"".join(body)))
            await send(message)

        await self.app(scope, receive, tagged)

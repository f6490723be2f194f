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
answer later, never a stale one. Only 200 answers to GET and HEAD on the read paths
are tagged (not errors, the ingest form, the docs or static files, which Starlette
tags itself).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from saidwhat.query import store_generation
from saidwhat.store import Store

READ_PAGES = ("/speakers", "/articles", "/outlets")
GENERATION_KEY = "store_generation"  # where the middleware leaves it in scope["state"]


def cacheable(scope: Scope) -> bool:
    """A GET or HEAD of a read endpoint (every GET under /api is one) or a page."""
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
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


class ConditionalGetMiddleware:
    """Tag read answers with an ETag and ``Cache-Control``; answer 304 to a matching
    ``If-None-Match`` before the endpoint runs. The generation it read is left in
    ``request.state`` (``GENERATION_KEY``) for the page furniture memo."""

    def __init__(
        self, app: ASGIApp, store: Callable[[], Store], salt: str, cache_control: str
    ) -> None:
        self.app = app
        self.store = store
        self.salt = salt
        self.cache_control = cache_control.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not cacheable(scope):
            await self.app(scope, receive, send)
            return
        try:  # one primary-key read, in a thread: the event loop never waits on a driver
            generation = await anyio.to_thread.run_sync(store_generation, self.store())
        except Exception:  # the store is unwell: let the endpoint answer as it would
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})[GENERATION_KEY] = generation
        tag = etag(self.salt, generation, scope)
        headers = [(b"etag", tag.encode()), (b"cache-control", self.cache_control)]
        given = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
        if matches(given, tag):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                message = {**message, "headers": [*message.get("headers", ()), *headers]}
            await send(message)

        await self.app(scope, receive, tagged)

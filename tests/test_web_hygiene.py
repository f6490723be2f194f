"""The web app under abuse, in process: wrong tokens, log floods, a slow article.

* Wrong write tokens from one address are free a few times, then answered 429 with
  Retry-After, without the token even being compared, on the API and the ingest page.
* The log's rate limit lets the first lines of a kind through and sums up the rest.
* A post whose analysis is slow holds up neither reads nor another post: analysis runs
  in the thread pool outside any lock, each post on its own pipeline, and only the
  store write is serialised (the slow step is a gate the test opens, so the test knows
  the first post is still analysing while it checks the others).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

from saidwhat.web import create_app
from saidwhat.web.analysers import PipelinePool
from saidwhat.web.logs import RepeatLimiter
from saidwhat.web.options import WebOptions

TOKEN = "op-secret-7f3a"
ARTICLE = (
    " date 2026-03-23 GENEVA (Reuters) - Norway's special envoy Helena Strand said on "
    'Monday that "the monitors will arrive in Kharkiv by Friday".\n\n-- Reuters'
)
SLOW = "SLOWMARK"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- the token slow-down ----------------------------------------------------------------


@pytest.fixture
def guarded(tmp_path: Path) -> TestClient:
    options = WebOptions(auth_free_failures=2, auth_base_delay=0.4, auth_max_delay=0.8)
    with TestClient(create_app(tmp_path / "t.db", token=TOKEN, options=options)) as c:
        yield c


def test_wrong_tokens_are_slowed_down(guarded: TestClient) -> None:
    bad = {"text": ""}  # 422 once past the token: nothing is analysed or stored
    for _ in range(2):  # the free ones
        r = guarded.post("/api/articles", json=bad, headers=auth("guess"))
        assert r.status_code == 401 and "retry-after" not in r.headers
    r = guarded.post("/api/articles", json=bad, headers=auth("guess"))
    assert r.status_code == 401 and r.headers["retry-after"] == "1"
    # locked out: even the right token is not looked at, and guessing stops paying
    answers = [
        guarded.post("/api/articles", json=bad, headers=auth(t)).status_code
        for t in ["guess2", TOKEN] * 25
    ]
    assert answers == [429] * 50
    locked = guarded.post("/api/articles/file", files={"file": ("a.txt", b"x")})
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) >= 1
    page = guarded.post("/ingest", data={"token": TOKEN, "text": ARTICLE})
    assert page.status_code == 429 and "Too many wrong tokens" in page.text
    assert page.headers["retry-after"] == "1"
    time.sleep(0.45)  # the lock-out (0.4 s for the first failure past the free ones) ends
    assert guarded.post("/api/articles", json=bad, headers=auth(TOKEN)).status_code == 422
    # a right token cleared the record: the free failures are free again
    r = guarded.post("/api/articles", json=bad, headers=auth("guess"))
    assert r.status_code == 401 and "retry-after" not in r.headers


def test_lock_outs_double_up_to_the_cap() -> None:
    from saidwhat.web.throttle import AuthThrottle

    now = [1000.0]
    throttle = AuthThrottle(
        WebOptions(auth_free_failures=1, auth_base_delay=2, auth_max_delay=10),
        clock=lambda: now[0],
    )
    delays = [throttle.failed("10.0.0.1") for _ in range(6)]
    assert delays == [None, 2, 4, 8, 10, 10]
    assert throttle.retry_after("10.0.0.1") == 10
    assert throttle.retry_after("10.0.0.2") is None  # per address
    now[0] += 10
    assert throttle.retry_after("10.0.0.1") is None


# -- the log's rate limit ------------------------------------------------------------------


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_repeated_log_lines_are_counted_not_written() -> None:
    now = [0.0]
    handler = Collect()
    limiter = RepeatLimiter(burst=3, interval=10, clock=lambda: now[0]).bind(handler)
    log = logging.getLogger("saidwhat.test.flood")
    log.propagate = False
    log.addHandler(handler)
    try:
        for i in range(1000):
            log.warning("refused a connection from %s", f"10.0.0.{i % 7}")
        log.warning("another message")  # its own kind: not held back by the flood
        assert handler.lines == [
            "refused a connection from 10.0.0.0",
            "refused a connection from 10.0.0.1",
            "refused a connection from 10.0.0.2",
            "another message",
        ]
        now[0] = 10.5  # the window is over: the next line first writes the summary
        log.warning("refused a connection from %s", "10.0.0.9")
        assert handler.lines[4:] == [
            "997 more like this in 10 s, the last: refused a connection from 10.0.0.5",
            "refused a connection from 10.0.0.9",
        ]
        for _ in range(5):
            log.warning("refused a connection from %s", "10.0.0.9")
        limiter.close()  # stopping: what was counted is still written
        assert handler.lines[-1].startswith("3 more like this")
    finally:
        log.removeHandler(handler)


def test_a_flood_that_stops_is_still_summed_up() -> None:
    handler = Collect()
    RepeatLimiter(burst=1, interval=0.2).bind(handler)
    log = logging.getLogger("saidwhat.test.stops")
    log.propagate = False
    log.addHandler(handler)
    try:
        for _ in range(50):
            log.warning("same")
        assert handler.lines == ["same"]
        time.sleep(0.5)  # nothing more is logged: the timer writes the count
        assert handler.lines == ["same", "49 more like this in 0 s, the last: same"]
    finally:
        log.removeHandler(handler)


# -- analysis off the event loop ---------------------------------------------------------------


class Gate:
    """A pipeline step that holds any text containing SLOW until the test opens it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.open = threading.Event()

    def loader(self, first: bool) -> Language:
        from saidwhat import nlp as nlp_module

        nlp = nlp_module.load_pipeline.__wrapped__()  # a pipeline of its own per slot
        gate = self

        def hold(doc):  # type: ignore[no-untyped-def]
            if SLOW in doc.text:
                gate.entered.set()
                assert gate.open.wait(30), "the test never opened the gate"
            return doc

        name = f"test_gate_{id(self)}"
        Language.component(name, func=hold)
        nlp.add_pipe(name, first=True)
        return nlp


async def _slow_post_blocks_nothing(app, gate: Gate) -> None:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=60) as c:
        slow = asyncio.create_task(
            c.post("/api/articles", json={"text": f"{ARTICLE} {SLOW}"}, headers=auth(TOKEN))
        )
        assert await asyncio.to_thread(gate.entered.wait, 60)
        t0 = time.perf_counter()
        for path in ("/api/stats", "/api/statements?q=monitors", "/", "/api/speakers"):
            r = await c.get(path)
            assert r.status_code == 200
        reads = time.perf_counter() - t0
        small = await asyncio.wait_for(
            c.post("/api/articles", json={"text": ARTICLE}, headers=auth(TOKEN)), 60
        )
        assert small.status_code == 201, small.text
        assert not slow.done()  # still analysing all along
        found = (await c.get("/api/statements", params={"q": "Kharkiv"})).json()["total"]
        assert found >= 1  # the small one is stored and readable before the slow one ends
        gate.open.set()
        late = await slow
        assert late.status_code == 201, late.text
    assert reads < 2.0


def test_a_slow_post_blocks_neither_reads_nor_another_post(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    gate = Gate()
    options = WebOptions(analysis_slots=2)
    app = create_app(
        tmp_path / "s.db",
        token=TOKEN,
        options=options,
        pipelines=PipelinePool(options, load=gate.loader),
    )
    try:
        asyncio.run(_slow_post_blocks_nothing(app, gate))
    finally:
        gate.open.set()
        app.state.store.close()


def test_posts_past_the_analysis_slots_get_503(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    gate = Gate()
    options = WebOptions(analysis_slots=1, analysis_wait=0.3)
    app = create_app(
        tmp_path / "b.db",
        token=TOKEN,
        options=options,
        pipelines=PipelinePool(options, load=gate.loader),
    )

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=60) as c:
            slow = asyncio.create_task(
                c.post("/api/articles", json={"text": f"{ARTICLE} {SLOW}"}, headers=auth(TOKEN))
            )
            assert await asyncio.to_thread(gate.entered.wait, 60)
            busy = await c.post("/api/articles", json={"text": ARTICLE}, headers=auth(TOKEN))
            assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
            assert (await c.get("/api/stats")).status_code == 200
            gate.open.set()
            assert (await slow).status_code == 201

    try:
        asyncio.run(run())
    finally:
        gate.open.set()
        app.state.store.close()


def test_the_endpoint_thread_pool_is_sized_by_the_options(tmp_path: Path) -> None:
    """``--threads``: sync endpoints run in AnyIO's default thread pool, whose size the
    app sets at start-up from ``WebOptions.threads`` (the event loop, which answers 304s
    and cached answers, takes turns for the GIL with every busy thread)."""
    from anyio import to_thread

    app = create_app(tmp_path / "t.db", token=TOKEN, options=WebOptions(threads=5))
    with TestClient(app) as c:
        size = c.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens)
        assert size == 5
        assert c.get("/api/stats").status_code == 200
    with pytest.raises(ValueError, match="threads"):
        WebOptions(threads=0)

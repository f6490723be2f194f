"""HTTP caching of read answers: ETag on the store generation, 304, Cache-Control.

The tag must be the same for the same request while the store does not change, differ
between requests, and change after any write: one through the API, and one by another
process writing the same store file (the case a running ``serve`` beside ``ingest`` is
in). A matching ``If-None-Match`` is answered 304 without the endpoint's query running,
and the same request from a client without the tag is answered from the answer cache.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from saidwhat.store import open_store
from saidwhat.web import api_read, create_app
from saidwhat.web.conditional import matches
from saidwhat.web.options import WebOptions
from web_corpus import chain_analysis

TOKEN = "op-secret-7f3a"


@pytest.fixture
def served(tmp_path: Path) -> TestClient:
    db = tmp_path / "c.db"
    with open_store(db) as store:
        store.add_analysis(chain_analysis())
    app = create_app(db, token=TOKEN)
    with TestClient(app) as c:
        c.db = db  # type: ignore[attr-defined]
        c.store = app.state.store  # type: ignore[attr-defined]
        yield c


READS = [
    "/api/stats",
    "/api/statements?limit=5",
    "/api/statements?limit=6",
    "/api/speakers",
    "/api/outlets",
    "/api/chains",
    "/",
    "/?q=Tass",
    "/speakers",
    "/outlets",
]


def test_read_answers_are_tagged_and_revalidate_to_304(served: TestClient) -> None:
    tags = {}
    for path in READS:
        r = served.get(path)
        assert r.status_code == 200, path
        assert r.headers["cache-control"] == "no-cache"
        tags[path] = r.headers["etag"]
        again = served.get(path, headers={"If-None-Match": tags[path]})
        assert again.status_code == 304 and again.content == b"", path
        assert again.headers["etag"] == tags[path]
        assert again.headers["x-content-type-options"] == "nosniff"  # still guarded
        assert served.get(path).headers["etag"] == tags[path]  # stable while nothing changes
    assert len(set(tags.values())) == len(READS)  # path and query are in the tag
    other = served.get("/api/stats", headers={"If-None-Match": 'W/"nope", "other"'})
    assert other.status_code == 200
    listed = served.get("/api/stats", headers={"If-None-Match": f'"x", {tags["/api/stats"]}'})
    assert listed.status_code == 304


def test_only_read_successes_are_tagged(served: TestClient) -> None:
    assert "etag" not in served.get("/api/speakers/99999").headers  # 404
    assert "etag" not in served.get("/api/statements?since=never").headers  # 400
    assert "etag" not in served.get("/docs").headers
    assert "etag" not in served.get("/ingest").headers
    r = served.post("/api/articles", json={"text": ""}, headers={"Authorization": "Bearer x"})
    assert r.status_code == 401 and "etag" not in r.headers


class Counted:
    """``api_read.stats_document`` wrapped to count its runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs = 0
        real = api_read.stats_document

        def counted(store):  # type: ignore[no-untyped-def]
            self.runs += 1
            return real(store)

        monkeypatch.setattr(api_read, "stats_document", counted)


def test_a_304_runs_no_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "n.db"
    open_store(db).close()
    stats = Counted(monkeypatch)
    with TestClient(create_app(db, options=WebOptions(answer_cache_mb=0))) as c:
        tag = c.get("/api/stats").headers["etag"]
        assert stats.runs == 1
        for _ in range(3):
            assert c.get("/api/stats", headers={"If-None-Match": tag}).status_code == 304
        assert stats.runs == 1
        assert c.get("/api/stats").status_code == 200  # no answer cache: the query runs
        assert stats.runs == 2


def test_the_same_request_from_another_client_runs_no_query(
    served: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    stats = Counted(monkeypatch)
    first = served.get("/api/stats")
    again = [served.get("/api/stats") for _ in range(3)]  # no If-None-Match: a new client
    assert stats.runs == 1
    assert all(
        a.content == first.content and a.headers["etag"] == first.headers["etag"] for a in again
    )
    assert again[0].headers["content-type"] == "application/json"
    assert again[0].headers["x-frame-options"] == "DENY"
    served.store.record_error("x.txt", "refused", "read")  # type: ignore[attr-defined]
    fresh = served.get("/api/stats")
    assert stats.runs == 2 and fresh.json()["errors"] == first.json()["errors"] + 1
    assert fresh.headers["etag"] != first.headers["etag"]


def test_the_tag_changes_after_an_ingest_through_the_api(served: TestClient, nlp) -> None:  # type: ignore[no-untyped-def]
    before = {p: served.get(p).headers["etag"] for p in ("/api/stats", "/")}
    text = (
        " date 2026-03-23 GENEVA (Reuters) - Norway's special envoy Helena Strand said on "
        'Monday that "the monitors will arrive in Kharkiv by Friday".\n\n-- Reuters'
    )
    r = served.post(
        "/api/articles", json={"text": text}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 201, r.text
    for path, tag in before.items():
        fresh = served.get(path, headers={"If-None-Match": tag})
        assert fresh.status_code == 200 and fresh.headers["etag"] != tag, path
    assert served.get("/api/stats").json()["articles"] == 2
    assert "<dt>Articles</dt><dd>2</dd>" in served.get("/").text  # the totals followed


def test_the_tag_changes_after_a_write_by_another_process(served: TestClient) -> None:
    before = {p: served.get(p).headers["etag"] for p in ("/api/stats", "/", "/api/speakers")}
    errors = served.get("/api/stats").json()["errors"]
    write = (
        "import sys; from saidwhat.store import open_store\n"
        "with open_store(sys.argv[1]) as s: s.record_error('elsewhere.txt', 'refused', 'read')\n"
    )
    subprocess.run([sys.executable, "-c", write, str(served.db)], check=True, timeout=60)  # type: ignore[attr-defined]
    for path, tag in before.items():
        fresh = served.get(path, headers={"If-None-Match": tag})
        assert fresh.status_code == 200 and fresh.headers["etag"] != tag, path
    assert served.get("/api/stats").json()["errors"] == errors + 1


def test_if_none_match_parsing() -> None:
    tag = 'W/"abc"'
    assert matches(b'W/"abc"', tag) and matches(b'"abc"', tag) and matches(b"*", tag)
    assert matches(b'"x" , W/"abc"', tag)
    assert not matches(b'"abcd"', tag) and not matches(b"", tag) and not matches(None, tag)


def test_generation_reads_are_shared_but_never_older_than_the_request() -> None:
    import asyncio
    import threading

    from saidwhat.web.conditional import GenerationWatch

    state = {"generation": 1, "reads": 0}
    began, gate = threading.Event(), threading.Event()

    def read() -> int:
        state["reads"] += 1
        value = state["generation"]
        began.set()
        assert gate.wait(10)
        return value

    async def run() -> None:
        watch = GenerationWatch(read)
        first = asyncio.create_task(watch.current())
        assert await asyncio.to_thread(began.wait, 10)
        state["generation"] = 2  # a write commits while the first read is under way
        later = [asyncio.create_task(watch.current()) for _ in range(50)]
        await asyncio.sleep(0.05)
        gate.set()
        assert await first == 1
        assert set(await asyncio.gather(*later)) == {2}  # all asked after the write
        assert state["reads"] == 2  # 51 callers, two reads

    asyncio.run(run())

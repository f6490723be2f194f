"""HTTP caching of read answers: ETag on the store generation, 304, Cache-Control.

The tag must be the same for the same request while the store does not change, differ
between requests, and change after any write: one through the API, and one by another
process writing the same store file (the case a running ``serve`` beside ``ingest`` is
in). A matching ``If-None-Match`` is answered 304 without the endpoint's query running.
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
from web_corpus import chain_analysis

TOKEN = "op-secret-7f3a"


@pytest.fixture
def served(tmp_path: Path) -> TestClient:
    db = tmp_path / "c.db"
    with open_store(db) as store:
        store.add_analysis(chain_analysis())
    with TestClient(create_app(db, token=TOKEN)) as c:
        c.db = db  # type: ignore[attr-defined]
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


def test_a_304_runs_no_query(served: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    tag = served.get("/api/stats").headers["etag"]

    def no_query(store):  # type: ignore[no-untyped-def]
        raise AssertionError("the stats query ran")

    monkeypatch.setattr(api_read, "stats", no_query)
    assert served.get("/api/stats", headers={"If-None-Match": tag}).status_code == 304
    with pytest.raises(AssertionError, match="the stats query ran"):
        served.get("/api/stats")


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

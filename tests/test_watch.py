"""``saidwhat watch`` against a local HTTP server whose feeds change over three polls.

Poll 1: feed A has two items, feed B one. Poll 2: A answers 304 to the ETag it gave, B
fails with a 500. Poll 3: A has a new item and an old one again under a new URL, B is
back with a new item. Every new item must be stored once, the saved search's alerts
(and its Atom feed) must show each match once, and a webhook receiver on localhost must
get each alert once. The articles are made up for the test.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import store_support as sup
from saidwhat.cli import main
from saidwhat.query import QueryFilters, count_statements
from saidwhat.query.alerts import get_search, list_alerts, list_watched
from saidwhat.store import open_store
from saidwhat.store.watching import save_search
from saidwhat.watch import parse_every, watch
from saidwhat.web import create_app

STORIES = {
    "a1": "Harbour official Lina Berg said on Monday that the harbour bridge would reopen in "
    'May. "The bridge is safe for every lorry," Berg told reporters in Tromso.',
    "a2": "Fisheries minister Odd Vik said on Monday that the cod quota would not change this "
    "year, and warned that boats caught over the limit would lose their licences.",
    "a3": "Engineer Siri Holm said on Tuesday that the bridge cables had passed every test. "
    '"We found nothing that worries us about the bridge," Holm told the council.',
    "b1": "Mayor Kari Dahl said on Monday that the city would open two new schools in the "
    "autumn, and promised that the libraries would stay open on Sundays.",
    "b2": "Port director Jon Lie said on Tuesday that the ferry would use the bridge lane "
    "while the quay is rebuilt, and warned of delays for drivers.",
}


def rss(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{key}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{formatdate(1775000000 + i * 86400, usegmt=True)}</pubDate>"
        f"<description>{STORIES[key]}</description></item>"
        for i, (key, link) in enumerate(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Northern Wire</title>'
        f"<link>http://example.invalid/</link>{entries}</channel></rss>"
    ).encode()


class Script:
    """What the server answers in each poll round, and what it was asked."""

    def __init__(self) -> None:
        self.round = 1
        self.hooks: list[dict[str, Any]] = []
        self.conditional: list[tuple[str, str | None]] = []

    def answer(self, path: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        self.conditional.append((path, headers.get("If-None-Match")))
        if path == "/a.xml":
            if self.round == 1:
                return 200, {"ETag": '"a1"'}, rss([("a1", "http://n/a1"), ("a2", "http://n/a2")])
            if self.round == 2 and headers.get("If-None-Match") == '"a1"':
                return 304, {}, b""
            items = [("a1", "http://n/a1"), ("a2", "http://n/a2"), ("a3", "http://n/a3")]
            return 200, {"ETag": '"a3"'}, rss([*items, ("a2", "http://n/a2-moved")])
        if path == "/b.xml":
            if self.round == 2:
                return 500, {}, b"down for maintenance"
            items = [("b1", "http://n/b1")] + ([("b2", "http://n/b2")] if self.round == 3 else [])
            return 200, {}, rss(items)
        return 404, {}, b"no such feed"


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            status, headers, body = script.answer(self.path, self.headers)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            script.hooks.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    httpd.shutdown()
    httpd.server_close()


def test_three_polls_store_each_item_once_and_alert_once(server, nlp, tmp_path):  # type: ignore[no-untyped-def]
    base, script = server
    db = tmp_path / "watch.db"
    urls = [f"{base}/a.xml", f"{base}/b.xml"]
    with open_store(db) as store:
        save_search(store, "bridge", {"about": "bridge"}, f"{base}/hook", datetime.now(UTC))
        results: list[Any] = []
        with httpx.Client() as client:
            for n in (1, 2, 3):
                script.round = n
                watch(store, urls, once=True, nlp=nlp, client=client, on_result=results.append)
        lines = [(r.url.rsplit("/", 1)[1], r.status, len(r.stored), r.known) for r in results]
        assert lines == [
            ("a.xml", "new", 2, 0),
            ("b.xml", "new", 1, 0),
            ("a.xml", "not-modified", 0, 0),
            ("b.xml", "error", 0, 0),
            ("a.xml", "new", 1, 3),  # a1, a2 and a2 under its new URL are stored already
            ("b.xml", "new", 1, 1),
        ]
        assert ("/a.xml", '"a1"') in script.conditional  # the ETag was sent back
        assert "HTTP 500" in results[3].errors[0]
        with store.engine.connect() as conn:
            n_articles = conn.exec_driver_sql("SELECT count(*) FROM articles").scalar()
        assert n_articles == 5
        search = get_search(store, "bridge")
        assert search is not None
        alerts = list_alerts(store, search.id, 100)
        matches = count_statements(store, QueryFilters(about="bridge"))
        assert len(alerts) == matches >= 3  # a1, a3 and b2 speak of the bridge
        assert len({a.statement_id for a in alerts}) == len(alerts)
        assert sorted(h["alert"] for h in script.hooks) == sorted(a.id for a in alerts)
        assert all(a.webhook_status == "sent" for a in alerts)
        watched = {w.url.rsplit("/", 1)[1]: w for w in list_watched(store)}
        assert watched["b.xml"].failures == 0 and watched["a.xml"].items_new == 3
    with TestClient(create_app(db)) as client:
        feed = ET.fromstring(client.get(f"/searches/{search.id}/alerts.atom").content)
        ids = [
            e.findtext("{http://www.w3.org/2005/Atom}id")
            for e in feed.iter("{http://www.w3.org/2005/Atom}entry")
        ]
        assert len(ids) == len(set(ids)) == len(alerts)
        assert client.get("/api/searches").json()[0]["alerts"] == len(alerts)
        assert len(client.get(f"/api/searches/{search.id}/alerts").json()) == len(alerts)
        assert client.get("/searches/999/alerts.atom").status_code == 404


def test_a_failing_source_backs_off_and_the_cli_says_so(server, nlp, tmp_path):  # type: ignore[no-untyped-def]
    base, script = server
    script.round = 2  # b fails
    db = str(tmp_path / "w.db")
    run = CliRunner().invoke
    saved = run(main, ["searches", "save", "schools", "--about", "schools", "--db", db])
    assert saved.exit_code == 0, saved.output
    out = run(main, ["watch", f"{base}/b.xml", f"{base}/missing.xml", "--once", "--db", db])
    assert out.exit_code == 1
    assert "b.xml: error: HTTP 500" in out.output and "missing.xml: error: HTTP 404" in out.output
    with open_store(db) as store:
        watched = {w.url.rsplit("/", 1)[1]: w for w in list_watched(store)}
        assert watched["b.xml"].failures == 1 and watched["b.xml"].next_poll is not None
        errors = {e.path for e in store.errors()}
        assert f"{base}/b.xml" in errors
    script.round = 1
    again = run(main, ["watch", f"{base}/b.xml", "--once", "--db", db])
    assert again.exit_code == 0, again.output
    listed = run(main, ["searches", "alerts", "schools", "--json", "--db", db])
    assert [a["speaker"] for a in json.loads(listed.output)] == ["Kari Dahl"]
    assert run(main, ["searches", "save", "schools", "--db", db]).exit_code == 2  # exists
    bad = run(main, ["watch", "ftp://x", "--once", "--db", db])
    assert bad.exit_code == 2


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("10m", 600), ("1h", 3600), ("90", 90), ("1.5m", 90)]
)
def test_every_takes_durations(text, seconds):  # type: ignore[no-untyped-def]
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "-5m", "ten minutes", "5y"])
def test_every_refuses_what_is_not_a_duration(text):  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="--every"):
        parse_every(text)


pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures


def test_the_state_kept_between_runs(store):  # type: ignore[no-untyped-def]
    """On SQLite and PostgreSQL: a source's validators and failures are one row that a
    later poll updates; an alert per statement and search, never two; a webhook alert is
    pending until sent."""
    from saidwhat.query.alerts import pending_webhooks
    from saidwhat.store.watching import (
        SourceState,
        record_alerts,
        record_poll,
        set_webhook_status,
        source_state,
    )

    now = datetime.now(UTC)
    record_poll(store, SourceState("http://n/a", '"e1"', None, 2, now), "error", now, error="x")
    record_poll(store, SourceState("http://n/a", '"e2"', "Mon", 0, now), "new", now, items_new=3)
    record_poll(store, source_state(store, "http://n/a"), "new", now, items_new=2)
    state = source_state(store, "http://n/a")
    assert (state.etag, state.last_modified, state.failures) == ('"e2"', "Mon", 0)
    assert [(w.url, w.items_new, w.last_error) for w in list_watched(store)] == [
        ("http://n/a", 5, None)
    ]
    search_id = save_search(store, "s", {"about": "x"}, "http://n/hook", now)
    match = {"statement_id": 7, "article_id": "ab", "speaker": "A", "act": "deny",
             "content": "no", "date": None}  # fmt: skip
    first = record_alerts(store, search_id, [match, match], now)
    assert len(first) == 1 and record_alerts(store, search_id, [match], now) == []
    assert [a.id for a, _ in pending_webhooks(store)] == first
    set_webhook_status(store, first[0], "failed: refused")
    assert [a.id for a, _ in pending_webhooks(store)] == first  # tried again
    set_webhook_status(store, first[0], "sent")
    assert pending_webhooks(store) == []
    assert get_search(store, "s").last_statement_id == 7

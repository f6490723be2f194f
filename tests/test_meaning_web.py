"""Search by meaning and the quote check through the CLI, the REST API, the pages and a
browser (issue 12, items 2-3), over the six-statement corpus of ``test_meaning``."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import store_support as sup
from saidwhat.cli import main
from saidwhat.query import open_reader
from saidwhat.query.check import check_quote, coverage, says_it
from saidwhat.store import open_store
from saidwhat.web import create_app
from test_meaning import FOOTBALL, LASTING, PEACE, TRUCE, corpus, embedded

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _fill(url: str) -> str:
    store = open_store(url)
    for analysis in corpus():
        store.add_analysis(embedded(analysis))
    # the same quote reworded by a second outlet, a week later
    store.add_analysis(
        embedded(
            sup.make_analysis(
                '"We are working for peace and not for a ceasefire," Peskov told the agency.',
                date="2026-03-12",
                source="Late Herald",
                people=[("e1", "Dmitry Peskov", ["Kremlin spokesman"])],
                quotes=[("e1", "We are working for peace and not for a ceasefire", "told")],
            )
        )
    )
    store.close()
    return url


@pytest.fixture
def meaning_store(store_url):
    return _fill(store_url)


def test_check_tells_who_said_it_first_where_and_in_which_wordings(meaning_store):
    store = open_reader(meaning_store)
    result = check_quote(store, "We are working on peace, not a ceasefire", speaker="Peskov")
    assert result.verdict == "said"
    assert [m.outlet for m in result.matches] == ["Daily Example", "Late Herald"]
    assert result.earliest is not None and result.earliest.date == "2026-03-02"
    assert result.earliest.chain == ["Daily Example", "Dmitry Peskov"]
    assert result.outlets == ["Daily Example", "Late Herald"]
    assert {s.name for s in result.said_by} == {"Dmitry Peskov"}
    assert len(result.wordings) == 2
    reworded = next(w for w in result.wordings if "for peace" in w.text)
    assert {p.op for p in reworded.diff} == {"equal", "added", "dropped"}
    assert [p.text for p in reworded.diff if p.op == "added"] == ["for", "and", "for"]
    # another speaker: said, but not by them; an unsaid quote: nobody
    other = check_quote(store, "We are working on peace, not a ceasefire", speaker="Kovalenko")
    assert other.verdict == "someone_else"
    nobody = check_quote(store, "The harbour will close for repairs in winter", speaker="Peskov")
    assert nobody.verdict == "nobody" and nobody.matches == []


def test_a_topic_neighbour_is_not_a_match():
    """Close in meaning but other words: not the quote (the rule of query.check)."""
    assert coverage(PEACE, PEACE + " Talks go on.") == 1.0
    assert says_it(0.9, 0.3) is False
    assert says_it(0.85, 0.55) is True
    assert says_it(0.2, 0.7) is True


def test_cli_check(meaning_store):
    result = CliRunner().invoke(
        main, ["check", "--db", meaning_store, "We are working on peace, not a ceasefire"]
    )
    assert result.exit_code == 0, result.output
    assert "Daily Example" in result.output and "Late Herald" in result.output
    assert "earliest: 2026-03-02" in result.output
    empty = CliRunner().invoke(main, ["check", "--db", meaning_store, "  "])
    assert empty.exit_code == 2


def test_api_check_like_and_similar(meaning_store):
    with TestClient(create_app(meaning_store)) as client:
        r = client.post(
            "/api/check",
            json={"text": "We are working on peace, not a ceasefire", "speaker": "Peskov"},
        )
        assert r.status_code == 200, r.text
        doc = r.json()
        assert doc["verdict"] == "said" and len(doc["matches"]) == 2
        assert doc["matches"][0]["chain"] == ["Daily Example", "Dmitry Peskov"]
        assert doc["wordings"][0]["diff"][0]["op"] in ("equal", "added", "dropped")
        assert client.post("/api/check", json={"text": ""}).status_code == 422
        assert client.post("/api/check", json={"text": "x", "threshold": 2}).status_code == 422
        like = client.get("/api/statements", params={"like": "a lasting peace"}).json()
        assert like["items"][0]["content_text"] in (PEACE, LASTING)
        assert like["items"][0]["similarity"] > 0.3
        only = client.get(
            "/api/statements", params={"like": "a lasting peace", "speaker": "Velikov"}
        ).json()
        assert {i["content_text"] for i in only["items"]} <= {TRUCE, FOOTBALL}
        sid = like["items"][0]["id"]
        similar = client.get(f"/api/statements/{sid}/similar", params={"limit": 3}).json()
        assert sid not in [i["id"] for i in similar["items"]] and similar["items"]
        assert client.get("/api/statements/999999/similar").status_code == 404
        assert client.get("/api/statements", params={"like_id": 999999}).status_code == 404


def test_pages_search_by_meaning_and_check(meaning_store):
    with TestClient(create_app(meaning_store)) as client:
        page = client.get("/", params={"about": "aiming for a durable peace", "meaning": "on"})
        assert page.status_code == 200
        assert "similarity 0." in page.text and "More like this" in page.text
        # without the switch every word must occur: nothing has them all
        plain = client.get("/", params={"about": "aiming for a durable peace"})
        assert "similarity 0." not in plain.text
        check = client.get("/check", params={"text": "We are working on peace, not a ceasefire"})
        assert check.status_code == 200
        assert "Late Herald" in check.text and "<ins>for</ins>" in check.text
        assert "<del>on</del>" in check.text
        assert client.get("/check").status_code == 200  # the empty form


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path) -> Iterator[str]:
    try:
        import uvicorn
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        pytest.skip("playwright (python) is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    db = _fill(str(tmp_path / "served.db"))
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_browser_check_page(served: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        foreign: list[str] = []
        page.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(served)
                else (foreign.append(r.request.url), r.abort())
            ),
        )
        page.goto(served + "/")
        page.click("nav >> text=Check a quote")
        page.fill("textarea[name=text]", "We are working on peace, not a ceasefire")
        page.fill("input[name=speaker]", "Kovalenko")
        page.click("#check-form button[type=submit]")
        page.wait_for_selector("#verdict")
        assert "not by Kovalenko" in page.inner_text("#verdict")
        assert "Daily Example" in page.inner_text("#earliest")
        assert page.locator("#wordings tbody tr").count() == 2
        assert page.locator("#wordings del").count() >= 1
        with page.expect_navigation():
            page.click("#reports li:first-child a.report-link")  # the report opens in its article
        assert "/articles/" in page.url, page.url
        assert foreign == []
        browser.close()

"""The faceted search page in headless Chromium (Playwright + Debian's chromium).

A synthetic store (``bench/generate_corpus.py``: 150 articles, 15 speakers, 20 outlets,
two years) served by uvicorn; every count the page shows is checked against the API
(``/api/statements?facets=...``), the download against paging through the API.
Skips with the reason when chromium or Playwright is missing.
"""

from __future__ import annotations

import csv
import json
import socket
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from saidwhat.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate_corpus import generate  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "screenshots"

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if sync_playwright is None:
        pytest.skip("playwright (python) is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    import uvicorn

    from saidwhat.web import create_app

    db = tmp_path_factory.mktemp("facets-served") / "served.db"
    store = open_store(db)
    for analysis in generate(150, 11, 15):
        store.add_analysis(analysis)
    store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
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


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )
        except Exception as exc:
            pytest.skip(f"chromium does not start under Playwright: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    p = context.new_page()
    p.errors = []  # type: ignore[attr-defined]
    p.foreign = []  # type: ignore[attr-defined]

    def route(r):  # type: ignore[no-untyped-def]
        if r.request.url.startswith((server, "data:")):
            r.continue_()
        else:
            p.foreign.append(r.request.url)  # type: ignore[attr-defined]
            r.abort()

    p.route("**/*", route)
    p.on("pageerror", lambda exc: p.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield p
    assert p.foreign == [] and p.errors == []  # type: ignore[attr-defined]
    context.close()


def api(server: str, params: list[tuple[str, str]]) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(f"{server}/api/statements?{urlencode(params)}") as r:
        return json.load(r)


def shown_facet(page: Page, name: str) -> dict[str, tuple[int, bool]]:
    """The page's facet ``name``: value -> (count, ticked)."""
    out = {}
    for label in page.locator(f"#facet-{name} label.facet-value").all():
        box = label.locator("input")
        out[box.get_attribute("value") or ""] = (
            int(label.locator(".n").inner_text()),
            box.is_checked(),
        )
    return out


def api_facet(server: str, params: list[tuple[str, str]], name: str) -> dict[str, tuple[int, bool]]:
    got = api(server, [*params, ("facets", name), ("limit", "1")])["facets"][name]
    return {v["value"]: (v["count"], v["selected"]) for v in got}


def total(page: Page) -> int:
    return int(page.locator("#result-count").inner_text().split()[0])


def query(page: Page) -> list[tuple[str, str]]:
    qs = parse_qs(urlsplit(page.url).query)
    return [(k, v) for k, vs in qs.items() for v in vs if k != "offset" and v]


def test_facets_narrow_and_widen_with_the_api_counts(page: Page, server: str) -> None:
    page.goto(server + "/")
    everything = total(page)
    for name in ("act", "speaker", "outlet", "via", "type"):
        assert shown_facet(page, name) == api_facet(server, [], name), name
    acts = shown_facet(page, "act")
    first, second = sorted(acts, key=lambda a: -acts[a][0])[1:3]

    with page.expect_navigation():
        page.check(f"#facet-act input[value={first}]")  # narrows
    assert query(page) == [("act", first)]
    assert total(page) == acts[first][0] == api(server, query(page))["total"] < everything
    for name in ("act", "speaker", "outlet"):
        assert shown_facet(page, name) == api_facet(server, query(page), name), name
    assert shown_facet(page, "act")[first] == (acts[first][0], True)

    with page.expect_navigation():
        page.check(f"#facet-act input[value={second}]")  # widens: either act
    assert sorted(v for k, v in query(page) if k == "act") == sorted([first, second])
    assert total(page) == acts[first][0] + acts[second][0] == api(server, query(page))["total"]
    speakers = shown_facet(page, "speaker")
    assert speakers == api_facet(server, query(page), "speaker")
    top = max(speakers, key=lambda s: speakers[s][0])

    with page.expect_navigation():
        page.check(f"#facet-speaker input[value='{top}']")  # and across facets
    assert total(page) == speakers[top][0] == api(server, query(page))["total"]
    page.screenshot(path=str(SHOTS / "facets-01-narrowed.png"), full_page=True)

    with page.expect_navigation():
        page.uncheck(f"#facet-act input[value={first}]")  # widens again
    assert ("act", first) not in query(page)
    assert total(page) == api(server, query(page))["total"]
    assert shown_facet(page, "act") == api_facet(server, query(page), "act")


def test_histogram_bar_and_drag_choose_dates(page: Page, server: str) -> None:
    page.goto(server + "/")
    bars = page.locator("#histogram a.bar")
    n = bars.count()
    assert n > 12  # two years, per month
    counts = [int(bars.nth(i).get_attribute("data-count") or 0) for i in range(n)]
    assert sum(counts) == total(page)
    bars.nth(3).focus()  # a bar is a link: the keyboard reaches it
    with page.expect_navigation():
        page.keyboard.press("Enter")
    since = bars.nth(3).get_attribute("data-since")
    assert ("since", since) in query(page)
    assert total(page) == api(server, query(page))["total"] >= counts[3]

    page.goto(server + "/")
    box = page.locator("#histogram svg").bounding_box()
    assert box is not None
    x = lambda i: box["x"] + (i + 0.5) * box["width"] / n  # noqa: E731
    y = box["y"] + box["height"] / 2
    page.mouse.move(x(2), y)
    page.mouse.down()
    page.mouse.move(x(4), y, steps=4)
    page.mouse.move(x(6), y, steps=4)
    with page.expect_navigation():
        page.mouse.up()
    q = dict(query(page))
    want_since = bars.nth(2).get_attribute("data-since")
    want_until = bars.nth(6).get_attribute("data-until")
    assert (q["since"], q["until"]) == (want_since, want_until)
    assert total(page) == api(server, query(page))["total"] >= sum(counts[2:7])
    chosen = page.locator("#histogram a.bar.selected")
    assert chosen.count() == 5


def test_sort_and_highlight(page: Page, server: str) -> None:
    page.goto(server + "/?about=pipeline")
    marks = page.locator("article.hit blockquote mark")
    assert marks.count() > 0
    assert {m.lower()[:8] for m in marks.all_inner_texts()} == {"pipeline"}
    newest = api(server, [("about", "pipeline"), ("limit", "50")])["items"]
    ids = [int((a.get_attribute("id") or "s-0")[2:]) for a in page.locator("article.hit").all()]
    assert ids == [s["id"] for s in newest]

    with page.expect_navigation():
        page.select_option("#sort", "oldest")
    assert ("sort", "oldest") in query(page)
    oldest = api(server, query(page) + [("limit", "50")])["items"]
    ids = [int((a.get_attribute("id") or "s-0")[2:]) for a in page.locator("article.hit").all()]
    assert ids == [s["id"] for s in oldest] and ids != [s["id"] for s in newest]
    dates = page.locator("article.hit .article-date").all_inner_texts()
    assert dates == sorted(dates)

    with page.expect_navigation():
        page.select_option("#sort", "relevance")
    ranked = api(server, query(page) + [("limit", "50")])["items"]
    ids = [int((a.get_attribute("id") or "s-0")[2:]) for a in page.locator("article.hit").all()]
    assert ids == [s["id"] for s in ranked]
    hit = page.locator("article.hit").first
    assert hit.locator(".headline a.in-article").inner_text().strip()
    assert hit.locator(".headline .outlet").inner_text().strip()


def test_download_is_the_current_result(page: Page, server: str, tmp_path: Path) -> None:
    page.goto(server + "/?act=deny&act=warn&sort=oldest")
    want: list[int] = []
    while True:
        got = api(server, query(page) + [("limit", "200"), ("offset", str(len(want)))])
        want += [s["id"] for s in got["items"]]
        if len(want) >= got["total"]:
            break
    assert len(want) > 50  # more than the page shows
    with page.expect_download() as info:
        page.locator(".downloads a", has_text="CSV").click()
    path = tmp_path / "result.csv"
    info.value.save_as(path)
    with path.open(encoding="utf-8") as fh:
        assert [int(r["id"]) for r in csv.DictReader(fh)] == want
    with page.expect_download() as info:
        page.locator(".downloads a", has_text="JSONL").click()
    info.value.save_as(tmp_path / "result.jsonl")
    lines = (tmp_path / "result.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == want


def test_facets_fit_a_phone_and_the_keyboard(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    p = context.new_page()
    p.goto(server + "/?about=pipeline")
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert p.locator("#facet-act").is_visible()
    box = p.locator("#facet-act input").first
    box.focus()
    assert p.evaluate("document.activeElement.name") == "act"
    with p.expect_navigation():
        p.keyboard.press("Space")
    assert "act=" in p.url
    p.screenshot(path=str(SHOTS / "facets-02-phone.png"), full_page=True)
    context.close()


def test_a_speaker_typed_by_name_is_its_box(page: Page, server: str) -> None:
    """A name typed in the Speaker field (here a surname alone, which the filter finds
    as the one speaker whose name holds it) becomes its entity's ticked box (the field
    is empty again), so unticking the box drops it."""
    with urllib.request.urlopen(f"{server}/api/speakers?limit=200") as r:
        everyone = [s["name"] for s in json.load(r)["items"]]
    facet = api(server, [("facets", "speaker"), ("limit", "1")])["facets"]["speaker"]
    surnames = [name.split()[-1] for name in everyone]
    top = next(v for v in facet if surnames.count(v["label"].split()[-1]) == 1)
    page.goto(server + "/")
    page.fill("input[name=speaker]", top["label"].split()[-1])
    with page.expect_navigation():
        page.click("form.search button[type=submit]")
    assert total(page) == top["count"]
    assert shown_facet(page, "speaker")[top["value"]] == (top["count"], True)
    assert page.input_value("input[name=speaker]") == ""
    with page.expect_navigation():
        page.uncheck(f"#facet-speaker input[value='{top['value']}']")
    assert [k for k, _ in query(page)] == []
    assert total(page) == api(server, [])["total"]

"""End-to-end: the served example corpus in headless Chromium (Playwright + Debian's
chromium, never ``playwright install``).

One uvicorn server in a background thread and one browser for the whole module. Every
request the pages make is checked to stay on the test server (no CDN, no network), and
each test saves a screenshot to ``tests/screenshots/`` (git-ignored) for a person to
look at. Skips with the reason when chromium or Playwright is missing.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from web_corpus import CHAIN_SPEAKER, HOSTILE_QUOTE, build_corpus

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "screenshots"
TOKEN = "browser-test-token"

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, nlp) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app over a copy of the example corpus, served by uvicorn on a free port."""
    if sync_playwright is None:
        pytest.skip("playwright (python) is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    import uvicorn

    from saidwhat.web import create_app

    corpus = build_corpus(tmp_path_factory, nlp)
    db = tmp_path_factory.mktemp("served") / "served.db"
    shutil.copy(corpus.db, db)  # the ingest test writes; keep the shared corpus as it is
    port = _free_port()
    config = uvicorn.Config(
        create_app(db, token=TOKEN), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
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
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
        except Exception as exc:  # a broken chromium install: say so, do not fail the suite
            pytest.skip(f"chromium does not start under Playwright: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh page that records console errors and any request leaving the server."""
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    p = context.new_page()
    p.foreign = []  # type: ignore[attr-defined]
    p.errors = []  # type: ignore[attr-defined]

    def route(r):  # type: ignore[no-untyped-def]
        if r.request.url.startswith((server, "data:")):
            r.continue_()
        else:
            p.foreign.append(r.request.url)  # type: ignore[attr-defined]
            r.abort()

    p.route("**/*", route)
    p.on("pageerror", lambda exc: p.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield p
    assert p.foreign == [], f"requests left the server: {p.foreign}"  # type: ignore[attr-defined]
    assert p.errors == [], f"script errors: {p.errors}"  # type: ignore[attr-defined]
    context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_then_speaker_then_article(page: Page, server: str) -> None:
    page.goto(server + "/")
    page.fill("input[name=about]", "moratorium")
    page.click("form.search button[type=submit]")
    page.wait_for_url("**/?about=moratorium*")
    cards = page.locator("article.statement")
    assert cards.count() > 0
    assert "moratorium" in page.locator("#result-count").inner_text() or cards.count() > 0
    first = cards.first
    assert first.locator(".act").inner_text().strip()
    assert first.locator(".chain .link").count() >= 2  # outlet ← … ← speaker
    assert "moratori" in first.locator("blockquote").inner_text().lower()
    shot(page, "01-search")

    page.locator("article.statement a.speaker").first.click()
    page.wait_for_url("**/speakers/*")
    name = page.locator("#speaker-name").inner_text().strip()
    assert name
    bars = page.locator("svg#timeline rect.bar")
    assert bars.count() > 0
    assert page.locator("ul.topics li").count() >= 1
    speaker_url = page.url

    page.goto(server + "/speakers")  # the most quoted speaker: roles over time
    page.locator("table.speakers a.speaker").first.click()
    page.wait_for_url("**/speakers/*")
    roles = page.locator("ul.roles-time li")
    assert roles.count() >= 1 and roles.first.locator(".track .span").count() == 1
    assert page.locator("svg#timeline rect.bar").count() > 0
    shot(page, "02-speaker")

    page.goto(speaker_url)

    page.locator("article.statement a.in-article").first.click()
    page.wait_for_url("**/articles/*")
    quotes = page.locator("#article-text .m-quote")
    assert quotes.count() > 0
    bg = quotes.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    # arriving from a result selects that statement: its list entry and text are marked
    assert page.locator(".st-item.selected").count() == 1
    assert page.locator("#article-text .selected").count() >= 1
    # the wire copy's ` date YYYY-MM-DD` line is in the page (offsets) but not shown
    assert page.locator("#article-text .m-prefix").count() == 1
    assert not page.locator("#article-text").inner_text().lstrip().startswith("date ")
    shot(page, "03-article")


def test_article_highlights_and_chain_on_click(page: Page, server: str) -> None:
    page.goto(server + "/?speaker=" + CHAIN_SPEAKER.replace(" ", "+"))
    page.locator("article.statement a.in-article").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("#article-text .m-cue").count() >= 1
    assert page.locator("#article-text .m-speaker").first.inner_text() == CHAIN_SPEAKER
    page.locator("#article-text .m-quote").first.click()
    detail = page.locator("#statement-detail")
    detail.wait_for(state="visible")
    chain = detail.locator(".chain").inner_text()
    assert "IANS" in chain and "Tass" in chain and CHAIN_SPEAKER in chain
    assert "Entity #" in detail.inner_text()
    shot(page, "04-article-chain")


def test_hostile_article_is_shown_as_text(page: Page, server: str) -> None:
    page.goto(server + "/?q=never+yield")
    page.locator("article.statement a.in-article").first.click()
    page.wait_for_url("**/articles/*")
    assert page.evaluate("window.__pwned") is None
    # shown as text, isolated (FSI…PDI) and without the stored title's RLO
    title = page.title()
    assert title != "pwned" and title.startswith("\u2068<script>") and "\u202e" not in title
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__pwned=1;" in text and "<style>body{display:none}</style>" in text
    assert HOSTILE_QUOTE[:40] in page.locator(".st-item .q").first.inner_text()
    assert page.locator("#article-text img, #article-text b, #article-text script").count() == 0
    assert page.locator("#article-text").is_visible()
    shot(page, "05-hostile-article")


def test_outlets_and_chains(page: Page, server: str) -> None:
    page.goto(server + "/outlets?via=Tass")
    ians = page.locator("#chains .outlet-card", has_text="IANS")
    line = ians.locator(".chain-line", has_text=CHAIN_SPEAKER)
    assert line.locator(".via").inner_text().split() == ["←", "Tass", "←"]
    page.goto(server + "/outlets")
    assert page.locator("#chains .outlet-card").count() >= 3
    shot(page, "06-outlets")


def test_docs_load_offline(page: Page, server: str) -> None:
    page.goto(server + "/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15000)
    assert "saidwhat" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path").count() >= 6
    shot(page, "07-docs")


def test_ingest_page(page: Page, server: str) -> None:
    page.goto(server + "/ingest")
    page.fill("textarea[name=text]", "wrong token, nothing stored")
    page.fill("input[name=token]", "nope")
    page.click("form.ingest button[type=submit]")
    assert "Wrong or missing token" in page.locator("#ingest-error").inner_text()
    text = (
        " date 2026-03-24 GENEVA (Reuters) - Norway's envoy Helena Strand said \"the monitors "
        'have reached every site" on Tuesday.\n\n-- Reuters'
    )
    page.fill("textarea[name=text]", text)
    page.fill("input[name=token]", TOKEN)
    page.click("form.ingest button[type=submit]")
    outcome = page.locator("#ingest-outcome")
    assert "added" in outcome.inner_text()
    shot(page, "08-ingest")
    outcome.locator("a").first.click()
    page.wait_for_url("**/articles/*")
    assert "monitors" in page.locator("#article-text").inner_text()


def test_an_ambiguous_speaker_name_asks_which_one(page: Page, server: str) -> None:
    """The examples hold two Orlovs (and an "Orlov" typed as an organisation): searching
    for "Orlov" shows a choice, not their statements mixed; choosing one searches for
    that person only, the words of the search kept."""
    page.goto(server + "/?speaker=Orlov&q=strike")
    choices = page.locator("section.choose ul.choices li")
    assert choices.count() >= 2
    names = [t.strip() for t in page.locator("ul.choices li > a .speaker").all_inner_texts()]
    assert "Pavel Orlov" in names and "Irina Orlov" in names
    shot(page, "07-which-orlov")
    page.locator("ul.choices li > a", has_text="Pavel Orlov").click()
    page.wait_for_url("**/?speaker=*")
    assert "q=strike" in page.url
    speakers = {t.strip() for t in page.locator("article.statement a.speaker").all_inner_texts()}
    assert speakers == {"Pavel Orlov"}


def test_pages_fit_a_phone_screen(browser: Browser, server: str) -> None:
    """At 360 px (the narrowest common phone) nothing is wider than the screen: the
    navigation wraps and the columns stack instead of pushing the page sideways."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    p = context.new_page()
    try:
        p.goto(server + "/?about=moratorium")
        article = p.locator("a.in-article").first.get_attribute("href") or "/"
        speaker = p.locator("article.statement a.speaker").first.get_attribute("href") or "/"
        paths = (
            "/",
            "/speakers",
            "/outlets",
            "/ingest",
            "/?q=moratorium",
            "/?speaker=Orlov",
            "/compare?speakers=Velikov&speakers=Kovalenko&about=truce",
            article,
            speaker,
        )
        for path in paths:
            p.goto(server + path)
            width = p.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} is {width} px wide"
            nav = p.locator("header.top nav").bounding_box()
            assert nav is not None and nav["x"] + nav["width"] <= 360, path
        shot(p, "08-phone-search")
    finally:
        context.close()


def test_a_statement_permalink_opens_its_article_at_it(page: Page, server: str) -> None:
    page.goto(server + "/?about=moratorium")
    link = page.locator("article.statement a.permalink").first
    sid = link.inner_text().strip().lstrip("#")
    link.click()
    page.wait_for_url(f"**/articles/*#st-{sid}")
    assert page.locator(".st-item.selected").count() == 1
    assert page.locator(f"#st-{sid}").count() == 1


def test_compare_two_speakers_side_by_side(page: Page, server: str) -> None:
    page.goto(server + "/compare")
    page.locator("input[name=speakers]").nth(0).fill("Velikov")
    page.locator("input[name=speakers]").nth(1).fill("Kovalenko")
    page.fill(".compare-form input[name=about]", "truce")
    page.locator(".compare-form input[name=about]").press("Enter")  # the keyboard submits
    page.wait_for_url("**/compare?*about=truce*")
    sides = page.locator(".compare section.side")
    assert sides.count() == 2
    for i, name in enumerate(["Anton Velikov", "Marta Kovalenko"]):
        side = sides.nth(i)
        assert name in (side.locator("h2").text_content() or "")
        total = int(side.locator(".side-total").inner_text().split()[0])
        acts = sum(int(n) for n in side.locator(".side-acts .count").all_inner_texts())
        assert total == acts > 0  # the act counts add up to the column's total
        assert "truce" in side.locator("blockquote").first.inner_text().lower()
    shot(page, "12-compare")


def test_keyboard_reaches_the_search_and_walks_an_article(page: Page, server: str) -> None:
    page.goto(server + "/speakers")
    page.keyboard.press("Tab")  # the first stop skips the navigation
    active = page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
    assert 'class="skip"' in active, active
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.goto(server + "/")  # the search box has the focus on arrival
    assert page.evaluate("document.activeElement.name") == "about"
    page.keyboard.type("moratorium")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?about=moratorium*")
    page.locator("article.statement a.in-article").first.click()
    page.wait_for_url("**/articles/*")
    items = page.locator(".statements-list ol .st-item")
    assert items.count() >= 2
    items.first.focus()
    page.keyboard.press("ArrowDown")
    second = items.nth(1).get_attribute("data-st")
    assert page.evaluate("document.activeElement.dataset.st") == second
    page.keyboard.press("Enter")  # selects it: its list entry and its text are marked
    assert "selected" in (items.nth(1).get_attribute("class") or "")
    assert page.locator(f'#article-text [data-st="{second}"].selected').count() >= 1
    outline = items.nth(1).evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # the focus is visible

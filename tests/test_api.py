"""The REST API and the pages through FastAPI's test client, over the example corpus.

Read tests share one store built from ``examples/articles`` (see ``web_corpus.py``);
write tests each get a fresh store so the counts they check are their own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from saidwhat.schema import Analysis
from saidwhat.store import open_store
from saidwhat.web import create_app
from saidwhat.web.options import WebOptions
from store_support import pg_url, truncate_all  # noqa: F401  (pg_url is a fixture)
from web_corpus import (
    CHAIN_SPEAKER,
    HOSTILE_NAME,
    HOSTILE_QUOTE,
    SCRIPT,
    build_corpus,
    chain_analysis,
    hostile_analysis,
)

TOKEN = "op-secret-7f3a"
ARTICLE = (
    " date 2026-03-23 GENEVA (Reuters) - Norway's special envoy Helena Strand said on "
    'Monday that "the monitors will arrive in Kharkiv by Friday", adding that both sides '
    "had agreed the list of sites.\n\n-- Reuters"
)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, nlp):  # type: ignore[no-untyped-def]
    return build_corpus(tmp_path_factory, nlp)


@pytest.fixture(scope="module")
def client(corpus):  # type: ignore[no-untyped-def]
    with TestClient(create_app(corpus.db)) as c:
        yield c


@pytest.fixture
def writable(tmp_path: Path, nlp):  # type: ignore[no-untyped-def]
    """A fresh store served with a token (and a small body limit to test 413)."""
    app = create_app(tmp_path / "w.db", token=TOKEN, options=WebOptions(max_body=64 * 1024))
    with TestClient(app) as c:
        c.store = app.state.store  # type: ignore[attr-defined]
        yield c


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- reading ---------------------------------------------------------------------------


def test_stats_match_the_store(client: TestClient, corpus) -> None:  # type: ignore[no-untyped-def]
    with open_store(corpus.db) as store:
        counts = store.counts()
    doc = client.get("/api/stats").json()
    for key in ("articles", "stories", "statements", "claims", "entities"):
        assert doc[key] == counts[key], key
    assert sum(doc["acts"].values()) == doc["statements"]


def test_statements_use_the_extraction_schema_names(client: TestClient) -> None:
    schema_keys = set(Analysis.from_dict(chain_analysis().to_dict()).to_dict()["statements"][0])
    page = client.get("/api/statements", params={"limit": 3}).json()
    assert page["total"] > 3 and len(page["items"]) == 3
    # everything the schema names, except what the store does not keep per row yet
    missing = schema_keys - set(page["items"][0]) - {"cites", "denies", "target", "occasion"}
    assert not missing
    for item in page["items"]:
        assert isinstance(item["content"], list) and item["content"][0]["text"]
        assert item["content_text"]
        assert item["article"]["id"]


def test_full_text_act_and_paging(client: TestClient) -> None:
    hits = client.get("/api/statements", params={"q": "moratorium", "limit": 200}).json()
    assert hits["total"] == len(hits["items"]) > 0
    assert all("moratori" in s["content_text"].lower() for s in hits["items"])
    denies = client.get("/api/statements", params={"act": "deny", "limit": 200}).json()
    assert denies["items"] and {s["act"] for s in denies["items"]} == {"deny"}
    first = client.get("/api/statements", params={"limit": 5}).json()
    second = client.get("/api/statements", params={"limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"]
    assert not {s["id"] for s in first["items"]} & {s["id"] for s in second["items"]}


def test_speaker_date_outlet_and_via_filters(client: TestClient) -> None:
    top = client.get("/api/speakers", params={"limit": 1}).json()["items"][0]
    mine = client.get("/api/statements", params={"speaker": top["id"], "limit": 200}).json()
    assert mine["total"] == top["statements"]
    assert {s["speaker"] for s in mine["items"]} == {top["id"]}
    window = client.get(
        "/api/statements", params={"since": "2026-03-10", "until": "2026-03-15", "limit": 200}
    ).json()
    assert window["items"]
    for s in window["items"]:  # a statement dated by a range matches when it overlaps
        last = s["date_range"][1] if s["date_range"] else s["date"]
        assert s["date"] <= "2026-03-15" and last >= "2026-03-10", s
    ians = client.get("/api/statements", params={"outlet": "ians", "limit": 200}).json()
    assert ians["items"] and all(s["article"]["outlet"] == "IANS" for s in ians["items"])
    via = client.get("/api/statements", params={"via": "tass", "limit": 200}).json()
    assert any(s["speaker_name"] == CHAIN_SPEAKER for s in via["items"])
    assert all(any("tass" in v["name"].lower() for v in s["via"]) for s in via["items"])


def test_speaker_profile_roles_timeline_topics(client: TestClient) -> None:
    top = client.get("/api/speakers", params={"limit": 1}).json()["items"][0]
    doc = client.get(f"/api/speakers/{top['id']}").json()
    assert doc["name"] == top["name"] and doc["statements"] == top["statements"]
    assert doc["roles"] and all(r["first_seen"] <= r["last_seen"] for r in doc["roles"])
    assert sum(p["count"] for p in doc["timeline"]) == doc["statements"]
    days = [p["day"] for p in doc["timeline"]]
    assert days == sorted(days)
    assert doc["topics"] and doc["topics"][0]["count"] >= doc["topics"][-1]["count"]
    assert client.get("/api/speakers/999999").status_code == 404
    # a missing speaker's statements are a 404 too, not an empty page that reads as
    # "said nothing"; the real one's are its statements
    missing = client.get("/api/speakers/999999/statements")
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]
    own = client.get(f"/api/speakers/{top['id']}/statements").json()
    assert own["total"] == top["statements"]


def test_article_offsets_point_into_its_text(client: TestClient, corpus) -> None:  # type: ignore[no-untyped-def]
    doc = client.get(f"/api/articles/{corpus.chain_article}").json()
    text = doc["article"]["text"]
    (st,) = doc["statements"]
    for span in st["content"] + [st["cue"], st["speaker_mention"]]:
        assert text[span["start"] : span["end"]] == span["text"]
    assert st["speaker_name"] == CHAIN_SPEAKER and [v["name"] for v in st["via"]] == ["Tass"]
    names = {e["name"] for e in doc["entities"]}
    assert CHAIN_SPEAKER in names
    for e in doc["entities"]:
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    assert client.get("/api/articles/0123456789abcdef").status_code == 404
    assert client.get("/api/articles/not-an-id").status_code == 422


def test_source_chains_and_outlets(client: TestClient) -> None:
    chains = client.get("/api/chains", params={"limit": 200}).json()["items"]
    assert {"outlet": "IANS", "via": ["Tass"], "speaker": CHAIN_SPEAKER}.items() <= next(
        c for c in chains if c["speaker"] == CHAIN_SPEAKER
    ).items()
    outlets = client.get("/api/outlets").json()["items"]
    assert {"IANS", "Reuters", "AFP"} <= {o["name"] for o in outlets}


def test_every_list_has_items_total_limit_offset(client: TestClient, corpus) -> None:  # type: ignore[no-untyped-def]
    """Chains and outlets page and count as statements and speakers do: ``total`` counts
    every row, past the page too, with and without a filter."""
    for path, params in (
        ("/api/statements", {}),
        ("/api/speakers", {}),
        ("/api/chains", {}),
        ("/api/chains", {"act": "deny"}),
        ("/api/chains", {"min_count": 2}),
        ("/api/outlets", {}),
    ):
        whole = client.get(path, params={**params, "limit": 200}).json()
        # statements also say ``facets`` (null unless asked for: test_facets.py)
        assert set(whole) - {"facets"} == {"items", "total", "limit", "offset"}, path
        assert whole["total"] == len(whole["items"]) or len(whole["items"]) == 200, path
        page = client.get(path, params={**params, "limit": 2, "offset": 1}).json()
        assert page["total"] == whole["total"] and page["offset"] == 1 and page["limit"] == 2
        assert page["items"] == whole["items"][1:3], (path, params)


def test_api_stats_is_the_cli_stats_document(client: TestClient, corpus) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from saidwhat.cli import main

    cli = CliRunner().invoke(main, ["stats", "--db", str(corpus.db), "--format", "json"])
    assert cli.exit_code == 0, cli.output
    assert client.get("/api/stats").json() == json.loads(cli.output)


@pytest.mark.parametrize(
    "params",
    [
        {"since": "last week"},
        {"until": "2026-02-30"},
        {"limit": 0},
        {"limit": 100000},
        {"offset": -1},
        {"speaker": "x" * 500},
    ],
)
def test_bad_filters_are_client_errors(client: TestClient, params: dict) -> None:  # type: ignore[type-arg]
    r = client.get("/api/statements", params=params)
    assert r.status_code in (400, 422)
    assert r.json()["detail"]


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE statements; --",
        '" OR 1=1 --',
        "moratorium* NEAR(a b) AND -x ^ :",
        "statements_fts MATCH 'x'",
        "%_%\\",
    ],
)
def test_sql_looking_input_is_only_text(client: TestClient, q: str) -> None:
    before = client.get("/api/stats").json()
    for path in ("/api/statements", "/api/chains"):
        assert client.get(path, params={"q": q, "speaker": q}).status_code == 200
    assert client.get("/", params={"q": q, "outlet": q, "via": q}).status_code == 200
    assert client.get("/api/stats").json() == before


def test_control_characters_are_refused(client: TestClient) -> None:
    for params in ({"q": "a\x00b"}, {"speaker": "\x1b[31m"}, {"act": "deny\x00"}):
        r = client.get("/api/statements", params=params)
        assert r.status_code == 400 and "control characters" in r.json()["detail"]
    assert client.get("/", params={"via": "\x00"}).status_code == 400
    assert client.get("/speakers", params={"name": "\x00"}).status_code == 400


def test_docs_are_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/vendor/swagger/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assert client.get("/vendor/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404
    spec = client.get("/openapi.json").json()
    assert {"/api/statements", "/api/speakers/{speaker_id}", "/api/articles"} <= set(spec["paths"])


def test_openapi_documents_every_read_answer(client: TestClient) -> None:
    """The query dataclasses are the response models: /docs shows each endpoint's fields,
    nested schemas and the field descriptions."""
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]

    def answer(path: str) -> dict:
        ref = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        return schemas[ref["schema"]["$ref"].rsplit("/", 1)[-1]]

    def items_of(schema: dict) -> dict:
        return schemas[schema["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[-1]]

    statement = items_of(answer("/api/statements"))
    assert {"content", "content_text", "speaker", "speaker_name", "via", "outlet_count"} <= set(
        statement["properties"]
    )
    assert "Entity id" in statement["properties"]["speaker"]["description"]
    assert {"items", "total", "limit", "offset", "facets"} == set(
        answer("/api/statements")["properties"]
    )
    assert items_of(answer("/api/speakers/{speaker_id}/statements")) == statement
    assert {"id", "name", "statements", "claims"} <= set(
        items_of(answer("/api/speakers"))["properties"]
    )
    speaker = answer("/api/speakers/{speaker_id}")["properties"]
    assert {"roles", "acts", "timeline", "topics"} <= set(speaker)
    assert speaker["timeline"]["description"] == "Statements per day per act"
    article = answer("/api/articles/{article_id}")["properties"]
    assert {"article", "entities", "statements", "copies"} == set(article)
    entity = schemas[article["entities"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert {"id", "entity_id", "name_here", "mentions"} <= set(entity["properties"])
    assert "local_id" not in entity["properties"]  # the schema's name, as served
    chain = items_of(answer("/api/chains"))["properties"]
    assert {"outlet", "via", "speaker", "count"} <= set(chain)
    assert "outermost first" in chain["via"]["description"]
    assert {"articles", "statements", "claims", "acts"} <= set(answer("/api/stats")["properties"])
    assert {"name", "articles"} <= set(items_of(answer("/api/outlets"))["properties"])


# -- pages -------------------------------------------------------------------------------


def test_pages_render(client: TestClient, corpus) -> None:  # type: ignore[no-untyped-def]
    top = client.get("/api/speakers", params={"limit": 1}).json()["items"][0]
    for path in (
        "/",
        "/?q=moratorium",
        "/speakers",
        f"/speakers/{top['id']}",
        "/outlets",
        "/ingest",
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "content-security-policy" in r.headers
    speaker = client.get(f"/speakers/{top['id']}").text
    assert '<svg id="timeline"' in speaker and 'class="bar"' in speaker
    article = client.get(f"/articles/{corpus.chain_article}").text
    assert 'class="m-quote' in article and "m-cue" in article and "m-speaker" in article
    assert 'IANS</span><span class="arrow"> ← </span><span class="link">Tass' in article
    assert client.get("/?since=nonsense").status_code == 400
    assert client.get("/speakers/999999").status_code == 404


def test_hostile_text_is_escaped_everywhere(client: TestClient, corpus) -> None:  # type: ignore[no-untyped-def]
    pages = [
        client.get(f"/articles/{corpus.hostile_article}").text,
        client.get("/", params={"q": "never yield"}).text,
        client.get("/", params={"speaker": "Ağaoğlu"}).text,
        client.get("/outlets").text,
    ]
    for html in pages:
        assert SCRIPT not in html and "<img src=x" not in html and "<b>never</b>" not in html
        assert "&lt;script&gt;window.__pwned=1" in html or "&lt;i&gt;Ağaoğlu" in html
    assert "javascript:" not in pages[0]  # the stored javascript: URL is not made a link
    api = client.get(f"/api/articles/{corpus.hostile_article}").json()
    assert api["statements"][0]["content_text"] == HOSTILE_QUOTE  # JSON carries it verbatim
    assert api["statements"][0]["speaker_name"] == HOSTILE_NAME


def test_bidi_controls_stay_inside_tooltips_and_the_window_title(
    client: TestClient,
    corpus,  # type: ignore[no-untyped-def]
) -> None:
    """CSS isolates untrusted text in elements, but a ``title=`` tooltip and ``<title>``
    have no element: there the RLO in the stored title, quote and via name is dropped and
    each untrusted part is wrapped in FSI…PDI, so it cannot reverse the rest of the line."""
    page = client.get(f"/articles/{corpus.hostile_article}").text
    window_title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert window_title is not None
    assert "\u202e" not in window_title[1]
    assert window_title[1].startswith("\u2068") and "\u2069 · saidwhat" in window_title[1]
    tooltips = re.findall(r' title="([^"]*)"', page)
    assert any("agency" in t for t in tooltips)
    for tip in tooltips:
        assert not set(tip) & {"\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067"}
        assert tip.count("\u2068") == tip.count("\u2069")
    # the text of the article itself keeps its characters (CSS isolates them there)
    assert "\u202ereversed" in page
    search = client.get("/", params={"q": "\u202ereversed"}).text
    assert "\u202e" not in re.search(r"<title>(.*?)</title>", search, re.S)[1]


# -- writing -----------------------------------------------------------------------------


def test_writes_need_the_token(client: TestClient, writable: TestClient) -> None:
    body = {"text": ARTICLE}
    r = client.post("/api/articles", json=body, headers=auth())  # server without a token
    assert r.status_code == 401 and "SAIDWHAT_TOKEN" in r.json()["detail"]
    assert writable.post("/api/articles", json=body).status_code == 401
    assert writable.post("/api/articles", json=body, headers=auth("wrong")).status_code == 401
    assert writable.post("/api/articles/file", files={"file": ("a.txt", b"x")}).status_code == 401
    assert writable.store.counts()["articles"] == 0
    r = client.post("/ingest", data={"token": TOKEN, "text": ARTICLE})
    assert r.status_code == 401


def test_ingest_an_article_then_find_it(writable: TestClient) -> None:
    assert "<dt>Articles</dt><dd>0</dd>" in writable.get("/").text  # totals are cached…
    r = writable.post("/api/articles", json={"text": ARTICLE, "title": "Monitors"}, headers=auth())
    assert r.status_code == 201, r.text
    (stored,) = r.json()["stored"]
    assert stored["status"] == "added" and stored["statements"] >= 1
    doc = writable.get(f"/api/articles/{stored['article_id']}").json()
    assert doc["article"]["text"] == ARTICLE and doc["article"]["date"] == "2026-03-23"
    # the answer holds the analysis as stored: GET's document without the text, whose
    # offsets point into the text as posted
    posted = r.json()["article"]
    assert posted["statements"] == doc["statements"] and posted["entities"] == doc["entities"]
    assert "text" not in posted["article"] or posted["article"]["text"] is None
    for st in posted["statements"]:
        for span in st["content"]:
            assert ARTICLE[span["start"] : span["end"]] == span["text"]
    assert "<dt>Articles</dt><dd>1</dd>" in writable.get("/").text  # …and refreshed on ingest
    hits = writable.get("/api/statements", params={"q": "monitors Kharkiv"}).json()
    assert hits["total"] >= 1
    again = writable.post("/api/articles", json={"text": ARTICLE}, headers=auth())
    assert again.status_code == 200 and again.json()["stored"][0]["status"] == "duplicate"
    assert again.json()["article"]["statements"] == doc["statements"]
    assert writable.store.counts()["articles"] == 1


def test_ingest_a_file_upload(writable: TestClient) -> None:
    lines = [
        json.dumps({"text": ARTICLE, "title": "one", "date": "2026-03-23"}),
        "{not json",
        json.dumps({"text": ARTICLE.replace("Friday", "Sunday"), "title": "two"}),
    ]
    data = ("\n".join(lines) + "\n").encode()
    r = writable.post("/api/articles/file", files={"file": ("batch.jsonl", data)}, headers=auth())
    assert r.status_code == 201, r.text
    doc = r.json()
    assert len(doc["stored"]) == 2 and len(doc["errors"]) == 1
    assert doc["errors"][0].startswith("upload:batch.jsonl")
    assert writable.store.counts()["articles"] == 2


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "   \n  "},
        {"text": "ok", "date": "yesterday"},
        {"text": "ok", "surprise": 1},
        {"text": 42},
        {"title": "no text"},
        {"text": "a\x00b"},
        {"text": "ok", "title": "two\nlines\x00"},
        {"text": "ok", "source": "\x1b[31mred"},
        [],
    ],
)
def test_malformed_articles_are_refused(writable: TestClient, body) -> None:  # type: ignore[no-untyped-def]
    r = writable.post("/api/articles", json=body, headers=auth())
    assert r.status_code == 422, r.text
    assert writable.store.counts()["articles"] == 0


def test_malformed_uploads_and_bodies_are_refused(writable: TestClient) -> None:
    def upload(name: str, data: bytes) -> int:
        r = writable.post("/api/articles/file", files={"file": (name, data)}, headers=auth())
        return r.status_code

    assert upload("a.txt", b"") == 400
    assert upload("a.txt", b"\x00\x01binary") == 400
    assert upload("a.txt", "caf\xe9".encode("latin-1")) == 400
    assert upload("../../etc/passwd", b"   ") == 400
    assert upload("big.txt", b"word " * 20_000) == 413
    big = {"text": "word " * 20_000}  # ~100 kB > the 64 kB limit of this app
    assert writable.post("/api/articles", json=big, headers=auth()).status_code == 413

    def chunks():  # no Content-Length: the limit must hold while the body streams in
        yield b'{"text": "'
        for _ in range(100):
            yield b"word " * 200
        yield b'"}'

    streamed = writable.post(
        "/api/articles", content=chunks(), headers={**auth(), "content-type": "application/json"}
    )
    assert streamed.status_code == 413
    r = writable.post(
        "/api/articles",
        content=b"{not json",
        headers={**auth(), "content-type": "application/json"},
    )
    assert r.status_code == 422
    assert writable.store.counts()["articles"] == 0
    assert writable.store.counts()["errors"] == 0


def test_ingest_page_with_token(writable: TestClient) -> None:
    r = writable.post("/ingest", data={"token": "nope", "text": ARTICLE})
    assert r.status_code == 401 and "Wrong or missing token" in r.text
    r = writable.post("/ingest", data={"token": TOKEN, "text": ARTICLE, "title": "Pasted"})
    assert r.status_code == 200 and "added" in r.text
    assert writable.store.counts()["articles"] == 1
    (article_id,) = writable.store.known_ids([a for a in _article_ids(r.text)])
    assert writable.get(f"/articles/{article_id}").status_code == 200


def _article_ids(html: str) -> list[str]:
    import re

    return re.findall(r'href="/articles/([0-9a-f]{16})"', html)


# -- the same API over PostgreSQL ----------------------------------------------------------


@pytest.mark.postgres
def test_api_over_postgresql(request: pytest.FixtureRequest) -> None:
    """The app over PostgreSQL: the same endpoints and filters, the same answers."""
    url = request.getfixturevalue("pg_url")  # skips when no server answers
    truncate_all(url)
    store = open_store(url)
    try:
        chain, hostile = chain_analysis(), hostile_analysis()
        store.add_analysis(chain)
        store.add_analysis(hostile)
        with TestClient(create_app(store=store, token=TOKEN)) as c:
            assert c.get("/api/stats").json()["statements"] == 2
            hits = c.get("/api/statements", params={"q": "repair brigades"}).json()
            assert [s["speaker_name"] for s in hits["items"]] == [CHAIN_SPEAKER]
            via = c.get("/api/statements", params={"via": "tass", "outlet": "ians"}).json()
            assert via["total"] == 1 and via["items"][0]["via"][0]["name"] == "Tass"
            speaker_id = hits["items"][0]["speaker"]
            doc = c.get(f"/api/speakers/{speaker_id}").json()
            assert doc["roles"][0]["role"] == "Deputy Energy Minister"
            assert doc["timeline"] == [{"day": "2026-03-12", "act": "promise", "count": 1}]
            art = c.get(f"/api/articles/{hostile.article.id}").json()
            assert art["statements"][0]["content_text"] == HOSTILE_QUOTE
            page = c.get(f"/articles/{hostile.article.id}").text
            assert SCRIPT not in page
            hostile = ("'; DROP TABLE statements; --", "a\x00b", "x & y | !z <-> w:*", "9" * 30)
            for q in hostile:
                assert c.get("/", params={"q": q, "speaker": q}).status_code in (200, 400)
                r = c.get("/api/statements", params={"q": q, "via": q, "outlet": q})
                assert r.status_code in (200, 400), r.text
                assert c.get("/speakers", params={"name": q}).status_code in (200, 400)
                assert c.get("/api/speakers", params={"speaker": q}).status_code in (200, 400)
            r = c.post("/api/articles", json={"text": ARTICLE}, headers=auth())
            assert r.status_code == 201, r.text
            assert c.post("/api/articles", json={"text": ARTICLE}).status_code == 401
            assert c.get("/api/stats").json()["articles"] == 3
    finally:
        store.close()


# -- pure helpers of the pages ---------------------------------------------------------------


def test_highlight_cut_keeps_the_text_and_overlaps() -> None:
    from saidwhat.web.highlight import Mark, cut

    text = 'Peskov said "we are ready, he said, to talk" today.'
    quote = Mark(12, 43, "quote", "1", "#111")
    cue = Mark(7, 11, "cue", "1", "#111")
    inner = Mark(27, 34, "quote", "2", "#222")  # a second statement inside the first
    stale = Mark(40, 999, "quote", "3", "#333")  # offsets past the end: ignored
    pieces = cut(text, [quote, cue, inner, stale])
    assert "".join(p.text for p in pieces) == text
    by_text = {p.text: p for p in pieces}
    assert by_text["said"].lead == cue
    assert by_text["he said"].statements == ["1", "2"]
    assert by_text["he said"].quote_colour == "#222"  # the innermost quote colours it
    assert all("3" not in p.statements for p in pieces)


def test_timeline_chart_stacks_acts_per_day() -> None:
    from saidwhat.web.charts import timeline_chart

    chart = timeline_chart(
        [("2026-03-01", "assert", 2), ("2026-03-01", "deny", 1), ("2026-03-04", "assert", 3)]
    )
    assert chart is not None and chart.total == 6
    assert {b.day for b in chart.bars} == {"2026-03-01", "2026-03-04"}
    first_day = sorted((b for b in chart.bars if b.day == "2026-03-01"), key=lambda b: b.y)
    assert first_day[0].y + first_day[0].height == pytest.approx(first_day[1].y)  # stacked
    tallest = max(chart.bars, key=lambda b: b.height)
    assert tallest.day == "2026-03-04" and tallest.y == pytest.approx(chart.plot_top)
    assert timeline_chart([]) is None and timeline_chart([("someday", "assert", 1)]) is None


def test_article_speakers_get_distinct_colours() -> None:
    from saidwhat.web.colours import SPEAKER_PALETTE, distinct_colours, speaker_colour

    keys = list(range(1, 40))
    clash = [k for k in keys if speaker_colour(k) == speaker_colour(1)][:3]
    colours = distinct_colours([*clash, "an official", None])
    assert colours[clash[0]] == speaker_colour(clash[0])  # the first keeps its own colour
    assert len(set(colours.values())) == len(colours)  # nobody shares one
    many = distinct_colours(keys)
    assert len(set(many.values())) == len(SPEAKER_PALETTE)  # the palette is used up, no more


def test_statements_carry_cites_denies_target_and_occasion(client):
    """The API statement has every field of the extraction schema's statement."""
    items = client.get("/api/statements", params={"limit": 200}).json()["items"]
    assert items
    for item in items:
        for field in ("cites", "denies", "target", "occasion", "via", "speaker_mention"):
            assert field in item
    assert any(item["denies"] for item in items if item["act"] == "deny")


def test_a_lone_surrogate_never_reaches_the_store(writable):  # type: ignore[no-untyped-def]
    """JSON bodies are refused by the model (422); in an uploaded JSONL file the bad line
    is one error and the good lines around it are stored."""
    headers = auth() | {"Content-Type": "application/json"}
    raw = json.dumps({"text": ARTICLE, "title": "Talks \udfff"})  # valid JSON, ASCII escapes
    assert writable.post("/api/articles", content=raw, headers=headers).status_code == 422
    lines = [
        json.dumps({"text": ARTICLE, "title": "one"}),
        json.dumps({"text": "bad \ud800 said the minister"}),
        json.dumps({"text": ARTICLE.replace("Friday", "Sunday"), "title": "two"}),
    ]
    data = ("\n".join(lines) + "\n").encode()
    r = writable.post("/api/articles/file", files={"file": ("s.jsonl", data)}, headers=auth())
    assert r.status_code == 201, r.text
    doc = r.json()
    assert len(doc["stored"]) == 2 and len(doc["errors"]) == 1
    assert "'text' holds a lone surrogate \\ud800" in doc["errors"][0]
    assert writable.store.counts()["articles"] == 2


def test_filters_have_the_clis_names_and_the_old_ones_still_work(client: TestClient) -> None:
    """``about`` and ``distinct_claims`` as in the CLI; ``q`` and ``distinct`` (the old
    API spellings) give the same answers for one release but are not in the schema, and
    the pages' own links and forms use the new names."""
    new = client.get("/api/statements", params={"about": "moratorium", "distinct_claims": "true"})
    old = client.get("/api/statements", params={"q": "moratorium", "distinct": "true"})
    assert new.status_code == old.status_code == 200
    assert new.json() == old.json() and new.json()["total"] > 0
    assert (
        client.get("/api/statements", params={"about": "moratorium"}).json()["total"]
        >= (new.json()["total"])
    )
    schema = client.get("/openapi.json").json()
    names = {p["name"] for p in schema["paths"]["/api/statements"]["get"]["parameters"]}
    assert {"about", "distinct_claims", "speaker", "act"} <= names
    assert not {"q", "distinct"} & names
    page = client.get("/", params={"q": "moratorium", "limit": 2}).text
    assert 'name="about" value="moratorium"' in page
    assert "about=moratorium" in page and "?q=" not in page


def test_every_statement_has_a_permalink(client: TestClient) -> None:
    """``GET /api/statements/{id}`` is the statement as a search lists it; the page
    ``/statements/{id}`` opens its article at it; a search hit links there."""
    hit = client.get("/api/statements", params={"about": "moratorium", "limit": 1}).json()
    (item,) = hit["items"]
    one = client.get(f"/api/statements/{item['id']}")
    assert one.status_code == 200 and one.json() == item
    assert client.get("/api/statements/2147483647").status_code == 404
    assert client.get("/api/statements/99999999999").status_code == 422  # no store holds it
    page = client.get(f"/statements/{item['id']}", follow_redirects=False)
    assert page.status_code == 307
    assert page.headers["location"] == f"/articles/{item['article']['id']}#st-{item['id']}"
    listing = client.get("/", params={"about": "moratorium"}).text
    assert f'href="/statements/{item["id"]}"' in listing

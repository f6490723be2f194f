"""Readers: text, JSONL, JSON, HTML, feeds; bad input becomes a one-line ReadError."""

from __future__ import annotations

import io
import json
import sys

import pytest

from saidwhat.reading.formats import html_to_text
from saidwhat.reading.readers import iter_inputs, read_path
from saidwhat.reading.records import MAX_ARTICLE_CHARS, ReadError, article_from_text
from saidwhat.schema import Article

SEED = "seed/000_cb571a2e6f574d89.txt"

WIRE = (
    "KYIV, Ukraine (AP) — Ukraine's president said on Monday that talks would resume.\n\n"
    '"We are ready," he told reporters.\n\n--AP\n\nab/cd\n'
)


def only(items: list) -> Article | ReadError:
    assert len(items) == 1, items
    return items[0]


def spans_are_slices(article: Article) -> None:
    for span in article.boilerplate_spans():
        assert span.text == article.text[span.start : span.end]


def test_seed_article(shared_dir):
    art = only(list(read_path(shared_dir / SEED)))
    assert isinstance(art, Article)
    assert art.text == (shared_dir / SEED).read_text(encoding="utf-8")  # body never altered
    assert art.date == "2025-12-11"
    assert (art.dateline.place, art.dateline.date_text, art.dateline.agency) == (
        "Moscow",
        "Dec 11",
        "IANS",
    )
    assert (art.agency, art.source, art.reported_by) == ("IANS", "IANS", "IANS")
    assert art.signoff.text == "--IANS" and art.slug.text == "akl/as"
    assert art.title_span is None  # the prefix runs straight into the dateline
    spans_are_slices(art)


def test_title_line_then_dateline():
    text = "Ukraine says talks resume\n\n" + WIRE
    art = article_from_text(text, source="Example Daily")
    assert art.title == "Ukraine says talks resume" and art.title_span.start == 0
    assert art.dateline.span.text == "KYIV, Ukraine (AP) —"
    assert (art.agency, art.source) == ("AP", "Example Daily")
    assert art.signoff.text == "--AP" and art.slug.text == "ab/cd"
    spans_are_slices(art)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Ad sales boost profit\n\nQuarterly profits jumped 76%.", "Ad sales boost profit"),
        ("Rivals of the Apple...\n\nThe Mac mini is cheap.", "Rivals of the Apple..."),
        ("Stealth Over Health: Clinton Diverted to Avoid Optics.\n\nThe Post reports.", None),
        (
            "Green Party candidate removed by police.\n\nHEMPSTEAD, N.Y. (UPI) — Jill Stein left.",
            None,
        ),
        ("The minister said the talks failed.\n\nHe left early.", False),
        ("One line article with no title", False),
        ("x" * 250 + "\n\nBody.", False),
    ],
)
def test_title_detection(text, title):
    art = article_from_text(text)
    if title is False:
        assert art.title_span is None and art.title is None
    else:
        expected = title or text.split("\n")[0]
        assert art.title_span.text == expected == art.title


def test_given_title_and_date():
    art = article_from_text(
        "Talks resume\nMOSCOW (Reuters) - Text.", title="Talks resume", date="2025-12-11T08:00Z"
    )
    assert art.title_span.text == "Talks resume" and art.date == "2025-12-11"
    assert art.dateline.agency == "Reuters"
    # the prefix date wins over the given one
    assert article_from_text(" date 2025-12-11 Body.", date="2020-01-01").date == "2025-12-11"


def test_text_of_quote_marks_only_is_an_article(tmp_path):
    f = tmp_path / "quotes.txt"
    f.write_text('"" “” «»\n', encoding="utf-8")
    art = only(list(read_path(f)))
    assert isinstance(art, Article) and art.text == '"" “” «»\n'


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"PK\x03\x04\x00\x00binary", "binary file, not text"),
        (b"Price: \xa3400 for the Mac mini", "not UTF-8 (invalid byte 0xa3 at offset 7)"),
    ],
)
def test_bad_text_files(tmp_path, content, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    err = only(list(read_path(f)))
    assert isinstance(err, ReadError)
    assert err.reason == reason and err.path == str(f)
    assert str(err) == f"{f}: {reason}" and "\n" not in str(err)


def test_oversized_article(tmp_path):
    f = tmp_path / "huge.txt"
    f.write_text("a" * 2_000_123, encoding="utf-8")
    err = only(list(read_path(f)))
    assert isinstance(err, ReadError)
    assert (
        err.reason == "article is 2,000,123 characters; the limit is 1,000,000 (MAX_ARTICLE_CHARS)"
    )
    assert MAX_ARTICLE_CHARS == 1_000_000


def test_utf8_bom_and_replace(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbfHeadline\n\nBody text.")
    art = only(list(read_path(f)))
    assert art.text.startswith("Headline") and art.title == "Headline"
    g = tmp_path / "latin.txt"
    g.write_bytes(b"Price: \xa3400")
    art = only(list(read_path(g, encoding_errors="replace")))
    assert art.text == "Price: \ufffd400"


def test_jsonl_bad_line_and_rest_goes_on(tmp_path):
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {"text": WIRE, "title": "Talks", "date": "2025-12-08", "url": "https://x.test/1"}
        ),
        "{not json",
        "",
        json.dumps({"body": "Second article body.", "source": "Example Daily"}),
        json.dumps({"title": "no text"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "   "}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_path(f))
    assert [type(i).__name__ for i in items] == [
        "Article",
        "ReadError",
        "Article",
        "ReadError",
        "ReadError",
        "ReadError",
    ]
    first, bad, second, no_text, not_obj, empty = items
    assert (first.title, first.date, first.url, first.agency) == (
        "Talks",
        "2025-12-08",
        "https://x.test/1",
        "AP",
    )
    assert first.path == f"{f}:line 1" and first.text == WIRE
    assert bad.path == f"{f}:line 2" and bad.reason.startswith("invalid JSON")
    assert second.source == "Example Daily" and second.path == f"{f}:line 4"
    assert no_text.reason == "no 'text' or 'body' field"
    assert not_obj.reason == "expected a JSON object, got list"
    assert empty.reason == "empty text"


def test_json_object_and_list(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(
        json.dumps({"text": WIRE, "date": "Mon, 08 Dec 2025 10:00:00 GMT"}), encoding="utf-8"
    )
    art = only(list(read_path(one)))
    assert art.date == "2025-12-08" and art.dateline.agency == "AP"
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "A."}, {"nope": 1}, {"text": "B."}]), encoding="utf-8")
    items = list(read_path(many))
    assert [getattr(i, "text", None) for i in items] == ["A.", None, "B."]
    assert str(items[1]) == f"{many}:item 2: no 'text' or 'body' field"


def test_html_page(tmp_path):
    para = (
        "Foreign Minister Sergei Lavrov said on Thursday that the goals were unchanged and clear."
    )
    html = f"""<!DOCTYPE html><html><head><title>Lavrov: goals stand | Example</title>
    <meta property="og:url" content="https://example.org/lavrov">
    <meta name="date" content="2025-12-11"></head><body>
    <nav><a href="/">Home</a></nav>
    <article><h1>Lavrov says goals stand</h1>
    <p>MOSCOW, Dec 11 (Reuters) - {para}</p>
    <p>"We will move along this path," he said, speaking to an embassy round table on the war.</p>
    </article><footer>Copyright Example</footer></body></html>"""
    f = tmp_path / "page.html"
    f.write_text(html, encoding="utf-8")
    art = only(list(read_path(f)))
    assert isinstance(art, Article)
    assert para in art.text and "Home" not in art.text
    assert art.title == "Lavrov says goals stand" and art.date == "2025-12-11"
    assert art.url == "https://example.org/lavrov"
    assert art.dateline.agency == "Reuters" and art.title_span.text == art.title
    spans_are_slices(art)


def test_html_without_text(tmp_path):
    f = tmp_path / "empty.htm"
    f.write_text(
        "<html><head><title>T</title></head><body><script>x()</script></body></html>",
        encoding="utf-8",
    )
    err = only(list(read_path(f)))
    assert isinstance(err, ReadError) and "no article text" in err.reason


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://wire.test/</link>
<item><title>Talks resume</title><link>https://wire.test/1</link>
<pubDate>Mon, 08 Dec 2025 09:30:00 GMT</pubDate>
<description><![CDATA[<p>KYIV (AP) &mdash; Talks resume, the minister said.</p><p>&quot;We are ready,&quot; he said.</p>]]></description>
</item>
<item><title>Empty</title><link>https://wire.test/2</link><description></description></item>
</channel></rss>
"""


@pytest.mark.parametrize("name", ["feed.rss", "feed.xml", "feed.txt"])
def test_rss_feed(tmp_path, name):
    f = tmp_path / name
    f.write_text(RSS, encoding="utf-8")
    art, err = list(read_path(f))
    assert art.text == 'KYIV (AP) — Talks resume, the minister said.\n\n"We are ready," he said.'
    assert (art.title, art.url, art.date, art.source, art.agency) == (
        "Talks resume",
        "https://wire.test/1",
        "2025-12-08",
        "Example Wire",
        "AP",
    )
    assert art.path == f"{f}:entry 1"
    assert str(err) == f"{f}:entry 2: entry has no content or summary"


def test_atom_feed(tmp_path):
    atom = """<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
    <entry><title>One</title><link href="https://a.test/1"/><updated>2025-12-10T12:00:00Z</updated>
    <content type="html">&lt;p&gt;Body one.&lt;/p&gt;</content></entry></feed>"""
    f = tmp_path / "a.atom"
    f.write_text(atom, encoding="utf-8")
    art = only(list(read_path(f)))
    assert (art.text, art.date, art.source, art.url) == (
        "Body one.",
        "2025-12-10",
        "Atom Wire",
        "https://a.test/1",
    )


def test_xml_that_is_not_a_feed(tmp_path):
    f = tmp_path / "data.xml"
    f.write_text("<?xml version='1.0'?><catalog><book/></catalog>", encoding="utf-8")
    err = only(list(read_path(f)))
    assert err.reason == "XML file is not an RSS or Atom feed"


def test_html_to_text():
    assert (
        html_to_text("<p>One &amp; two</p><script>x()</script><p>Three<br>four</p>")
        == "One & two\n\nThree\n\nfour"
    )
    assert html_to_text("plain &amp; simple") == "plain & simple"


def test_iter_inputs_folders_globs_missing_and_stdin(tmp_path, monkeypatch):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("Article A.", encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text("Article C.", encoding="utf-8")
    (tmp_path / "b" / "noext").write_text("Article N.", encoding="utf-8")
    (tmp_path / "b" / "c.ann").write_text("T1\tSource 0 5\tx", encoding="utf-8")
    (tmp_path / "b" / "pic.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "README.TXT").write_text("About this corpus.", encoding="utf-8")
    items = list(iter_inputs([str(tmp_path)]))
    assert [i.text for i in items] == ["Article A.", "Article C.", "Article N."]

    items = list(
        iter_inputs(
            [
                str(tmp_path / "**" / "*.txt"),
                str(tmp_path / "zz*.txt"),
                str(tmp_path / "missing.txt"),
            ]
        )
    )
    assert [getattr(i, "text", None) for i in items] == ["Article A.", "Article C.", None, None]
    assert items[2].reason == "no files match this pattern"
    assert str(items[3]) == f"{tmp_path / 'missing.txt'}: no such file or directory"

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Headline\n\nFrom stdin.")))
    art = only(list(iter_inputs(["-"])))
    assert (
        art.text == "Headline\n\nFrom stdin." and art.path == "<stdin>" and art.title == "Headline"
    )


def test_bad_files_do_not_stop_the_batch(tmp_path):
    (tmp_path / "1.txt").write_bytes(b"")
    (tmp_path / "2.txt").write_bytes(b"\xff\xfe bad")
    (tmp_path / "3.txt").write_text("Good article.", encoding="utf-8")
    items = list(iter_inputs([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["ReadError", "ReadError", "Article"]
    assert items[1].reason == "not UTF-8 (invalid byte 0xff at offset 0)"


def test_bbc_corpus_reads(shared_dir):
    """The BBC corpus: every file but the one non-UTF-8 file reads, each with its headline."""
    folder = shared_dir / "corpus" / "bbc"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    items = list(iter_inputs([str(folder)]))
    errors = [i for i in items if isinstance(i, ReadError)]
    articles = [i for i in items if isinstance(i, Article)]
    assert len(items) == 2225
    assert len(errors) == 1 and errors[0].reason.startswith("not UTF-8")
    with_title = sum(1 for a in articles if a.title_span is not None and a.title_span.start == 0)
    assert with_title == len(articles)

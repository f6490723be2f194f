"""The container formats: JSONL and JSON records, HTML pages, RSS/Atom feeds.

Each reader turns one file's content into Articles through ``records`` and yields a
``ReadError`` in place of a record it cannot use (a bad line, a bad value, JSON nested
deeper than the parser's stack), so one record never costs the others in its file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

from saidwhat.reading.records import (
    FIELD_LIMITS,
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
    ReadError,
    article_from_record,
    article_from_text,
    check_article_text,
    decode_bytes,
    read_bounded,
    utf16_encoding,
)
from saidwhat.schema import Article

HTML_EXTENSIONS = {".html", ".htm"}
FEED_EXTENSIONS = {".xml", ".rss", ".atom"}
# A JSONL line holds one article and its metadata: past this it is refused unparsed (and
# read no further than needed to find its end), so one giant line cannot fill memory.
MAX_LINE_BYTES = 4 * MAX_ARTICLE_CHARS + 65_536
_FEED_ROOT = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)
_HTML_ROOT = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.S | re.I)


def sniff_kind(text: str, suffix: str) -> str:
    """json | feed | html | xml (not a feed) | text, by extension and the first bytes."""
    if suffix == ".json":
        return "json"
    if _FEED_ROOT.match(text[:4096]):
        return "feed"
    if suffix in HTML_EXTENSIONS or _HTML_ROOT.match(text[:4096]):
        return "html"
    if suffix in FEED_EXTENSIONS:
        return "xml"
    return "text"


def short_field(value: str | None, field: str) -> str | None:
    """A page's or feed's metadata cut to the field's limit (the page is still an article;
    records, where the caller chose the value, are refused instead)."""
    limit = FIELD_LIMITS[field]
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"


def parse_json(text: str, where: str, column: bool = False) -> object:
    """``json.loads`` whose failures are one ReadError each (RecursionError included: a
    100,000-deep list is no article, and must not unwind the whole batch)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if column else f"line {exc.lineno} column {exc.colno}"
        raise ReadError(where, f"invalid JSON ({exc.msg} at {at})") from None
    except RecursionError:
        raise ReadError(where, "invalid JSON (nested too deeply)") from None


def _lines(fh: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(line number, raw line) with lines over MAX_LINE_BYTES as None (skipped to their end)."""
    number = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, raw


def read_jsonl(path: Path, encoding_errors: str) -> Iterator[Article | ReadError]:
    """One article per line; a bad line is reported and the rest goes on."""
    with path.open("rb") as fh:
        head = fh.read(8192)
        if utf16_encoding(head) is not None:
            # UTF-16 has no byte-wise lines: decode the file whole (bounded), then split.
            fh.seek(0)
            text = decode_bytes(read_bounded(fh, MAX_FILE_BYTES, path), str(path), encoding_errors)
            yield from _records(enumerate(text.splitlines(), start=1), path)
            return
        if b"\x00" in head:
            yield ReadError(path, "binary file, not text")
            return
        fh.seek(0)
        yield from _records(_decoded(_lines(fh), path, encoding_errors), path)


def _decoded(
    lines: Iterator[tuple[int, bytes | None]], path: Path, encoding_errors: str
) -> Iterator[tuple[int, str | ReadError]]:
    offset = 0
    for number, raw in lines:
        where = f"{path}:line {number}"
        if raw is None:
            yield number, ReadError(where, f"line is over {MAX_LINE_BYTES:,} bytes")
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw, offset = raw[3:], 3
        try:
            line = raw.decode("utf-8", errors=encoding_errors)
        except UnicodeDecodeError as exc:
            bad = exc.object[exc.start]
            at = offset + exc.start
            yield number, ReadError(where, f"not UTF-8 (invalid byte 0x{bad:02x} at offset {at})")
            offset += len(raw)
            continue
        offset += len(raw)
        yield number, line


def _records(
    lines: Iterator[tuple[int, str | ReadError]], path: Path
) -> Iterator[Article | ReadError]:
    seen = False
    for number, line in lines:
        if isinstance(line, ReadError):
            yield line
            continue
        if not line.strip():
            continue
        seen = True
        where = f"{path}:line {number}"
        try:
            yield article_from_record(parse_json(line, where, column=True), where)
        except ReadError as exc:
            yield exc
    if not seen:
        yield ReadError(path, "empty file")


def read_json(text: str, where: str) -> Iterator[Article | ReadError]:
    """One object or a list of objects."""
    try:
        doc = parse_json(text, where)
    except ReadError as exc:
        yield exc
        return
    if isinstance(doc, dict):
        try:
            yield article_from_record(doc, where)
        except ReadError as exc:
            yield exc
        return
    if not isinstance(doc, list):
        yield ReadError(where, f"expected a JSON object or list, got {type(doc).__name__}")
        return
    if not doc:
        yield ReadError(where, "empty list, no articles")
    for number, rec in enumerate(doc, start=1):
        try:
            yield article_from_record(rec, f"{where}:item {number}")
        except ReadError as exc:
            yield exc


def read_html(html: str, where: str) -> Article:
    """The main text of a web page (trafilatura), with its title, date and URL."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ReadError(where, "no article text found in the HTML page")
    check_article_text(text, where)
    return article_from_text(
        text,
        path=where,
        title=short_field(doc.title, "title"),
        date=doc.date,
        url=short_field(doc.url, "url"),
        source=short_field(doc.sitename, "source"),
    )


def read_feed(text: str, where: str) -> Iterator[Article | ReadError]:
    """One Article per RSS/Atom entry, from its content (or summary) as plain text."""
    import feedparser

    feed = feedparser.parse(text)
    if not feed.entries:
        problem = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield ReadError(where, f"feed has no entries{problem}")
        return
    source = short_field(feed.feed.get("title") or None, "source")
    for number, entry in enumerate(feed.entries, start=1):
        at = f"{where}:entry {number}"
        html = entry.content[0].value if entry.get("content") else entry.get("summary", "")
        body = html_to_text(html)
        try:
            check_article_text(body, at, empty="entry has no content or summary")
        except ReadError as exc:
            yield exc
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        date = (
            f"{published.tm_year:04d}-{published.tm_mon:02d}-{published.tm_mday:02d}"
            if published
            else None
        )
        yield article_from_text(
            body,
            path=at,
            title=short_field(entry.get("title"), "title"),
            date=date,
            url=short_field(entry.get("link"), "url"),
            source=source,
        )


class _TextExtractor(HTMLParser):
    """HTML fragment -> paragraphs of plain text (feed entries carry small HTML bodies)."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}
    SKIP = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: block elements become paragraphs."""
    if "<" not in html:
        return unescape(html).strip()
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    raw = "".join(parser.parts)
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", raw))
    return "\n\n".join(p for p in paragraphs if p)

"""Reading articles: plain text, JSONL/JSON records, HTML pages and RSS/Atom feeds.

Every reader ends in ``article_from_text``, which finds the wire furniture (date prefix,
title line, dateline, sign-off, slug) as spans and never alters the body, so all offsets
computed later point into exactly the text that was read.

Readers never raise on bad input: ``read_path`` and ``iter_inputs`` yield a ``ReadError``
in place of the article (one line, naming the file and the problem) and go on with the
rest of the batch.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from saidwhat.reading import wire
from saidwhat.reading.dates import to_iso_day
from saidwhat.schema import Article

# spaCy refuses texts longer than ``nlp.max_length`` (1,000,000 by default) because its
# parser and NER need roughly 1 GB of temporary memory per 100,000 characters. News
# articles are a few thousand characters; a larger "article" is a dump or a concatenation
# that should be split before analysis, so it is refused with a clear error instead of
# failing (or swapping) inside a worker.
MAX_ARTICLE_CHARS = 1_000_000
# Containers (JSON, HTML, feeds) are read whole; beyond this they are refused unread.
MAX_FILE_BYTES = 100_000_000

TEXT_EXTENSIONS = {".txt", ""}
JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
HTML_EXTENSIONS = {".html", ".htm"}
FEED_EXTENSIONS = {".xml", ".rss", ".atom"}
ARTICLE_EXTENSIONS = (
    TEXT_EXTENSIONS | JSONL_EXTENSIONS | HTML_EXTENSIONS | FEED_EXTENSIONS | {".json"}
)
# Skipped silently when a folder or glob is expanded: not articles, whatever their content.
NON_ARTICLE_EXTENSIONS = {
    ".ann", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".pdf", ".zip", ".gz",
    ".tgz", ".bz2", ".xz", ".7z", ".tar", ".parquet", ".db", ".sqlite", ".pyc", ".py", ".csv",
    ".tsv", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".md", ".rst", ".css", ".js", ".mp3",
    ".mp4", ".wav", ".exe", ".so", ".whl", ".lock", ".log",
}  # fmt: skip
NON_ARTICLE_NAMES = re.compile(r"(?i)(readme|licen[cs]e|copying|changelog|notice)(\.\w+)?")
TEXT_FIELDS = ("text", "body", "content")
ENCODING_ERRORS = ("strict", "replace")


class ReadError(Exception):
    """An input that could not be read; ``str()`` is one line: ``<path>: <reason>``."""

    def __init__(self, path: str | os.PathLike[str] | None, reason: str) -> None:
        self.path = str(path) if path is not None else "<input>"
        self.reason = " ".join(reason.split())
        super().__init__(f"{self.path}: {self.reason}")


# --- Article construction -----------------------------------------------------------------


def article_from_text(
    text: str,
    path: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    source: str | None = None,
) -> Article:
    """Build an Article, recording the wire furniture of ``text`` as spans.

    ``date`` is used where the text has no ``date YYYY-MM-DD`` prefix; ``source`` defaults
    to the agency named by the dateline or the sign-off.
    """
    pos = 0
    prefix = wire.date_prefix(text)
    prefix_span = None
    if prefix is not None:
        prefix_span, date = prefix[0], prefix[1]
        pos = prefix_span.end
    title_span = None
    if prefix is None or "\n" in text[pos : wire.skip_space(text, pos)]:
        title_span = wire.find_title(text, pos, given=title)
    if title_span is not None:
        pos = title_span.end
        title = title or title_span.text
    dateline = wire.find_dateline(text, pos)
    signoff = wire.find_signoff(text)
    if dateline is not None and signoff is not None and signoff[0].start < dateline.span.end:
        signoff = None  # a one-line article: its dateline is not also its sign-off
    slug = wire.find_slug(text)
    agency = (dateline.agency if dateline else None) or (signoff[1] if signoff else None)
    return Article(
        text=text,
        path=path,
        title=title,
        date=to_iso_day(date),
        url=url,
        source=source or agency,
        agency=agency,
        dateline=dateline,
        date_prefix=prefix_span,
        title_span=title_span,
        signoff=signoff[0] if signoff else None,
        slug=slug,
    )


# --- decoding and limits ------------------------------------------------------------------


def decode_bytes(data: bytes, where: str, encoding_errors: str = "strict") -> str:
    """Bytes -> text, refusing binary data and (unless ``encoding_errors``) non-UTF-8."""
    if encoding_errors not in ENCODING_ERRORS:
        raise ValueError(f"encoding_errors must be one of {ENCODING_ERRORS}")
    if b"\x00" in data:
        raise ReadError(where, "binary file, not text")
    try:
        return data.decode("utf-8-sig", errors=encoding_errors)  # drops a byte-order mark
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        raise ReadError(
            where, f"not UTF-8 (invalid byte 0x{bad:02x} at offset {exc.start})"
        ) from None


def check_article_text(text: str, where: str, empty: str = "empty file") -> None:
    """Refuse empty and over-long article texts (see MAX_ARTICLE_CHARS)."""
    if not text.strip():
        raise ReadError(where, empty)
    if len(text) > MAX_ARTICLE_CHARS:
        raise ReadError(
            where,
            f"article is {len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,} (MAX_ARTICLE_CHARS)",
        )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise ReadError(path, f"file is {size:,} bytes; the limit is {max_bytes:,}")
    return path.read_bytes()


# --- readers ------------------------------------------------------------------------------


def read_path(
    path: str | os.PathLike[str], encoding_errors: str = "strict"
) -> Iterator[Article | ReadError]:
    """The articles of one file, by extension (content sniffed for feeds and HTML)."""
    p = Path(path)
    try:
        suffix = p.suffix.lower()
        if suffix in JSONL_EXTENSIONS:
            yield from _read_jsonl(p, encoding_errors)
            return
        text = decode_bytes(_read_bytes(p, MAX_FILE_BYTES), str(p), encoding_errors)
        if not text.strip():
            raise ReadError(p, "empty file")
        kind = _sniff(text, suffix)
        if kind == "json":
            yield from _read_json(text, str(p))
        elif kind == "html":
            yield _read_html(text, str(p))
        elif kind == "feed":
            yield from _read_feed(text, str(p))
        elif kind == "xml":
            raise ReadError(p, "XML file is not an RSS or Atom feed")
        else:
            check_article_text(text, str(p))
            yield article_from_text(text, path=str(p))
    except ReadError as exc:
        yield exc
    except OSError as exc:
        yield ReadError(p, exc.strerror or type(exc).__name__)


_FEED_ROOT = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)
_HTML_ROOT = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.S | re.I)


def _sniff(text: str, suffix: str) -> str:
    if suffix == ".json":
        return "json"
    if _FEED_ROOT.match(text[:4096]):
        return "feed"
    if suffix in HTML_EXTENSIONS or _HTML_ROOT.match(text[:4096]):
        return "html"
    if suffix in FEED_EXTENSIONS:
        return "xml"
    return "text"


def article_from_record(rec: Any, where: str) -> Article:
    """One JSON object -> Article (fields text|body|content, title, date, url, source).

    Public because every record-shaped input reads through it: JSON/JSONL files here and
    the Parquet inputs of ``saidwhat batch`` (``batch.partition``), so all check alike.
    """
    if not isinstance(rec, dict):
        raise ReadError(where, f"expected a JSON object, got {type(rec).__name__}")
    text = next((rec[k] for k in TEXT_FIELDS if k in rec), None)
    if text is None:
        raise ReadError(where, "no 'text' or 'body' field")
    if not isinstance(text, str):
        raise ReadError(where, f"'text' is {type(text).__name__}, not a string")
    check_article_text(text, where, empty="empty text")
    meta = {k: rec.get(k) for k in ("title", "url", "source")}
    for key, value in meta.items():
        if value is not None and not isinstance(value, str):
            meta[key] = str(value)
    return article_from_text(
        text, path=where, date=to_iso_day(rec.get("date")), url=meta["url"] or rec.get("link"),
        title=meta["title"], source=meta["source"],
    )  # fmt: skip


def _read_jsonl(path: Path, encoding_errors: str) -> Iterator[Article | ReadError]:
    """One article per line; a bad line is reported and the rest goes on."""
    with path.open("rb") as fh:
        if b"\x00" in fh.read(8192):
            yield ReadError(path, "binary file, not text")
            return
        fh.seek(0)
        offset = 0
        seen = False
        for number, raw in enumerate(fh, start=1):
            where = f"{path}:line {number}"
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw, offset = raw[3:], 3
            try:
                line = raw.decode("utf-8", errors=encoding_errors)
            except UnicodeDecodeError as exc:
                bad = exc.object[exc.start]
                at = offset + exc.start
                yield ReadError(where, f"not UTF-8 (invalid byte 0x{bad:02x} at offset {at})")
                offset += len(raw)
                continue
            offset += len(raw)
            if not line.strip():
                continue
            seen = True
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ReadError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            try:
                yield article_from_record(rec, where)
            except ReadError as exc:
                yield exc
        if not seen:
            yield ReadError(path, "empty file")


def _read_json(text: str, where: str) -> Iterator[Article | ReadError]:
    """One object or a list of objects."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ReadError(where, f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
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


def _read_html(html: str, where: str) -> Article:
    """The main text of a web page (trafilatura), with its title, date and URL."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ReadError(where, "no article text found in the HTML page")
    check_article_text(text, where)
    return article_from_text(
        text, path=where, title=doc.title, date=doc.date, url=doc.url, source=doc.sitename
    )


def _read_feed(text: str, where: str) -> Iterator[Article | ReadError]:
    """One Article per RSS/Atom entry, from its content (or summary) as plain text."""
    import feedparser

    feed = feedparser.parse(text)
    if not feed.entries:
        problem = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield ReadError(where, f"feed has no entries{problem}")
        return
    source = feed.feed.get("title") or None
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
            body, path=at, title=entry.get("title"), date=date, url=entry.get("link"), source=source
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


# --- many inputs --------------------------------------------------------------------------


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]], encoding_errors: str = "strict"
) -> Iterator[Article | ReadError]:
    """Articles from files, folders (recursive, sorted), globs and ``-`` (stdin).

    Never raises for bad input: each problem is yielded as a ReadError in its place.
    Hidden files and non-article files (images, archives, ``.ann``, READMEs) inside
    folders and globs are skipped.
    """
    for given in paths:
        name = str(given)
        if name == "-":
            yield from _read_stdin(encoding_errors)
        elif os.path.isdir(name):
            for path in _walk(name):
                yield from read_path(path, encoding_errors)
        elif os.path.exists(name):
            yield from read_path(name, encoding_errors)
        elif glob.has_magic(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                yield ReadError(name, "no files match this pattern")
            for match in matches:
                if os.path.isdir(match):
                    continue  # "**" matches folders too; their files are matched as well
                if _is_article_file(match):
                    yield from read_path(match, encoding_errors)
        else:
            yield ReadError(name, "no such file or directory")


def _read_stdin(encoding_errors: str) -> Iterator[Article | ReadError]:
    try:
        text = decode_bytes(sys.stdin.buffer.read(), "<stdin>", encoding_errors)
        check_article_text(text, "<stdin>")
        yield article_from_text(text, path="<stdin>")
    except ReadError as exc:
        yield exc


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            path = os.path.join(root, f)
            if _is_article_file(path):
                yield path


def _is_article_file(path: str) -> bool:
    name = os.path.basename(path)
    if name.startswith(".") or NON_ARTICLE_NAMES.fullmatch(name):
        return False
    return os.path.splitext(name)[1].lower() not in NON_ARTICLE_EXTENSIONS

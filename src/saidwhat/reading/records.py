"""From raw input to an Article: decoding, limits, and the one constructor every reader ends in.

``article_from_text`` finds the wire furniture (date prefix, title line, dateline,
sign-off, slug) as spans and never alters the body, so all offsets computed later point
into exactly the text that was read. ``article_from_record`` is the same for one JSON
object (JSONL, JSON, the Parquet inputs of ``saidwhat batch``), with every field checked
for its type and size, so a hostile record is one ``ReadError`` and never an exception
further down (a lone surrogate escape, for one, only fails when the text is encoded for
the database, long after the batch could have skipped it).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from typing import Any, BinaryIO

from saidwhat.reading import titles, wire
from saidwhat.reading.dates import resolve, to_iso_day
from saidwhat.reading.furniture import find_furniture
from saidwhat.reading.outlets import Outlets
from saidwhat.schema import Article, Dateline

# spaCy refuses texts longer than ``nlp.max_length`` (1,000,000 by default) because its
# parser and NER need roughly 1 GB of temporary memory per 100,000 characters. News
# articles are a few thousand characters; a larger "article" is a dump or a concatenation
# that should be split before analysis, so it is refused with a clear error instead of
# failing (or swapping) inside a worker.
MAX_ARTICLE_CHARS = 1_000_000
# Containers (JSON, HTML, feeds) are read whole; beyond this they are refused, and reading
# stops at this many bytes whatever size the file system reports.
MAX_FILE_BYTES = 100_000_000
# Metadata fields, as the API caps them: a 2-million-character "title" is not a title.
FIELD_LIMITS = {"title": 500, "url": 2000, "source": 200}
TEXT_FIELDS = ("text", "body", "content")
ENCODING_ERRORS = ("strict", "replace")
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


class ReadError(Exception):
    """An input that could not be read; ``str()`` is one line: ``<path>: <reason>``."""

    def __init__(self, path: str | os.PathLike[str] | None, reason: str) -> None:
        self.path = str(path) if path is not None else "<input>"
        self.reason = " ".join(reason.split())
        super().__init__(f"{self.path}: {self.reason}")


def article_from_text(
    text: str,
    path: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    source: str | None = None,
    outlets: Outlets | None = None,
) -> Article:
    """Build an Article, recording the wire furniture of ``text`` as spans (``outlets``:
    the table whose names make a dateline or sign-off; None: the shipped one).

    ``date`` is used where the text has no ``date YYYY-MM-DD`` prefix, then a date in the
    file name (``2026-03-07_talks.txt``), then the dateline's own day when it gives a
    year (``Dec 11, 2025``); a dateline day without a year (``BERLIN, March 10``) is
    dated later by the reader that knows the corpus (``dated_by_corpus``). ``source``
    defaults to the agency named by the dateline or the sign-off.
    """
    pos = 0
    prefix = wire.date_prefix(text)
    prefix_span = None
    if prefix is not None:
        prefix_span, date = prefix[0], prefix[1]
        pos = prefix_span.end
    title_span = None
    if prefix is None or "\n" in text[pos : titles.skip_space(text, pos)]:
        title_span = titles.find_title(text, pos, given=title, outlets=outlets)
    if title is None and title_span and wire.find_byline(text, title_span.start, outlets):
        title_span = None  # `By Jane Doe, Associated Press` on the first line: no headline
    if title_span is not None:
        pos = title_span.end
        title = title or title_span.text
        if prefix is None and "\n" in text[pos : titles.skip_space(text, pos)]:
            prefix = wire.date_prefix(text, pos)  # `Headline\n\n date 2026-03-05 KYIV ...`
            if prefix is not None:
                prefix_span, date = prefix[0], prefix[1]
                pos = prefix_span.end
    byline = wire.find_byline(text, pos, outlets)
    if byline is not None:
        pos = byline[0].end
    dateline = wire.find_dateline(text, pos, outlets)
    signoff = wire.find_signoff(text, outlets)
    if dateline is not None and signoff is not None and signoff[0].start < dateline.span.end:
        signoff = None  # a one-line article: its dateline is not also its sign-off
    slug = wire.find_slug(text)
    agency = (
        (dateline.agency if dateline else None)
        or (signoff[1] if signoff else None)
        or (byline[1] if byline else None)
    )
    metadata = [s for s in (prefix_span, signoff[0] if signoff else None, slug) if s]
    if byline is not None:
        metadata.append(byline[0])
    if dateline is not None:
        metadata.append(dateline.span)
    if to_iso_day(date) is None:
        date = date_in_name(path) or dateline_day(dateline, None)
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
        # a byline is listed with the furniture: not article text, and no field of its own
        furniture=sorted(
            find_furniture(text, skip=metadata) + ([byline[0]] if byline else []),
            key=lambda s: s.start,
        ),
    )


_NAME_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")


def date_in_name(path: str | None) -> str | None:
    """The ISO day a file name carries (``2026-03-07_talks.txt``, ``20260307-talks``):
    scrapers and archives name files by publication day. A file's modification time is
    not used: a copy or a checkout changes it, and a wrong year is worse than none."""
    if not path:
        return None
    m = _NAME_DATE.search(os.path.basename(path))
    if m is None or not 1900 <= int(m.group(1)) <= 2100:
        return None
    return to_iso_day("-".join(m.groups()))


def dateline_day(dateline: Dateline | None, anchor: str | None) -> str | None:
    """The day a dateline gives (``MOSCOW, Dec 11 (IANS)``): with its own year, or the
    year that puts it at most about six months after ``anchor`` (a date of the same
    corpus), else None (a day without a year is no date)."""
    if dateline is None or not dateline.date_text:
        return None
    return resolve(dateline.date_text, anchor).date


def dated_by_corpus(article: Article, anchor: str | None) -> Article:
    """An article with no date whose dateline gives a day and month only, dated with the
    year of ``anchor`` (the latest date of the articles read before it in the same run:
    `BERLIN, March 10` among articles of March 2026 is 2026-03-10). Anything else is
    returned as it is; the text and so the id never change."""
    if article.date is not None or anchor is None:
        return article
    day = dateline_day(article.dateline, anchor)
    return article if day is None else replace(article, date=day)


# --- decoding and limits ------------------------------------------------------------------


def utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 codec of ``data`` when it starts with a UTF-16 byte-order mark and reads
    as UTF-16 text: news in a Latin script has a NUL high byte in most of its code units,
    so a third of them at least is asked for. ``\xff\xfe`` followed by anything else is a
    broken UTF-8 (or binary) file and is reported as one."""
    codec = _UTF16_BOMS.get(data[:2])
    if codec is None:
        return None
    payload = data[2:4098]
    high = payload[1::2] if codec == "utf-16-le" else payload[0::2]
    if not high or high.count(0) * 3 < len(high):
        return None
    return codec


def decode_bytes(data: bytes, where: str, encoding_errors: str = "strict") -> str:
    """Bytes -> text: UTF-8 (a byte-order mark dropped) or UTF-16 with its byte-order mark;
    binary data is refused, and (unless ``encoding_errors``) so is anything else."""
    if encoding_errors not in ENCODING_ERRORS:
        raise ValueError(f"encoding_errors must be one of {ENCODING_ERRORS}")
    codec = utf16_encoding(data)
    if codec is not None:
        try:
            text = data[2:].decode(codec, errors=encoding_errors)
        except UnicodeDecodeError as exc:
            raise ReadError(where, f"not valid UTF-16 (at offset {exc.start + 2})") from None
        if "\x00" in text:
            raise ReadError(where, "binary file, not text")
        return text
    if b"\x00" in data:
        raise ReadError(where, "binary file, not text")
    try:
        return data.decode("utf-8-sig", errors=encoding_errors)  # drops a byte-order mark
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        raise ReadError(
            where, f"not UTF-8 (invalid byte 0x{bad:02x} at offset {exc.start})"
        ) from None


def read_bounded(fh: BinaryIO, max_bytes: int, where: str | os.PathLike[str]) -> bytes:
    """At most ``max_bytes`` from a binary stream; more is a ReadError (the size a file
    reports is not trusted: devices and pipes report 0)."""
    data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ReadError(where, f"file is over {max_bytes:,} bytes, the limit")
    return bytes(data)


def check_unicode(value: str, where: str, field: str = "text") -> None:
    """Refuse a string holding a lone surrogate (JSON's ``"\\ud800"``): it is no character,
    cannot be encoded, and would fail when stored instead of here."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        raise ReadError(
            where, f"'{field}' holds a lone surrogate \\u{code:04x} at offset {exc.start}"
        ) from None


def check_article_text(text: str, where: str, empty: str = "empty file") -> None:
    """Refuse empty, over-long and invalid-Unicode article texts (see MAX_ARTICLE_CHARS)."""
    if not text.strip():
        raise ReadError(where, empty)
    if len(text) > MAX_ARTICLE_CHARS:
        raise ReadError(
            where,
            f"article is {len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,} (MAX_ARTICLE_CHARS)",
        )
    check_unicode(text, where)


def article_from_record(rec: Any, where: str) -> Article:
    """One JSON object -> Article (fields text|body|content, title, date, url|link, source).

    Public because every record-shaped input reads through it: JSON/JSONL files and the
    Parquet inputs of ``saidwhat batch`` (``batch.partition``), so all check alike. A field
    of the wrong type or over its limit refuses the record, naming the field: turning a
    number or a list into a title would store something nobody wrote.
    """
    if not isinstance(rec, dict):
        raise ReadError(where, f"expected a JSON object, got {type(rec).__name__}")
    key = next((k for k in TEXT_FIELDS if k in rec), None)
    if key is None:
        raise ReadError(where, "no 'text' or 'body' field")
    text = rec[key]
    if not isinstance(text, str):
        raise ReadError(where, f"'{key}' is {type(text).__name__}, not a string")
    check_article_text(text, where, empty="empty text")
    meta: dict[str, str | None] = {}
    for name in ("title", "url", "link", "source", "date"):
        value = rec.get(name)
        if value is not None and not isinstance(value, str):
            raise ReadError(where, f"'{name}' is {type(value).__name__}, not a string")
        if value is not None:
            check_unicode(value, where, name)
            limit = FIELD_LIMITS.get("url" if name == "link" else name)
            if limit is not None and len(value) > limit:
                raise ReadError(
                    where, f"'{name}' is {len(value):,} characters; the limit is {limit:,}"
                )
        meta[name] = value
    return article_from_text(
        text, path=where, date=to_iso_day(meta["date"]), url=meta["url"] or meta["link"],
        title=meta["title"], source=meta["source"],
    )  # fmt: skip


def with_outlets(article: Article, outlets: Outlets) -> Article:
    """``article`` read again with another outlets table (a user's file): the same text,
    id and metadata, its title line, dateline, sign-off and agency found anew. Readers
    use the shipped table; the engine calls this when its options name a file, so that
    ``(The Northern Ledger)`` is a dateline wherever the user's table says it is one. A
    source that was only the shipped table's agency follows the new agency."""
    again = article_from_text(
        article.text,
        path=article.path,
        title=None if article.title_span is not None else article.title,
        date=article.date,
        url=article.url,
        source=article.source if article.source != article.agency else None,
        outlets=outlets,
    )
    again.id = article.id
    return again

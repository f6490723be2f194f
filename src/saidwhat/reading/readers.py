"""Reading inputs: files, folders, globs and standard input, each file by its format.

Readers never raise on bad input: ``read_path`` and ``iter_inputs`` yield a ``ReadError``
in place of the article (one line, naming the file and the problem) and go on with the
rest of the batch. Only regular files are opened, and none is read past its byte limit
whatever size the file system reports: a FIFO would block a batch forever and
``/dev/zero`` reports size 0 while it fills memory. A file reached twice (a symlink loop
under ``**``, a folder and a glob over the same files) is read once.
"""

from __future__ import annotations

import glob
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from saidwhat.reading.formats import (
    FEED_EXTENSIONS,
    HTML_EXTENSIONS,
    read_feed,
    read_html,
    read_json,
    read_jsonl,
    sniff_kind,
)
from saidwhat.reading.records import (
    MAX_FILE_BYTES,
    ReadError,
    article_from_text,
    check_article_text,
    dated_by_corpus,
    decode_bytes,
    read_bounded,
)
from saidwhat.schema import Article

TEXT_EXTENSIONS = {".txt", ""}
JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
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
_FILE_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def check_regular_file(path: Path) -> os.stat_result:
    """The file's status; a ReadError for anything but a regular file (links followed)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = _FILE_KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise ReadError(path, f"{kind}, not a regular file: not read")
    return info


def read_path(
    path: str | os.PathLike[str], encoding_errors: str = "strict"
) -> Iterator[Article | ReadError]:
    """The articles of one file, by extension (content sniffed for feeds and HTML)."""
    p = Path(path)
    try:
        info = check_regular_file(p)
        if info.st_size > MAX_FILE_BYTES and p.suffix.lower() not in JSONL_EXTENSIONS:
            raise ReadError(p, f"file is {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        suffix = p.suffix.lower()
        if suffix in JSONL_EXTENSIONS:
            yield from read_jsonl(p, encoding_errors)
            return
        with p.open("rb") as fh:
            data = read_bounded(fh, MAX_FILE_BYTES, p)
        text = decode_bytes(data, str(p), encoding_errors)
        if not text.strip():
            raise ReadError(p, "empty file")
        kind = sniff_kind(text, suffix)
        if kind == "json":
            yield from read_json(text, str(p))
        elif kind == "html":
            yield read_html(text, str(p))
        elif kind == "feed":
            yield from read_feed(text, str(p))
        elif kind == "xml":
            raise ReadError(p, "XML file is not an RSS or Atom feed")
        else:
            check_article_text(text, str(p))
            yield article_from_text(text, path=str(p))
    except ReadError as exc:
        yield exc
    except OSError as exc:
        yield ReadError(p, exc.strerror or type(exc).__name__)


# --- many inputs --------------------------------------------------------------------------


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]], encoding_errors: str = "strict"
) -> Iterator[Article | ReadError]:
    """Articles from files, folders (recursive, sorted), globs and ``-`` (stdin).

    Never raises for bad input: each problem is yielded as a ReadError in its place.
    Hidden files and non-article files (images, archives, ``.ann``, READMEs) inside
    folders and globs are skipped, and each real file is read once. An article whose
    only date is a dateline's day and month takes its year from the latest date of the
    articles read before it (``records.dated_by_corpus``).
    """
    latest: str | None = None
    for item in _read_all(paths, encoding_errors):
        if isinstance(item, Article):
            item = dated_by_corpus(item, latest)
            if item.date is not None and (latest is None or item.date > latest):
                latest = item.date
        yield item


def _read_all(
    paths: Iterable[str | os.PathLike[str]], encoding_errors: str
) -> Iterator[Article | ReadError]:
    seen: set[tuple[int, int]] = set()
    for given in paths:
        name = str(given)
        if name == "-":
            yield from _read_stdin(encoding_errors)
        elif os.path.isdir(name):
            for path in _walk(name):
                yield from _read_once(path, seen, encoding_errors)
        elif os.path.exists(name) or os.path.islink(name):
            yield from _read_once(name, seen, encoding_errors)
        elif glob.has_magic(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                yield ReadError(name, "no files match this pattern")
            for match in matches:
                if os.path.isdir(match):
                    continue  # "**" matches folders too; their files are matched as well
                if is_article_file(match):
                    yield from _read_once(match, seen, encoding_errors)
        else:
            yield ReadError(name, "no such file or directory")


def _read_once(
    path: str, seen: set[tuple[int, int]], encoding_errors: str
) -> Iterator[Article | ReadError]:
    """``read_path`` unless this very file (device and inode) was read already."""
    try:
        info = os.stat(path)
    except OSError:
        info = None
    if info is not None:
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return
        seen.add(key)
    yield from read_path(path, encoding_errors)


def _read_stdin(encoding_errors: str) -> Iterator[Article | ReadError]:
    try:
        data = read_bounded(sys.stdin.buffer, MAX_FILE_BYTES, "<stdin>")
        text = decode_bytes(data, "<stdin>", encoding_errors)
        check_article_text(text, "<stdin>")
        yield article_from_text(text, path="<stdin>")
    except ReadError as exc:
        yield exc


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            path = os.path.join(root, f)
            if is_article_file(path):
                yield path


def is_article_file(path: str) -> bool:
    """Whether a name found in a folder or glob is taken for an article (by its name only)."""
    name = os.path.basename(path)
    if name.startswith(".") or NON_ARTICLE_NAMES.fullmatch(name):
        return False
    return os.path.splitext(name)[1].lower() not in NON_ARTICLE_EXTENSIONS

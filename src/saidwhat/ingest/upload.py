"""Ingest through the web: pasted text or an uploaded file -> Articles -> analyse -> store.

Used by ``POST /api/articles``, ``POST /api/articles/file`` and the ingest page. Input
goes through the same readers and checks as ``saidwhat ingest`` (``saidwhat.reading.readers``):
binary data, non-UTF-8, empty or over-long text are refused with a one-line reason
before anything is analysed. The articles then go through the one ingest loop
(``ingest.core``): each stored in its own transaction, an article that cannot be
analysed or stored is recorded in the store's errors and listed in the answer, a lost
database connection raises. Analysis runs outside any lock (a web server analyses
several posts at once, each with its own pipeline: ``pipelines``); only the store write
is serialised, by one lock inside the process (SQLite has one writer anyway; on
PostgreSQL the store takes an advisory lock too), so a slow article holds up nobody.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any, cast

from spacy.language import Language

from saidwhat.analyse import AttributionOptions, with_settings
from saidwhat.attribution.component import attribution_component
from saidwhat.ingest.core import Failure, IngestLoop
from saidwhat.reading.readers import read_path
from saidwhat.reading.records import ReadError, article_from_text, check_article_text
from saidwhat.schema import Analysis, Article
from saidwhat.store import AddResult, Store

_WRITE_LOCK = threading.Lock()
_SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)
UPLOAD_SUFFIXES = {
    ".txt",
    ".text",
    ".jsonl",
    ".ndjson",
    ".json",
    ".html",
    ".htm",
    ".xml",
    ".rss",
    ".atom",
}


class BadInput(ValueError):
    """Input refused before analysis; ``str()`` is the one-line reason."""


@dataclass
class Stored:
    status: str  # added | copy | duplicate
    article_id: str
    story_id: str | None  # None for an article skipped as already stored
    statements: int
    title: str | None
    path: str | None


@dataclass
class IngestOutcome:
    stored: list[Stored] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "<where>: <reason>"

    def to_dict(self) -> dict[str, Any]:
        return {"stored": [asdict(s) for s in self.stored], "errors": list(self.errors)}


def safe_filename(name: str | None) -> str:
    """The base name of an uploaded file, reduced to harmless characters."""
    base = PurePath((name or "upload").replace("\\", "/")).name
    return _SAFE_NAME.sub("_", base)[:120] or "upload"


def article_from_fields(
    text: str,
    *,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    source: str | None = None,
    where: str = "<posted text>",
) -> Article:
    """An Article from pasted text, checked like a file (empty, too long, NUL bytes)."""
    if "\x00" in text:
        raise BadInput(f"{where}: text contains NUL characters")
    try:
        check_article_text(text, where, empty="empty text")
    except ReadError as exc:
        raise BadInput(str(exc)) from None
    return article_from_text(
        text,
        path=where,
        title=title or None,
        date=date or None,
        url=url or None,
        source=source or None,
    )


def articles_from_upload(filename: str | None, data: bytes) -> tuple[list[Article], list[str]]:
    """Articles of an uploaded file, read by the same readers as files on disk.

    The bytes go to a private temporary file with the upload's extension (the readers
    choose by extension and content), and every path in the results and errors names
    the upload, not the temporary file.
    """
    name = safe_filename(filename)
    suffix = PurePath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        suffix = ".txt"
    where = f"upload:{name}"
    if not data:
        raise BadInput(f"{where}: empty file")
    fd, tmp = tempfile.mkstemp(prefix="saidwhat-upload-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        articles: list[Article] = []
        errors: list[str] = []
        for item in read_path(tmp):
            if isinstance(item, ReadError):
                errors.append(str(item).replace(tmp, where))
            else:
                item.path = (item.path or "").replace(tmp, where) or where
                articles.append(item)
        return articles, errors
    finally:
        os.unlink(tmp)


#: ``store_articles``'s default ``time_budget``: the budget of its options (or pipeline).
OPTIONS_BUDGET = object()


def store_articles(
    store: Store,
    articles: list[Article],
    nlp: Language | None = None,
    options: AttributionOptions | None = None,
    *,
    pipelines: Callable[[], AbstractContextManager[Language]] | None = None,
    time_budget: float | None | object = OPTIONS_BUDGET,
    engine: str | None = None,
    outlets: str | None = None,
) -> IngestOutcome:
    """Analyse and store articles (skipping stored ones); failures are listed, not raised.

    The pipeline is ``nlp``, else one checked out of ``pipelines`` for the time the
    analysis runs (the web app's pool: only then is a model loaded, and never for an
    article already stored), else the process's cached one. Each analysis is stored
    under the write lock as soon as it is done; the analysis itself is not under it.
    ``time_budget`` (seconds per article, None: no limit), when given, replaces the one
    in ``options`` (or the pipeline's own options); left out, theirs applies. An article
    over it is one error, and the others are still stored. ``engine`` and ``outlets``
    (the user's outlets file), when given, replace the options' own the same way.
    """
    outcome = IngestOutcome()

    def known(a: Article) -> None:
        outcome.stored.append(Stored("duplicate", a.id, None, 0, a.title, a.path))

    def stored(analysis: Analysis, added: AddResult) -> None:
        art = analysis.article
        outcome.stored.append(
            Stored(
                added.status,
                added.article_id,
                added.story_id,
                added.statements,
                art.title,
                art.path,
            )
        )

    def failed(failure: Failure) -> None:
        outcome.errors.append(str(failure))

    loop = IngestLoop(store, on_stored=stored, on_failed=failed)
    fresh = list(loop.unknown(articles, lambda a: a.id, on_known=known, chunk=len(articles) or 1))
    if not fresh:
        return outcome
    if nlp is not None:
        lease: AbstractContextManager[Language] = nullcontext(nlp)
    elif pipelines is not None:
        lease = pipelines()
    else:
        from saidwhat.nlp import load_pipeline  # the model loads on the first upload

        lease = nullcontext(load_pipeline())
    with lease as pipeline:
        budgeted = options
        if time_budget is not OPTIONS_BUDGET:
            seconds = cast("float | None", time_budget)
            budgeted = (
                dataclasses.replace(options, time_budget=seconds)
                if options is not None
                else with_settings(pipeline, seconds)
            )
        if engine is not None:
            own = budgeted if budgeted is not None else attribution_component(pipeline).options
            budgeted = dataclasses.replace(own, engine=engine)
        if outlets is not None:
            own = budgeted if budgeted is not None else attribution_component(pipeline).options
            budgeted = dataclasses.replace(own, outlets=outlets)
        for item in loop.analysed(fresh, nlp=pipeline, options=budgeted):
            with _WRITE_LOCK:
                loop.put(item)
    return outcome

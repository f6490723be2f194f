"""The one ingest loop: known ids -> analyse -> add -> record the error.

Files (``ingest.files``), a batch folder (``ingest.batch_load``) and a web upload
(``ingest.upload``) all store articles through ``IngestLoop``, so they share one
failure policy: an input that cannot be read, analysed or stored is recorded in the
store's ``errors`` table with a one-line reason and the run goes on; a lost database
connection stops the run (it raises), because every later article would fail the same
way and the errors could not be recorded anyway. Each door only says what it wants to
hear about (``on_known``, ``on_stored``, ``on_failed``) and how it shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from spacy.language import Language

from saidwhat.analyse import AnalysisFailed, AttributionOptions, analyse_many
from saidwhat.reading.records import ReadError
from saidwhat.schema import Analysis, Article
from saidwhat.store import AddResult, Store

CHUNK = 64  # articles per "already stored?" query

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """An input that did not make it into the store, and why."""

    path: str
    reason: str
    stage: str  # read | analyse | store

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    @classmethod
    def of_read(cls, error: ReadError) -> Failure:
        return cls(str(error.path), error.reason, "read")

    @classmethod
    def of_analysis(cls, failed: AnalysisFailed) -> Failure:
        path, _, reason = str(failed).partition(": ")
        return cls(path, reason or "analysis failed", "analyse")


def connection_lost(exc: BaseException) -> bool:
    """Did the database go away (as opposed to refusing this one article)?"""
    return isinstance(exc, sa.exc.DBAPIError) and bool(exc.connection_invalidated)


def _ignore(*_: object) -> None:
    return None


class IngestLoop:
    """Skip what is stored, analyse the rest, store each analysis, record each failure.

    The callbacks run in the thread that calls ``add`` / ``fail`` (``on_known``: the one
    that iterates ``unknown``).
    """

    def __init__(
        self,
        store: Store,
        on_stored: Callable[[Analysis, AddResult], None] = _ignore,
        on_failed: Callable[[Failure], None] = _ignore,
    ) -> None:
        self.store = store
        self.on_stored = on_stored
        self.on_failed = on_failed

    def unknown(
        self,
        items: Iterable[T],
        id_of: Callable[[T], str],
        on_known: Callable[[T], None] = _ignore,
        chunk: int = CHUNK,
    ) -> Iterator[T]:
        """The items whose article is not stored yet, checked ``chunk`` ids per query
        before anything is analysed, so a re-run only pays for what is missing."""
        for group in _chunks(items, chunk):
            known = self.store.known_ids(id_of(item) for item in group)
            for item in group:
                if id_of(item) in known:
                    on_known(item)
                else:
                    yield item

    def readable(
        self, items: Iterable[Article | ReadError], fail: Callable[[Failure], None] | None = None
    ) -> Iterator[Article]:
        """The articles of ``items``; each read error goes to ``fail`` (default: ``self.fail``)."""
        fail = fail or self.fail
        for item in items:
            if isinstance(item, ReadError):
                fail(Failure.of_read(item))
            else:
                yield item

    def analysed(
        self,
        articles: Iterable[Article],
        nlp: Language | None = None,
        n_process: int = 1,
        options: AttributionOptions | None = None,
    ) -> Iterator[Analysis | Failure]:
        """Each article's analysis, or the failure in its place (never raises for one)."""
        for result in analyse_many(articles, nlp=nlp, n_process=n_process, options=options):
            yield Failure.of_analysis(result) if isinstance(result, AnalysisFailed) else result

    def put(self, item: Analysis | Failure) -> None:
        """Store an analysis, or record a failure."""
        if isinstance(item, Failure):
            self.fail(item)
        else:
            self.add(item)

    def add(self, analysis: Analysis) -> AddResult | None:
        """Store one analysis; an article the store refuses is recorded (None), a lost
        connection raises."""
        try:
            result = self.store.add_analysis(analysis)
        except Exception as exc:
            if connection_lost(exc):
                raise
            art = analysis.article
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
            self.fail(Failure(art.path or art.id, f"cannot store: {reason}", "store"))
            return None
        self.on_stored(analysis, result)
        return result

    def fail(self, failure: Failure) -> None:
        self.store.record_error(failure.path, failure.reason, failure.stage)
        self.on_failed(failure)

    def run(
        self,
        articles: Iterable[Article],
        nlp: Language | None = None,
        n_process: int = 1,
        options: AttributionOptions | None = None,
    ) -> None:
        """Analyse and store ``articles`` in this thread (skip stored ones first with
        ``unknown``)."""
        for item in self.analysed(articles, nlp=nlp, n_process=n_process, options=options):
            self.put(item)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

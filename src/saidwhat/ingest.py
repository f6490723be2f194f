"""Read, analyse and store a batch of articles: what ``saidwhat ingest`` runs.

Articles already in the store are skipped *before* analysis (by content id, checked in
chunks), so re-running after a crash only pays for what is missing. Every article is
stored in its own transaction as soon as it is analysed, by a writer thread that runs
alongside extraction; unreadable or failing inputs are recorded in the store's ``errors``
table with a one-line reason and the batch goes on.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from spacy.language import Language

from saidwhat.analyse import AnalysisFailed, analyse_many
from saidwhat.linking.copies import warm_up
from saidwhat.reading.readers import ReadError, iter_inputs
from saidwhat.schema import Analysis, Article
from saidwhat.store import Store, count_result

CHUNK = 64  # articles per "already stored?" query
QUEUE = 256  # analysed articles waiting to be written


@dataclass
class IngestReport:
    added: int = 0
    duplicates: int = 0  # already stored (skipped before analysis, or same text twice)
    copies: int = 0  # stored, and linked to an earlier story as a syndicated copy
    statements: int = 0
    errors: int = 0
    failures: list[str] = field(default_factory=list)  # one line each: "<path>: <reason>"
    seconds: float = 0.0
    store_seconds: float = 0.0  # time spent writing (the rest is reading + extraction)

    @property
    def stored(self) -> int:
        return self.added + self.copies


def ingest(
    paths: Iterable[str],
    store: Store,
    nlp: Language | None = None,
    n_process: int = 1,
    progress: bool = True,
    console: Console | None = None,
) -> IngestReport:
    """Ingest files, folders and globs into ``store``; never raises for bad input."""
    report = IngestReport()
    console = console or Console(stderr=True, soft_wrap=True)  # one line per error, never wrapped
    started = time.perf_counter()
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} articles"),
        TextColumn("{task.fields[statements]} statements"),
        TextColumn("{task.fields[dups]} already stored"),
        TextColumn("[red]{task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=console,
        disable=not progress,
        transient=False,
    )

    writer = _Writer(store, report, bar)

    with bar:
        writer.task = bar.add_task("ingest", total=None, statements=0, errors=0, dups=0)
        writer.start()

        def fresh() -> Iterator[Article]:
            for chunk in _chunks(_readable(iter_inputs(paths), writer.put), CHUNK):
                known = store.known_ids(a.id for a in chunk)
                for article in chunk:
                    if article.id in known:
                        writer.count_duplicate()
                    else:
                        yield article
                writer.tick()

        try:
            for result in analyse_many(fresh(), nlp=nlp, n_process=n_process):
                if isinstance(result, AnalysisFailed):
                    path, _, reason = str(result).partition(": ")
                    writer.put(_Failure(path, reason or "analysis failed", "analyse"))
                else:
                    writer.put(result)
        finally:
            writer.finish()
        writer.tick()
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True)
class _Failure:
    path: str
    reason: str
    stage: str  # read | analyse | store


class _Writer(threading.Thread):
    """Stores results in a thread of its own, so that writing (mostly waiting on the
    database) overlaps with reading and extraction; it is also the only thread that
    writes, which keeps SQLite free of lock contention."""

    def __init__(self, store: Store, report: IngestReport, bar: Progress) -> None:
        super().__init__(name="saidwhat-store-writer", daemon=True)
        self.store, self.report, self.bar = store, report, bar
        self.task: TaskID | None = None
        self.queue: queue.Queue[Analysis | _Failure | None] = queue.Queue(maxsize=QUEUE)
        self.lock = threading.Lock()
        self.error: BaseException | None = None

    def put(self, item: Analysis | _Failure) -> None:
        while True:
            if self.error is not None:
                raise RuntimeError(f"the store writer stopped: {self.error}") from self.error
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def finish(self) -> None:
        if self.is_alive():
            self.queue.put(None)
            self.join()
        if self.error is not None:
            raise self.error

    def count_duplicate(self) -> None:
        with self.lock:
            self.report.duplicates += 1

    def tick(self) -> None:
        if self.task is None:
            return
        r = self.report
        with self.lock:
            fields = {"statements": r.statements, "errors": r.errors, "dups": r.duplicates}
            self.bar.update(self.task, completed=r.stored, **fields)

    def run(self) -> None:
        try:
            warm_up()
            while (item := self.queue.get()) is not None:
                if isinstance(item, _Failure):
                    self.fail(item)
                else:
                    self.add(item)
                self.tick()
        except BaseException as exc:  # the database went away: stop, tell the reader
            self.error = exc

    def add(self, analysis: Analysis) -> None:
        t0 = time.perf_counter()
        try:
            added = self.store.add_analysis(analysis)
        except Exception as exc:  # one article the store rejects: record it, go on
            if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
                raise
            art = analysis.article
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
            self.fail(_Failure(art.path or art.id, f"cannot store: {reason}", "store"))
            return
        finally:
            self.report.store_seconds += time.perf_counter() - t0
        with self.lock:
            count_result(self.report, added)

    def fail(self, failure: _Failure) -> None:
        with self.lock:
            self.report.errors += 1
            self.report.failures.append(f"{failure.path}: {failure.reason}")
        self.store.record_error(failure.path, failure.reason, failure.stage)
        self.bar.console.print(
            f"[red]error[/red] {failure.path}: {failure.reason}", highlight=False
        )


def _readable(
    items: Iterable[Article | ReadError], fail: Callable[[_Failure], None]
) -> Iterator[Article]:
    for item in items:
        if isinstance(item, ReadError):
            fail(_Failure(item.path, item.reason, "read"))
        else:
            yield item


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

"""Ingest files, folders and globs: what ``saidwhat ingest`` runs.

Paths become articles through the readers; the one loop (``ingest.core``) skips those
already stored *before* analysis, analyses the rest and stores each in its own
transaction. Here the loop is split over two threads so that writing (mostly waiting on
the database) overlaps with reading and extraction: this thread reads and analyses, a
writer thread stores and records failures, and is the only thread that writes, which
keeps SQLite free of lock contention. A progress bar shows the counts as they go.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

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

from saidwhat.analyse import AttributionOptions
from saidwhat.ingest.core import Failure, IngestLoop
from saidwhat.linking.copies import warm_up
from saidwhat.reading.readers import iter_inputs
from saidwhat.schema import Analysis, Article
from saidwhat.store import AddResult, Store, count_result

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
    options: AttributionOptions | None = None,
) -> IngestReport:
    """Ingest files, folders and globs into ``store``; never raises for bad input (a
    lost database connection does raise: see ``ingest.core``)."""
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
    loop = writer.loop

    def fresh() -> Iterator[Article]:
        readable = loop.readable(iter_inputs(paths), fail=writer.put)  # failures: writer's
        yield from loop.unknown(readable, lambda a: a.id, on_known=writer.count_duplicate)

    with bar:
        writer.task = bar.add_task("ingest", total=None, statements=0, errors=0, dups=0)
        writer.start()
        try:
            for item in loop.analysed(fresh(), nlp=nlp, n_process=n_process, options=options):
                writer.put(item)
        finally:
            writer.finish()
        writer.tick()
    report.seconds = time.perf_counter() - started
    return report


class _Writer(threading.Thread):
    """Runs the loop's writing half (``IngestLoop.put``) in a thread of its own; tells
    the reading half when it stopped (the database went away)."""

    def __init__(self, store: Store, report: IngestReport, bar: Progress) -> None:
        super().__init__(name="saidwhat-store-writer", daemon=True)
        self.report, self.bar = report, bar
        self.loop = IngestLoop(store, on_stored=self.stored, on_failed=self.failed)
        self.task: TaskID | None = None
        self.queue: queue.Queue[Analysis | Failure | None] = queue.Queue(maxsize=QUEUE)
        self.lock = threading.Lock()
        self.error: BaseException | None = None

    def put(self, item: Analysis | Failure) -> None:
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

    def count_duplicate(self, _article: Article) -> None:
        with self.lock:
            self.report.duplicates += 1
        self.tick()

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
                t0 = time.perf_counter()
                try:
                    self.loop.put(item)
                finally:
                    if not isinstance(item, Failure):
                        self.report.store_seconds += time.perf_counter() - t0
                self.tick()
        except BaseException as exc:  # the database went away: stop, tell the reader
            self.error = exc

    def stored(self, _analysis: Analysis, result: AddResult) -> None:
        with self.lock:
            count_result(self.report, result)

    def failed(self, failure: Failure) -> None:
        with self.lock:
            self.report.errors += 1
            self.report.failures.append(str(failure))
        self.bar.console.print(f"[red]error[/red] {failure}", highlight=False)

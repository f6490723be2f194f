"""Read, analyse and store a batch of articles: what ``saidwhat ingest`` runs.

Articles already in the store are skipped *before* analysis (by content id, checked in
chunks), so re-running after a crash only pays for what is missing. Every article is
stored in its own transaction as soon as it is analysed; unreadable or failing inputs
are recorded in the store's ``errors`` table with a one-line reason and the batch goes on.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from spacy.language import Language

from saidwhat.analyse import AnalysisFailed, analyse_many
from saidwhat.article import ReadError, iter_inputs
from saidwhat.schema import Article
from saidwhat.store import Store

CHUNK = 64  # articles per "already stored?" query


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
    console = console or Console(stderr=True)
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

    def fail(path: str, reason: str, stage: str) -> None:
        report.errors += 1
        report.failures.append(f"{path}: {reason}")
        store.record_error(path, reason, stage)
        bar.console.print(f"[red]error[/red] {path}: {reason}", highlight=False, markup=True)

    with bar:
        task = bar.add_task("ingest", total=None, statements=0, errors=0, dups=0)

        def tick() -> None:
            bar.update(
                task,
                completed=report.stored,
                statements=report.statements,
                errors=report.errors,
                dups=report.duplicates,
            )

        def fresh() -> Iterator[Article]:
            for chunk in _chunks(_readable(iter_inputs(paths), fail), CHUNK):
                known = store.known_ids(a.id for a in chunk)
                for article in chunk:
                    if article.id in known:
                        report.duplicates += 1
                    else:
                        yield article
                tick()

        for result in analyse_many(fresh(), nlp=nlp, n_process=n_process):
            if isinstance(result, AnalysisFailed):
                path, _, reason = str(result).partition(": ")
                fail(path, reason or "analysis failed", "analyse")
            else:
                t0 = time.perf_counter()
                try:
                    added = store.add_analysis(result)
                except Exception as exc:  # a store failure on one article: record, go on
                    fail(result.article.path or result.article.id, f"cannot store: {exc}", "store")
                    continue
                finally:
                    report.store_seconds += time.perf_counter() - t0
                if added.status == "duplicate":
                    report.duplicates += 1
                else:
                    report.added += added.status == "added"
                    report.copies += added.status == "copy"
                    report.statements += added.statements
            tick()
        tick()
    report.seconds = time.perf_counter() - started
    return report


def _readable(items: Iterable[Article | ReadError], fail) -> Iterator[Article]:  # type: ignore[no-untyped-def]
    for item in items:
        if isinstance(item, ReadError):
            fail(item.path, item.reason, "read")
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

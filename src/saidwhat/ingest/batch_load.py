"""Bulk-loading a ``saidwhat batch`` output folder into the store.

The loader does not write tables of its own: it rebuilds each article's ``Analysis``
from the ``analysis`` column of the Parquet ``articles`` table and hands it to the
store's own write path (``Store.add_analyses``) in input order (``seq``), the order in
which ``saidwhat ingest`` meets the same inputs. So a corpus analysed on any number of
workers, in partitions of any size, ends up as the same store as ``ingest`` of the same
articles: entity merging needs all articles and happens here, not on workers.

Like ingest, the load merges entities incrementally, article by article. ``remerge=True``
(``saidwhat load --remerge``) then re-merges every entity in the store's fixed order, so
the result no longer depends on the order articles arrived in (useful when several batch
folders, or a batch and earlier ingests, end up in one store); it equals ingest followed
by ``Store.remerge()``.

Partitions are read one at a time (in input order), so memory holds one partition's
documents, not the corpus. Articles go through the one ingest loop (``ingest.core``):
stored ones are skipped before their document is parsed, one the store refuses is
recorded and the load goes on, a lost connection stops it. Inputs the batch could not
read or analyse, and partitions that failed, are recorded in the store's ``errors``
table as ingest records them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from saidwhat.batch.output import MANIFEST, done_partitions, read_markers
from saidwhat.ingest.core import Failure, IngestLoop
from saidwhat.schema import Analysis
from saidwhat.store import AddResult, Store, count_result
from saidwhat.store.bulk import copy_mode


class NotABatchFolder(ValueError):
    """The folder has no ``manifest.json`` / partition markers of ``saidwhat batch``."""


@dataclass
class LoadReport:
    partitions: int = 0
    articles: int = 0  # read from Parquet
    added: int = 0  # stored as a new story
    copies: int = 0  # stored, as a syndicated copy of another article
    duplicates: int = 0  # already in the store
    statements: int = 0
    errors_recorded: int = 0  # batch errors, and articles the store refused
    entities: int = 0  # live entities after the re-merge
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)  # unreadable part files
    failures: list[str] = field(default_factory=list)  # "<path>: <reason>", store refusals

    @property
    def stored(self) -> int:
        return self.added + self.copies


def check_batch_folder(out: str | os.PathLike[str]) -> Path:
    folder = Path(out)
    if not folder.is_dir():
        raise NotABatchFolder(f"{folder}: no such folder")
    if not (folder / MANIFEST).is_file() and not read_markers(folder):
        raise NotABatchFolder(f"{folder}: not a saidwhat batch output (no {MANIFEST})")
    return folder


def iter_partition_rows(
    out: str | os.PathLike[str], problems: list[str] | None = None
) -> Iterator[list[dict[str, Any]]]:
    """The ``{seq, id, analysis}`` rows of each done partition, partitions and rows in
    input order (one partition in memory at a time)."""
    folder = check_batch_folder(out)
    for marker in done_partitions(folder).values():
        tables = []
        for rel in marker.get("files", {}).get("articles", []):
            try:
                tables.append(pq.read_table(folder / rel, columns=["seq", "id", "analysis"]))
            except (OSError, pa.ArrowException) as exc:
                msg = f"{folder / rel}: cannot read ({' '.join(str(exc).split())[:200]})"
                if problems is not None:
                    problems.append(msg)
        if tables:
            rows = pa.concat_tables(tables).to_pylist()
            yield sorted(rows, key=lambda r: (r["seq"], r["id"]))


def iter_batch_analyses(
    out: str | os.PathLike[str], problems: list[str] | None = None
) -> Iterator[Analysis]:
    """Every analysed article of a batch folder, in input order."""
    for rows in iter_partition_rows(out, problems):
        for row in rows:
            yield Analysis.from_dict(json.loads(row["analysis"]))


def batch_errors(out: str | os.PathLike[str]) -> list[tuple[str, str, str]]:
    """``(path, stage, reason)`` for every input the batch could not read or analyse."""
    folder = check_batch_folder(out)
    found: list[tuple[str, str, str]] = []
    manifest_path = folder / MANIFEST
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for line in manifest.get("read_errors", []):
            path, _, reason = line.rpartition(": ")
            found.append((path or line, "read", reason))
    done = done_partitions(folder)
    for pid, marker in read_markers(folder).items():
        if pid in done:
            for f in marker.get("failed_articles", []):
                found.append((f["path"], f.get("stage", "analyse"), f["reason"]))
        else:
            reason = f"batch partition {pid} failed: {marker.get('reason', 'incomplete')}"
            found += [(p, "analyse", reason) for p in marker.get("paths", [])]
    return found


def load_batch(
    out: str | os.PathLike[str],
    store: Store,
    on_article: Callable[[int], None] | None = None,
    remerge: bool = False,
) -> LoadReport:
    """Store every analysed article of the batch folder ``out``; returns what happened.

    ``on_article(n)`` is called after each article (for a progress bar); ``remerge``:
    see the module docstring.
    """
    started = time.perf_counter()
    folder = check_batch_folder(out)
    report = LoadReport(partitions=len(done_partitions(folder)))

    def seen() -> None:
        report.articles += 1
        if on_article:
            on_article(report.articles)

    def stored(_analysis: Analysis, result: AddResult) -> None:
        count_result(report, result)

    def known(_row: dict[str, Any]) -> None:
        report.duplicates += 1
        seen()

    def failed(failure: Failure) -> None:
        report.errors_recorded += 1
        report.failures.append(str(failure))

    loop = IngestLoop(store, on_stored=stored, on_failed=failed)
    with copy_mode():  # PostgreSQL: the bulk rows go in by COPY
        for rows in iter_partition_rows(folder, report.problems):
            # The whole partition in one "already stored?" check, stored ones unparsed.
            fresh = loop.unknown(rows, _row_id, on_known=known, chunk=max(len(rows), 1))
            for row in fresh:
                loop.add(Analysis.from_dict(json.loads(row["analysis"])))
                seen()
        if remerge and report.stored:
            store.remerge()
    report.errors_recorded += _record_errors(store, batch_errors(folder) + _problems(report))
    report.entities = store.counts()["entities"]
    report.seconds = time.perf_counter() - started
    return report


def _row_id(row: dict[str, Any]) -> str:
    return row["id"]


def _problems(report: LoadReport) -> list[tuple[str, str, str]]:
    return [(p.rpartition(": ")[0], "read", p.rpartition(": ")[2]) for p in report.problems]


def _record_errors(store: Store, found: list[tuple[str, str, str]]) -> int:
    """Record errors not already recorded (loading twice does not double them)."""
    have: set[tuple[Any, ...]] = {(e.path, e.stage, e.reason) for e in store.errors()}
    n = 0
    for path, stage, reason in found:
        if (path, stage, reason) not in have:
            store.record_error(path, reason, stage=stage)
            have.add((path, stage, reason))
            n += 1
    return n

"""Running a batch: stream partitions to a Dask cluster and write what comes back.

The client reads and partitions the inputs lazily and keeps only a bounded number of
partitions in flight (twice the worker threads), so a corpus larger than memory streams
through. Workers return Arrow tables; the client writes them (``output.write_partition``),
so workers need no shared filesystem and a remote ``--scheduler`` just works.

A task that raises is retried by Dask (``retries``); when it still fails, or its worker
dies, the partition is recorded as failed with the reason and the rest go on. Re-running
skips every partition whose done marker is present.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saidwhat.attribution.budget import DEFAULT_TIME_BUDGET
from saidwhat.nlp import model_name
from saidwhat.reading.records import ReadError

from .output import done_partitions, read_markers, write_failure, write_manifest, write_partition
from .partition import DEFAULT_PARTITION_SIZE, iter_corpus, iter_partitions
from .worker import PartitionResult, analyse_partition

MANIFEST_EVERY = 10.0  # seconds between manifest rewrites during a run


class BatchProgress:
    """Hooks the CLI implements with a progress bar; the default does nothing."""

    def planned(self, partitions: int, articles: int, final: bool) -> None:
        """``partitions`` cut so far (``final``: the inputs are exhausted)."""

    def skipped(self, pid: str, articles: int) -> None:
        """A partition done by an earlier run."""

    def done(self, pid: str, articles: int, statements: int) -> None:
        """A partition analysed and written."""

    def failed(self, pid: str, reason: str) -> None:
        """A partition that failed after its retries."""

    def problem(self, message: str) -> None:
        """One input that could not be read or analysed (one line)."""


@dataclass
class BatchReport:
    out: Path
    partitions: int = 0  # cut from the inputs in this run
    done: int = 0  # analysed and written in this run
    skipped: int = 0  # already done by an earlier run
    failed: int = 0
    articles: int = 0  # analysed in this run
    statements: int = 0
    duplicates: int = 0  # same text read twice
    read_errors: list[str] = field(default_factory=list)
    article_failures: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (pid, reason)
    stale: int = 0  # done partitions in DIR that these inputs no longer produce
    workers: int = 0
    seconds: float = 0.0
    task_seconds: float = 0.0  # summed over partitions analysed in this run
    task_cpu_seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> bool:
        return not (self.failed or self.read_errors or self.article_failures)


@contextmanager
def dask_client(
    scheduler: str | None = None, workers: int | None = None, processes: bool = True
) -> Iterator[Any]:
    """A client of ``scheduler`` (``tcp://host:port``), or of a new LocalCluster with
    ``workers`` single-threaded workers (default: one per CPU)."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=":0",  # any free port: never clash with another cluster
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_batch(
    inputs: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    client: Any,
    *,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    model: str | None = None,
    retries: int = 2,
    progress: BatchProgress | None = None,
    workers: list[str] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    engine: str | None = None,
    outlets: str | None = None,
) -> BatchReport:
    """Analyse ``inputs`` on the cluster of ``client`` into Parquet under ``out``.

    ``time_budget``: seconds one article may take on its worker (None: no limit); an
    article over it is reported among the failed articles, its partition goes on.
    ``engine`` (None: the default) is the attribution engine every worker runs;
    ``outlets`` the user's outlets file it reads (a path the workers can read).

    ``workers`` (addresses) restricts the tasks to those workers (the benchmark uses it
    to measure 1, 2, ... workers of one cluster).
    """
    from dask.distributed import as_completed

    progress = progress or BatchProgress()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = BatchReport(out=out)
    threads = client.nthreads()
    report.workers = sum(n for w, n in threads.items() if workers is None or w in workers)
    max_in_flight = max(2, 2 * report.workers)
    already = done_partitions(out)
    run_facts: dict[str, Any] = {
        "inputs": [str(p) for p in inputs] if isinstance(inputs, list | tuple) else None,
        "model": model_name(model),
        "partition_size": partition_size,
        "scheduler": getattr(getattr(client, "scheduler", None), "address", None),
        "read_errors": report.read_errors,
        "duplicates": 0,
    }
    token = uuid.uuid4().hex[:8]
    planned: set[str] = set()
    paths_of: dict[str, list[str]] = {}
    n_articles = 0
    last_manifest = time.monotonic()

    def on_error(err: ReadError) -> None:
        report.read_errors.append(str(err))
        progress.problem(str(err))

    def on_duplicate(_article: Any) -> None:
        report.duplicates += 1

    def collect(fut: Any) -> None:
        nonlocal last_manifest
        pid = fut.key.rsplit("-", 1)[-1]
        try:
            result: PartitionResult = fut.result()
        except Exception as exc:  # retries exhausted, worker died, cluster gone
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
            write_failure(out, pid, paths_of.pop(pid, []), reason)
            report.failed += 1
            report.failures.append((pid, reason))
            progress.failed(pid, reason)
        else:
            write_partition(out, result)
            paths_of.pop(pid, None)
            report.done += 1
            report.articles += result.articles
            report.statements += result.statements
            report.task_seconds += result.seconds
            report.task_cpu_seconds += result.cpu_seconds
            for f in result.failures:
                line = f"{f.path}: {f.reason}"
                report.article_failures.append(line)
                progress.problem(line)
            progress.done(pid, result.articles, result.statements)
        finally:
            fut.release()
        if time.monotonic() - last_manifest > MANIFEST_EVERY:
            run_facts["duplicates"] = report.duplicates
            write_manifest(out, run_facts)
            last_manifest = time.monotonic()

    pending = as_completed()
    in_flight = 0
    corpus = iter_corpus(list(inputs))
    for part in iter_partitions(corpus, partition_size, on_error, on_duplicate):
        planned.add(part.pid)
        n_articles += len(part.articles)
        report.partitions += 1
        progress.planned(report.partitions, n_articles, final=False)
        if part.pid in already:
            report.skipped += 1
            progress.skipped(part.pid, len(part.articles))
            continue
        paths_of[part.pid] = [a.path or a.id for a in part.articles]
        key = f"saidwhat-partition-{token}-{part.pid}"
        pending.add(
            client.submit(
                analyse_partition,
                part.pid,
                part.articles,
                part.seqs,
                model,
                time_budget,
                engine,
                outlets,
                key=key,
                retries=retries,
                workers=workers,
                allow_other_workers=False,
            )
        )
        in_flight += 1
        while in_flight >= max_in_flight:
            collect(next(pending))
            in_flight -= 1
    progress.planned(report.partitions, n_articles, final=True)
    for fut in pending:
        collect(fut)
    report.stale = len(set(read_markers(out)) - planned)
    run_facts["duplicates"] = report.duplicates
    run_facts["last_run"] = {
        "partitions": report.partitions,
        "done": report.done,
        "skipped": report.skipped,
        "failed": report.failed,
        "articles": report.articles,
        "stale_partitions": report.stale,
        "workers": report.workers,
        "seconds": round(time.perf_counter() - started, 2),
    }
    write_manifest(out, run_facts)
    report.seconds = time.perf_counter() - started
    return report

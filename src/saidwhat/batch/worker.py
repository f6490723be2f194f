"""What runs on a Dask worker: analyse one partition and return its Arrow tables.

The spaCy pipeline is loaded once per worker and kept for every later task. It is kept
on the worker, not in the process-wide ``load_pipeline`` cache, because two workers can
share a process (``processes=False``) and a spaCy pipeline is not documented as safe to
call from two threads at once; for the same reason workers should run one thread each
(``--nthreads 1``: spaCy holds the GIL, so more threads would not be faster anyway).

One article that fails is reported in the result and the partition goes on; only an
error outside analysis (e.g. out of memory) fails the task, which Dask then retries.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from spacy.language import Language

from saidwhat.analyse import analyse, failure_reason, with_settings
from saidwhat.attribution.budget import DEFAULT_TIME_BUDGET
from saidwhat.nlp import load_pipeline, model_name
from saidwhat.schema import Analysis, Article

from .tables import tables_by_date

# One pipeline per Dask worker (two workers may share a process with processes=False).
_pipelines: weakref.WeakKeyDictionary[Any, dict[str, Language]] = weakref.WeakKeyDictionary()
_loading = threading.Lock()


@dataclass
class ArticleFailure:
    path: str
    reason: str
    stage: str = "analyse"


@dataclass
class PartitionResult:
    pid: str
    tables: dict[str, dict[str, pa.Table]]  # date key -> table name -> rows
    articles: int
    statements: int
    entities: int
    mentions: int
    first_seq: int
    failures: list[ArticleFailure] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this thread's CPU time: < seconds when the host is busy
    worker: str = ""


def worker_pipeline(model: str | None = None, worker: Any = None) -> Language:
    """The pipeline of this Dask worker, loaded on its first task and kept.

    Outside a worker (a plain function call) it is the process-wide ``load_pipeline``.
    """
    name = model_name(model)
    if worker is None:
        try:
            from dask.distributed import get_worker

            worker = get_worker()
        except (ImportError, ValueError):  # not running inside a Dask task
            return load_pipeline(name)
    with _loading:
        cache = _pipelines.setdefault(worker, {})
        if name not in cache:
            cache[name] = load_pipeline.__wrapped__(name)
        return cache[name]


def warm_up(model: str | None = None, dask_worker: Any = None) -> str:
    """Load the pipeline before the first task: ``client.run(warm_up)`` (Dask passes
    ``dask_worker``). Returns the pipeline's name."""
    return worker_pipeline(model, dask_worker).meta.get("name", "?")


def analyse_partition(
    pid: str,
    articles: list[Article],
    seqs: list[int],
    model: str | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    engine: str | None = None,
    outlets: str | None = None,
) -> PartitionResult:
    """Analyse every article of one partition; failures are collected, not raised. An
    article over ``time_budget`` seconds (None: no limit) is one of the failures. The
    neural engine's tagger loads once per worker process (``options.load_tagger``);
    ``outlets``, the user's outlets file, must be readable where the workers run."""
    nlp = worker_pipeline(model)
    options = with_settings(nlp, time_budget, engine, outlets)
    started, cpu_started = time.perf_counter(), time.thread_time()
    done: list[tuple[Analysis, int]] = []
    failures: list[ArticleFailure] = []
    for article, seq in zip(articles, seqs, strict=True):
        try:
            done.append((analyse(article, nlp, options), seq))
        except Exception as exc:  # one bad article must not lose the partition
            failures.append(ArticleFailure(article.path or article.id, failure_reason(exc)))
    return PartitionResult(
        pid=pid,
        tables=tables_by_date(done, pid),
        articles=len(done),
        statements=sum(len(a.statements) for a, _ in done),
        entities=sum(len(a.entities) for a, _ in done),
        mentions=sum(len(e.mentions) for a, _ in done for e in a.entities),
        first_seq=seqs[0] if seqs else 0,
        failures=failures,
        seconds=time.perf_counter() - started,
        cpu_seconds=time.thread_time() - cpu_started,
        worker=f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}",
    )

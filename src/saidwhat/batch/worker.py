"""What runs on a Dask worker: analyse one partition and return its Arrow tables.

The spaCy pipeline is loaded once per worker thread and kept for every later task (with
the default ``threads_per_worker=1`` that is once per worker). Threads get their own copy
because two workers can share a process (``processes=False``) and a spaCy pipeline is not
documented as safe to call from two threads at once.

One article that fails is reported in the result and the partition goes on; only an
error outside analysis (e.g. out of memory) fails the task, which Dask then retries.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field

import pyarrow as pa
from spacy.language import Language

from saidwhat.analyse import analyse
from saidwhat.nlp import load_pipeline, model_name
from saidwhat.schema import Analysis, Article

from .tables import tables_by_date

_local = threading.local()


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
    worker: str = ""


def worker_pipeline(model: str | None = None) -> Language:
    """This thread's pipeline, loaded on first use (``load_pipeline`` minus the shared cache)."""
    name = model_name(model)
    cache: dict[str, Language] = _local.__dict__.setdefault("pipelines", {})
    if name not in cache:
        cache[name] = load_pipeline.__wrapped__(name)
    return cache[name]


def warm_up(model: str | None = None) -> str:
    """Load the pipeline ahead of the first task (``client.run(warm_up)``); returns its name."""
    return worker_pipeline(model).meta.get("name", "?")


def analyse_partition(
    pid: str, articles: list[Article], seqs: list[int], model: str | None = None
) -> PartitionResult:
    """Analyse every article of one partition; failures are collected, not raised."""
    started = time.perf_counter()
    nlp = worker_pipeline(model)
    done: list[tuple[Analysis, int]] = []
    failures: list[ArticleFailure] = []
    for article, seq in zip(articles, seqs, strict=True):
        try:
            done.append((analyse(article, nlp), seq))
        except Exception as exc:  # one bad article must not lose the partition
            where = article.path or article.id
            failures.append(ArticleFailure(where, f"{type(exc).__name__}: {exc}"))
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
        worker=f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}",
    )

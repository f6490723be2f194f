"""Reading a corpus on the client and cutting it into partitions of N articles.

The client reads the inputs (the same ``iter_inputs`` as ``extract`` and ``ingest``, plus
Parquet files of articles) and ships the ``Article`` objects to the workers, so workers
need no access to the input files: a remote cluster only needs saidwhat and the model
installed. Reading is cheap next to parsing (about 1 ms against 70-150 ms per article).

A partition's id is a hash of its members' article ids (content hashes), so re-running
over the same inputs cuts the same partitions and can skip those already done. Each
article also carries ``seq``, its position in the input stream, which the loader uses
to store articles in the same order as ``saidwhat ingest`` would.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from saidwhat.reading.readers import iter_inputs
from saidwhat.reading.records import ReadError, article_from_record
from saidwhat.schema import Article

DEFAULT_PARTITION_SIZE = 64
PARQUET_SUFFIX = ".parquet"


@dataclass
class Partition:
    """``articles[i]`` is the ``seqs[i]``-th article of the input stream."""

    pid: str
    articles: list[Article]
    seqs: list[int] = field(default_factory=list)

    @property
    def first_seq(self) -> int:
        return self.seqs[0] if self.seqs else 0


def partition_id(article_ids: Iterable[str]) -> str:
    """Stable id of a set of articles: the same members give the same id, in any order."""
    digest = hashlib.sha1("\n".join(sorted(article_ids)).encode("ascii")).hexdigest()
    return digest[:16]


def read_parquet_articles(path: str | os.PathLike[str]) -> Iterator[Article | ReadError]:
    """Articles from a Parquet file whose rows look like the JSONL records
    (``text``/``body``/``content``, optional ``title``, ``date``, ``url``, ``source``).

    Rows are read a batch at a time, so a large file never sits in memory whole.
    """
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        names = set(pf.schema_arrow.names)
    except (OSError, ValueError) as exc:  # missing file, not Parquet, corrupt footer
        yield ReadError(path, f"cannot read Parquet ({' '.join(str(exc).split())[:200]})")
        return
    if not names & {"text", "body", "content"}:
        yield ReadError(path, "Parquet file has no 'text', 'body' or 'content' column")
        return
    row = 0
    for batch in pf.iter_batches(batch_size=512):
        for rec in batch.to_pylist():
            row += 1
            try:
                yield article_from_record(rec, f"{path}:row {row}")
            except ReadError as exc:
                yield exc


def iter_corpus(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Article | ReadError]:
    """``iter_inputs`` plus ``.parquet`` files named directly (or matched by a glob)."""
    for given in paths:
        name = str(given)
        if name.lower().endswith(PARQUET_SUFFIX) and Path(name).is_file():
            yield from read_parquet_articles(name)
        elif name.lower().endswith(PARQUET_SUFFIX) and glob.has_magic(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                yield ReadError(name, "no files match this pattern")
            for match in matches:
                yield from read_parquet_articles(match)
        else:
            yield from iter_inputs([name])


def iter_partitions(
    items: Iterable[Article | ReadError],
    size: int = DEFAULT_PARTITION_SIZE,
    on_error: Callable[[ReadError], None] | None = None,
    on_duplicate: Callable[[Article], None] | None = None,
) -> Iterator[Partition]:
    """Cut the article stream into partitions of ``size`` distinct articles.

    Read errors go to ``on_error`` (the batch goes on); an article whose text was already
    seen in this run goes to ``on_duplicate`` (the store would keep it once anyway).
    ``seq`` counts every article read, duplicates included, as ingest would meet them.
    """
    if size < 1:
        raise ValueError("partition size must be at least 1")
    seen: set[str] = set()
    chunk: list[Article] = []
    seqs: list[int] = []
    seq = 0
    for item in items:
        if isinstance(item, ReadError):
            if on_error:
                on_error(item)
            continue
        seq += 1
        if item.id in seen:
            if on_duplicate:
                on_duplicate(item)
            continue
        seen.add(item.id)
        chunk.append(item)
        seqs.append(seq)
        if len(chunk) == size:
            yield Partition(partition_id(a.id for a in chunk), chunk, seqs)
            chunk, seqs = [], []
    if chunk:
        yield Partition(partition_id(a.id for a in chunk), chunk, seqs)

"""Scale out: analyse a corpus on a Dask cluster into Parquet, then bulk-load the store.

``run_batch(inputs, out, client)`` cuts the inputs into partitions of N articles
(``partition``), analyses each partition on a worker with the pipeline loaded once per
worker (``worker``), and writes articles, statements, entities and mentions as Parquet
partitioned by article date, with per-partition markers and a ``manifest.json``
(``output``, ``tables``). ``saidwhat.ingest.load_batch`` stores the result; see
``docs/batch.md``.
"""

from .output import MANIFEST, done_partitions, write_manifest
from .partition import DEFAULT_PARTITION_SIZE, Partition, iter_corpus, iter_partitions
from .run import BatchProgress, BatchReport, dask_client, run_batch
from .tables import PARTITION_KEY, SCHEMAS, TABLES
from .worker import analyse_partition, warm_up

__all__ = [
    "DEFAULT_PARTITION_SIZE",
    "MANIFEST",
    "PARTITION_KEY",
    "SCHEMAS",
    "TABLES",
    "BatchProgress",
    "BatchReport",
    "Partition",
    "analyse_partition",
    "dask_client",
    "done_partitions",
    "iter_corpus",
    "iter_partitions",
    "run_batch",
    "warm_up",
    "write_manifest",
]

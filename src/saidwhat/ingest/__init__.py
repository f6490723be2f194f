"""Getting articles into the store: one loop, three doors.

``core`` is the one loop (known ids -> analyse -> add -> record the error) with its one
failure policy; ``files`` reads paths for ``saidwhat ingest`` (``ingest``), ``batch_load``
stores a ``saidwhat batch`` folder for ``saidwhat load`` (``load_batch``), and
``upload`` takes pasted text and uploaded files for the web app (``store_articles``).
"""

from saidwhat.ingest.batch_load import (
    LoadReport,
    NotABatchFolder,
    batch_errors,
    check_batch_folder,
    iter_batch_analyses,
    iter_partition_rows,
    load_batch,
)
from saidwhat.ingest.core import Failure, IngestLoop, connection_lost
from saidwhat.ingest.files import IngestReport, ingest

__all__ = [
    "Failure",
    "IngestLoop",
    "IngestReport",
    "LoadReport",
    "NotABatchFolder",
    "batch_errors",
    "check_batch_folder",
    "connection_lost",
    "ingest",
    "iter_batch_analyses",
    "iter_partition_rows",
    "load_batch",
]

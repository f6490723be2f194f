"""Downloads of a whole search result: ``/api/statements.csv``, ``.jsonl``, ``.parquet``.

The same filters and sort as ``/api/statements`` and the search page, but every
matching row rather than one page, so "download this result" gives exactly what paging
through it would show, in the same order. Rows are the export's (``query.export``: every
field, as ``saidwhat export`` writes them). CSV and JSON Lines are streamed as they are
read (a large result is never held in memory); Parquet, whose footer needs the whole
file, is written to a temporary file first and removed once sent.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from saidwhat.query import StatementRow
from saidwhat.query.export import COLUMNS, csv_record, result_rows, write_parquet
from saidwhat.web.params import FiltersDep, SearchOptionsDep, StoreDep

router = APIRouter(tags=["read"])

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
CHUNK_ROWS = 500  # rows per piece of a streamed body


@router.get(
    "/statements.{fmt}",
    summary="Download a search result",
    response_class=StreamingResponse,
    response_model=None,
    responses={
        200: {
            "description": "Every matching statement, as CSV, JSON Lines or Parquet",
            "content": {media: {} for media in MEDIA_TYPES.values()},
        },
        422: {"description": "An unknown format, act, type, kind or sort"},
    },
)
def download(
    store: StoreDep,
    f: FiltersDep,
    options: SearchOptionsDep,
    fmt: Annotated[
        str, PathParam(pattern="^(csv|jsonl|parquet)$", description="csv | jsonl | parquet")
    ],
) -> StreamingResponse | FileResponse:
    """Every statement the filters match (``limit`` and ``offset`` ignored), in the
    order of ``sort``: the result ``/api/statements`` pages through, whole."""
    sort, _ = options
    rows = result_rows(store, f.replace(limit=None), sort)
    headers = {"content-disposition": f'attachment; filename="statements.{fmt}"'}
    if fmt == "parquet":
        handle, name = tempfile.mkstemp(prefix="saidwhat-", suffix=".parquet")
        os.close(handle)
        try:
            write_parquet(rows, Path(name))
        except BaseException:
            os.unlink(name)
            raise
        return FileResponse(
            name,
            media_type=MEDIA_TYPES[fmt],
            headers=headers,
            background=BackgroundTask(os.unlink, name),
        )
    body = _csv(rows) if fmt == "csv" else _jsonl(rows)
    return StreamingResponse(body, media_type=MEDIA_TYPES[fmt], headers=headers)


def _csv(rows: Iterator[StatementRow]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow(csv_record(row))
        if n % CHUNK_ROWS == 0:
            yield _drain(out)
    yield _drain(out)


def _jsonl(rows: Iterator[StatementRow]) -> Iterator[str]:
    out = io.StringIO()
    for n, row in enumerate(rows, 1):
        out.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        if n % CHUNK_ROWS == 0:
            yield _drain(out)
    yield _drain(out)


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text

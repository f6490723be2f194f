"""Writing statements out: JSON Lines, CSV and Parquet, whole store or filtered.

Rows are ``query.StatementRow``s streamed from ``iter_statements`` and written as they
come, so exporting a large store needs little memory. Each format keeps every field:
JSONL and Parquet keep lists (``via``) and spans as structures, CSV joins ``via`` with
``"; "`` and writes spans as JSON text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

from saidwhat.query import (
    QueryFilters,
    Readable,
    StatementRow,
    iter_statements,
    search_statements,
)

FORMATS = ("jsonl", "csv", "parquet")
COLUMNS = [f.name for f in fields(StatementRow)]
PARQUET_BATCH = 5000


def export_statements(
    source: Readable,
    out: str | Path,
    fmt: str,
    filters: QueryFilters | None = None,
    limit: int | None = None,
    sort: str | None = None,
) -> int:
    """Write every statement matching ``filters`` (all statements by default; the
    filters' page size is ignored, ``limit`` caps the count) to ``out``, oldest first
    unless ``sort`` says otherwise (``query.sorting.SORTS``); returns how many were
    written."""
    if fmt not in FORMATS:
        raise ValueError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    f = (filters or QueryFilters()).replace(limit=limit, offset=0)
    rows = result_rows(source, f, sort)
    path = Path(out)
    if fmt == "parquet":
        return write_parquet(rows, path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        return write_jsonl(rows, fh) if fmt == "jsonl" else write_csv(rows, fh)


def result_rows(
    source: Readable, filters: QueryFilters, sort: str | None = None
) -> Iterator[StatementRow]:
    """The rows of the result ``filters`` describe from the first (``limit`` caps them,
    None: all), in ``sort``'s order, streamed; a search by meaning (``like``,
    ``like_id``) is its ranked statements, best first, as its pages list them."""
    f = filters.replace(offset=0)
    if f.like or f.like_id is not None:
        yield from search_statements(source, f, with_total=False).items
        return
    yield from iter_statements(source, f, sort=sort)


def write_jsonl(rows: Iterable[StatementRow], fh: IO[str]) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def csv_record(row: StatementRow) -> dict[str, Any]:
    """A flat record: lists joined, spans as JSON, None as empty."""
    d = row.to_dict()
    d["via"] = "; ".join(row.via)
    d["cites"] = "; ".join(row.cites)
    for key in ("content_spans", "cue_span", "speaker_span", "via_links", "denies"):
        d[key] = json.dumps(d[key], ensure_ascii=False) if d[key] is not None else ""
    return {k: "" if v is None else v for k, v in d.items()}


def write_csv(rows: Iterable[StatementRow], fh: IO[str]) -> int:
    writer = csv.DictWriter(fh, fieldnames=COLUMNS)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(csv_record(row))
        n += 1
    return n


def parquet_schema():  # type: ignore[no-untyped-def]
    import pyarrow as pa

    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
    types = {
        "id": pa.int64(),
        "speaker_id": pa.int64(),
        "outlet_count": pa.int64(),
        "report_count": pa.int64(),
        "start": pa.int64(),
        "end": pa.int64(),
        "via": pa.list_(pa.string()),
        "content_spans": pa.list_(span),
        "cue_span": pa.list_(pa.int64()),
        "speaker_span": pa.list_(pa.int64()),
        "via_links": pa.list_(
            pa.struct([("name", pa.string()), ("span", span), ("entity", pa.string())])
        ),
        "cites": pa.list_(pa.string()),
        "denies": span,
        "target_id": pa.int64(),
        "confidence": pa.float64(),
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])


def _batches(rows: Iterable[StatementRow], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row.to_dict())
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_parquet(rows: Iterable[StatementRow], path: Path) -> int:
    """Parquet with a fixed schema (so an empty export still has every column)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        for batch in _batches(rows, PARQUET_BATCH):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n

"""The batch output as Arrow tables: articles, statements, entities and mentions.

``articles`` keeps the whole ``Analysis.to_dict()`` document of each article (column
``analysis``), which is what ``saidwhat load`` rebuilds and feeds to the store's own
write path; the other three tables are flat copies for analytics (pandas, DuckDB,
Spark) and are never read back by saidwhat. Entity ids in them are the article-local
ids of the Analysis (``e1``, ``e2``...): corpus-wide entities only exist once the
articles are merged in the store, because merging needs every article.

The rows come from the store's own row mapping (``store.rows``: the same functions the
writer uses) and each column's Arrow type from the store table it mirrors, so a new
statement field needs no edit here to reach the store and only its name in
``COLUMNS`` to reach the flat table. The flat tables keep the column set they have
always had (docs/batch.md), a documented subset of the store's columns: ``mentions``
names its entity ``entity_local_id`` (the store: ``local_entity``), ``statements.via``
lists the intermediaries' names (the store keeps their spans too), and a few columns
exist only here (``seq``, ``partition``, ``entity_count``, ``mention_count``, and
``analysis`` as JSON text).

Files are partitioned by the article's date, Hive style, under the key ``article_date``
(not ``date``: statements have their own ``date`` column and Arrow refuses a partition
key that repeats a column name).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import sqlalchemy as sa

from saidwhat.schema import Analysis
from saidwhat.store import tables as store_tables
from saidwhat.store.rows import article_fields, entity_fields, mention_fields, statement_fields

PARTITION_KEY = "article_date"
UNKNOWN_DATE = "unknown"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _via_names(via: list[dict[str, Any]]) -> list[str]:
    return [v["name"] for v in via]


# Per flat table: the store table it mirrors, and its columns in file order, each
# ``name`` (the store column of that name) or ``(name, store column)`` when the batch
# spells it differently. Columns the store has no counterpart for are in ``_OWN_TYPES``.
COLUMNS: dict[str, tuple[sa.Table, tuple[str | tuple[str, str], ...]]] = {
    "articles": (
        store_tables.articles,
        (
            "id", "seq", "partition", "path", "url", "title", "date", "source", "agency",
            "reported_by", "dateline_place", "statement_count", "entity_count", "model",
            "schema_version", "text", "analysis",
        ),
    ),
    "statements": (
        store_tables.statements,
        (
            "article_id", "local_id", "type", "act", "content_text", "start", "end",
            "cue_text", "speaker_text", "speaker_local", "speaker_name", "via",
            "reported_by", "date", "date_from", "date_to", "date_text", "cites",
            "denies_text", "target_local", "occasion", "confidence", "kind",
            "speaker_kind", "described_by_local",
        ),
    ),
    "entities": (
        store_tables.article_entities,
        ("article_id", "local_id", "name", "type", "aliases", "roles", "mention_count"),
    ),
    "mentions": (
        store_tables.mentions,
        ("article_id", ("entity_local_id", "local_entity"), "start", "end", "text", "kind"),
    ),
}  # fmt: skip
_OWN_TYPES: dict[str, dict[str, pa.DataType]] = {
    "articles": {
        "seq": pa.int64(),
        "partition": pa.string(),
        "entity_count": pa.int32(),
        "analysis": pa.string(),  # Analysis.to_dict() as JSON: what the loader stores
    },
    "statements": {"via": pa.list_(pa.string())},  # intermediaries, outermost first
    "entities": {"mention_count": pa.int32()},
}
# Values the flat table writes differently from the store row, by batch column name.
_CONVERT: dict[str, dict[str, Callable[[Any], Any]]] = {"statements": {"via": _via_names}}


def _names(spec: str | tuple[str, str]) -> tuple[str, str]:
    """(batch column name, store column name)."""
    return (spec, spec) if isinstance(spec, str) else spec


def _arrow_type(column: sa.Column[Any]) -> pa.DataType:
    """The Arrow type of a store column. The JSON columns the flat tables carry are all
    lists of names (``cites``, ``aliases``, ``roles``)."""
    kind = column.type
    if isinstance(kind, sa.JSON):
        return pa.list_(pa.string())
    if isinstance(kind, sa.BigInteger):
        return pa.int64()
    if isinstance(kind, sa.Integer):
        return pa.int32()
    if isinstance(kind, sa.String):
        return pa.string()
    if isinstance(kind, sa.Float):
        return pa.float64()
    raise TypeError(f"no Arrow type for {column.table.name}.{column.name} ({kind})")


def _schema(table: str) -> pa.Schema:
    store_table, specs = COLUMNS[table]
    own = _OWN_TYPES.get(table, {})
    fields = []
    for spec in specs:
        name, source = _names(spec)
        kind = own[name] if name in own else _arrow_type(store_table.c[source])
        fields.append((name, kind))
    return pa.schema(fields)


SCHEMAS: dict[str, pa.Schema] = {t: _schema(t) for t in COLUMNS}
TABLES = tuple(SCHEMAS)


def date_key(date: str | None) -> str:
    """The partition directory value: the ISO day, or ``unknown``."""
    return date if date and _ISO_DAY.fullmatch(date) else UNKNOWN_DATE


def _flat(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row of the store's mapping cut to the flat table's columns, in its spelling."""
    convert = _CONVERT.get(table, {})
    out = {}
    for spec in COLUMNS[table][1]:
        name, source = _names(spec)
        value = row[source]
        out[name] = convert[name](value) if name in convert else value
    return out


def rows_of(analysis: Analysis, seq: int, pid: str) -> dict[str, list[dict[str, Any]]]:
    """The rows one article contributes to each table."""
    doc = analysis.to_dict()
    article = {
        **article_fields(analysis),
        "seq": seq,
        "partition": pid,
        "entity_count": len(analysis.entities),
        "analysis": json.dumps(doc, ensure_ascii=False, separators=(",", ":")),
    }
    return {
        "articles": [_flat("articles", article)],
        "statements": [
            _flat("statements", statement_fields(analysis, st)) for st in analysis.statements
        ],
        "entities": [_flat("entities", row) for row in entity_fields(analysis)],
        "mentions": [_flat("mentions", row) for row in mention_fields(analysis)],
    }


def tables_by_date(
    analysed: list[tuple[Analysis, int]], pid: str
) -> dict[str, dict[str, pa.Table]]:
    """``{date_key: {table: Arrow table}}`` for the analyses of one partition.

    Every table exists for every date (possibly empty), so a date directory is complete.
    """
    rows: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: {t: [] for t in TABLES})
    for analysis, seq in analysed:
        bucket = rows[date_key(analysis.article.date)]
        for table, new in rows_of(analysis, seq, pid).items():
            bucket[table].extend(new)
    return {
        day: {t: pa.Table.from_pylist(r[t], schema=SCHEMAS[t]) for t in TABLES}
        for day, r in sorted(rows.items())
    }

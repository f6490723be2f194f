"""The batch output as Arrow tables: articles, statements, entities and mentions.

``articles`` keeps the whole ``Analysis.to_dict()`` document of each article (column
``analysis``), which is what ``saidwhat load`` rebuilds and feeds to the store's own
write path; the other three tables are flat copies for analytics (pandas, DuckDB,
Spark) and are never read back by saidwhat. Entity ids in them are the article-local
ids of the Analysis (``e1``, ``e2``...): corpus-wide entities only exist once the
articles are merged in the store, because merging needs every article.

Files are partitioned by the article's date, Hive style, under the key ``article_date``
(not ``date``: statements have their own ``date`` column and Arrow refuses a partition
key that repeats a column name).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pyarrow as pa

from saidwhat.schema import Analysis

PARTITION_KEY = "article_date"
UNKNOWN_DATE = "unknown"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

_s, _i = pa.string(), pa.int32()
_strings = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("id", _s),
            ("seq", pa.int64()),
            ("partition", _s),
            ("path", _s),
            ("url", _s),
            ("title", _s),
            ("date", _s),
            ("source", _s),
            ("agency", _s),
            ("reported_by", _s),
            ("dateline_place", _s),
            ("statement_count", _i),
            ("entity_count", _i),
            ("model", _s),
            ("schema_version", _s),
            ("text", _s),
            ("analysis", _s),  # Analysis.to_dict() as JSON: what the loader stores
        ]
    ),
    "statements": pa.schema(
        [
            ("article_id", _s),
            ("local_id", _s),
            ("type", _s),
            ("act", _s),
            ("content_text", _s),
            ("start", _i),
            ("end", _i),
            ("cue_text", _s),
            ("speaker_text", _s),
            ("speaker_local", _s),
            ("speaker_name", _s),
            ("via", _strings),  # intermediaries, outermost first
            ("reported_by", _s),
            ("date", _s),
            ("date_from", _s),
            ("date_to", _s),
            ("date_text", _s),
            ("cites", _strings),
            ("denies_text", _s),
            ("target_local", _s),
            ("occasion", _s),
        ]
    ),
    "entities": pa.schema(
        [
            ("article_id", _s),
            ("local_id", _s),
            ("name", _s),
            ("type", _s),
            ("aliases", _strings),
            ("roles", _strings),
            ("mention_count", _i),
        ]
    ),
    "mentions": pa.schema(
        [
            ("article_id", _s),
            ("entity_local_id", _s),
            ("start", _i),
            ("end", _i),
            ("text", _s),
            ("kind", _s),
        ]
    ),
}
TABLES = tuple(SCHEMAS)


def date_key(date: str | None) -> str:
    """The partition directory value: the ISO day, or ``unknown``."""
    return date if date and _ISO_DAY.fullmatch(date) else UNKNOWN_DATE


def rows_of(analysis: Analysis, seq: int, pid: str) -> dict[str, list[dict[str, Any]]]:
    """The rows one article contributes to each table."""
    art = analysis.article
    doc = analysis.to_dict()
    article = {
        "id": art.id,
        "seq": seq,
        "partition": pid,
        "path": art.path,
        "url": art.url,
        "title": art.title,
        "date": art.date,
        "source": art.source,
        "agency": art.agency,
        "reported_by": art.reported_by,
        "dateline_place": art.dateline.place if art.dateline else None,
        "statement_count": len(analysis.statements),
        "entity_count": len(analysis.entities),
        "model": analysis.model,
        "schema_version": analysis.schema_version,
        "text": art.text,
        "analysis": json.dumps(doc, ensure_ascii=False, separators=(",", ":")),
    }
    statements = [
        {
            "article_id": art.id,
            "local_id": st.id,
            "type": st.type,
            "act": st.act,
            "content_text": st.content_text,
            "start": st.start if st.content else 0,
            "end": st.end if st.content else 0,
            "cue_text": st.cue.text if st.cue else None,
            "speaker_text": st.speaker_mention.text if st.speaker_mention else None,
            "speaker_local": st.speaker,
            "speaker_name": st.speaker_name,
            "via": [v.name for v in st.via],
            "reported_by": st.reported_by or art.reported_by,
            "date": st.date,
            "date_from": st.date_range[0] if st.date_range else None,
            "date_to": st.date_range[1] if st.date_range else None,
            "date_text": st.date_text,
            "cites": list(st.cites),
            "denies_text": st.denies.text if st.denies else None,
            "target_local": st.target,
            "occasion": st.occasion,
        }
        for st in analysis.statements
    ]
    entities = [
        {
            "article_id": art.id,
            "local_id": e.id,
            "name": e.name,
            "type": e.type,
            "aliases": list(e.aliases),
            "roles": list(e.roles),
            "mention_count": len(e.mentions),
        }
        for e in analysis.entities
    ]
    mentions = [
        {
            "article_id": art.id,
            "entity_local_id": e.id,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "kind": m.kind,
        }
        for e in analysis.entities
        for m in e.mentions
    ]
    return {
        "articles": [article],
        "statements": statements,
        "entities": entities,
        "mentions": mentions,
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

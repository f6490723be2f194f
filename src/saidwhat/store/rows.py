"""Analysis -> table rows (plain dicts), with no database access: THE one row mapping.

Every place that turns an ``Analysis`` into columns goes through here: the store's writer
(``store.writer``), the batch's flat Parquet tables (``batch.tables``) and the benchmark
bulk loader. So a new ``Statement`` field is mapped once (``statement_fields``), gets its
column in ``store.tables`` and one migration, and the batch tables pick it up by name.

Two layers, because the batch has no database: ``*_fields`` are the columns an article
gives by itself (entity ids are the article-local ``e1``, ``e2``...); ``*_row(s)`` add
what only the store knows (stored entity ids, story id, outlet id, ingest time).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from saidwhat.linking.copies import statement_fingerprint, text_hash
from saidwhat.schema import Analysis, Span, Statement


def _span(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else asdict(span)


def article_fields(analysis: Analysis) -> dict[str, Any]:
    """The ``articles`` columns the article itself gives (no story, outlet or document)."""
    art = analysis.article
    dl = art.dateline
    return {
        "id": art.id,
        "path": art.path,
        "url": art.url,
        "title": art.title,
        "date": art.date,
        "source": art.source,
        "agency": art.agency,
        "reported_by": art.reported_by,
        "dateline_place": dl.place if dl else None,
        "dateline_date_text": dl.date_text if dl else None,
        "spans": {
            "dateline": _span(dl.span) if dl else None,
            "date_prefix": _span(art.date_prefix),
            "title_span": _span(art.title_span),
            "signoff": _span(art.signoff),
            "slug": _span(art.slug),
            "furniture": [_span(f) for f in art.furniture],
        },
        "text": art.text,
        "text_hash": text_hash(art.text),
        "statement_count": len(analysis.statements),
        "model": analysis.model,
        "schema_version": analysis.schema_version,
    }


def article_row(analysis: Analysis, story_id: str, outlet_id: int | None) -> dict[str, Any]:
    """One ``articles`` row: the article's columns, its story and outlet, and the analysis
    document without the text (stored once, in ``articles.text``)."""
    doc = analysis.to_dict()
    doc["article"].pop("text", None)
    return {
        **article_fields(analysis),
        "outlet_id": outlet_id,
        "story_id": story_id,
        "ingested_at": datetime.now(UTC),
        "analysis": doc,
    }


def statement_fields(analysis: Analysis, st: Statement) -> dict[str, Any]:
    """The ``statements`` columns a statement gives by itself: everything but the stored
    entity ids and the story id."""
    art = analysis.article
    return {
        "article_id": art.id,
        "local_id": st.id,
        "type": st.type,
        "act": st.act,
        "content_text": st.content_text,
        "content_spans": [asdict(s) for s in st.content],
        "start": st.start if st.content else 0,
        "end": st.end if st.content else 0,
        "cue_start": st.cue.start if st.cue else None,
        "cue_end": st.cue.end if st.cue else None,
        "cue_text": st.cue.text if st.cue else None,
        "speaker_start": st.speaker_mention.start if st.speaker_mention else None,
        "speaker_end": st.speaker_mention.end if st.speaker_mention else None,
        "speaker_text": st.speaker_mention.text if st.speaker_mention else None,
        "speaker_local": st.speaker,
        "speaker_name": st.speaker_name,
        "via": [asdict(v) for v in st.via],
        "via_text": "; ".join(v.name for v in st.via),
        "reported_by": st.reported_by or art.reported_by,
        "date": st.date,
        "date_from": st.date_range[0] if st.date_range else None,
        "date_to": st.date_range[1] if st.date_range else None,
        "date_text": st.date_text,
        **statement_days(st, art.date),
        "article_date": art.date,
        "cites": list(st.cites),
        "denies_text": st.denies.text if st.denies else None,
        "denies": _span(st.denies),
        "target_local": st.target,
        "occasion": st.occasion,
        "confidence": st.confidence,
        "kind": st.kind,
        "speaker_kind": st.speaker_kind,
        "described_by_local": st.described_by,
        "fingerprint": statement_fingerprint(st),
    }


def statement_days(st: Statement, article_date: str | None) -> dict[str, str | None]:
    """``day`` and ``day_to``: the first and last day the statement may have been made
    (its own date; else its range; else the article's date), as SQL's
    ``coalesce(date, date_from|date_to, article date)`` gives them (migration 0006)."""
    start, end = st.date_range if st.date_range else (None, None)
    if st.date is not None:
        return {"day": st.date, "day_to": st.date}
    return {
        "day": start if start is not None else article_date,
        "day_to": end if end is not None else article_date,
    }


def statement_row(
    analysis: Analysis, st: Statement, story_id: str, entity_ids: dict[str, int]
) -> dict[str, Any]:
    """One ``statements`` row; ``entity_ids`` maps the article's entity ids to stored ones."""
    return {
        **statement_fields(analysis, st),
        "speaker_entity_id": entity_ids.get(st.speaker) if st.speaker else None,
        "target_entity_id": entity_ids.get(st.target) if st.target else None,
        "described_by_id": entity_ids.get(st.described_by) if st.described_by else None,
        "story_id": story_id,
    }


def mention_fields(analysis: Analysis) -> list[dict[str, Any]]:
    """The ``mentions`` columns of every mention, each naming its article-local entity."""
    return [
        {
            "article_id": analysis.article.id,
            "local_entity": e.id,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "kind": m.kind,
        }
        for e in analysis.entities
        for m in e.mentions
    ]


def mention_rows(analysis: Analysis, entity_ids: dict[str, int]) -> list[dict[str, Any]]:
    """The ``mentions`` rows, each pointing at its stored entity."""
    return [
        {**row, "entity_id": entity_ids[row["local_entity"]]} for row in mention_fields(analysis)
    ]


def entity_fields(analysis: Analysis) -> list[dict[str, Any]]:
    """The article's own entities as the ``article_entities`` columns name them (before
    merging; the store's rows come from the resolved observations, which an alias file
    may rename), plus how often each is mentioned."""
    return [
        {
            "article_id": analysis.article.id,
            "local_id": e.id,
            "name": e.name,
            "type": e.type,
            "aliases": list(e.aliases),
            "roles": list(e.roles),
            "mention_count": len(e.mentions),
        }
        for e in analysis.entities
    ]

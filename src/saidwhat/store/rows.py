"""Analysis -> table rows (plain dicts), with no database access.

Kept apart from the writer so the mapping from the extraction schema to columns is in
one readable place; the writer only adds ids that need the database (entities, story).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from saidwhat.linking.copies import statement_fingerprint
from saidwhat.schema import Analysis, Span, Statement


def _span(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else asdict(span)


def article_row(analysis: Analysis, story_id: str, outlet_id: int | None) -> dict[str, Any]:
    art = analysis.article
    doc = analysis.to_dict()
    doc["article"].pop("text", None)  # stored once, in articles.text
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
        "outlet_id": outlet_id,
        "dateline_place": dl.place if dl else None,
        "dateline_date_text": dl.date_text if dl else None,
        "spans": {
            "dateline": _span(dl.span) if dl else None,
            "date_prefix": _span(art.date_prefix),
            "title_span": _span(art.title_span),
            "signoff": _span(art.signoff),
            "slug": _span(art.slug),
        },
        "text": art.text,
        "story_id": story_id,
        "statement_count": len(analysis.statements),
        "model": analysis.model,
        "schema_version": analysis.schema_version,
        "ingested_at": datetime.now(UTC),
        "analysis": doc,
    }


def statement_row(
    analysis: Analysis, st: Statement, story_id: str, entity_ids: dict[str, int]
) -> dict[str, Any]:
    """One ``statements`` row; ``entity_ids`` maps the article's entity ids to stored ones."""
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
        "speaker_entity_id": entity_ids.get(st.speaker) if st.speaker else None,
        "speaker_name": st.speaker_name,
        "via": [asdict(v) for v in st.via],
        "via_text": "; ".join(v.name for v in st.via),
        "reported_by": st.reported_by or art.reported_by,
        "date": st.date,
        "date_from": st.date_range[0] if st.date_range else None,
        "date_to": st.date_range[1] if st.date_range else None,
        "date_text": st.date_text,
        "cites": list(st.cites),
        "denies_text": st.denies.text if st.denies else None,
        "denies": _span(st.denies),
        "target_local": st.target,
        "target_entity_id": entity_ids.get(st.target) if st.target else None,
        "occasion": st.occasion,
        "story_id": story_id,
        "fingerprint": statement_fingerprint(st),
    }


def mention_rows(analysis: Analysis, entity_ids: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "article_id": analysis.article.id,
            "local_entity": e.id,
            "entity_id": entity_ids[e.id],
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "kind": m.kind,
        }
        for e in analysis.entities
        for m in e.mentions
    ]

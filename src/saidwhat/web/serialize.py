"""Query results -> JSON documents with the extraction schema's field names.

The query layer returns flat rows shaped for tables (``StatementRow.content`` is the
text, ``speaker`` the name). The API promises the field names of ``Analysis.to_dict()``
instead (``content`` = spans, ``content_text`` = text, ``speaker`` = entity id,
``speaker_name`` = name, ``cue`` / ``speaker_mention`` = spans), so a client can read an
API statement and an ``extract --format json`` statement with the same code. Store-only
facts (the article, how many outlets carried the claim) are added under their own names.
"""

from __future__ import annotations

from typing import Any

from saidwhat.query import ArticleDetail, ArticleEntity, StatementRow


def _span(bounds: tuple[int, int] | list[int] | None, text: str | None) -> dict[str, Any] | None:
    if not bounds:
        return None
    start, end = bounds
    return {"start": start, "end": end, "text": text or ""}


def via_links(row: StatementRow) -> list[dict[str, Any]]:
    """The source chain as schema ``ViaLink`` dicts (outermost intermediary first)."""
    full = getattr(row, "via_links", None)  # the stored links, where the query layer has them
    if full:
        return [
            {"name": v.get("name"), "span": v.get("span"), "entity": v.get("entity")} for v in full
        ]
    return [{"name": name, "span": None, "entity": None} for name in row.via]


def statement_json(row: StatementRow, article: bool = True) -> dict[str, Any]:
    """One stored statement in the schema's shape, plus where it was reported."""
    doc: dict[str, Any] = {
        "id": row.id,
        "type": row.type,
        "act": row.act,
        "content": list(row.content_spans),
        "content_text": row.content,
        "cue": _span(row.cue_span, row.cue),
        "speaker_mention": _span(row.speaker_span, row.speaker_text),
        "speaker": row.speaker_id,
        "speaker_name": row.speaker,
        "via": via_links(row),
        "reported_by": row.reported_by,
        "date": row.date,
        "date_range": [row.date_from, row.date_to] if row.date_from and row.date_to else None,
        "date_text": row.date_text,
        "cites": list(row.cites or []),
        "denies": row.denies,
        "target": row.target_id,
        "occasion": row.occasion,
        "outlet_count": row.outlet_count,
        "report_count": row.report_count,
        "story_id": row.story_id,
    }
    if article:
        doc["article"] = {
            "id": row.article_id,
            "title": row.title,
            "date": row.article_date,
            "outlet": row.outlet,
        }
    else:
        doc["article_id"] = row.article_id
    return doc


def entity_json(e: ArticleEntity) -> dict[str, Any]:
    """An article's entity as the schema's ``Entity`` (``id`` is the article-local id)
    with ``entity_id``, the merged entity across the corpus (``/api/speakers/{id}``)."""
    return {
        "id": e.local_id,
        "entity_id": e.entity_id,
        "name": e.name,
        "name_here": e.name_here,
        "type": e.type,
        "roles": list(e.roles),
        "mentions": list(e.mentions),
    }


def article_json(a: ArticleDetail, text: bool = True) -> dict[str, Any]:
    """``{"article", "entities", "statements", "copies"}``, like ``Analysis.to_dict()``."""
    spans = a.spans or {}
    meta: dict[str, Any] = {
        "id": a.id,
        "path": a.path,
        "title": a.title,
        "date": a.date,
        "url": a.url,
        "source": a.source,
        "agency": a.agency,
        "reported_by": a.reported_by,
        "dateline": (
            {"span": spans["dateline"], "place": a.dateline_place}
            if spans.get("dateline")
            else None
        ),
        "date_prefix": spans.get("date_prefix"),
        "title_span": spans.get("title_span"),
        "signoff": spans.get("signoff"),
        "slug": spans.get("slug"),
        "story_id": a.story_id,
    }
    if text:
        meta["text"] = a.text
    return {
        "article": meta,
        "entities": [entity_json(e) for e in a.entities],
        "statements": [statement_json(s, article=False) for s in a.statements],
        "copies": list(a.copies),
    }

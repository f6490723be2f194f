"""The read-only REST API: statements, speakers, articles, source chains, outlets, stats.

Every endpoint is one call into ``saidwhat.query`` plus ``web.serialize`` to give the
extraction schema's field names. Endpoints are plain ``def`` so FastAPI runs them in its
thread pool: the database drivers block, and the event loop must not.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from saidwhat.query import (
    get_article,
    get_speaker,
    list_outlets,
    list_speakers,
    search_statements,
    source_chains,
    speaker_timeline,
    speaker_topics,
    stats,
)
from saidwhat.web.models import (
    ArticleOut,
    ChainPage,
    OutletList,
    SpeakerOut,
    SpeakerPage,
    StatementPage,
    StatsOut,
)
from saidwhat.web.params import MAX_LIMIT, FiltersDep, StoreDep
from saidwhat.web.serialize import article_json, statement_json

router = APIRouter(tags=["read"])

ArticleId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="Article content id")]
SpeakerId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Entity id")]


@router.get("/statements", summary="Search statements", response_model=StatementPage)
def statements(store: StoreDep, f: FiltersDep) -> dict[str, Any]:
    """Statements matching the filters, newest first, one page: ``items``, ``total``,
    ``limit``, ``offset``. The same filters as ``saidwhat quotes``."""
    page = search_statements(store, f)
    return {
        "items": [statement_json(r) for r in page.items],
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
    }


@router.get("/speakers", summary="List speakers", response_model=SpeakerPage)
def speakers(
    store: StoreDep,
    f: FiltersDep,
    entity_type: Annotated[str | None, Query(max_length=16, pattern=r"^[A-Za-z]+$")] = None,
) -> dict[str, Any]:
    """Speakers ranked by how many matching statements they made (the statement filters
    narrow what is counted: ``?q=moratorium`` is who speaks most about it)."""
    page = list_speakers(store, f, entity_type=entity_type)
    return page.to_dict()


@router.get("/speakers/{speaker_id}", summary="One speaker", response_model=SpeakerOut)
def speaker(
    store: StoreDep,
    speaker_id: SpeakerId,
    topics: Annotated[int, Query(ge=0, le=100)] = 20,
) -> dict[str, Any]:
    """A speaker: names and aliases, roles over time (first and last seen), statement
    counts by act, outlet and intermediary, ``timeline`` (statements per day per act)
    and ``topics`` (most frequent terms)."""
    detail = get_speaker(store, speaker_id)
    if detail is None:
        raise HTTPException(404, f"no speaker with id {speaker_id}")
    doc = detail.to_dict()
    doc["timeline"] = [p.to_dict() for p in speaker_timeline(store, detail.id)]
    doc["topics"] = [
        {"term": t, "count": n} for t, n in speaker_topics(store, detail.id, limit=topics)
    ]
    return doc


@router.get(
    "/speakers/{speaker_id}/statements",
    summary="One speaker's statements",
    response_model=StatementPage,
)
def speaker_statements(store: StoreDep, speaker_id: SpeakerId, f: FiltersDep) -> dict[str, Any]:
    """The speaker's statements, with the other filters applied."""
    return statements(store, f.replace(speaker=speaker_id))


@router.get("/articles/{article_id}", summary="One article", response_model=ArticleOut)
def article(
    store: StoreDep,
    article_id: ArticleId,
    text: Annotated[bool, Query(description="Include the article text")] = True,
) -> dict[str, Any]:
    """The article's metadata and text, its statements (offsets into the text) and its
    entities with their mentions, plus other outlets' copies of the same story."""
    detail = get_article(store, article_id)
    if detail is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return article_json(detail, text=text)


@router.get("/chains", summary="Source chains", response_model=ChainPage)
def chains(
    store: StoreDep,
    f: FiltersDep,
    min_count: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> dict[str, Any]:
    """Which outlets report whom through which intermediaries (``via`` outermost first;
    empty when the outlet reported the speaker directly), most frequent first."""
    rows = source_chains(store, f, min_count=min_count)
    return {"items": [r.to_dict() for r in rows], "limit": f.limit, "offset": f.offset}


@router.get("/outlets", summary="Outlets", response_model=OutletList)
def outlets(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT * 5)] = 200
) -> dict[str, Any]:
    """Outlets by number of articles, with statement counts and date range."""
    return {"items": [o.to_dict() for o in list_outlets(store, limit=limit)]}


@router.get("/stats", summary="Corpus statistics", response_model=StatsOut)
def corpus_stats(store: StoreDep) -> dict[str, Any]:
    """Counts of articles, stories, copies, statements, claims, entities, speakers,
    outlets and errors; the date range; statements per act."""
    return stats(store).to_dict()

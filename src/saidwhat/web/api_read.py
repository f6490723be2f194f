"""The read-only REST API: statements, speakers, articles, source chains, outlets, stats.

Every endpoint is one call into ``saidwhat.query``, and its answer is a query dataclass,
which is also the endpoint's ``response_model``: ``/docs`` and ``/openapi.json`` describe
exactly what the read API returns (statements and articles under the extraction schema's
field names, see ``query.documents``). Endpoints are plain ``def`` so FastAPI runs them
in its thread pool: the database drivers block, and the event loop must not.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request

from saidwhat.query import (
    ArticleDocument,
    ChainRow,
    Comparison,
    OutletRow,
    Page,
    ReportedStatement,
    SpeakerProfile,
    SpeakerRow,
    StatsDocument,
    article_document,
    compare_speakers,
    count_chains,
    count_outlets,
    get_statement,
    list_outlets,
    list_speakers,
    search_statements,
    source_chains,
    speaker_profile,
    stats_document,
)
from saidwhat.query.compare import UnknownSpeaker
from saidwhat.query.facets import FacetedPage, facet_counts
from saidwhat.query.similar import UnknownStatement
from saidwhat.web.cache import furniture
from saidwhat.web.params import (
    MAX_LIMIT,
    MAX_ROWS,
    TEXT_MAX,
    ArticlePathId,
    FiltersDep,
    SearchOptionsDep,
    StoreDep,
    full_article_id,
    live_speaker_id,
)

router = APIRouter(tags=["read"])

SpeakerId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Entity id")]


@router.get(
    "/statements",
    summary="Search statements",
    response_model=FacetedPage[ReportedStatement],
    responses={422: {"description": "An unknown act, type, kind, sort or facet"}},
)
def statements(
    request: Request, store: StoreDep, f: FiltersDep, options: SearchOptionsDep
) -> FacetedPage[ReportedStatement]:
    """Statements matching the filters, newest first (or ``sort``), one page: ``items``,
    ``total``, ``limit``, ``offset``, and with ``facets=speaker,act,...`` the counts per
    value over the whole result (``facets``; each facet counted without its own
    filter, so its other values say what choosing them too would add). Several values
    of one filter (``act=deny&act=reject``) match any of them. The same filters as
    ``saidwhat quotes``; ``/api/statements.csv`` (``.jsonl``, ``.parquet``) downloads
    every row of the same result."""
    sort, names = options
    try:
        page = search_statements(store, f, sort=sort)
    except UnknownStatement as exc:  # like_id names no statement
        raise HTTPException(404, str(exc)) from None
    facets = None
    if names:
        facets = facet_counts(store, f, names, memo=partial(furniture, request))
    return FacetedPage(
        items=[ReportedStatement.of(r) for r in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        facets=facets,
    )


StatementId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Statement id")]


@router.get(
    "/statements/{statement_id}",
    summary="One statement",
    response_model=ReportedStatement,
    responses={404: {"description": "No statement with that id"}},
)
def statement(store: StoreDep, statement_id: StatementId) -> ReportedStatement:
    """One statement by id, as a search lists it (its article, speaker, chain, date): the
    permalink behind every result; ``/statements/{id}`` shows it in its article."""
    row = get_statement(store, statement_id)
    if row is None:
        raise HTTPException(404, f"no statement with id {statement_id}")
    return ReportedStatement.of(row)


@router.get(
    "/statements/{statement_id}/similar",
    summary="More like this",
    response_model=Page[ReportedStatement],
    responses={404: {"description": "No statement with that id"}},
)
def similar_statements(
    store: StoreDep, statement_id: StatementId, f: FiltersDep
) -> Page[ReportedStatement]:
    """The statements closest in meaning to this one (full text and embeddings fused by
    rank; the statement itself left out), best first, each with its ``similarity``; the
    other filters apply. The same as ``/api/statements?like_id=ID``."""
    try:
        page = search_statements(store, f.replace(like=None, like_id=statement_id))
    except UnknownStatement as exc:
        raise HTTPException(404, str(exc)) from None
    return Page(
        items=[ReportedStatement.of(r) for r in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/speakers", summary="List speakers", response_model=Page[SpeakerRow])
def speakers(
    store: StoreDep,
    f: FiltersDep,
    entity_type: Annotated[str | None, Query(max_length=16, pattern=r"^[A-Za-z]+$")] = None,
) -> Page[SpeakerRow]:
    """Speakers ranked by how many matching statements they made (the statement filters
    narrow what is counted: ``?about=moratorium`` is who speaks most about it)."""
    return list_speakers(store, f, entity_type=entity_type)


@router.get("/speakers/{speaker_id}", summary="One speaker", response_model=SpeakerProfile)
def speaker(
    request: Request,
    store: StoreDep,
    speaker_id: SpeakerId,
    topics: Annotated[int, Query(ge=0, le=100)] = 20,
) -> Any:
    """A speaker: names and aliases, roles over time (first and last seen), statement
    counts by act, outlet and intermediary, ``timeline`` (statements per day per act)
    and ``topics`` (most frequent terms). The id of an entity merged into another is a
    307 to the survivor."""
    live = live_speaker_id(request, store, speaker_id)
    if not isinstance(live, int):
        return live
    profile = speaker_profile(store, live, topics=topics)
    if profile is None:
        raise HTTPException(404, f"no speaker with id {speaker_id}")
    return profile


@router.get(
    "/speakers/{speaker_id}/statements",
    summary="One speaker's statements",
    response_model=FacetedPage[ReportedStatement],
)
def speaker_statements(
    request: Request, store: StoreDep, speaker_id: SpeakerId, f: FiltersDep
) -> Any:
    """The speaker's statements, with the other filters applied; 404 for an id that is
    no speaker (as ``/speakers/{id}``), not an empty page that looks like "said nothing";
    307 to the survivor for a merged one."""
    live = live_speaker_id(request, store, speaker_id)
    if not isinstance(live, int):
        return live
    return statements(request, store, f.replace(speaker=live), ("newest", []))


@router.get(
    "/compare",
    summary="Speakers side by side",
    response_model=Comparison[ReportedStatement],
    responses={
        404: {"description": "A speaker matches nobody"},
        409: {"description": "A speaker name means several entities (the candidates)"},
        422: {"description": "Fewer than 2 or more than 6 speakers, or one twice"},
    },
)
def compare(
    store: StoreDep,
    f: FiltersDep,
    speakers: Annotated[
        list[str],
        Query(max_length=TEXT_MAX, description="2 to 6 names or ids (repeat the parameter)"),
    ],
) -> Comparison[ReportedStatement]:
    """What each speaker said over the same filters (``about``, dates, acts...): per
    speaker the total, statements per act over every match and the first and last day,
    then ``limit`` statements, newest first. ``saidwhat compare`` in the CLI."""
    try:
        return compare_speakers(store, speakers, f).document()
    except UnknownSpeaker as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get(
    "/articles/{article_id}",
    summary="One article",
    response_model=ArticleDocument,
    responses={
        307: {"description": "The start of an id: to the full id"},
        409: {"description": "Several ids start so"},
    },
)
def article(
    request: Request,
    store: StoreDep,
    article_id: ArticlePathId,
    text: Annotated[bool, Query(description="Include the article text")] = True,
) -> Any:
    """The article's metadata and text, its statements (offsets into the text) and its
    entities with their mentions, plus other outlets' copies of the same story. The start
    of an id redirects (307) to the full one; one that several ids start with is a 409
    listing them."""
    found = full_article_id(request, store, article_id)
    if not isinstance(found, str):
        return found
    document = article_document(store, found, text=text)
    if document is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return document


@router.get("/chains", summary="Source chains", response_model=Page[ChainRow])
def chains(
    store: StoreDep,
    f: FiltersDep,
    min_count: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Page[ChainRow]:
    """Which outlets report whom through which intermediaries (``via`` outermost first;
    empty when the outlet reported the speaker directly), most frequent first;
    ``total`` counts every chain, past the page too."""
    rows = source_chains(store, f, min_count=min_count)
    total = count_chains(store, f, min_count=min_count)
    return Page(items=rows, total=total, limit=f.limit, offset=f.offset)


@router.get("/outlets", summary="Outlets", response_model=Page[OutletRow])
def outlets(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT * 5)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_ROWS)] = 0,
) -> Page[OutletRow]:
    """Outlets by number of articles, with statement counts and date range."""
    rows = list_outlets(store, limit=limit, offset=offset)
    return Page(items=rows, total=count_outlets(store), limit=limit, offset=offset)


@router.get("/stats", summary="Corpus statistics", response_model=StatsDocument)
def corpus_stats(store: StoreDep) -> StatsDocument:
    """Counts of articles, stories, copies, statements, claims, entities, speakers,
    outlets and errors; the date range; statements per act and per kind (``kinds``);
    the ten outlets with most articles (``top_outlets``): the same document as
    ``saidwhat stats --format json``."""
    return stats_document(store)

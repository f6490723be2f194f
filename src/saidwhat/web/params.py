"""Request parameters shared by the API and the pages: the statement filters and paging.

The filters are the CLI's (``saidwhat.query.QueryFilters``), so ``/api/statements`` and
the search page can never disagree with ``saidwhat quotes`` about what matches. Bad
values (a date that is not ISO, a negative offset) become a 400 with the query layer's
one-line reason, before any query runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse

from saidwhat.query import QueryFilters, find_article, find_speaker
from saidwhat.query.facets import check_facets
from saidwhat.query.filters import MAX_ENTITY_ID, MAX_ROWS, UnknownValue
from saidwhat.query.sorting import check_sort
from saidwhat.store import Store

MAX_LIMIT = 200
MANY = ("speaker", "type", "outlet", "via")  # free-text filters that take several values
TEXT_MAX = 200  # characters in a filter value; longer input is a client error, not a query


def store_of(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(store_of)]


_CONTROL = {chr(c) for c in range(32)} - {"\t"} | {"\x7f"}


def check_filter_text(name: str, value: str | None) -> str | None:
    """A filter value as given, or 400 when it holds control characters: NUL cannot be
    sent to PostgreSQL at all, and no name or search word contains the others."""
    if value and not _CONTROL.isdisjoint(value):
        raise HTTPException(400, f"{name}: contains control characters")
    return value


def check_speaker(name: str, value: str | None) -> str | None:
    """Digits mean an entity id; one beyond the 32-bit ids of the store is a 400 (on
    PostgreSQL it would otherwise be an out-of-range error inside the query)."""
    check_filter_text(name, value)
    if value and value.strip().isdigit() and int(value) > MAX_ENTITY_ID:
        raise HTTPException(400, f"{name}: entity id {value.strip()[:20]} is out of range")
    return value


def _blank(value: str | None) -> str | None:
    return value if value and value.strip() else None


def statement_filters(
    speaker: Annotated[
        list[str] | None,
        Query(
            max_length=TEXT_MAX,
            description="Entity id, or a name or alias (any case); repeat for any of several",
        ),
    ] = None,
    about: Annotated[
        str | None,
        Query(max_length=TEXT_MAX, description="Full-text words in the statement (all must occur)"),
    ] = None,
    act: Annotated[
        list[str] | None,
        Query(max_length=TEXT_MAX, description="Speech act(s): assert, deny, propose, …"),
    ] = None,
    type: Annotated[
        list[str] | None,
        Query(max_length=40, description="direct | indirect | mixed (repeat for several)"),
    ] = None,
    kind: Annotated[
        list[str] | None,
        Query(
            max_length=40,
            description="statement | belief | hedge | author | action (repeat, or a comma "
            "list): exactly "
            "these kinds; left out, every kind but belief",
        ),
    ] = None,
    speaker_kind: Annotated[
        list[str] | None,
        Query(
            max_length=40,
            description="named | described | anonymous | unresolved (repeat, or a comma list)",
        ),
    ] = None,
    since: Annotated[
        str | None, Query(max_length=10, description="YYYY[-MM[-DD]], inclusive")
    ] = None,
    until: Annotated[
        str | None, Query(max_length=10, description="YYYY[-MM[-DD]], inclusive")
    ] = None,
    outlet: Annotated[
        list[str] | None,
        Query(max_length=TEXT_MAX, description="Reporting outlet or agency (repeat for several)"),
    ] = None,
    via: Annotated[
        list[str] | None,
        Query(
            max_length=TEXT_MAX,
            description="An intermediary of the source chain (repeat for any of several)",
        ),
    ] = None,
    min_confidence: Annotated[
        float | None,
        Query(
            ge=0,
            le=1,
            description="Only statements whose confidence is at least this (0 to 1); "
            "statements without a confidence are left out",
        ),
    ] = None,
    distinct_claims: Annotated[
        bool, Query(description="Count a claim carried by several outlets once")
    ] = False,
    all_kinds: Annotated[
        bool,
        Query(
            description="List beliefs (a feeling, perception or intention) too: left out "
            "by default; an explicit kind wins"
        ),
    ] = False,
    like: Annotated[
        str | None,
        Query(
            max_length=TEXT_MAX,
            description="Search by meaning: statements closest to this text (full text "
            "and embeddings fused by rank), best first; the other filters apply",
        ),
    ] = None,
    like_id: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="More like this: closest to statement ID"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ROWS)] = 0,
    # the spellings before the CLI's names were everyone's: accepted for one release,
    # not in the schema
    q: Annotated[str | None, Query(max_length=TEXT_MAX, include_in_schema=False)] = None,
    distinct: Annotated[bool, Query(include_in_schema=False)] = False,
) -> QueryFilters:
    """The statement filters, named as the CLI names them (``about``, ``distinct_claims``;
    ``q`` and ``distinct`` still work)."""
    about = about if about is not None else q
    distinct_claims = distinct_claims or distinct
    acts = [a for a in (act or []) if a.strip()]
    speakers, types, outlets, vias = (
        [v for v in (given or []) if v.strip()] for given in (speaker, type, outlet, via)
    )
    kinds = [k for k in (kind or []) if k.strip()]
    speaker_kinds = [k for k in (speaker_kind or []) if k.strip()]
    for name, value in (("about", about), ("since", since), ("until", until), ("like", like)):
        check_filter_text(name, value)
    for name, values in (("type", types), ("outlet", outlets), ("via", vias)):
        for value in values:
            check_filter_text(name, value)
    for name, values in (("speaker", speakers), ("outlet", outlets), ("via", vias)):
        # Query(max_length=...) bounds how often a parameter repeats, not each value
        if any(len(v) > TEXT_MAX for v in values):
            raise HTTPException(400, f"{name}: longer than {TEXT_MAX} characters")
    for a in acts:
        check_filter_text("act", a)
    for k in kinds:
        check_filter_text("kind", k)
    for k in speaker_kinds:
        check_filter_text("speaker_kind", k)
    for value in speakers:
        check_speaker("speaker", value)
    try:
        return QueryFilters(
            speaker=speakers or None,
            about=_blank(about),
            act=acts or None,
            type=types or None,
            kind=kinds or None,
            speaker_kind=speaker_kinds or None,
            since=_blank(since),
            until=_blank(until),
            outlet=outlets or None,
            via=vias or None,
            min_confidence=min_confidence,
            distinct_claims=distinct_claims,
            all_kinds=all_kinds,
            like=_blank(like),
            like_id=like_id,
            limit=limit,
            offset=offset,
        )
    except UnknownValue as exc:
        raise unknown_value(exc) from None
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


def unknown_value(exc: UnknownValue) -> HTTPException:
    """A 422 shaped as FastAPI's own validation errors, listing the valid values."""
    detail = [
        {
            "loc": ["query", exc.field],
            "msg": str(exc),
            "type": "enum",
            "input": exc.value,
            "allowed": exc.allowed,
        }
    ]
    return HTTPException(422, detail)


FiltersDep = Annotated[QueryFilters, Depends(statement_filters)]


def search_options(
    sort: Annotated[
        str | None,
        Query(
            max_length=40,
            description="newest (default) | oldest | relevance (best match to `about` "
            "first; without `about`, newest)",
        ),
    ] = None,
    facets: Annotated[
        list[str] | None,
        Query(
            max_length=TEXT_MAX,
            description="Facets to count over the whole result, each without its own "
            "filter: speaker, speaker_kind, act, type, outlet, via, date (a comma list "
            "or repeated)",
        ),
    ] = None,
) -> tuple[str, list[str]]:
    """How to sort a search and which facets to count; 422 naming the valid ones."""
    try:
        return check_sort(sort), check_facets(facets)
    except UnknownValue as exc:
        raise unknown_value(exc) from None


SearchOptionsDep = Annotated[tuple[str, list[str]], Depends(search_options)]


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [] if value is None else [value]


def filter_params(f: QueryFilters) -> dict[str, Any]:
    """The filters back as query-string values (for paging links and forms); those that
    take several values (speaker, act, type, kind, speaker kind, outlet, via) as lists."""
    acts = [f.act] if isinstance(f.act, str) else list(f.act or [])
    kinds = [f.kind] if isinstance(f.kind, str) else list(f.kind or [])
    sk = f.speaker_kind
    speaker_kinds = [sk] if isinstance(sk, str) else list(sk or [])
    return {
        "speaker": _listed(f.speaker),
        "about": f.about or f.like,  # the words box holds a like query too
        "act": acts,
        "type": _listed(f.type),
        "kind": kinds,
        "speaker_kind": speaker_kinds,
        "since": f.since,
        "until": f.until,
        "outlet": _listed(f.outlet),
        "via": _listed(f.via),
        "min_confidence": f.min_confidence,
        "all_kinds": "true" if f.all_kinds else None,
        "distinct_claims": "true" if f.distinct_claims else None,
        # search by meaning: the page's switch turns the words box into ``like``
        "meaning": "on" if f.like else None,
        "like_id": f.like_id,
    }


def page_filters(
    request: Request,
) -> tuple[QueryFilters | None, str | None]:
    """The filters for a page: like the API's, but a bad value becomes a message shown on
    the page (with the form still filled in) instead of a JSON error."""
    qp = request.query_params
    raw: dict[str, Any] = {k: qp.get(k) for k in ("about", "since", "until")}
    if raw["about"] is None:
        raw["about"] = qp.get("q")  # the old spelling, for links saved before
    raw |= {k: qp.getlist(k) for k in MANY}  # several values: any of them
    too_long = [k for k, v in raw.items() for one in _listed(v) if one and len(one) > TEXT_MAX]
    if too_long:
        return None, f"{too_long[0]}: longer than {TEXT_MAX} characters"
    try:
        limit = min(max(int(qp.get("limit") or 50), 1), MAX_LIMIT)
        offset = min(max(int(qp.get("offset") or 0), 0), MAX_ROWS)  # pages clamp
    except ValueError:
        return None, "limit and offset must be whole numbers"
    given = (qp.get("min_confidence") or "").strip()
    try:  # the range is checked by QueryFilters (its message is shown on the page)
        min_confidence = float(given) if given else None
    except ValueError:
        return None, "min_confidence: must be a number between 0 and 1"
    raw |= _meaning(raw.get("about"), qp.get("meaning"), qp.get("like_id"))
    try:
        f = statement_filters(
            **raw,
            act=qp.getlist("act"),
            kind=qp.getlist("kind"),
            speaker_kind=qp.getlist("speaker_kind"),
            min_confidence=min_confidence,
            all_kinds=qp.get("all_kinds") in ("true", "1", "on"),
            distinct_claims=(qp.get("distinct_claims") or qp.get("distinct"))
            in ("true", "1", "on"),
            limit=limit,
            offset=offset,
        )
    except HTTPException as exc:
        return None, str(exc.detail)
    return f, None


def _meaning(about: str | None, switch: str | None, like_id: str | None) -> dict[str, Any]:
    """The search page's "similar meaning" switch: the words box becomes ``like`` (no
    longer every word must occur); ``like_id``: the "More like this" link."""
    out: dict[str, Any] = {}
    if switch in ("true", "1", "on") and about:
        out = {"about": None, "like": about}
    if like_id and like_id.strip().isdigit() and 0 < int(like_id) < 2**31:
        out["like_id"] = int(like_id)
    return out


PageFiltersDep = Annotated[tuple[QueryFilters | None, str | None], Depends(page_filters)]


def raw_params(request: Request) -> dict[str, Any]:
    """The query string as given (to refill a form after an error)."""
    qp = request.query_params
    keys = (
        "about",
        "since",
        "until",
        "min_confidence",
        "all_kinds",
        "distinct_claims",
        "meaning",
    )
    out: dict[str, Any] = {k: (qp.get(k) or "")[:TEXT_MAX] or None for k in keys}
    out["about"] = out["about"] or (qp.get("q") or "")[:TEXT_MAX] or None  # old spelling
    out["distinct_claims"] = out["distinct_claims"] or qp.get("distinct") or None
    out["act"] = [a[:40] for a in qp.getlist("act")]
    out["kind"] = [k[:40] for k in qp.getlist("kind")]
    out["speaker_kind"] = [k[:40] for k in qp.getlist("speaker_kind")]
    out |= {k: [v[:TEXT_MAX] for v in qp.getlist(k)] for k in MANY}
    return out


# An article id in a path: the full 16 hex digits, or the start of one as tables show it.
ArticlePathId = Annotated[
    str, PathParam(pattern=r"^[0-9a-fA-F]{1,16}$", description="Article id or its start")
]


def full_article_id(request: Request, store: Store, given: str) -> str | RedirectResponse:
    """The id of the article a path names, or a 307 to its full-id URL (query kept) when
    the path holds only the start of one; 404 when no id starts so, and
    ``AmbiguousArticle`` (409 or a page to choose from, ``web.app``) when several do."""
    key = given.lower()
    if len(key) == 16:
        return key
    full = find_article(store, key)
    if full is None:
        raise HTTPException(404, f"no article with id {given}")
    return _moved(request, request.url.path[: -len(given)] + full)


def live_speaker_id(request: Request, store: Store, speaker_id: int) -> int | RedirectResponse:
    """The id a speaker path names, or a 307 to the entity it was merged into (entity ids
    are stable: a merge keeps the survivor's, and the merged one answers for it), query
    kept; 404 when the id was never a speaker's."""
    live = find_speaker(store, speaker_id)
    if live is None:
        raise HTTPException(404, f"no speaker with id {speaker_id}")
    if live == speaker_id:
        return live
    path = request.url.path  # /speakers/ID, /api/speakers/ID or /api/speakers/ID/...
    at = path.index("/speakers/") + len("/speakers/")
    return _moved(request, path[:at] + str(live) + path[at + len(str(speaker_id)) :])


def _moved(request: Request, path: str) -> RedirectResponse:
    """A 307 to ``path`` with the request's own query string."""
    query = request.url.query
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=307)

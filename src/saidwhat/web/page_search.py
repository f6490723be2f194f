"""The search page (``/``): a full-text box, the CLI's filters, statements with their
source chains, and beside them the facets of the result (``query.facets``): counts per
speaker, speaker kind, act, type, outlet and intermediary with a checkbox each (several
in one facet match any of them), a date histogram whose bars (or a dragged range)
choose dates, a sort, and downloads of the whole result.

Everything works as plain links and one form without JavaScript; ``static/facets.js``
only submits the form when a box is ticked or the sort changes, and adds the drag.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from saidwhat.linking.names import normalise
from saidwhat.query import Page, QueryFilters, UnknownValue, list_speakers, search_statements, stats
from saidwhat.query.facets import FACETS, FacetSet, facet_counts
from saidwhat.query.sorting import SORTS, check_sort
from saidwhat.query.speaker_match import resolve_speakers
from saidwhat.web.cache import furniture
from saidwhat.web.params import PageFiltersDep, StoreDep, filter_params, raw_params
from saidwhat.web.render import templates

router = APIRouter(include_in_schema=False)

FACET_TITLES = {
    "speaker": "Speaker",
    "speaker_kind": "Speaker kind",
    "act": "Act",
    "type": "Type",
    "outlet": "Outlet",
    "via": "Via",
}
DOWNLOADS = ("csv", "jsonl", "parquet")


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, store: StoreDep, found: PageFiltersDep) -> HTMLResponse:
    f, error = found
    params = filter_params(f) if f is not None else raw_params(request)
    sort = "newest"
    try:
        sort = check_sort(request.query_params.get("sort"))
    except UnknownValue as exc:
        f, error = None, error or str(exc)
    page = Page(items=[], total=0, limit=50, offset=0)
    facets = FacetSet()
    if f is not None:
        page = search_statements(store, f, sort=sort)
        facets = facet_counts(store, f, FACETS, memo=partial(furniture, request))
    # only filters that passed their checks are looked up (a NUL cannot reach the database)
    speakers = resolve_speakers(store, params.get("speaker") or []) if f is not None else {}
    filtered = any(params.values())
    params = params | {"sort": None if sort == "newest" else sort}
    context = {
        "nav": "search",
        "params": params,
        "page": page,
        "error": error,
        "filtered": filtered,
        "sort": sort,
        "sorts": SORTS,
        "facets": facets,
        "facet_titles": FACET_TITLES,
        "free": free_values(params, facets, speakers),
        "downloads": DOWNLOADS,
        "stats": furniture(request, "stats", lambda: stats(store)),
        "top_speakers": furniture(
            request,
            "top_speakers",
            lambda: list_speakers(store, QueryFilters(limit=8), with_total=False).items,
        ),
    }
    return templates.TemplateResponse(
        request, "search.html", context, status_code=400 if error else 200
    )


def free_values(
    params: dict[str, Any], facets: FacetSet, speakers: dict[str, list[int]]
) -> dict[str, list[str]]:
    """Per filter, the chosen values that no ticked facet box stands for: those go
    back into the form's own fields, the rest are submitted by their boxes (so unticking
    a box drops the value, and no value is sent twice). A speaker typed by name is
    stood for by the box of the entity it means (``speakers``: value -> entity ids)."""
    out: dict[str, list[str]] = {}
    for name in ("speaker", "speaker_kind", "act", "type", "outlet", "via"):
        shown = [v for v in getattr(facets, name) or [] if v.selected]
        keys = {_key(name, v.value) for v in shown} | {_key(name, v.label) for v in shown}
        out[name] = [
            str(v)
            for v in params.get(name) or []
            if _key(name, str(v)) not in keys
            and not (name == "speaker" and _boxed(speakers.get(str(v)), keys))
        ]
    return out


def _boxed(ids: list[int] | None, keys: set[str]) -> bool:
    return bool(ids) and all(str(i) in keys for i in ids or [])


def _key(name: str, value: str) -> str:
    return normalise(value) if name == "outlet" else value.strip().lower()

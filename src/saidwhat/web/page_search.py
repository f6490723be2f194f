"""The search page (``/``): a full-text box, the CLI's filters, statements with their
source chains, and the corpus at a glance beside them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from saidwhat.query import Page, QueryFilters, list_speakers, search_statements, stats
from saidwhat.web.cache import furniture
from saidwhat.web.params import PageFiltersDep, StoreDep, filter_params, raw_params
from saidwhat.web.render import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, store: StoreDep, found: PageFiltersDep) -> HTMLResponse:
    f, error = found
    params = filter_params(f) if f is not None else raw_params(request)
    page = Page(items=[], total=0, limit=50, offset=0)
    if f is not None:
        page = search_statements(store, f)
    filtered = any(params.values())
    context = {
        "nav": "search",
        "params": params,
        "page": page,
        "error": error,
        "filtered": filtered,
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

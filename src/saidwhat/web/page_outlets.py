"""Outlets and source chains (``/outlets``): which outlets report whom, directly or
through which intermediaries, with the same filters as the search."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from saidwhat.query import list_outlets, source_chains
from saidwhat.web.params import PageFiltersDep, StoreDep, filter_params, raw_params
from saidwhat.web.render import templates

router = APIRouter(include_in_schema=False)


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request, store: StoreDep, found: PageFiltersDep) -> HTMLResponse:
    f, error = found
    chains = []
    if f is not None:
        chains = source_chains(store, f.replace(limit=200))
    params = filter_params(f) if f is not None else raw_params(request)
    outlets = list_outlets(store)
    peak = max((c.count for c in chains), default=1)
    context = {
        "nav": "outlets",
        "outlets": outlets,
        "chains": chains,
        "peak": peak,
        "params": params,
        "error": error,
        "relayed": sum(c.count for c in chains if c.via),
        "direct": sum(c.count for c in chains if not c.via),
    }
    return templates.TemplateResponse(
        request, "outlets.html", context, status_code=400 if error else 200
    )

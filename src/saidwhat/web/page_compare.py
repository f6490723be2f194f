"""Speakers side by side (``/compare``): what each said on a topic, when, with which acts.

One column per speaker over the same filters (``about``, dates, acts, kinds...), from
``query.compare_speakers``. A name that means several people gets the choice page, whose
links put the chosen id in place of that one name (the other speakers stay).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from saidwhat.query import AmbiguousSpeaker, UnknownSpeaker, compare_speakers
from saidwhat.query.compare import MAX_SPEAKERS
from saidwhat.web.params import TEXT_MAX, PageFiltersDep, StoreDep, raw_params
from saidwhat.web.render import query_string, templates

router = APIRouter(include_in_schema=False)

PER_SPEAKER = 20  # statements per column unless ?limit= says otherwise
FORM_SLOTS = 4  # speaker fields on the form (more come from the URL, up to MAX_SPEAKERS)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, store: StoreDep, filters: PageFiltersDep) -> Response:
    f, error = filters
    asked = [s.strip() for s in request.query_params.getlist("speakers") if s.strip()]
    comparison = None
    if error is None and any(len(s) > TEXT_MAX for s in asked):
        error = f"speakers: a name longer than {TEXT_MAX} characters"
    if f is not None and error is None and asked:
        if "limit" not in request.query_params:
            f = f.replace(limit=PER_SPEAKER)
        try:
            comparison = compare_speakers(store, asked, f)
        except AmbiguousSpeaker as exc:
            return _choose(request, asked, exc)
        except (UnknownSpeaker, ValueError) as exc:
            error = str(exc)
    params = raw_params(request) | {"speakers": asked}
    slots = asked + [""] * max(FORM_SLOTS - len(asked), 0)
    context = {
        "nav": "compare",
        "comparison": comparison,
        "error": error,
        "slots": slots[:MAX_SPEAKERS],
        "params": params,
    }
    return templates.TemplateResponse(
        request, "compare.html", context, status_code=400 if error else 200
    )


def _choose(request: Request, asked: list[str], exc: AmbiguousSpeaker) -> Response:
    """The choice page for the one name that means several people; each link is this
    comparison with that name replaced by one candidate's id."""
    params = dict(request.query_params)
    choices = []
    for c in exc.candidates:
        speakers = [str(c.id) if s == exc.name else s for s in asked]
        choices.append((c, request.url.path + query_string(params, speakers=speakers)))
    return templates.TemplateResponse(
        request,
        "choose.html",
        {"name": exc.name, "choices": choices, "more": exc.more},
        status_code=409,
    )

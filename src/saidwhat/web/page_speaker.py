"""Speaker pages: the ranking (``/speakers``) and one speaker (``/speakers/{id}``) with
roles over time, a timeline of statements per day coloured by act, topics and recent
statements."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from saidwhat.query import (
    QueryFilters,
    RoleSpan,
    get_speaker,
    list_speakers,
    search_statements,
    speaker_timeline,
    speaker_topics,
)
from saidwhat.query.filters import MAX_ROWS
from saidwhat.web.charts import timeline_chart
from saidwhat.web.params import MAX_LIMIT, TEXT_MAX, StoreDep, check_speaker, live_speaker_id
from saidwhat.web.render import templates

router = APIRouter(include_in_schema=False)


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(
    request: Request,
    store: StoreDep,
    name: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    check_speaker("name", name)
    f = QueryFilters(speaker=name or None, limit=MAX_LIMIT // 2, offset=min(offset, MAX_ROWS))
    page = list_speakers(store, f)
    return templates.TemplateResponse(
        request,
        "speakers.html",
        {"nav": "speakers", "page": page, "name": name or "", "params": {"name": name}},
    )


def role_bars(roles: list[RoleSpan], first: str | None, last: str | None) -> list[dict[str, Any]]:
    """Each role with its first-to-last-seen span as percentages of the speaker's range
    (drawn as bars), oldest role first."""
    days = [d for r in roles for d in (r.first_seen, r.last_seen) if d]
    days += [d for d in (first, last) if d]
    try:
        lo = min(date.fromisoformat(d) for d in days)
        hi = max(date.fromisoformat(d) for d in days)
    except ValueError:
        lo = hi = None
    out = []
    for r in roles:
        left = width = None
        if lo and hi and r.first_seen and r.last_seen:
            span = max((hi - lo).days, 1)
            a = (date.fromisoformat(r.first_seen) - lo).days
            b = (date.fromisoformat(r.last_seen) - lo).days
            left, width = 100 * a / span, max(100 * (b - a) / span, 1.5)
            left = min(left, 100 - width)
        out.append({"role": r, "left": left, "width": width})
    return out


@router.get("/speakers/{speaker_id}", response_class=HTMLResponse)
def speaker_page(
    request: Request, store: StoreDep, speaker_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    live = live_speaker_id(request, store, speaker_id)  # a merged id: to the survivor
    if not isinstance(live, int):
        return live
    detail = get_speaker(store, live)
    if detail is None:
        raise HTTPException(404, f"No speaker with id {speaker_id}.")
    points = speaker_timeline(store, detail.id)
    chart = timeline_chart((p.day, p.act, p.count) for p in points)
    recent = search_statements(store, QueryFilters(speaker=detail.id, limit=15))
    context = {
        "nav": "speakers",
        "s": detail,
        "chart": chart,
        "topics": speaker_topics(store, detail.id, limit=24),
        "recent": recent,
        "roles": role_bars(detail.roles, detail.first_date, detail.last_date),
        "aliases": [a for a in detail.aliases if a != detail.name],
    }
    return templates.TemplateResponse(request, "speaker.html", context)

"""The article page: the text exactly as stored, each statement highlighted in its
speaker's colour with the cue and speaker mention marked, and a side list of statements
(speaker entity, act, source chain). ``static/article.js`` links the two on hover and
click; without JavaScript the highlights, tooltips and anchors still work."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from saidwhat.query import ArticleDetail, StatementRow, get_article, get_statement
from saidwhat.web.colours import distinct_colours
from saidwhat.web.highlight import boilerplate_items, boilerplate_marks, cut, statement_marks
from saidwhat.web.params import ArticlePathId, StoreDep, full_article_id
from saidwhat.web.render import chain, isolated, templates

router = APIRouter(include_in_schema=False)


def speaker_key(row: StatementRow) -> object:
    return row.speaker_id if row.speaker_id else row.speaker


def statement_view(row: StatementRow, colour: str) -> dict[str, Any]:
    """What the highlighter and the side list need of one statement."""

    def span(bounds: tuple[int, int] | None) -> dict[str, int] | None:
        return {"start": bounds[0], "end": bounds[1]} if bounds else None

    return {
        "key": str(row.id),
        "colour": colour,
        "content": row.content_spans,
        "cue": span(row.cue_span),
        "speaker_mention": span(row.speaker_span),
        "row": row,
        "chain": chain(
            {"reported_by": row.reported_by, "via": row.via, "speaker_name": row.speaker}
        ),
    }


def article_view(a: ArticleDetail) -> dict[str, Any]:
    colours = distinct_colours([speaker_key(r) for r in a.statements])
    views = [statement_view(r, colours[speaker_key(r)]) for r in a.statements]
    marks = statement_marks(views) + boilerplate_marks(a.spans)
    by_key = {v["key"]: v for v in views}
    roles = {e.entity_id: e.roles for e in a.entities}
    for v in views:
        v["roles"] = roles.get(v["row"].speaker_id, [])
    tips = {  # tooltips: every untrusted part isolated on its own (``render.isolated``)
        k: " · ".join(
            [
                isolated(v["row"].speaker or "?"),
                v["row"].act + ("" if v["row"].kind == "statement" else f" ({v['row'].kind})"),
                " ← ".join(isolated(link) for link in v["chain"]),
            ]
        )
        for k, v in by_key.items()
    }
    return {
        "pieces": cut(a.text, marks),
        "statements": views,
        "tips": tips,
        "boilerplate": boilerplate_items(a.text, a.spans or {}),
    }


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    store: StoreDep,
    article_id: ArticlePathId,
) -> Response:
    found = full_article_id(request, store, article_id)  # the start of an id: a redirect
    if not isinstance(found, str):
        return found
    detail = get_article(store, found)
    if detail is None:
        raise HTTPException(404, f"No article with id {article_id}.")
    view = article_view(detail)
    speakers = {}
    for v in view["statements"]:
        r = v["row"]
        speakers.setdefault(speaker_key(r), (r.speaker_id, r.speaker or "?", v["colour"]))
    context = {"nav": "", "a": detail, "speakers": list(speakers.values()), **view}
    return templates.TemplateResponse(request, "article.html", context)


@router.get("/statements/{statement_id}")
def statement_page(
    store: StoreDep, statement_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    """A statement's permalink: its article, scrolled to it and selected (``#st-{id}``,
    as a search result's link)."""
    row = get_statement(store, statement_id)
    if row is None:
        raise HTTPException(404, f"No statement with id {statement_id}.")
    return RedirectResponse(f"/articles/{row.article_id}#st-{row.id}", status_code=307)

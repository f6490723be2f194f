"""Quote check on the web: the ``/check`` page and ``POST /api/check``.

Both are ``query.check.check_quote`` (the CLI's ``saidwhat check``): the statements that
say a quote, who said it (with a speaker: that person, someone else, or nobody in the
corpus), the earliest report, each report's source chain, every outlet, and the wordings
side by side with the quote, words dropped struck out and words added marked. The page
is a plain GET form, so a check is a link one can share; the API takes a POST body, as
a quote may be long.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from saidwhat.query import AmbiguousSpeaker
from saidwhat.query.check import CHECK_THRESHOLD, QuoteCheck, check_quote
from saidwhat.web.params import TEXT_MAX, StoreDep
from saidwhat.web.render import templates

router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["read"])

QUOTE_MAX = 1000  # characters of a quote to check


class CheckRequest(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=QUOTE_MAX, description="The quote")]
    speaker: Annotated[
        str | None,
        Field(max_length=TEXT_MAX, description="Did this person say it? (name, alias or id)"),
    ] = None
    threshold: Annotated[
        float,
        Field(
            ge=0,
            le=1,
            description="Cosine of the meanings that, with half the quote's words in "
            "order, makes a match (a statement holding two thirds of them always is)",
        ),
    ] = CHECK_THRESHOLD


@api.post(
    "/check",
    summary="Check a quote",
    response_model=QuoteCheck,
    responses={409: {"description": "A speaker name that means several people"}},
)
def check_api(store: StoreDep, body: CheckRequest) -> QuoteCheck:
    """The statements that say ``text``, with ``similarity`` (cosine of the embeddings)
    and ``coverage`` (share of the quote's words in the same order); ``said_by``;
    with ``speaker``, ``verdict`` (said | someone_else | nobody); ``earliest``,
    ``outlets``, every report's ``chain`` (outlet first, speaker last) and the
    ``wordings`` against the quote (``diff``: equal, added, dropped words; ``drift``:
    negation, number, words). ``saidwhat check`` in the CLI."""
    if not body.text.strip():
        raise HTTPException(422, "text: the quote to check is empty")
    return check_quote(store, body.text, body.speaker, body.threshold)


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request, store: StoreDep) -> HTMLResponse:
    qp = request.query_params
    text = (qp.get("text") or "").strip()
    speaker = (qp.get("speaker") or "").strip() or None
    result, error = None, None
    if len(text) > QUOTE_MAX or len(speaker or "") > TEXT_MAX:
        error = f"the quote may have up to {QUOTE_MAX} characters, the speaker {TEXT_MAX}"
    elif text:
        try:
            result = check_quote(store, text, speaker)
        except AmbiguousSpeaker as exc:
            names = "; ".join(f"{c.name} (id {c.id})" for c in exc.candidates)
            error = f"{exc.question} {names}"
    context = {
        "nav": "check",
        "text": text,
        "speaker": speaker or "",
        "result": result,
        "error": error,
    }
    return templates.TemplateResponse(
        request, "check.html", context, status_code=400 if error else 200
    )

"""Writes over the API: ingest one article (JSON) or a file (multipart upload).

Refused with 401 unless the server was started with a token (``SAIDWHAT_TOKEN``) and the
request carries it (``Authorization: Bearer <token>``). The token check runs as a
dependency, before the body is read into a model. Bodies over the size limit get 413
(``limits.BodyLimitMiddleware``); fields that do not validate get 422; text the readers
refuse (empty, binary, not UTF-8, too long) gets 400. Nothing unvalidated reaches the
store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from saidwhat.ingest.upload import (
    BadInput,
    IngestOutcome,
    article_from_fields,
    articles_from_upload,
    store_articles,
)
from saidwhat.query import ArticleDocument, article_document
from saidwhat.reading.records import MAX_ARTICLE_CHARS
from saidwhat.schema import Article
from saidwhat.store import Store
from saidwhat.web.limits import require_token
from saidwhat.web.params import StoreDep

router = APIRouter(tags=["write (token)"], dependencies=[Depends(require_token)])


class ArticleIn(BaseModel):
    """An article to analyse and store. ``text`` is the body exactly as published; it may
    start with a ``date YYYY-MM-DD`` prefix and carry a wire dateline and sign-off."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    text: str = Field(min_length=1, max_length=MAX_ARTICLE_CHARS)
    title: str | None = Field(default=None, max_length=500)
    date: str | None = Field(default=None, description="ISO publication day, YYYY-MM-DD")
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=200, description="Publishing outlet")

    @field_validator("date")
    @classmethod
    def _iso_day(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError("not an ISO date (YYYY-MM-DD)") from None

    @field_validator("title", "url", "source")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise ValueError("contains control characters")
        return value

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("empty text")
        if "\x00" in value:
            raise ValueError("text contains NUL characters")
        return value


def _store(request: Request, store: Store, articles: list[Article]) -> IngestOutcome:
    """Store the articles, analysed on one of the app's analysis slots (``web.analysers``:
    a free one is taken only once an article turns out to be new) under the server's
    per-article time budget."""
    return store_articles(
        store,
        articles,
        pipelines=request.app.state.pipelines.checkout,
        time_budget=request.app.state.options.time_budget,
        engine=request.app.state.options.engine,
        outlets=request.app.state.options.outlets,
    )


def _answer(outcome: IngestOutcome, extra: dict[str, Any] | None = None) -> JSONResponse:
    stored_new = any(s.status != "duplicate" for s in outcome.stored)
    if not outcome.stored and outcome.errors:
        raise HTTPException(400, "; ".join(outcome.errors))
    body = outcome.to_dict() | (extra or {})
    return JSONResponse(body, status_code=201 if stored_new else 200)


@dataclass
class PostedArticle(IngestOutcome):
    """What ``POST /api/articles`` answers: the outcome, and the article as now stored
    (``GET /api/articles/{id}`` without the text, which the client has: the statements'
    offsets point into the text as posted)."""

    article: ArticleDocument | None = None


_DOCUMENT = TypeAdapter(ArticleDocument)


@router.post(
    "/articles",
    summary="Ingest one article",
    status_code=201,
    response_model=PostedArticle,
    responses={401: {"description": "No or wrong token"}, 413: {"description": "Body too large"}},
)
def post_article(request: Request, store: StoreDep, body: ArticleIn) -> Any:
    """Analyse the article and store it; answers what was stored (201), or that it was
    already there (200, ``status: duplicate``), with ``article``: its statements,
    entities and copies as stored (``GET /api/articles/{id}`` without the text)."""
    try:
        article = article_from_fields(
            body.text,
            title=body.title,
            date=body.date,
            url=body.url,
            source=body.source,
            where="POST /api/articles",
        )
    except BadInput as exc:
        raise HTTPException(400, str(exc)) from None
    outcome = _store(request, store, [article])
    document = (
        article_document(store, outcome.stored[0].article_id, text=False)
        if outcome.stored and outcome.stored[0].article_id
        else None
    )
    extra = {
        "article": _DOCUMENT.dump_python(document, mode="json", by_alias=True) if document else None
    }
    return _answer(outcome, extra)


@router.post(
    "/articles/file",
    summary="Ingest a file",
    status_code=201,
    response_model=IngestOutcome,
    responses={401: {"description": "No or wrong token"}, 413: {"description": "Body too large"}},
)
def post_file(request: Request, store: StoreDep, file: Annotated[UploadFile, File()]) -> Any:
    """Upload a file (txt, JSONL, JSON, HTML, RSS/Atom) and ingest every article in it.
    Unreadable records are listed under ``errors``; the others are still stored."""
    data = file.file.read()
    try:
        articles, errors = articles_from_upload(file.filename, data)
    except BadInput as exc:
        raise HTTPException(400, str(exc)) from None
    outcome = _store(request, store, articles)
    outcome.errors[:0] = errors
    return _answer(outcome)

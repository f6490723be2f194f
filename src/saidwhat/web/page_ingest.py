"""The ingest page (``/ingest``): paste an article or upload a file, for operators who
hold the token. The form carries the token itself (there is no login session to steal),
and the same checks as the API apply: size limit, readers' checks, 401 without the
token, 429 after repeated wrong ones (``limits.verify_token``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse

from saidwhat.ingest.upload import (
    BadInput,
    IngestOutcome,
    article_from_fields,
    articles_from_upload,
    store_articles,
)
from saidwhat.schema import Article
from saidwhat.web.limits import verify_token
from saidwhat.web.params import StoreDep
from saidwhat.web.render import templates

router = APIRouter(include_in_schema=False)


def _page(request: Request, status: int = 200, **context) -> HTMLResponse:  # type: ignore[no-untyped-def]
    context.setdefault("form", {})
    return templates.TemplateResponse(
        request,
        "ingest.html",
        {"nav": "ingest", "enabled": bool(request.app.state.token), **context},
        status_code=status,
    )


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request) -> HTMLResponse:
    return _page(request)


@router.post("/ingest", response_class=HTMLResponse)
def ingest_submit(
    request: Request,
    store: StoreDep,
    token: Annotated[str, Form(max_length=500)] = "",
    text: Annotated[str, Form(max_length=1_000_000)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
    date: Annotated[str, Form(max_length=10)] = "",
    source: Annotated[str, Form(max_length=200)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    form = {"text": text, "title": title, "date": date, "source": source}
    try:
        verify_token(request, token)
    except HTTPException as refused:
        if refused.status_code == 429:
            reason = f"Too many wrong tokens: {refused.detail}."
        elif not request.app.state.token:
            reason = "Writes are disabled on this server (no SAIDWHAT_TOKEN)."
        else:
            reason = "Wrong or missing token."
        page = _page(request, refused.status_code, error=reason, form=form)
        if refused.headers and "Retry-After" in refused.headers:
            page.headers["Retry-After"] = refused.headers["Retry-After"]
        return page

    def store_all(articles: list[Article]) -> IngestOutcome:
        return store_articles(
            store,
            articles,
            pipelines=request.app.state.pipelines.checkout,
            time_budget=request.app.state.options.time_budget,
            engine=request.app.state.options.engine,
            outlets=request.app.state.options.outlets,
        )

    outcome = IngestOutcome()
    for name, value in (("title", title), ("date", date), ("outlet", source)):
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            return _page(request, 400, error=f"{name}: contains control characters", form=form)
    try:
        if file is not None and file.filename:
            articles, errors = articles_from_upload(file.filename, file.file.read())
            outcome = store_all(articles)
            outcome.errors[:0] = errors
        elif text.strip():
            outcome = store_all(
                [
                    article_from_fields(
                        text, title=title, date=date or None, source=source, where="pasted text"
                    )
                ]
            )
        else:
            return _page(request, 400, error="Paste a text or choose a file.", form=form)
    except BadInput as exc:
        return _page(request, 400, error=str(exc), form=form)
    status = 200 if outcome.stored else 400
    return _page(request, status, outcome=outcome, form={} if outcome.stored else form)

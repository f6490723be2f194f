"""The web application: REST API under ``/api`` and server-rendered pages, one FastAPI app.

``create_app(db_url, token)`` opens the store once and hands it to every request through
``app.state``. Pages and API endpoints are thin: they parse parameters, call
``saidwhat.query`` (the only code that writes SQL for reading) and render or serialise
the result. Everything the browser loads comes from this server (``/static``, and the
Swagger UI files shipped by the ``swagger-ui-bundle-v2`` package under ``/vendor/swagger``),
so the app works with no network and never pulls from a CDN.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from saidwhat.query import AmbiguousArticle, AmbiguousSpeaker, open_reader
from saidwhat.query.similar import UnknownStatement
from saidwhat.store import Store, open_store
from saidwhat.web.analysers import PipelinePool
from saidwhat.web.cache import GenerationMemo
from saidwhat.web.conditional import ConditionalGetMiddleware
from saidwhat.web.limits import BodyLimitMiddleware, SecurityHeadersMiddleware
from saidwhat.web.logs import AccessLogMiddleware
from saidwhat.web.options import WebOptions
from saidwhat.web.render import query_string, templates
from saidwhat.web.throttle import AuthThrottle

HERE = Path(__file__).resolve().parent
TOKEN_ENV = "SAIDWHAT_TOKEN"


def create_app(
    db_url: str | os.PathLike[str] | None = None,
    token: str | None = None,
    *,
    store: Store | None = None,
    options: WebOptions | None = None,
    pipelines: PipelinePool | None = None,
) -> FastAPI:
    """The saidwhat web app over the store at ``db_url`` (SQLite path or postgresql:// URL).

    ``token``: the operator's secret for writes (``POST`` ingest). None or empty means the
    app is read-only and every write answers 401; it then opens the store as a reader
    (``open_reader``: it must exist and is never migrated or written), while an app that
    takes writes opens it as the writers do (created or upgraded). ``store``: an already
    open store (tests). ``options``: limits and switches (``WebOptions``; the same object
    ``saidwhat serve`` builds from its command line). ``pipelines``: the pool that
    analyses posted articles (tests hand in one with their own pipeline).
    """
    options = options or WebOptions()
    from saidwhat.web import (
        api_download,
        api_ingest,
        api_read,
        feeds,
        page_article,
        page_check,
        page_compare,
        page_ingest,
        page_outlets,
        page_search,
        page_speaker,
    )

    app = FastAPI(
        title="saidwhat",
        summary="Who said what, about what, when, and through whom.",
        description=(
            "Read-only access to a saidwhat corpus: statements (with the same filters as "
            "the CLI), speakers, articles, source chains and stats. Field names follow the "
            "extraction schema (`Analysis.to_dict()`). Writes (`POST /api/articles`, "
            "`POST /api/articles/file`) need the operator's token as "
            "`Authorization: Bearer <token>`."
        ),
        version=_version(),
        docs_url=None,  # served below with the vendored Swagger UI, not the CDN default
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.owns_store = store is None
    if store is None:
        store = open_store(db_url) if token else open_reader(db_url)
    app.state.store = store
    app.state.token = token or None
    app.state.options = options
    app.state.auth_throttle = AuthThrottle(options)
    app.state.pipelines = pipelines or PipelinePool(options)
    app.state.cache = GenerationMemo()  # page furniture (corpus totals), per generation

    app.add_middleware(  # innermost: a 304 still gets the security headers and a log line
        ConditionalGetMiddleware,
        store=lambda: app.state.store,
        salt=f"{_version()} {store.url}",
        cache_control=options.cache_control,
        answer_bytes=int(options.answer_cache_mb * 1024 * 1024),
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=options.max_body)
    app.add_middleware(SecurityHeadersMiddleware)
    if options.access_log:
        app.add_middleware(AccessLogMiddleware)  # added last: outermost, times everything
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.mount("/vendor/swagger", StaticFiles(directory=_swagger_dir()), name="swagger")

    for module in (api_read, api_download, api_ingest):
        app.include_router(module.router, prefix="/api")
    app.include_router(feeds.api, prefix="/api")
    app.include_router(page_check.api, prefix="/api")
    app.include_router(feeds.pages)
    for module in (
        page_search,
        page_speaker,
        page_compare,
        page_check,
        page_article,
        page_outlets,
        page_ingest,
    ):
        app.include_router(module.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="saidwhat API",
            swagger_js_url="/vendor/swagger/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    _error_handlers(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # the endpoints' thread pool (sync ``def`` endpoints run there): sized by the options,
    # because every thread busy in Python takes turns for the GIL with the event loop,
    # which answers the 304s and cached answers
    to_thread.current_default_thread_limiter().total_tokens = app.state.options.threads
    yield
    if app.state.owns_store:  # a store handed in by the caller is the caller's to close
        app.state.store.close()


def _swagger_dir() -> Path:
    import swagger_ui_bundle

    return Path(str(swagger_ui_bundle.swagger_ui_path))


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("saidwhat")
    except Exception:  # running from a source tree that is not installed
        return "0"


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api", "/openapi", "/docs")) and (
        "text/html" in request.headers.get("accept", "")
    )


def _error_handlers(app: FastAPI) -> None:
    """API errors as ``{"detail": ...}`` JSON; page errors as a small HTML page."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):  # type: ignore[no-untyped-def]
        if _wants_html(request):
            return templates.TemplateResponse(
                request,
                "error.html",
                {"status": exc.status_code, "detail": exc.detail},
                status_code=exc.status_code,
            )
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(UnknownStatement)
    async def unknown_statement(request: Request, exc: UnknownStatement):  # type: ignore[no-untyped-def]
        """``like_id`` naming no statement (search page, API): a 404 like any other."""
        return await http_error(request, StarletteHTTPException(404, str(exc)))

    @app.exception_handler(AmbiguousSpeaker)
    async def ambiguous_speaker(request: Request, exc: AmbiguousSpeaker):  # type: ignore[no-untyped-def]
        """A name that means several people: 409 with the candidates (API), or a page to
        choose one from, each link the same request with the speaker's id instead."""
        if request.url.path.startswith("/api"):
            return JSONResponse(exc.to_dict(), status_code=409)
        params = dict(request.query_params)
        choices = [
            (c, request.url.path + query_string(params, speaker=c.id, offset=None))
            for c in exc.candidates
        ]
        return templates.TemplateResponse(
            request,
            "choose.html",
            {"name": exc.name, "choices": choices, "more": exc.more},
            status_code=409,
        )

    @app.exception_handler(AmbiguousArticle)
    async def ambiguous_article(request: Request, exc: AmbiguousArticle):  # type: ignore[no-untyped-def]
        """The start of several article ids: 409 with them (API) or a page listing them."""
        if request.url.path.startswith("/api"):
            return JSONResponse(exc.to_dict(), status_code=409)
        return templates.TemplateResponse(
            request,
            "choose_article.html",
            {"prefix": exc.name, "choices": exc.candidates, "more": exc.more},
            status_code=409,
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):  # type: ignore[no-untyped-def]
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        if _wants_html(request):
            detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
            return templates.TemplateResponse(
                request, "error.html", {"status": 422, "detail": detail}, status_code=422
            )
        return JSONResponse({"detail": errors}, status_code=422)

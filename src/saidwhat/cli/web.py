"""``saidwhat serve``: the web app and REST API over a store, with uvicorn.

Read-only unless the operator sets ``SAIDWHAT_TOKEN`` (or ``--token-env`` names another
variable): the token is read from the environment, never from the command line, so it
does not show in ``ps``. The server's limits (timeouts, connection cap, log rate limit,
token slow-down) are one ``WebOptions``; uvicorn runs the guarded protocol of
``web.server`` with them, and each worker process gets them as JSON in
``$SAIDWHAT_SERVE_OPTIONS`` (the store's URL and the token's variable travel the same
way), because uvicorn starts workers from an import string.
"""

from __future__ import annotations

import os

import click

from saidwhat.cli.options import (
    StoreLocation,
    engine_option,
    outlets_option,
    store_option,
    time_budget_option,
)

DB_ENV = "SAIDWHAT_SERVE_DB"
TOKEN_ENV_ENV = "SAIDWHAT_SERVE_TOKEN_ENV"
OPTIONS_ENV = "SAIDWHAT_SERVE_OPTIONS"

_seconds = click.FloatRange(0.05, 86400)


@click.command("serve")
@store_option(create=False, missing="must exist unless a write token is set")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (PostgreSQL or read-only SQLite).",
)
@click.option(
    "--token-env",
    default="SAIDWHAT_TOKEN",
    show_default=True,
    help="Environment variable holding the write token (unset: read-only).",
)
@click.option(
    "--max-body",
    default=2 * 1024 * 1024,
    show_default=True,
    type=click.IntRange(1024, 1024**3),
    help="Largest request body in bytes (uploads).",
)
@click.option(
    "--header-timeout",
    default=10.0,
    show_default=True,
    type=_seconds,
    help="Seconds for a complete request head (slow or stalled clients get 408).",
)
@click.option(
    "--body-timeout",
    default=60.0,
    show_default=True,
    type=_seconds,
    help="Seconds for a complete request body once the head is in.",
)
@click.option(
    "--keep-alive",
    default=5.0,
    show_default=True,
    type=_seconds,
    help="Seconds an idle keep-alive connection stays open.",
)
@click.option(
    "--max-connections",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Open connections per worker; more are answered 503 at once.",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="One line per request on stderr: time, client, method, path, status, ms.",
)
@click.option(
    "--log-burst",
    default=20,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Log lines of one kind per interval before repeats are only counted.",
)
@click.option(
    "--access-log-burst",
    default=200,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Access lines per client address and status per interval, the rest counted.",
)
@click.option(
    "--log-interval",
    default=10.0,
    show_default=True,
    type=_seconds,
    help="Seconds of the log rate limit's window (one summary line per window).",
)
@click.option(
    "--analysis-slots",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Posted articles analysed at once (each slot loads its own pipeline).",
)
@click.option(
    "--answer-cache-mb",
    default=64.0,
    show_default=True,
    type=click.FloatRange(0, 65536),
    help="Megabytes of read answers kept until the store changes (0: off).",
)
@click.option(
    "--threads",
    default=40,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Threads that run the endpoints (queries) in each worker.",
)
@time_budget_option()
@engine_option()
@outlets_option()
def serve_command(
    db: StoreLocation,
    host: str,
    port: int,
    workers: int,
    token_env: str,
    max_body: int,
    header_timeout: float,
    body_timeout: float,
    keep_alive: float,
    max_connections: int,
    access_log: bool,
    log_burst: int,
    access_log_burst: int,
    log_interval: float,
    analysis_slots: int,
    answer_cache_mb: float,
    threads: int,
    time_budget: float | None,
    engine: str | None,
    outlets: str | None,
) -> None:
    """Serve the web pages and the REST API (/docs) over the store.

    Writes (POST /api/articles, the /ingest page) need the token from $SAIDWHAT_TOKEN;
    without it the server is read-only and writes answer 401. Wrong tokens from one
    address are slowed down (429 with Retry-After after 3). A posted article whose
    analysis runs past --time-budget is refused with one line; the others are stored.
    """
    import uvicorn

    from saidwhat.web.options import WebOptions
    from saidwhat.web.server import fit_to_open_files, protocol_factory

    token = os.environ.get(token_env) or None
    # fail here with one line, not inside a worker; an operator who accepts writes may
    # start on an empty store, a read-only server needs an existing one
    db.open(create=bool(token)).close()
    options = WebOptions(
        max_body=max_body,
        header_timeout=header_timeout,
        body_timeout=body_timeout,
        keep_alive=keep_alive,
        max_connections=max_connections,
        access_log=access_log,
        log_burst=log_burst,
        access_log_burst=access_log_burst,
        log_interval=log_interval,
        analysis_slots=analysis_slots,
        answer_cache_mb=answer_cache_mb,
        threads=threads,
        time_budget=time_budget,
        engine=engine,
        outlets=os.path.abspath(outlets) if outlets else None,
    )
    options, backlog, note = fit_to_open_files(options)
    if note:
        click.echo(f"saidwhat serve: {note}", err=True)
    os.environ[DB_ENV] = db.url or ""
    os.environ[TOKEN_ENV_ENV] = token_env
    os.environ[OPTIONS_ENV] = options.to_json()
    mode = "read-write (token set)" if token else "read-only"
    click.echo(f"saidwhat serve: http://{host}:{port}/  ({mode}; API docs at /docs)", err=True)
    uvicorn.run(
        "saidwhat.cli.web:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=protocol_factory(options),
        timeout_keep_alive=keep_alive,  # type: ignore[arg-type]  (uvicorn takes a float fine)
        backlog=backlog,
        log_config=None,  # app_from_env installs the rate-limited handlers in each worker
        log_level="warning",
        access_log=False,  # ours is AccessLogMiddleware (one line format, rate-limited)
    )


def app_from_env():  # type: ignore[no-untyped-def]
    """The app as ``serve`` configured it (uvicorn imports this in each worker), with the
    server's log handlers installed in this process."""
    from saidwhat.web import create_app
    from saidwhat.web.logs import install_logging
    from saidwhat.web.options import WebOptions

    options = WebOptions.from_json(os.environ.get(OPTIONS_ENV))
    install_logging(options)
    token = os.environ.get(os.environ.get(TOKEN_ENV_ENV, "SAIDWHAT_TOKEN"))
    return create_app(os.environ.get(DB_ENV) or None, token=token or None, options=options)


COMMANDS = [serve_command]

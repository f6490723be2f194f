"""``saidwhat serve``: the web app and REST API over a store, with uvicorn.

Read-only unless the operator sets ``SAIDWHAT_TOKEN`` (or ``--token-env`` names another
variable): the token is read from the environment, never from the command line, so it
does not show in ``ps``.
"""

from __future__ import annotations

import os

import click

from saidwhat.cli.options import StoreLocation, store_option


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
def serve_command(
    db: StoreLocation, host: str, port: int, workers: int, token_env: str, max_body: int
) -> None:
    """Serve the web pages and the REST API (/docs) over the store.

    Writes (POST /api/articles, the /ingest page) need the token from $SAIDWHAT_TOKEN;
    without it the server is read-only and writes answer 401.
    """
    import uvicorn

    token = os.environ.get(token_env) or None
    # fail here with one line, not inside a worker; an operator who accepts writes may
    # start on an empty store, a read-only server needs an existing one
    db.open(create=bool(token)).close()
    os.environ["SAIDWHAT_SERVE_DB"] = db.url or ""
    os.environ["SAIDWHAT_SERVE_TOKEN_ENV"] = token_env
    os.environ["SAIDWHAT_SERVE_MAX_BODY"] = str(max_body)
    mode = "read-write (token set)" if token else "read-only"
    click.echo(f"saidwhat serve: http://{host}:{port}/  ({mode}; API docs at /docs)", err=True)
    uvicorn.run(
        "saidwhat.cli.web:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def app_from_env():  # type: ignore[no-untyped-def]
    """The app as ``serve`` configured it (uvicorn imports this in each worker)."""
    from saidwhat.web import create_app

    token = os.environ.get(os.environ.get("SAIDWHAT_SERVE_TOKEN_ENV", "SAIDWHAT_TOKEN"))
    return create_app(
        os.environ.get("SAIDWHAT_SERVE_DB") or None,
        token=token or None,
        max_body=int(os.environ.get("SAIDWHAT_SERVE_MAX_BODY") or 2 * 1024 * 1024),
    )


COMMANDS = [serve_command]

"""``saidwhat serve``: the web app and REST API over a store, with uvicorn.

``register(main)`` adds the command to the ``saidwhat`` group. Read-only unless the
operator sets ``SAIDWHAT_TOKEN`` (or ``--token-env`` names another variable): the token is
read from the environment, never from the command line, so it does not show in ``ps``.
"""

from __future__ import annotations

import os

import click

from saidwhat.store.engine import DB_ENV


@click.command("serve")
@click.option(
    "--db",
    envvar=DB_ENV,
    default=None,
    help="Store: a SQLite path or postgresql://... URL (default ./saidwhat.db).",
)
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
    db: str | None, host: str, port: int, workers: int, token_env: str, max_body: int
) -> None:
    """Serve the web pages and the REST API (/docs) over the store.

    Writes (POST /api/articles, the /ingest page) need the token from $SAIDWHAT_TOKEN;
    without it the server is read-only and writes answer 401.
    """
    import uvicorn

    from saidwhat.query import StoreNotFound, open_reader

    token = os.environ.get(token_env) or None
    try:  # fail here with one line, not inside a worker
        if token:
            from saidwhat.store import open_store

            open_store(db).close()  # an operator may start with an empty store
        else:
            open_reader(db).close()
    except StoreNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:
        raise click.ClickException(f"cannot open store {db or 'saidwhat.db'}: {exc}") from exc
    os.environ["SAIDWHAT_SERVE_DB"] = db or ""
    os.environ["SAIDWHAT_SERVE_TOKEN_ENV"] = token_env
    os.environ["SAIDWHAT_SERVE_MAX_BODY"] = str(max_body)
    mode = "read-write (token set)" if token else "read-only"
    click.echo(f"saidwhat serve: http://{host}:{port}/  ({mode}; API docs at /docs)", err=True)
    uvicorn.run(
        "saidwhat.cli_web:app_from_env",
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


def register(main: click.Group) -> None:
    main.add_command(serve_command)

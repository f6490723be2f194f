"""``saidwhat migrate``: upgrade a store's schema, the one write readers leave to you.

Read commands and a read-only server never migrate (reading would otherwise change the
file), so a store written by an older saidwhat is upgraded here, on purpose; ingest and
load still upgrade the store they write to. A SQLite file of another program is left
alone unless ``--allow-foreign-tables`` says to add saidwhat's tables beside its own.
"""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa

from saidwhat.cli.options import StoreLocation, store_option


@click.command("migrate")
@store_option(create=False, missing="must exist")
@click.option(
    "--allow-foreign-tables",
    is_flag=True,
    help="Add saidwhat's tables to a SQLite file that already holds other tables.",
)
def migrate_command(db: StoreLocation, allow_foreign_tables: bool) -> None:
    """Upgrade the store at --db to this saidwhat's schema (no-op when it is current)."""
    from saidwhat.store import ForeignDatabase, migrate, resolve_url
    from saidwhat.store.engine import create_engine, head_revision, refuse_foreign_sqlite

    url = sa.make_url(resolve_url(db.url))
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        raise click.ClickException(f"{db.shown}: no such store")
    shown_url = url.render_as_string(hide_password=False)
    try:
        refuse_foreign_sqlite(shown_url, allow_foreign_tables)
    except ForeignDatabase as exc:
        raise click.ClickException(str(exc)) from exc
    engine = create_engine(shown_url)
    try:
        before = migrate(engine)
    except sa.exc.SQLAlchemyError as exc:
        raise click.ClickException(f"cannot migrate {db.shown}: {exc}") from exc
    finally:
        engine.dispose()
    head = head_revision()
    if before == head:
        click.echo(f"{db.shown}: already at schema revision {head}")
    else:
        click.echo(f"{db.shown}: upgraded from {before or 'no schema'} to revision {head}")


COMMANDS = [migrate_command]

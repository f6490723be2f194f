"""Alembic environment: always run programmatically by ``saidwhat.store.open_store``.

The connection comes in through ``config.attributes["connection"]`` so that migrations
run inside the caller's engine (and, for tests, its temporary database).
"""

from __future__ import annotations

from alembic import context

from saidwhat.store.tables import metadata

config = context.config


def _include(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Autogenerate ignores the full-text objects: they are written by hand per dialect."""
    return not (name or "").startswith("statements_fts") and name != "search"


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` on the command line, with sqlalchemy.url set
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode recreates tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()

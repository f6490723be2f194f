"""Shared by the store tests: hand-built analyses and the SQLite / PostgreSQL stores.

Analyses are built by hand (not by the extractor) so these tests pin the store's own
behaviour; the end-to-end tests go through ``analyse`` too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from saidwhat.schema import Analysis, Article, Entity, Mention, Span, Statement, ViaLink
from saidwhat.store import Store, open_store
from saidwhat.store.engine import alembic_config, create_engine, resolve_url

PG_ADMIN_URL = os.environ.get("SAIDWHAT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def span(text: str, piece: str) -> Span:
    start = text.index(piece)
    return Span(start, start + len(piece), piece)


def make_analysis(
    text: str,
    *,
    date: str | None = "2025-12-11",
    source: str | None = "Daily Example",
    agency: str | None = None,
    people: Sequence[tuple[str, str, Sequence[str]]] = (),
    orgs: Sequence[tuple[str, str]] = (),
    quotes: Sequence[tuple[str, str, str]] = (),
    via: Sequence[str] = (),
) -> Analysis:
    """people: (local id, name, roles); orgs: (local id, name); quotes: (local speaker
    id, quoted words, cue word). Every name and quote must occur in ``text``."""
    article = Article(text=text, date=date, source=source, agency=agency, path=f"{source}.txt")
    entities = []
    specs = [(loc, n, list(r), "PERSON") for loc, n, r in people]
    specs += [(loc, n, [], "ORG") for loc, n in orgs]
    for local, name, roles, kind in specs:
        mentions = []
        if name in text:
            s = span(text, name)
            mentions.append(Mention(s.start, s.end, s.text, "name"))
        entities.append(Entity(id=local, name=name, type=kind, roles=roles, mentions=mentions))
    statements = []
    for i, (speaker, words, cue) in enumerate(quotes, 1):
        ent = next(e for e in entities if e.id == speaker)
        statements.append(
            Statement(
                id=f"s{i}",
                type="direct",
                act="assert",
                content=[span(text, words)],
                cue=span(text, cue),
                speaker_mention=span(text, ent.mentions[0].text) if ent.mentions else None,
                speaker=speaker,
                speaker_name=ent.name,
                via=[ViaLink(name=v) for v in via],
                reported_by=article.reported_by,
                date=date,
            )
        )
    return Analysis(article=article, entities=entities, statements=statements, model="hand")


def wire_story(outlet: str, extra: str = "", date: str = "2025-12-11") -> Analysis:
    """The same made-up wire story as one outlet prints it (``extra`` = its own edit)."""
    text = (
        f"Moscow, Dec 11 ({outlet}) Kremlin spokesman Dmitry Peskov said on Wednesday that the "
        "talks on the northern grain corridor would resume next week in Geneva. "
        '"We are ready to discuss every detail of the corridor," Peskov told reporters. '
        "He added that the delegation would be led by the deputy foreign minister and that "
        "experts from both sides had prepared the technical documents in advance. "
        f"The ministry did not comment on the timing of the next round. {extra}"
    )
    return make_analysis(
        text,
        date=date,
        source=outlet,
        people=[("e1", "Dmitry Peskov", ["Kremlin spokesman"])],
        quotes=[("e1", "We are ready to discuss every detail of the corridor,", "told")],
    )


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test session, dropped afterwards."""
    admin = sa.create_engine(
        PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    name = f"saidwhat_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def postgres_available() -> str | None:
    """None when the server answers, else the reason it does not."""
    try:
        engine = sa.create_engine(
            PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1),
            connect_args={"connect_timeout": 3},
        )
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        engine.dispose()
        return None
    except Exception as exc:  # any failure means: skip the PostgreSQL variant
        return f"no PostgreSQL at {PG_ADMIN_URL}: {type(exc).__name__}"


def truncate_all(url: str) -> None:
    """Empty every table of a PostgreSQL test database between tests."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        tables = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ]
        if tables:
            conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    engine.dispose()


def own_postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for the fixture's scope, or a skip saying why not."""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    with postgres_database() as url:
        yield url


pg_url = pytest.fixture(scope="session", name="pg_url")(own_postgres_database)
# One test's own database: for tests that change a schema (the shared one stays at head).
pg_database = pytest.fixture(name="pg_database")(own_postgres_database)

# A schema revision older than head, as an older saidwhat left its stores.
OLD_REVISION = "0003"


def migrate_to(url: str, revision: str) -> None:
    """Bring a database to ``revision`` only, as an older saidwhat left it."""
    engine = create_engine(resolve_url(url))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


def revision_of(url: str) -> str | None:
    engine = sa.create_engine(resolve_url(url))
    with engine.connect() as conn:
        found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    return found


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against a fresh SQLite file and the (emptied) PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    url = request.getfixturevalue("pg_url")
    truncate_all(url)
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()

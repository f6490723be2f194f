"""Whitespace twins: the same article with CRLF line ends, a trailing newline or other
spacing is the stored article (a duplicate), never stored again as a syndicated copy.

The twin has another article id (``content_id`` hashes the text as read, and stored ids
must not change), so the store also compares ``articles.text_hash``, the hash of the
whitespace-normalised text. The stored original keeps its own text, and every offset
still points into it. Older stores get the column filled in by migration 0005, with
nothing already stored lost or duplicated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

import store_support as sup
from saidwhat.linking.copies import normalised_text, text_hash
from saidwhat.query import get_article, store_generation
from saidwhat.schema import Analysis
from saidwhat.store import open_store
from saidwhat.store.engine import alembic_config, create_engine, resolve_url
from saidwhat.store.tables import articles, statements
from store_support import make_analysis, revision_of

pg_url, store_url, store, pg_database = sup.pg_url, sup.store_url, sup.store, sup.pg_database

STORY = (
    "Moscow, Dec 11 (IANS) Kremlin spokesman Dmitry Peskov said on Wednesday that the "
    "talks on the northern grain corridor would resume next week in Geneva.\n\n"
    '"We are ready to discuss every detail of the corridor," Peskov told reporters.\n\n'
    "He added that the delegation would be led by the deputy foreign minister and that "
    "experts from both sides had prepared the technical documents in advance.\n"
)


def story(text: str = STORY, source: str = "IANS") -> Analysis:
    return make_analysis(
        text,
        source=source,
        people=[("e1", "Dmitry Peskov", ["Kremlin spokesman"])],
        quotes=[("e1", "We are ready to discuss every detail of the corridor,", "told")],
    )


TWINS = {
    "crlf": STORY.replace("\n", "\r\n"),
    "trailing newlines": STORY + "\n\n",
    "no final newline": STORY.rstrip("\n"),
    "leading space": "  " + STORY,
    "tabs and double spaces": STORY.replace(" on ", " on\t").replace(". ", ".  "),
    "no-break spaces": STORY.replace("grain corridor", "grain\u00a0corridor"),
    "old Mac line ends": STORY.replace("\n", "\r"),
}


def test_the_normalised_hash_ignores_whitespace_and_nothing_else() -> None:
    base = text_hash(STORY)
    for name, twin in TWINS.items():
        assert twin != STORY
        assert text_hash(twin) == base, name
    assert normalised_text(" a\r\n\tb  c\n") == "a b c"
    assert text_hash(STORY.replace("Geneva", "Vienna")) != base
    assert text_hash(STORY.replace("grain corridor", "graincorridor")) != base


def test_whitespace_twins_are_duplicates_of_the_stored_article(store) -> None:
    original = story()
    first = store.add_analysis(original)
    assert first.status == "added"
    before = (store.counts(), store_generation(store))
    for name, twin in TWINS.items():
        result = store.add_analysis(story(twin, source="Tribune"))
        assert (result.status, result.article_id, result.story_id) == (
            "duplicate",
            first.article_id,
            first.story_id,
        ), name
    assert (store.counts(), store_generation(store)) == before
    stored = get_article(store, first.article_id)
    assert stored is not None and stored.text == STORY  # the text as read, unchanged
    for st in stored.statements:
        assert stored.text[st.start : st.end] == st.content_spans[0]["text"]


def test_offsets_point_into_whichever_twin_was_read_first(store) -> None:
    crlf = story(TWINS["crlf"])
    assert store.add_analysis(crlf).status == "added"
    assert store.add_analysis(story()).status == "duplicate"
    stored = get_article(store, crlf.article.id)
    assert stored is not None and stored.text == TWINS["crlf"]
    quote = stored.statements[0]
    assert stored.text[quote.start : quote.end] == (
        "We are ready to discuss every detail of the corridor,"
    )
    assert stored.text[quote.cue_span[0] : quote.cue_span[1]] == "told"


def test_an_edited_copy_is_still_a_copy_not_a_duplicate(store) -> None:
    store.add_analysis(story())
    edited = story(STORY + "Reporting by Tribune staff.\n", source="Tribune")
    result = store.add_analysis(edited)
    assert result.status == "copy" and result.article_id == edited.article.id
    assert store.counts()["articles"] == 2


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store of the test's own (its schema is taken back and forth)."""
    if request.param == "sqlite":
        return str(tmp_path / "old.db")
    return request.getfixturevalue("pg_database")


def test_upgrading_an_older_store_fills_the_hash_and_keeps_every_row(own_url: str) -> None:
    """A store from before 0005 that already holds a twin stored as a copy: after the
    upgrade both rows are still there with their statements, both carry the hash, and a
    third twin is a duplicate of the older row."""
    with open_store(own_url) as s:
        s.add_analysis(story())
        with s.engine.begin() as conn:  # as before 0005: no hash to find the twin by
            conn.execute(sa.update(articles).values(text_hash=None))
        assert s.add_analysis(story(TWINS["crlf"], source="Tribune")).status == "copy"
        with s.engine.connect() as conn:
            rows_before = conn.execute(
                sa.select(articles.c.id, articles.c.story_id, articles.c.text).order_by(
                    articles.c.id
                )
            ).all()
            n_statements = conn.scalar(sa.select(sa.func.count()).select_from(statements))
    engine = create_engine(resolve_url(own_url))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    engine.dispose()
    assert revision_of(own_url) == "0004"

    with open_store(own_url) as s:  # upgrades to head, filling the hash in
        with s.engine.connect() as conn:
            rows = conn.execute(
                sa.select(
                    articles.c.id, articles.c.story_id, articles.c.text, articles.c.text_hash
                ).order_by(articles.c.id)
            ).all()
            assert conn.scalar(sa.select(sa.func.count()).select_from(statements)) == (n_statements)
        assert [tuple(r[:3]) for r in rows] == [tuple(r) for r in rows_before]
        assert [r.text_hash for r in rows] == [text_hash(STORY)] * 2
        third = s.add_analysis(story(TWINS["trailing newlines"], source="AFP"))
        assert (third.status, third.article_id) == ("duplicate", rows[0].id)
        assert s.counts()["articles"] == 2

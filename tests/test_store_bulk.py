"""``store.bulk.insert_rows``: one statement per table on PostgreSQL, same rows as an
executemany (order of serial ids, JSON values, skipped duplicates) on both backends."""

from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa

import store_support as sup
from saidwhat.store.bulk import copy_mode, insert_rows
from saidwhat.store.tables import article_entities, claims, entities, mentions

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures


@pytest.mark.parametrize("copy", [False, True], ids=["insert", "copy"])
def test_rows_keep_their_order_values_and_json(store, copy) -> None:  # type: ignore[no-untyped-def]
    """The same rows whichever way they go in: one INSERT per table, or (in copy_mode, as
    `saidwhat load` does) COPY on PostgreSQL."""
    aid = store.add_analysis(sup.make_analysis("Nothing said here.")).article_id
    sent: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    with store.engine.begin() as conn:
        eid = conn.execute(
            sa.insert(entities).returning(entities.c.id),
            {"type": "ORG", "name": "TASS", "key": "tass", "aliases": [], "name_counts": {}},
        ).scalar_one()
        sent.clear()
        rows = [
            {
                "article_id": aid,
                "local_entity": "e1",
                "entity_id": eid,
                "start": i,
                "end": i + 4,
                "text": f"m{i}",
                "kind": "name" if i % 2 else "pronoun",
            }
            for i in range(5, 0, -1)
        ]
        mode = copy_mode() if copy else contextlib.nullcontext()
        with mode:
            insert_rows(conn, mentions, rows)
        obs = [
            {
                "article_id": aid,
                "local_id": f"e{i}",
                "entity_id": eid,
                "name": "Tass",
                "type": "ORG",
                "roles": roles,
                "aliases": ["TASS"] if i else [],
                "surname_key": "",
                "match": "key",
                "date": None if i else "2025-01-02",
            }
            for i, roles in enumerate([["news agency"], [], ["a", "b"]])
        ]
        with copy_mode() if copy else contextlib.nullcontext():
            insert_rows(conn, article_entities, obs)
    if store.dialect == "postgresql":
        # one statement per table, not one per row; COPY bypasses SQLAlchemy's statements
        assert len(sent) == (0 if copy else 2)
    with store.engine.connect() as conn:
        q = sa.select(mentions).where(mentions.c.article_id == aid).order_by(mentions.c.id)
        got = conn.execute(q).mappings().all()
        stored = (
            conn.execute(sa.select(article_entities).order_by(article_entities.c.local_id))
            .mappings()
            .all()
        )
    assert [m["start"] for m in got] == [5, 4, 3, 2, 1]  # ids follow the row order
    assert [{k: m[k] for k in rows[0]} for m in got] == rows
    assert [dict(r) for r in stored] == obs


def test_skip_existing_keeps_the_stored_row(store) -> None:  # type: ignore[no-untyped-def]
    def claim(fp: str, text: str) -> dict[str, object]:
        return {
            "fingerprint": fp,
            "first_statement_id": None,
            "speaker_entity_id": None,
            "speaker_name": "X",
            "content_text": text,
            "first_date": None,
            "report_count": 0,
            "outlet_count": 0,
        }

    with store.engine.begin() as conn:
        insert_rows(conn, claims, [claim("f1", "first")], skip_existing="fingerprint")
        insert_rows(
            conn,
            claims,
            [claim("f1", "again"), claim("f2", "second")],
            skip_existing="fingerprint",
        )
    with store.engine.connect() as conn:
        texts = dict(conn.execute(sa.select(claims.c.fingerprint, claims.c.content_text)).all())
    assert texts == {"f1": "first", "f2": "second"}

"""The store's write side against SQLite and PostgreSQL: add, duplicate, copy, search."""

from __future__ import annotations

import sqlalchemy as sa

import store_support as sup
from saidwhat.store import open_store
from saidwhat.store.fts import search_clause
from saidwhat.store.tables import articles, claims, statements
from store_support import make_analysis, wire_story

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures


def test_add_then_duplicate(store):
    a = wire_story("IANS")
    first = store.add_analysis(a)
    assert (first.status, first.article_id, first.story_id, first.statements) == (
        "added",
        a.article.id,
        a.article.id,
        1,
    )
    again = store.add_analysis(wire_story("IANS"))
    assert again.status == "duplicate"
    assert store.counts()["articles"] == 1
    assert store.counts()["statements"] == 1


def test_syndicated_copy_shares_story_and_counts_statement_once(store):
    results = [
        store.add_analysis(wire_story(outlet, extra=f"{outlet} contributed to this report."))
        for outlet in ("IANS", "Tribune", "Herald")
    ]
    assert [r.status for r in results] == ["added", "copy", "copy"]
    # The story is named by its smallest article id, whatever the arrival order.
    with store.engine.connect() as conn:
        stories = set(conn.scalars(sa.select(articles.c.story_id)))
        stories |= set(conn.scalars(sa.select(statements.c.story_id)))
    assert stories == {min(r.article_id for r in results)}
    c = store.counts()
    assert (c["articles"], c["stories"], c["statements"], c["claims"]) == (3, 1, 3, 1)
    with store.engine.connect() as conn:
        claim = conn.execute(sa.select(claims)).one()
        assert (claim.report_count, claim.outlet_count) == (3, 3)
        assert "every detail of the corridor" in claim.content_text


def test_different_story_is_not_a_copy(store):
    store.add_analysis(wire_story("IANS"))
    other = make_analysis(
        "Kyiv, Dec 11 (Reuters) The city council approved a new budget for road repairs on "
        "Thursday after a long debate about the cost of winter maintenance and public transport. "
        '"This budget fixes the bridges first," Mayor Irina Orlov said after the vote.',
        source="Reuters",
        people=[("e1", "Irina Orlov", ["mayor"])],
        quotes=[("e1", "This budget fixes the bridges first,", "said")],
    )
    result = store.add_analysis(other)
    assert result.status == "added"
    assert store.counts()["stories"] == 2


def test_full_text_search_finds_statement_by_word(store):
    store.add_analysis(wire_story("IANS"))
    with store.engine.connect() as conn:
        q = sa.select(statements.c.content_text).where(search_clause(store.dialect, "corridor"))
        assert [r[0] for r in conn.execute(q)] == [
            "We are ready to discuss every detail of the corridor,"
        ]
        stemmed = sa.select(statements.c.id).where(search_clause(store.dialect, "details"))
        assert len(conn.execute(stemmed).all()) == 1
        none = sa.select(statements.c.id).where(search_clause(store.dialect, "banana"))
        assert conn.execute(none).all() == []


def test_article_row_keeps_text_and_metadata(store):
    a = wire_story("IANS")
    store.add_analysis(a)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(articles)).one()
    assert row.text == a.article.text
    assert (row.date, row.source, row.reported_by) == ("2025-12-11", "IANS", "IANS")
    assert row.analysis["statements"][0]["content_text"].startswith("We are ready")
    assert "text" not in row.analysis["article"]


def test_errors_recorded_once_per_input(store):
    store.record_error("bad/file.txt", "not UTF-8 text", stage="read")
    store.record_error("other.txt", "empty file", stage="read")
    store.record_error("bad/file.txt", "still not UTF-8 text", stage="read")  # a re-run
    errs = store.errors()
    assert [(e.path, e.stage, e.reason) for e in errs] == [
        ("other.txt", "read", "empty file"),
        ("bad/file.txt", "read", "still not UTF-8 text"),
    ]


def test_reopen_keeps_data_and_schema(store_url):
    s = open_store(store_url)
    s.add_analysis(wire_story("IANS"))
    s.close()
    s2 = open_store(store_url)
    assert s2.counts()["articles"] == 1
    assert s2.known_ids([wire_story("IANS").article.id, "nope"]) == {wire_story("IANS").article.id}
    s2.close()


def test_deleting_an_article_cascades_and_is_not_blocked_by_claims(store):
    a = wire_story("IANS")
    store.add_analysis(a)
    with store.engine.begin() as conn:
        conn.execute(sa.delete(articles).where(articles.c.id == a.article.id))
    c = store.counts()
    assert (c["articles"], c["statements"]) == (0, 0)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(claims.c.first_statement_id)).scalar_one() is None


def test_the_batch_tables_are_cut_from_the_store_row_mapping() -> None:
    """One Analysis -> rows mapping: every flat batch column is the store row's column of
    that name (or its documented spelling), with the store column's type."""
    import pyarrow as pa

    from saidwhat.batch.tables import SCHEMAS, rows_of
    from saidwhat.store.rows import mention_fields, statement_fields

    a = make_analysis(
        'Anton Velikov said: "We will not sign," according to Tass.',
        people=[("e1", "Anton Velikov", ["minister"])],
        quotes=[("e1", "We will not sign,", "said")],
        via=["Tass"],
    )
    flat = rows_of(a, seq=0, pid="p0")
    store_row = statement_fields(a, a.statements[0])
    for name, value in flat["statements"][0].items():
        assert value == (["Tass"] if name == "via" else store_row[name]), name
    mention = mention_fields(a)[0]
    assert flat["mentions"][0]["entity_local_id"] == mention["local_entity"] == "e1"
    assert SCHEMAS["statements"].field("start").type == pa.int32()
    assert SCHEMAS["statements"].field("cites").type == pa.list_(pa.string())
    assert SCHEMAS["articles"].names[:3] == ["id", "seq", "partition"]
    for table, rows in flat.items():
        assert pa.Table.from_pylist(rows, schema=SCHEMAS[table]).num_rows == len(rows)


def test_the_writer_plans_rows_without_a_database() -> None:
    """What an article becomes is plain data (store.writer), decided before writing."""
    from saidwhat.store.writer import Story, copy_keys, plan_article, plan_statements

    a = wire_story("Tass")
    keys = copy_keys(a.article)
    assert keys.signature is not None and keys.bands
    own = plan_article(a, keys, Story(a.article.id), outlet_id=7)
    assert own.result.status == "added" and own.article["outlet_id"] == 7
    assert own.minhash is not None and len(own.bands) == len(set(keys.bands))
    copy = plan_article(a, keys, Story("0" * 32, frozenset({"f" * 32})), outlet_id=None)
    assert copy.result.status == "copy" and copy.article["story_id"] == "0" * 32
    plan = plan_statements(a, a.article.id, {"e1": 42})
    assert [r["speaker_entity_id"] for r in plan.statements] == [42]
    assert [(i, c["fingerprint"]) for i, c in plan.claims] == [
        (0, plan.statements[0]["fingerprint"])
    ]
    assert [m["entity_id"] for m in plan.mentions] == [42] * len(plan.mentions)

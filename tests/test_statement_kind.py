"""``Statement.kind`` end to end: statement, belief, hedge, and what listings do with them.

The engine's choice of kind is another part's job, so every statement here gets its kind
by hand: the tests pin what the schema, the store (SQLite and PostgreSQL, new and
migrated), the read API, the CLI, the REST API and the pages do with it. The rule: a
belief (a feeling, perception or intention) is kept but left out of default listings,
one flag (``all_kinds``) lists it, an explicit ``kind`` picks exactly those kinds;
the store's precomputed speaker and chain totals count what a default listing shows, so
a ranking and the listing it links to never disagree.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from fastapi.testclient import TestClient

import store_support as sup
from query_corpus import build
from saidwhat.batch.output import write_manifest, write_partition
from saidwhat.batch.tables import tables_by_date
from saidwhat.batch.worker import PartitionResult
from saidwhat.cli import main
from saidwhat.ingest import load_batch
from saidwhat.query import (
    QueryFilters,
    ReportedStatement,
    UnknownValue,
    count_chains,
    count_statements,
    get_article,
    get_speaker,
    get_statement,
    list_speakers,
    search_statements,
    source_chains,
    stats,
)
from saidwhat.query.export import export_statements
from saidwhat.schema import STATEMENT_KINDS, UNLISTED_KINDS, Analysis
from saidwhat.store import open_store
from saidwhat.store.aggregates import rebuild
from saidwhat.store.engine import alembic_config, create_engine, resolve_url
from saidwhat.store.tables import speaker_stats, statements
from saidwhat.web import create_app

pg_url, store_url, store, pg_database = sup.pg_url, sup.store_url, sup.store, sup.pg_database

TEXT = (
    "Kyiv, Mar 3 (Example) Mayor Irina Orlov spoke on Monday about the city bridges. "
    '"The bridges will not survive another winter," Irina Orlov said. '
    "Irina Orlov fears that the river will flood the old town. "
    "It is understood that repairs will start in May. "
    '"No such order was given," Dmitry Peskov told reporters. '
    "Dmitry Peskov felt the talks were going nowhere."
)
# words -> kind
KINDS = {
    "The bridges will not survive another winter,": "statement",
    "the river will flood the old town": "belief",
    "repairs will start in May": "hedge",
    "No such order was given,": "statement",
    "the talks were going nowhere": "belief",
}
LISTED = sorted(w for w, k in KINDS.items() if k not in UNLISTED_KINDS)  # the default listing
OLDER = (
    "Kyiv, Mar 1 (Example) Mayor Irina Orlov opened the new school. "
    '"Every child deserves a warm classroom," Irina Orlov said.'
)


def analysis() -> Analysis:
    a = build(
        TEXT,
        date="2026-03-03",
        source="Example",
        people=[
            ("o", "Irina Orlov", ["mayor"], ["Orlov"]),
            ("p", "Dmitry Peskov", ["Kremlin spokesman"], ["Peskov"]),
        ],
        statements=[
            {"speaker": "o", "words": "The bridges will not survive another winter,", "cue": "said"},
            {"speaker": "o", "words": "the river will flood the old town", "cue": "fears", "act": "believe", "type": "indirect"},
            {"speaker": None, "words": "repairs will start in May", "cue": "understood", "type": "indirect"},
            {"speaker": "p", "words": "No such order was given,", "cue": "told", "act": "deny"},
            {"speaker": "p", "words": "the talks were going nowhere", "cue": "felt", "act": "believe", "type": "indirect"},
        ],
    )  # fmt: skip
    for st in a.statements:
        st.kind = KINDS[st.content_text]
    # a belief reported through an outlet that reports nothing else (the chain totals
    # leave beliefs out, so an outlet filter must still find it when beliefs are listed)
    a.statements[4].reported_by = "Tass"
    return a


def older() -> Analysis:
    return build(
        OLDER,
        date="2026-03-01",
        source="Example",
        people=[("o", "Irina Orlov", ["mayor"], ["Orlov"])],
        statements=[{"speaker": "o", "words": "Every child deserves a warm classroom,", "cue": "said"}],
    )  # fmt: skip


def words(rows: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(r.content for r in rows)


def found(s, **filters) -> list[str]:  # type: ignore[no-untyped-def]
    """The statements the filters list, after checking the count says as many."""
    f = QueryFilters(limit=None, **filters)
    rows = search_statements(s, f).items
    assert count_statements(s, f) == len(rows), filters
    return words(rows)


# -- the schema ----------------------------------------------------------------------------


def test_the_schema_round_trips_kind_and_reads_old_documents_as_statements() -> None:
    a = analysis()
    doc = json.loads(json.dumps(a.to_dict()))
    assert [s["kind"] for s in doc["statements"]] == list(KINDS.values())
    again = Analysis.from_dict(doc)
    assert [s.kind for s in again.statements] == list(KINDS.values())
    assert again.to_dict() == a.to_dict()
    for s in doc["statements"]:  # a 1.0 document: no such field at all
        del s["kind"]
    assert {s.kind for s in Analysis.from_dict(doc).statements} == {"statement"}


def test_the_batch_statements_table_carries_kind_and_load_stores_it(tmp_path: Path) -> None:
    tables = tables_by_date([(analysis(), 0)], "p0")
    table = tables["2026-03-03"]["statements"]
    assert str(table.schema.field("kind").type) == "string"
    assert table.column("kind").to_pylist() == list(KINDS.values())
    out = tmp_path / "batch"
    write_partition(out, PartitionResult("p0", tables, 1, 5, 2, 2, 0))
    write_manifest(out, {})
    with open_store(tmp_path / "loaded.db") as s:
        load_batch(out, s)
        rows = search_statements(s, QueryFilters(all_kinds=True, limit=None)).items
    assert {r.content: r.kind for r in rows} == KINDS


# -- the store and the read API, on SQLite and PostgreSQL ----------------------------------


def test_kind_is_stored_and_read_back(store) -> None:  # type: ignore[no-untyped-def]
    store.add_analysis(analysis())
    with store.engine.connect() as conn:
        q = sa.select(statements.c.content_text, statements.c.kind)
        assert {r.content_text: r.kind for r in conn.execute(q)} == KINDS
    rows = search_statements(store, QueryFilters(all_kinds=True, limit=None)).items
    assert {r.content: r.kind for r in rows} == KINDS
    belief = next(r for r in rows if r.kind == "belief")
    assert get_statement(store, belief.id).kind == "belief"  # type: ignore[union-attr]
    assert ReportedStatement.of(belief).kind == "belief"
    assert belief.to_dict()["kind"] == "belief"
    hedge = next(r for r in rows if r.kind == "hedge")
    assert hedge.speaker is None and hedge.speaker_id is None
    # the article is read whole: beliefs too, each saying its kind
    detail = get_article(store, belief.article_id)
    assert detail is not None and {s.content: s.kind for s in detail.statements} == KINDS


def test_default_listing_leaves_beliefs_out_and_one_flag_lists_them(store) -> None:  # type: ignore[no-untyped-def]
    store.add_analysis(analysis())
    store.add_analysis(older())
    every = sorted([*KINDS, "Every child deserves a warm classroom,"])
    listed = sorted([*LISTED, "Every child deserves a warm classroom,"])
    assert found(store) == listed
    assert found(store, all_kinds=True) == every
    assert found(store, kind="hedge") == ["repairs will start in May"]
    assert found(store, kind="belief") == sorted(w for w, k in KINDS.items() if k == "belief")
    assert found(store, kind="Belief, hedge") == sorted(
        w for w, k in KINDS.items() if k != "statement"
    )
    assert found(store, kind=("statement",), all_kinds=True) == sorted(
        w for w in listed if KINDS.get(w, "statement") == "statement"
    )  # an explicit kind wins over the flag
    assert found(store, kind=STATEMENT_KINDS) == every
    # the paths that count or page without reading rows: dates alone, words alone
    assert found(store, since="2026-03-02") == LISTED
    assert found(store, since="2026-03-02", all_kinds=True) == sorted(KINDS)
    assert found(store, about="river") == []
    assert found(store, about="river", all_kinds=True) == ["the river will flood the old town"]
    # the outlet that reported only a belief
    assert found(store, outlet="Tass") == []
    assert found(store, outlet="Tass", all_kinds=True) == ["the talks were going nowhere"]
    # the unfiltered newest-first page reads the recent articles only; with beliefs
    # among them it still fills the page
    page = search_statements(store, QueryFilters(limit=4))
    assert page.total == len(listed) and words(page.items) == listed
    page = search_statements(store, QueryFilters(limit=2))
    assert page.total == len(listed) and len(page.items) == 2
    assert all(r.kind == "statement" for r in page.items)
    page = search_statements(store, QueryFilters(limit=6, all_kinds=True))
    assert page.total == 6 and words(page.items) == every


def test_speaker_and_chain_totals_agree_with_the_default_listing(store) -> None:  # type: ignore[no-untyped-def]
    store.add_analysis(analysis())
    store.add_analysis(older())

    def ranking(**filters) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
        f = QueryFilters(limit=None, **filters)
        rows = [(s.name, s.statements, s.claims) for s in list_speakers(store, f).items]
        assert rows == [
            (s.name, s.statements, s.claims)
            for s in list_speakers(store, f, precomputed=False).items
        ]
        for name, n, _ in rows:  # each count is what the statement listing finds
            assert n == count_statements(store, f.replace(speaker=name)), (name, filters)
        return rows

    assert ranking() == [("Irina Orlov", 2, 2), ("Dmitry Peskov", 1, 1)]
    assert ranking(all_kinds=True) == [("Irina Orlov", 3, 3), ("Dmitry Peskov", 2, 2)]
    assert ranking(kind="belief") == [("Dmitry Peskov", 1, 1), ("Irina Orlov", 1, 1)]
    detail = get_speaker(store, "Irina Orlov")
    assert detail is not None and detail.statements == 2 and "believe" not in detail.acts
    for filters in ({}, {"all_kinds": True}, {"kind": "hedge"}):
        f = QueryFilters(limit=None, **filters)
        chains = source_chains(store, f)
        assert chains == source_chains(store, f, precomputed=False)
        assert sum(c.count for c in chains) == count_statements(store, f), filters
        assert count_chains(store, f) == len(chains)
    # recomputed from the statements, the aggregates count the same
    with store.engine.connect() as conn:
        before = sorted(conn.execute(sa.select(speaker_stats)).all())
    with store.engine.begin() as conn:
        rebuild(conn)
    with store.engine.connect() as conn:
        assert sorted(conn.execute(sa.select(speaker_stats)).all()) == before
    totals = stats(store)
    assert totals.statements == 6
    assert totals.kinds == {"statement": 3, "belief": 2, "hedge": 1}


def test_an_unknown_kind_names_the_valid_ones() -> None:
    with pytest.raises(UnknownValue) as caught:
        QueryFilters(kind=("hedge", "quote"))
    assert caught.value.field == "kind" and caught.value.value == "quote"
    assert caught.value.allowed == list(STATEMENT_KINDS)


# -- an older store ------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "old.db")
    return request.getfixturevalue("pg_database")


def test_a_store_at_0007_gains_the_column_and_every_row_is_a_statement(own_url: str) -> None:
    with open_store(own_url) as s:
        s.add_analysis(analysis())
        every = search_statements(s, QueryFilters(all_kinds=True, limit=None)).items
        before = [(r.id, r.content) for r in every]
    engine = create_engine(resolve_url(own_url))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    with engine.connect() as conn:
        assert "kind" not in {c["name"] for c in sa.inspect(conn).get_columns("statements")}
    engine.dispose()
    assert sup.revision_of(own_url) == "0007"
    with open_store(own_url) as s:  # opening for writing migrates
        assert sup.revision_of(own_url) == ScriptDirectory.from_config(cfg).get_current_head()
        rows = search_statements(s, QueryFilters(limit=None)).items  # the default listing
        assert [(r.id, r.content) for r in rows] == before  # every row kept, and listed
        assert {r.kind for r in rows} == {"statement"}
        ranked = [(r.name, r.statements) for r in list_speakers(s, QueryFilters()).items]
        assert ranked == [("Dmitry Peskov", 2), ("Irina Orlov", 2)]
        assert ranked == [
            (r.name, r.statements)
            for r in list_speakers(s, QueryFilters(), precomputed=False).items
        ]


# -- the CLI, the REST API and the pages ---------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "kinds.db"
    with open_store(path) as s:
        s.add_analysis(analysis())
    return str(path)


def run(*args: str, db: str):  # type: ignore[no-untyped-def]
    env = {"COLUMNS": "200", "SAIDWHAT_DB": db}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def kinds_of(out: str) -> list[str]:
    return sorted(json.loads(line)["kind"] for line in out.splitlines())


def test_cli_kind_and_all_kinds(db: str, tmp_path: Path) -> None:
    assert kinds_of(run("quotes", "--format", "jsonl", db=db).stdout) == [
        "statement",
        "statement",
    ]
    done = run("quotes", "--all-kinds", "--format", "jsonl", db=db)
    assert kinds_of(done.stdout) == sorted(KINDS.values())
    assert kinds_of(run("quotes", "--kind", "hedge", "--format", "jsonl", db=db).stdout) == [
        "hedge"
    ]
    both = run("quotes", "--kind", "belief,hedge", "--format", "json", db=db)
    assert sorted(r["kind"] for r in json.loads(both.stdout)) == ["belief", "belief", "hedge"]
    again = run("quotes", "--kind", "belief", "--kind", "hedge", "--format", "json", db=db)
    assert json.loads(again.stdout) == json.loads(both.stdout)
    table = run("quotes", "--all-kinds", db=db)
    assert table.exit_code == 0 and "5 statements" in table.stdout
    assert "believe belief" in table.stdout and "hedge" in table.stdout
    assert "belief" not in run("quotes", db=db).stdout
    rows = list(csv.DictReader(io.StringIO(run("quotes", "--format", "csv", db=db).stdout)))
    assert sorted(r["kind"] for r in rows) == ["statement", "statement"]
    speakers = run("speakers", "--format", "json", db=db)
    assert {s["name"]: s["statements"] for s in json.loads(speakers.stdout)} == {
        "Irina Orlov": 1,
        "Dmitry Peskov": 1,
    }
    speakers = run("speakers", "--all-kinds", "--format", "json", db=db)
    assert {s["name"]: s["statements"] for s in json.loads(speakers.stdout)} == {
        "Irina Orlov": 2,
        "Dmitry Peskov": 2,
    }
    chains = run("chains", "--kind", "belief", "--format", "json", db=db)
    assert sum(c["count"] for c in json.loads(chains.stdout)) == 2
    out = tmp_path / "all.jsonl"
    done = run("export", "--format", "jsonl", "--out", str(out), "--all-kinds", db=db)
    assert done.exit_code == 0, done.output
    assert kinds_of(out.read_text()) == sorted(KINDS.values())
    done = run("export", "--format", "jsonl", "--out", str(out), db=db)
    assert len(out.read_text().splitlines()) == 2
    with open_store(db) as s:
        export_statements(s, tmp_path / "all.parquet", "parquet", QueryFilters(kind="belief"))
    import pyarrow.parquet as pq

    column = pq.read_table(tmp_path / "all.parquet").column("kind")
    assert str(column.type) == "string" and column.to_pylist() == ["belief", "belief"]
    document = json.loads(run("stats", "--format", "json", db=db).stdout)
    assert document["kinds"] == {"statement": 2, "belief": 2, "hedge": 1}
    assert document["statements"] == 5
    shown = run("stats", db=db).stdout
    assert re.search(r"belief\s*│\s*2\s*│", shown) and re.search(r"hedge\s*│\s*1\s*│", shown)


@pytest.mark.parametrize("command_name", ["quotes", "speakers", "chains", "export"])
def test_cli_refuses_an_unknown_kind_listing_the_valid_ones(db: str, command_name: str) -> None:
    args = [command_name, "--kind", "quote"]
    if command_name == "export":
        args += ["--format", "jsonl", "--out", "-"]
    done = CliRunner().invoke(main, [*args, "--db", db])
    assert done.exit_code == 2, done.output
    assert "kind: 'quote' is not one of: statement, belief, hedge" in done.output
    assert "Traceback" not in done.output


def test_api_kind_and_all_kinds(db: str) -> None:
    with TestClient(create_app(db)) as c:
        page = c.get("/api/statements").json()
        assert page["total"] == 2
        assert sorted(s["kind"] for s in page["items"]) == ["statement", "statement"]
        every = c.get("/api/statements", params={"all_kinds": "true"}).json()
        assert every["total"] == 5
        assert sorted(s["kind"] for s in every["items"]) == sorted(KINDS.values())
        hedges = c.get("/api/statements", params={"kind": "hedge"}).json()
        assert [s["kind"] for s in hedges["items"]] == ["hedge"]
        assert hedges["items"][0]["speaker"] is None
        several = c.get("/api/statements", params=[("kind", "belief"), ("kind", "hedge")])
        assert several.json()["total"] == 3
        belief = next(s for s in every["items"] if s["kind"] == "belief")
        assert c.get(f"/api/statements/{belief['id']}").json()["kind"] == "belief"
        article = c.get(f"/api/articles/{belief['article']['id']}").json()
        assert sorted(s["kind"] for s in article["statements"]) == sorted(KINDS.values())
        ranked = c.get("/api/speakers").json()["items"]
        assert {s["name"]: s["statements"] for s in ranked} == {
            "Irina Orlov": 1,
            "Dmitry Peskov": 1,
        }
        ranked = c.get("/api/speakers", params={"all_kinds": "true"}).json()["items"]
        assert {s["name"]: s["statements"] for s in ranked} == {
            "Irina Orlov": 2,
            "Dmitry Peskov": 2,
        }
        assert c.get("/api/chains", params={"kind": "belief"}).json()["total"] == 2
        assert c.get("/api/stats").json()["kinds"] == {"statement": 2, "belief": 2, "hedge": 1}
        spec = c.get("/openapi.json").json()
        names = {p["name"] for p in spec["paths"]["/api/statements"]["get"]["parameters"]}
        assert {"kind", "all_kinds"} <= names


def test_api_refuses_an_unknown_kind_with_the_valid_ones(db: str) -> None:
    with TestClient(create_app(db)) as c:
        for path in ("/api/statements", "/api/speakers", "/api/chains"):
            r = c.get(path, params={"kind": "quote"})
            assert r.status_code == 422, (path, r.text)
            (err,) = r.json()["detail"]
            assert err["loc"] == ["query", "kind"] and err["input"] == "quote"
            assert err["allowed"] == list(STATEMENT_KINDS)
        page = c.get("/", params={"kind": "quote"}, headers={"accept": "text/html"})
        assert page.status_code == 400 and "is not one of:" in page.text


def test_search_page_and_article_page_label_beliefs_and_hedges(db: str) -> None:
    with TestClient(create_app(db)) as c:
        default = c.get("/")
        assert default.status_code == 200
        assert "kind-belief" not in default.text and 'class="kind kind-hedge"' not in default.text
        assert 'name="all_kinds"' in default.text and 'name="kind"' in default.text
        every = c.get("/", params={"all_kinds": "true"})
        assert every.text.count('class="kind kind-belief"') == 2
        assert "5 statements" in every.text
        assert 'name="all_kinds" value="true" checked' in every.text
        hedges = c.get("/", params={"kind": "hedge"})
        assert "1 statement " in hedges.text or "1 statement<" in hedges.text
        assert '<option value="hedge" selected>' in hedges.text
        article_id = c.get("/api/statements").json()["items"][0]["article"]["id"]
        article = c.get(f"/articles/{article_id}")
        assert article.status_code == 200
        assert article.text.count('class="kind kind-belief"') == 2
        assert article.text.count('class="kind kind-hedge"') == 1

"""``Statement.confidence`` end to end, and the ``min_confidence`` filter.

The engine's values are another part's job, so every statement here gets its confidence
by hand: the tests pin what the schema, the store (SQLite and PostgreSQL, new and
migrated), the read API, the CLI, the REST API and the pages do with it. The filter's
rule is precision before recall: ``>=`` the threshold passes, a statement without a
confidence never does, and a threshold outside [0, 1] is an error, not an empty answer.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from fastapi.testclient import TestClient

import store_support as sup
from query_corpus import build
from saidwhat.batch.tables import tables_by_date
from saidwhat.cli import main
from saidwhat.query import (
    QueryFilters,
    ReportedStatement,
    count_statements,
    get_statement,
    list_speakers,
    search_statements,
    source_chains,
)
from saidwhat.query.export import export_statements
from saidwhat.schema import SCHEMA_VERSION, Analysis
from saidwhat.store import open_store
from saidwhat.store.engine import alembic_config, create_engine, resolve_url
from saidwhat.store.tables import statements
from saidwhat.web import create_app

pg_url, store_url, store, pg_database = sup.pg_url, sup.store_url, sup.store, sup.pg_database

TEXT = (
    "Kyiv, Mar 3 (Example) Mayor Irina Orlov warned on Monday that the bridges were failing. "
    '"The bridges will not survive another winter," Irina Orlov said. '
    '"We have asked for repairs twice," she added. '
    "Kremlin spokesman Dmitry Peskov denied that any strike had taken place, and "
    '"No such order was given," Dmitry Peskov told reporters. '
    '"The talks go on," an official noted.'
)
# words -> confidence; None: the engine gave none
CONFIDENCES = {
    "The bridges will not survive another winter,": 0.95,
    "We have asked for repairs twice,": 0.8,
    "No such order was given,": 0.5,
    "The talks go on,": None,
}


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
            {"speaker": "o", "words": "We have asked for repairs twice,", "cue": "added"},
            {"speaker": "p", "words": "No such order was given,", "cue": "told", "act": "deny"},
            {"speaker": None, "speaker_name": "an official", "words": "The talks go on,", "cue": "noted"},
        ],
    )  # fmt: skip
    for st in a.statements:
        st.confidence = CONFIDENCES[st.content_text]
    return a


def confidences(rows: list) -> list[float | None]:  # type: ignore[type-arg]
    return sorted((r.confidence for r in rows), key=lambda c: -1.0 if c is None else c)


# -- the schema ----------------------------------------------------------------------------


def test_the_schema_round_trips_confidence_and_reads_old_documents_as_none() -> None:
    assert SCHEMA_VERSION >= "1.1"  # confidence came in 1.1 and stays
    a = analysis()
    doc = json.loads(json.dumps(a.to_dict()))
    assert [s["confidence"] for s in doc["statements"]] == [0.95, 0.8, 0.5, None]
    again = Analysis.from_dict(doc)
    assert [s.confidence for s in again.statements] == [0.95, 0.8, 0.5, None]
    assert again.to_dict() == a.to_dict()
    for s in doc["statements"]:  # a 1.0 document: no such field at all
        del s["confidence"]
    doc["schema_version"] = "1.0"
    assert [s.confidence for s in Analysis.from_dict(doc).statements] == [None] * 4


def test_the_batch_statements_table_carries_confidence_as_a_float() -> None:
    tables = tables_by_date([(analysis(), 0)], "p0")["2026-03-03"]["statements"]
    assert str(tables.schema.field("confidence").type) == "double"
    assert tables.column("confidence").to_pylist() == [0.95, 0.8, 0.5, None]


# -- the store and the read API, on SQLite and PostgreSQL ----------------------------------


def test_confidence_is_stored_and_read_back(store) -> None:  # type: ignore[no-untyped-def]
    store.add_analysis(analysis())
    with store.engine.connect() as conn:
        q = sa.select(statements.c.content_text, statements.c.confidence)
        stored = {r.content_text: r.confidence for r in conn.execute(q)}
    assert stored == CONFIDENCES
    rows = search_statements(store, QueryFilters(limit=None)).items
    assert confidences(rows) == [None, 0.5, 0.8, 0.95]
    best = next(r for r in rows if r.confidence == 0.95)
    assert get_statement(store, best.id).confidence == 0.95  # type: ignore[union-attr]
    assert ReportedStatement.of(best).confidence == 0.95
    assert best.to_dict()["confidence"] == 0.95


def test_min_confidence_keeps_rows_at_or_above_it_and_never_unknown_ones(store) -> None:  # type: ignore[no-untyped-def]
    store.add_analysis(analysis())

    def found(threshold: float | None) -> list[float | None]:
        f = QueryFilters(min_confidence=threshold, limit=None)
        rows = search_statements(store, f).items
        assert count_statements(store, f) == len(rows)
        return confidences(rows)

    assert found(None) == [None, 0.5, 0.8, 0.95]
    assert found(0.8) == [0.8, 0.95]  # >=: the threshold itself passes
    assert found(0.81) == [0.95]
    assert found(0.0) == [0.5, 0.8, 0.95]  # any known confidence; unknown never passes
    assert found(1.0) == []
    # the other readers take the same filter (and leave their precomputed totals)
    speakers = list_speakers(store, QueryFilters(min_confidence=0.8, limit=None)).items
    assert [(s.name, s.statements) for s in speakers] == [("Irina Orlov", 2)]
    chains = source_chains(store, QueryFilters(min_confidence=0.5, limit=None))
    assert sum(c.count for c in chains) == 3


@pytest.mark.parametrize("bad", [1.5, -0.1, math.nan, math.inf, "0.8", True])
def test_a_threshold_outside_zero_to_one_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="min_confidence"):
        QueryFilters(min_confidence=bad)  # type: ignore[arg-type]


# -- an older store ------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "old.db")
    return request.getfixturevalue("pg_database")


def test_a_store_at_0006_gains_the_column_and_keeps_its_rows(own_url: str) -> None:
    with open_store(own_url) as s:
        s.add_analysis(analysis())
        before = [(r.id, r.content) for r in search_statements(s, QueryFilters(limit=None)).items]
    engine = create_engine(resolve_url(own_url))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    with engine.connect() as conn:
        assert "confidence" not in {c["name"] for c in sa.inspect(conn).get_columns("statements")}
    engine.dispose()
    assert sup.revision_of(own_url) == "0006"
    with open_store(own_url) as s:  # opening for writing migrates
        assert sup.revision_of(own_url) == ScriptDirectory.from_config(cfg).get_current_head()
        rows = search_statements(s, QueryFilters(limit=None)).items
        assert [(r.id, r.content) for r in rows] == before
        assert {r.confidence for r in rows} == {None}  # unknown: never guessed afterwards
        assert search_statements(s, QueryFilters(min_confidence=0.0)).items == []


# -- the CLI, the REST API and the pages ---------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "confidence.db"
    with open_store(path) as s:
        s.add_analysis(analysis())
    return str(path)


def run(*args: str, db: str):  # type: ignore[no-untyped-def]
    env = {"COLUMNS": "200", "SAIDWHAT_DB": db}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_cli_min_confidence_and_the_field_in_json(db: str, tmp_path: Path) -> None:
    done = run("quotes", "--min-confidence", "0.8", "--format", "json", db=db)
    assert done.exit_code == 0, done.output
    assert sorted(r["confidence"] for r in json.loads(done.stdout)) == [0.8, 0.95]
    lines = run("quotes", "--format", "jsonl", db=db)
    assert sorted(str(json.loads(x)["confidence"]) for x in lines.stdout.splitlines()) == [
        "0.5",
        "0.8",
        "0.95",
        "None",
    ]
    table = run("quotes", "--min-confidence", "0.9", db=db)
    assert table.exit_code == 0 and "0.95" in table.stdout and "1 statement" in table.stdout
    speakers = run("speakers", "--min-confidence", "0.9", "--format", "json", db=db)
    assert [s["name"] for s in json.loads(speakers.stdout)] == ["Irina Orlov"]
    chains = run("chains", "--min-confidence", "0.5", "--format", "json", db=db)
    assert sum(c["count"] for c in json.loads(chains.stdout)) == 3
    out = tmp_path / "sure.jsonl"
    done = run("export", "--format", "jsonl", "--out", str(out), "--min-confidence", "0.5", db=db)
    assert done.exit_code == 0, done.output
    assert len(out.read_text().splitlines()) == 3
    with open_store(db) as s:  # parquet keeps it a float column
        export_statements(s, tmp_path / "all.parquet", "parquet")
    import pyarrow.parquet as pq

    column = pq.read_table(tmp_path / "all.parquet").column("confidence")
    assert str(column.type) == "double" and column.null_count == 1


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "80", "nan", "sure"])
def test_cli_refuses_a_threshold_outside_zero_to_one(db: str, bad: str) -> None:
    for command_name in ("quotes", "speakers", "chains"):
        done = run(command_name, "--min-confidence", bad, db=db)
        assert done.exit_code == 2, (command_name, bad, done.output)
        assert "min-confidence" in done.output or "min_confidence" in done.output


def test_api_min_confidence_and_the_field(db: str) -> None:
    with TestClient(create_app(db)) as c:
        page = c.get("/api/statements", params={"min_confidence": 0.8}).json()
        assert page["total"] == 2
        assert sorted(s["confidence"] for s in page["items"]) == [0.8, 0.95]
        every = c.get("/api/statements").json()["items"]
        assert sorted(str(s["confidence"]) for s in every) == ["0.5", "0.8", "0.95", "None"]
        one = c.get(f"/api/statements/{page['items'][0]['id']}").json()
        assert one["confidence"] in (0.8, 0.95)
        article = c.get(f"/api/articles/{every[0]['article']['id']}").json()
        assert sorted(str(s["confidence"]) for s in article["statements"]) == [
            "0.5",
            "0.8",
            "0.95",
            "None",
        ]
        speakers = c.get("/api/speakers", params={"min_confidence": 0.9}).json()
        assert [s["name"] for s in speakers["items"]] == ["Irina Orlov"]
        assert c.get("/api/chains", params={"min_confidence": 0.9}).json()["total"] == 1
        spec = c.get("/openapi.json").json()
        names = {p["name"] for p in spec["paths"]["/api/statements"]["get"]["parameters"]}
        assert "min_confidence" in names


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "nan", "sure"])
def test_api_refuses_a_threshold_outside_zero_to_one(db: str, bad: str) -> None:
    with TestClient(create_app(db)) as c:
        for path in ("/api/statements", "/api/speakers", "/api/chains"):
            r = c.get(path, params={"min_confidence": bad})
            assert r.status_code == 422, (path, bad, r.text)
            assert "min_confidence" in r.text


def test_search_page_filters_and_labels_confidence(db: str) -> None:
    with TestClient(create_app(db)) as c:
        page = c.get("/", params={"min_confidence": "0.9"})
        assert page.status_code == 200
        assert "confidence 0.95" in page.text and "confidence 0.80" not in page.text
        assert 'name="min_confidence" value="0.9"' in page.text
        for bad in ("2", "sure"):
            refused = c.get("/", params={"min_confidence": bad})
            assert refused.status_code == 400 and "min_confidence" in refused.text

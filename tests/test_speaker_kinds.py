"""Speaker kinds (people issue, item 1): a speaker is a named entity, a *described*
person (kept with its description, linked to the entity it names, never replaced by
it), an *anonymous* source, or unresolved; queryable, counted, shown. One construct per
test on an article written for the purpose, through the real engine; then the store
(SQLite and PostgreSQL), the migration, the CLI, the API and the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner
from fastapi.testclient import TestClient

import store_support as sup
from saidwhat.analyse import analyse
from saidwhat.cli import main
from saidwhat.query import QueryFilters, UnknownValue, search_statements, stats
from saidwhat.schema import SPEAKER_KINDS, Analysis, Article, Statement
from saidwhat.store import open_store
from saidwhat.store.engine import alembic_config, create_engine, resolve_url
from saidwhat.store.tables import entities, statements
from saidwhat.web import create_app

pg_url, store_url, store, pg_database = sup.pg_url, sup.store_url, sup.store, sup.pg_database

TEXT = """Missile strike hits school in Izium

 date 2026-03-05 IZIUM, Ukraine (Example Wire) - A missile struck a school in the eastern town of Izium overnight, officials said on Thursday.

"We heard two explosions and then the windows came in," a resident of Izium said.

The father of Andriy Melnyk, a soldier missing since January, said he had not been told anything by the army.

Interior minister Ihor Klymenko, speaking on national television, said rescuers had worked through the night.

"The hospital is full," said one nurse at the city hospital.

Diplomatic sources said the strike would be raised at the United Nations on Friday.

A source familiar with the talks said Kyiv would ask for more air defence.

A friend of Klymenko said the minister had not slept for two days.
"""


@pytest.fixture(scope="module")
def izium(nlp) -> Analysis:  # type: ignore[no-untyped-def]
    return analyse(Article(text=TEXT, path="izium.txt"), nlp)


def said(a: Analysis, words: str) -> Statement:
    return next(s for s in a.statements if words in s.content_text)


def entity_name(a: Analysis, entity_id: str | None) -> str | None:
    e = a.entity(entity_id)
    return e.name if e else None


def test_a_resident_of_a_town_is_described_by_the_town_never_the_town(izium) -> None:
    st = said(izium, "two explosions")
    assert (st.speaker, st.speaker_kind) == (None, "described")
    assert st.speaker_name == "a resident of Izium"
    assert entity_name(izium, st.described_by) == "Izium"


def test_the_father_of_a_named_man_is_not_that_man(izium) -> None:
    st = said(izium, "not been told anything")
    assert (st.speaker, st.speaker_kind) == (None, "described")
    assert st.speaker_name.startswith("The father of Andriy Melnyk")
    assert entity_name(izium, st.described_by) == "Andriy Melnyk"


def test_a_friend_of_a_named_man_is_not_that_man(izium) -> None:
    st = said(izium, "had not slept")
    assert (st.speaker, st.speaker_kind, st.speaker_name) == (
        None,
        "described",
        "A friend of Klymenko",
    )
    assert entity_name(izium, st.described_by) == "Ihor Klymenko"


def test_a_broadcaster_in_a_participle_aside_is_not_the_speaker(izium) -> None:
    st = said(izium, "rescuers had worked")
    assert (entity_name(izium, st.speaker), st.speaker_kind) == ("Ihor Klymenko", "named")
    assert st.described_by is None


def test_a_nurse_at_the_hospital_is_described(izium) -> None:
    st = said(izium, "The hospital is full")
    assert (st.speaker, st.speaker_kind, st.speaker_name) == (
        None,
        "described",
        "one nurse at the city hospital",
    )


@pytest.mark.parametrize(
    ("words", "phrase"),
    [
        ("raised at the United Nations", "Diplomatic sources"),
        ("ask for more air defence", "A source familiar with the talks"),
        ("A missile struck", "officials"),
    ],
)
def test_unnamed_sources_are_anonymous(izium, words: str, phrase: str) -> None:
    st = said(izium, words)
    assert (st.speaker, st.speaker_kind, st.speaker_name) == (None, "anonymous", phrase)


def test_every_statement_has_a_kind_and_documents_round_trip(izium) -> None:
    assert {s.speaker_kind for s in izium.statements} <= set(SPEAKER_KINDS)
    again = Analysis.from_dict(json.loads(json.dumps(izium.to_dict())))
    assert [(s.speaker_kind, s.described_by) for s in again.statements] == [
        (s.speaker_kind, s.described_by) for s in izium.statements
    ]
    old = izium.to_dict()
    for s in old["statements"]:
        del s["speaker_kind"], s["described_by"]
    assert {s.speaker_kind for s in Analysis.from_dict(old).statements} == {None}


def test_a_hedge_has_no_speaker_kind(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "It is understood that the talks will resume in Geneva next week, a week later than planned."
    a = analyse(Article(text=text), nlp)
    hedges = [s for s in a.statements if s.kind == "hedge"]
    assert hedges and all(s.speaker_kind is None and s.speaker is None for s in hedges)


# -- the store, the read API, the CLI, the REST API, the page ---------------------------


def kinds_in(store_or_url, **filters) -> list[tuple[str | None, str | None]]:  # type: ignore[no-untyped-def]
    rows = search_statements(store_or_url, QueryFilters(limit=None, **filters)).items
    return sorted((r.speaker_kind or "", r.speaker or "") for r in rows)


def test_the_store_keeps_kinds_and_the_described_by_entity(store, izium) -> None:  # type: ignore[no-untyped-def]
    store.add_analysis(izium)
    described = kinds_in(store, speaker_kind="described")
    assert [name for _, name in described] == sorted(
        ["a resident of Izium", "A friend of Klymenko", "one nurse at the city hospital"]
        + [said(izium, "not been told").speaker_name]
    )
    assert len(kinds_in(store, speaker_kind=("anonymous", "described"))) == 7
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(entities.c.name)
            .select_from(statements.join(entities, entities.c.id == statements.c.described_by_id))
            .where(statements.c.speaker_name == "a resident of Izium")
        ).one()
    assert row.name == "Izium"
    counts = stats(store).speaker_kinds
    assert counts["described"] == 4 and counts["anonymous"] == 3
    assert sum(counts.values()) == len([s for s in izium.statements if s.speaker_kind])
    with pytest.raises(UnknownValue, match="speaker_kind: 'secret'"):
        QueryFilters(speaker_kind="secret")


def test_a_store_at_0012_names_rows_with_a_speaker_and_leaves_the_rest_undecided(
    store_url: str, izium
) -> None:  # type: ignore[no-untyped-def]
    with open_store(store_url) as s:
        s.add_analysis(izium)
    engine = create_engine(resolve_url(store_url))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
        command.upgrade(cfg, "0013")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(statements.c.speaker_entity_id, statements.c.speaker_kind)
        ).all()
    engine.dispose()
    assert {k for e, k in rows if e is not None} == {"named"}
    assert {k for e, k in rows if e is None} == {None}


@pytest.fixture
def db(tmp_path: Path, izium) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "kinds.db"
    with open_store(path) as s:
        s.add_analysis(izium)
    return str(path)


def test_cli_speaker_kind_filter_stats_and_error(db: str) -> None:
    env = {"COLUMNS": "200", "SAIDWHAT_DB": db}
    done = CliRunner().invoke(
        main, ["quotes", "--speaker-kind", "anonymous", "--format", "json"], env=env
    )
    assert done.exit_code == 0, done.output
    assert sorted(r["speaker"] for r in json.loads(done.stdout)) == [
        "A source familiar with the talks",
        "Diplomatic sources",
        "officials",
    ]
    assert {r["speaker_kind"] for r in json.loads(done.stdout)} == {"anonymous"}
    doc = json.loads(CliRunner().invoke(main, ["stats", "--format", "json"], env=env).stdout)
    assert doc["speaker_kinds"]["described"] == 4
    shown = CliRunner().invoke(main, ["stats"], env=env).stdout
    assert re.search(r"described\s*│\s*4\s*│", shown), shown
    bad = CliRunner().invoke(main, ["quotes", "--speaker-kind", "secret"], env=env)
    assert bad.exit_code == 2 and "speaker_kind: 'secret' is not one of" in bad.output


def test_api_and_page_speaker_kind(db: str) -> None:
    with TestClient(create_app(db)) as c:
        page = c.get("/api/statements", params={"speaker_kind": "described"}).json()
        assert page["total"] == 4
        assert {s["speaker_kind"] for s in page["items"]} == {"described"}
        both = c.get(
            "/api/statements", params=[("speaker_kind", "described"), ("speaker_kind", "anonymous")]
        )
        assert both.json()["total"] == 7
        r = c.get("/api/statements", params={"speaker_kind": "secret"})
        assert r.status_code == 422 and r.json()["detail"][0]["allowed"] == list(SPEAKER_KINDS)
        assert c.get("/api/stats").json()["speaker_kinds"]["anonymous"] == 3
        html = c.get("/", params={"speaker_kind": "described"}, headers={"accept": "text/html"})
        assert html.status_code == 200
        assert html.text.count('class="speaker-kind"') >= 4
        assert "a resident of Izium" in html.text

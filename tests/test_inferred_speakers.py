"""Dated roles (people issue, item 3): "the Kremlin spokesman said" with nobody named is
credited to the one person the store names with that role around that day, marked
``inferred`` with its evidence; two holders, an indefinite description or a day far from
any sighting infer nobody. The writer infers on ingest, the re-merge again from the
roles as they are then. SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

import store_support as sup
from saidwhat.query import QueryFilters, search_statements
from saidwhat.schema import Analysis, Article, Span, Statement
from saidwhat.store import open_store
from saidwhat.store.inference import role_key
from saidwhat.store.tables import statements
from saidwhat.web import create_app
from store_support import make_analysis

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures


def named(name: str, role: str, date: str, n: int) -> Analysis:
    text = f"{role} {name} spoke to reporters at briefing number {n} about the talks."
    return make_analysis(
        text, date=date, source=f"Paper {n}", people=[("e1", f"{role} {name}", [role])]
    )


def unnamed(description: str, date: str, words: str = "Moscow was studying the plan") -> Analysis:
    text = f"{description[0].upper()}{description[1:]} said {words}. Talks go on."
    article = Article(text=text, date=date, source="Daily Example")
    st = Statement(
        id="s1",
        type="indirect",
        act="assert",
        content=[Span.of(text, text.index(words), text.index(words) + len(words))],
        cue=Span.of(text, text.index(" said") + 1, text.index(" said") + 5),
        speaker_mention=Span.of(text, 0, len(description)),
        speaker_name=description,
        speaker_kind="described",
        date=date,
    )
    return Analysis(article=article, statements=[st], model="hand")


def test_role_keys_name_only_definite_singular_titles() -> None:
    assert role_key("the Kremlin spokesman") == "kremlin spokesman"
    assert role_key("The Kremlin’s spokesman") == "kremlin spokesman"
    assert role_key("a Kremlin spokesman") is None
    assert role_key("Kremlin officials") is None
    assert role_key("the officials") is None


def test_the_one_holder_of_a_role_is_inferred_with_evidence(store) -> None:
    store.add_analysis(named("Dmitry Peskov", "Kremlin spokesman", "2025-12-01", 1))
    store.add_analysis(named("Dmitry Peskov", "Kremlin spokesman", "2025-12-20", 2))
    store.add_analysis(unnamed("the Kremlin spokesman", "2025-12-11"))
    (row,) = search_statements(store, QueryFilters(speaker_kind="inferred")).items
    assert (row.speaker, row.speaker_text) == ("Dmitry Peskov", "The Kremlin spokesman")
    assert row.speaker_evidence["role"] == "Kremlin spokesman"
    assert (row.speaker_evidence["first_seen"], row.speaker_evidence["last_seen"]) == (
        "2025-12-01",
        "2025-12-20",
    )
    assert row.speaker_evidence["articles"] == 2
    peskov = search_statements(store, QueryFilters(speaker="Peskov", limit=None)).items
    assert "inferred" in {r.speaker_kind for r in peskov}  # resolved: his statements list it
    assert search_statements(store, QueryFilters(speaker_kind="described")).total == 0


def test_nobody_is_inferred_from_two_holders_a_far_day_or_an_indefinite_phrase(store) -> None:
    store.add_analysis(named("Dmitry Peskov", "Kremlin spokesman", "2025-12-01", 1))
    store.add_analysis(named("Maria Zakharova", "Kremlin spokesman", "2025-12-05", 2))
    store.add_analysis(unnamed("the Kremlin spokesman", "2025-12-03"))
    store.add_analysis(named("Olena Shvets", "energy minister", "2025-01-01", 3))
    store.add_analysis(unnamed("the energy minister", "2025-12-03", "the grid held overnight"))
    store.add_analysis(unnamed("an energy minister", "2025-01-02", "repairs would take weeks"))
    assert search_statements(store, QueryFilters(speaker_kind="inferred")).total == 0
    assert search_statements(store, QueryFilters(speaker_kind="described")).total == 3


def test_the_remerge_infers_for_statements_stored_before_the_person_was_named(store) -> None:
    store.add_analysis(unnamed("the Kremlin spokesman", "2025-12-11"))
    assert search_statements(store, QueryFilters(speaker_kind="inferred")).total == 0
    store.add_analyses([named("Dmitry Peskov", "Kremlin spokesman", "2025-12-10", 1)])
    (row,) = search_statements(store, QueryFilters(speaker_kind="inferred")).items
    assert row.speaker == "Dmitry Peskov"
    # and undoes it when the role has a second holder in the window
    store.add_analyses([named("Maria Zakharova", "Kremlin spokesman", "2025-12-12", 2)])
    assert search_statements(store, QueryFilters(speaker_kind="inferred")).total == 0
    with store.engine.connect() as conn:
        left = conn.execute(
            sa.select(statements.c.speaker_entity_id, statements.c.speaker_evidence).where(
                statements.c.speaker_kind == "described"
            )
        ).all()
    assert [(r.speaker_entity_id, r.speaker_evidence) for r in left] == [(None, None)]


def test_the_api_and_page_show_the_inference(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "inferred.db")
    with open_store(db) as s:
        s.add_analysis(named("Dmitry Peskov", "Kremlin spokesman", "2025-12-01", 1))
        s.add_analysis(unnamed("the Kremlin spokesman", "2025-12-11"))
    with TestClient(create_app(db)) as c:
        (item,) = c.get("/api/statements", params={"speaker_kind": "inferred"}).json()["items"]
        assert item["speaker_kind"] == "inferred"
        assert item["speaker_evidence"]["role"] == "Kremlin spokesman"
        html = c.get("/", params={"speaker_kind": "inferred"}, headers={"accept": "text/html"})
        assert "speaker-inferred" in html.text and "Kremlin spokesman from 2025-12-01" in html.text

"""Speakers side by side (``compare_speakers``, ``saidwhat compare``, ``/api/compare``,
``/compare``) over the hand-made query corpus, on SQLite and PostgreSQL.

What a reader relies on: each column counts every match of that speaker (not only the
statements shown), its acts add up to that count, the shared filters narrow every
column alike, and a name that means several people is never merged.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import query_corpus as qc
import store_support as sup
from saidwhat.cli import main
from saidwhat.query import (
    AmbiguousSpeaker,
    QueryFilters,
    UnknownSpeaker,
    compare_speakers,
    iter_statements,
)
from saidwhat.store import open_store
from saidwhat.web import create_app

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures

# A second Orlov, also called "Orlov", so that "Orlov" alone means two people.
PAVEL = qc.build(
    "Kyiv, Dec 14 (Courier) Defence official Pavel Orlov said the depot was empty.",
    date="2025-12-14",
    source="Courier",
    people=[("v", "Pavel Orlov", ["defence official"], ["Orlov"])],
    statements=[{"words": "the depot was empty", "cue": "said", "speaker": "v"}],
)


def _acts(source, speaker: str, **filters) -> Counter:  # type: ignore[no-untyped-def]
    f = QueryFilters(speaker=speaker, limit=None, **filters)
    return Counter(r.act for r in iter_statements(source, f))


def test_each_column_counts_every_match_and_its_acts(store):  # type: ignore[no-untyped-def]
    qc.load(store)
    result = compare_speakers(store, ["Peskov", "Irina Orlov"], QueryFilters(limit=1))
    assert [s.name for s in result.sides] == ["Dmitry Peskov", "Irina Orlov"]
    for side, name in zip(result.sides, ["Peskov", "Irina Orlov"], strict=True):
        expected = _acts(store, name)
        assert side.acts == dict(expected)
        assert side.total == sum(expected.values()) > len(side.statements) == 1
        assert list(side.acts.values()) == sorted(side.acts.values(), reverse=True)
    peskov = result.sides[0]
    assert peskov.first_date == "2025-12-08"  # the denial dated by a range starts there
    assert peskov.last_date == "2026-01-05"


def test_shared_filters_narrow_every_column(store):  # type: ignore[no-untyped-def]
    qc.load(store)
    result = compare_speakers(store, ["Peskov", "Irina Orlov"], QueryFilters(since="2025-12-12"))
    for side, name in zip(result.sides, ["Peskov", "Irina Orlov"], strict=True):
        assert side.acts == dict(_acts(store, name, since="2025-12-12"))
        assert all((s.date or "") >= "2025-12-08" for s in side.statements)
    words = compare_speakers(store, ["Peskov", "Irina Orlov"], QueryFilters(about="moratorium"))
    assert [s.total for s in words.sides] == [0, 1]
    assert words.sides[1].acts == {"propose": 1}


def test_names_that_mean_nobody_several_or_too_few(store):  # type: ignore[no-untyped-def]
    qc.load(store)
    store.add_analysis(PAVEL)
    with pytest.raises(AmbiguousSpeaker) as exc:
        compare_speakers(store, ["Peskov", "Orlov"])
    assert {c.name for c in exc.value.candidates} == {"Irina Orlov", "Pavel Orlov"}
    with pytest.raises(UnknownSpeaker, match="Nobody"):
        compare_speakers(store, ["Peskov", "Nobody"])
    with pytest.raises(ValueError, match="2 to 6"):
        compare_speakers(store, ["Peskov"])
    with pytest.raises(ValueError, match="twice"):
        compare_speakers(store, ["Peskov", "Dmitry Peskov"])
    ids = compare_speakers(store, ["Pavel Orlov", "Irina Orlov"])
    assert [s.total for s in ids.sides] == [1, 2]


@pytest.fixture
def db(tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "corpus.db"
    with open_store(path) as s:
        qc.load(s)
        s.add_analysis(PAVEL)
    return str(path)


def test_cli_compare(db):  # type: ignore[no-untyped-def]
    run = CliRunner().invoke
    env = {"SAIDWHAT_DB": db, "COLUMNS": "200"}
    out = run(main, ["compare", "Peskov", "Irina Orlov", "--json"], env=env)
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert [s["name"] for s in doc["sides"]] == ["Dmitry Peskov", "Irina Orlov"]
    table = run(main, ["compare", "Peskov", "Irina Orlov", "--about", "bridges"], env=env)
    assert table.exit_code == 0
    assert "Dmitry Peskov" in table.output and "0 statements" in table.output
    assert "warn" in table.output and "bridges will not survive" in table.output
    for args in (["Peskov", "Orlov"], ["Peskov", "Nobody"], ["Peskov"]):
        bad = run(main, ["compare", *args], env=env)
        assert bad.exit_code == 2, bad.output
    assert "Pavel Orlov" in run(main, ["compare", "Peskov", "Orlov"], env=env).output


def test_api_and_page(db):  # type: ignore[no-untyped-def]
    with TestClient(create_app(db)) as client:
        ok = client.get("/api/compare", params={"speakers": ["Peskov", "Irina Orlov"]})
        assert ok.status_code == 200
        sides = ok.json()["sides"]
        assert sides[1]["acts"] == {"propose": 1, "warn": 1}
        assert sides[1]["statements"][0]["content_text"]  # the API's statement documents
        two = client.get("/api/compare", params={"speakers": ["Peskov", "Orlov"]})
        assert two.status_code == 409 and len(two.json()["candidates"]) == 2
        assert client.get("/api/compare", params={"speakers": ["Peskov"]}).status_code == 422
        nobody = client.get("/api/compare", params={"speakers": ["Peskov", "Nobody"]})
        assert nobody.status_code == 404
        page = client.get("/compare", params={"speakers": ["Peskov", "Irina Orlov"]})
        assert page.status_code == 200
        assert page.text.count('class="side"') == 2 and "Dmitry Peskov" in page.text
        choose = client.get("/compare", params={"speakers": ["Peskov", "Orlov"]})
        assert choose.status_code == 409
        assert "speakers=Peskov" in choose.text.replace("&amp;", "&")  # the other one stays
        assert client.get("/compare").status_code == 200  # the empty form

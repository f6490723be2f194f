"""Precomputed reads give the answers a from-scratch recomputation gives.

The speaker ranking and the source chains are read from ``speaker_stats`` and
``chain_counts`` (kept current by the writer), and date filters from the statements'
own ``day`` / ``day_to``. Each is checked against a recomputation from the raw rows
(Python over ``statements`` joined to ``articles``) and, through the read API, against
the grouped path (``precomputed=False``), after an ingest, a duplicate ingest, a copy,
a re-evaluation that moves statements between entities, and a re-merge, on SQLite and
PostgreSQL; and an older store upgraded by migration 0006 gets the same values.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

import query_corpus as qc
import store_support as sup
from saidwhat.linking.aliases import load_aliases
from saidwhat.query import (
    QueryFilters,
    count_statements,
    get_speaker,
    list_speakers,
    search_statements,
    source_chains,
    stats,
)
from saidwhat.store import Store, open_store
from saidwhat.store.engine import alembic_config, create_engine, resolve_url
from saidwhat.store.tables import articles, chain_counts, speaker_stats, statements
from store_support import make_analysis

pg_url, store_url, store, pg_database = sup.pg_url, sup.store_url, sup.store, sup.pg_database


def raw_statements(s: Store) -> list[dict[str, Any]]:
    """Every statement with its article's date, straight from the tables."""
    with s.engine.connect() as conn:
        rows = conn.execute(
            sa.select(statements, articles.c.date.label("a_date")).join(
                articles, articles.c.id == statements.c.article_id
            )
        ).all()
    return [dict(r._mapping) for r in rows]


def first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def check_against_scratch(s: Store) -> None:
    """The stored days and aggregates equal a recomputation from the raw rows, and the
    read API answers the same through the aggregates as by grouping statements."""
    rows = raw_statements(s)
    assert rows, "the scenario stored nothing"
    for r in rows:
        assert r["day"] == first(r["date"], r["date_from"], r["a_date"])
        assert r["day_to"] == first(r["date"], r["date_to"], r["a_date"])
        assert r["article_date"] == r["a_date"]
    speakers: dict[int, list[Any]] = {}
    fps: dict[int, set[str]] = defaultdict(set)
    chains: dict[tuple[Any, ...], int] = defaultdict(int)
    for r in rows:
        eid = r["speaker_entity_id"]
        name = None if eid is not None else r["speaker_name"]
        chains[(r["reported_by"], r["via_text"], eid, name)] += 1
        if eid is None:
            continue
        fps[eid].add(r["fingerprint"])
        days = [r["day"]] if r["day"] is not None else []
        cur = speakers.setdefault(eid, [0, None, None])
        cur[0] += 1
        if days:
            cur[1] = min([d for d in (cur[1], *days) if d is not None])
            cur[2] = max([d for d in (cur[2], *days) if d is not None])
    with s.engine.connect() as conn:
        stored_speakers = {
            r.entity_id: (r.statements, r.claims, r.first_day, r.last_day)
            for r in conn.execute(sa.select(speaker_stats))
        }
        stored_chains = {
            (r.reported_by, r.via_text, r.speaker_entity_id, r.speaker_name): (r.key, r.n)
            for r in conn.execute(sa.select(chain_counts))
        }
    assert stored_speakers == {
        eid: (n, len(fps[eid]), lo, hi) for eid, (n, lo, hi) in speakers.items()
    }
    assert {k: n for k, (_key, n) in stored_chains.items()} == dict(chains)
    for (rb, via, eid, name), (key, _n) in stored_chains.items():
        expected = json.dumps([rb, via, eid, name]).encode("utf-8")
        assert key == hashlib.sha1(expected).hexdigest()

    for f in (
        QueryFilters(limit=None),
        QueryFilters(limit=2),
        QueryFilters(limit=2, offset=1),
        QueryFilters(limit=0),
        QueryFilters(limit=50, offset=100),
    ):
        for kind in (None, "PERSON", "ORG"):
            fast = list_speakers(s, f, entity_type=kind)
            slow = list_speakers(s, f, entity_type=kind, precomputed=False)
            assert fast == slow, (f, kind)
        for min_count in (1, 2):
            fast_chains = source_chains(s, f, min_count=min_count)
            assert fast_chains == source_chains(s, f, min_count=min_count, precomputed=False)
    top = list_speakers(s, QueryFilters(limit=None)).items
    for row in top:
        detail = get_speaker(s, row.id)
        assert detail is not None
        assert (detail.statements, detail.claims, detail.first_date, detail.last_date) == (
            row.statements,
            row.claims,
            row.first_date,
            row.last_date,
        )
    st = stats(s)
    assert st.speakers == len({r["speaker_entity_id"] for r in rows} - {None})
    assert st.statements == len(rows)


def overlaps(r: dict[str, Any], since: str | None, until: str | None) -> bool:
    """The documented date filter, from the raw columns: the statement's (earliest,
    latest) day overlaps [since, until] (a partial ``until`` covers its whole month)."""
    early = first(r["date"], r["date_from"], r["a_date"])
    late = first(r["date"], r["date_to"], r["a_date"])
    if early is None:
        return False
    hi = until + {4: "-99-99", 7: "-99"}.get(len(until), "") if until else None
    return (since is None or late >= since) and (hi is None or early <= hi)


WINDOWS = [
    ("2025-12-09", "2025-12-09"),  # inside the Reuters denial's range only
    ("2025-12-10", None),
    ("2025-12-11", None),  # after the range ends
    (None, "2025-12-08"),
    ("2025-12", "2025-12"),
    ("2025-12-12", "2025-12-20"),
    ("2026", None),
    ("2026-02", "2025-01"),  # an empty window
]


def check_dates(s: Store) -> None:
    rows = raw_statements(s)
    for since, until in WINDOWS:
        expected = sorted(r["id"] for r in rows if overlaps(r, since, until))
        f = QueryFilters(since=since, until=until, limit=None)
        got = sorted(r.id for r in search_statements(s, f).items)
        assert got == expected, (since, until)
        assert count_statements(s, f) == len(expected), (since, until)
        assert count_statements(s, f.replace(distinct_claims=True)) == len(
            {r["fingerprint"] for r in rows if overlaps(r, since, until)}
        )
        narrowed = f.replace(speaker="Peskov")  # the row-by-row form of the same test
        peskov = {r["speaker_entity_id"] for r in rows if r["speaker_name"] == "Dmitry Peskov"}
        assert sorted(r.id for r in search_statements(s, narrowed).items) == sorted(
            r["id"] for r in rows if overlaps(r, since, until) and r["speaker_entity_id"] in peskov
        )


BARE = make_analysis(
    "Peskov told reporters on Tuesday that the delegation had not yet left Moscow for the "
    "talks, and that the timing was a matter for the negotiators to settle in Geneva.",
    date="2025-12-09",
    source="Courier",
    people=[("e1", "Peskov", [])],
    quotes=[("e1", "the delegation had not yet left Moscow", "told")],
)


def test_aggregates_follow_ingest_duplicates_copies_moves_and_remerge(store, tmp_path) -> None:
    store.add_analysis(BARE)  # a bare surname first: re-decided when the full name comes
    check_against_scratch(store)
    corpus = qc.load(store)
    check_against_scratch(store)
    check_dates(store)
    for analysis in corpus.values():  # the same articles again: all duplicates
        assert store.add_analysis(analysis).status == "duplicate"
    check_against_scratch(store)
    store.add_analysis(qc.wire("Daily Planet"))  # one more copy of the wire story
    check_against_scratch(store)
    store.remerge()
    check_against_scratch(store)
    check_dates(store)
    # A new alias file re-merges everything again, with new entity ids.
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("merge:\n  - canonical: Irina Orlov\n    aliases: [Mayor Orlov]\n")
    assert store.use_aliases(load_aliases(aliases))
    check_against_scratch(store)


def test_the_bare_surname_moved_into_the_full_name_is_counted_there(store) -> None:
    store.add_analysis(BARE)
    qc.load(store)
    peskov = [r for r in list_speakers(store, QueryFilters(limit=None)).items if "Peskov" in r.name]
    assert len(peskov) == 1  # the bare "Peskov" statement joined Dmitry Peskov
    expected = sum(1 for r in raw_statements(store) if r["speaker_entity_id"] == peskov[0].id)
    assert peskov[0].statements == expected == 6


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "old.db")
    return request.getfixturevalue("pg_database")


def test_upgrading_an_older_store_fills_days_and_aggregates(own_url: str) -> None:
    with open_store(own_url) as s:
        s.add_analysis(BARE)
        qc.load(s)
        before = search_statements(s, QueryFilters(limit=None)).items
    engine = create_engine(resolve_url(own_url))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
        names = sa.inspect(conn).get_table_names()
        assert "speaker_stats" not in names and "chain_counts" not in names
    engine.dispose()
    with open_store(own_url) as s:  # 0006 again, backfilling from the stored rows
        check_against_scratch(s)
        check_dates(s)
        after = search_statements(s, QueryFilters(limit=None)).items
        # every row kept; the speaker kind (0013) is the migration's: named with a speaker
        assert [replace(r, speaker_kind=None) for r in after] == [
            replace(r, speaker_kind=None) for r in before
        ]
        assert all((r.speaker_kind == "named") == (r.speaker_id is not None) for r in after)

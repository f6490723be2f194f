"""Entity ids survive a re-merge: a saved ``/speakers/12`` keeps meaning the same person.

``remerge()`` (a changed alias file, ``saidwhat remerge``) used to renumber every entity,
so a link or a script holding an id broke. Now each re-merged entity keeps the id most
of its observations had, a merged-away id answers for the survivor (the API and the
pages redirect to it), and an alias merge undone gives the person their old id back. On
SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

import store_support as sup
from saidwhat.linking.aliases import Aliases, parse_aliases
from saidwhat.query import find_speaker, get_speaker
from saidwhat.store import open_store
from saidwhat.store.tables import entities
from saidwhat.web import create_app
from store_support import make_analysis

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures


def said(name: str, n: int):  # type: ignore[no-untyped-def]
    text = f"{name} said on day {n} that the budget talks would go on. Nothing else happened."
    return make_analysis(
        text,
        date=f"2025-12-{n:02d}",
        people=[("e1", name, [])],
        quotes=[("e1", "the budget talks would go on", "said")],
    )


def ids_by_name(store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(entities.c.name, entities.c.id).where(entities.c.merged_into.is_(None))
        ).all()
    return dict(rows)


def test_ids_stay_through_remerges_merges_and_splits(store_url) -> None:  # type: ignore[no-untyped-def]
    store = open_store(store_url)
    for n, name in enumerate(
        ["Helena Strand", "Helena Strand", "Kari Nygaard", "Pavel Orlov", "Helena Strand"], 1
    ):
        store.add_analysis(said(name, n))
    before = ids_by_name(store)
    assert set(before) == {"Helena Strand", "Kari Nygaard", "Pavel Orlov"}

    store.remerge()  # nothing changed: nothing renumbered
    assert ids_by_name(store) == before

    merge = parse_aliases({"merge": [{"canonical": "Helena Strand", "aliases": ["Kari Nygaard"]}]})
    merge.digest = "merge"
    assert store.use_aliases(merge) is True
    merged = ids_by_name(store)
    assert merged == {
        "Helena Strand": before["Helena Strand"],
        "Pavel Orlov": before["Pavel Orlov"],
    }
    # the merged-away id still answers, for the survivor
    assert find_speaker(store, before["Kari Nygaard"]) == before["Helena Strand"]
    assert get_speaker(store, before["Kari Nygaard"]).name == "Helena Strand"

    with TestClient(create_app(store_url), follow_redirects=False) as client:
        old = before["Kari Nygaard"]
        for path, where in (
            (f"/api/speakers/{old}?topics=3", f"/api/speakers/{before['Helena Strand']}?topics=3"),
            (
                f"/api/speakers/{old}/statements",
                f"/api/speakers/{before['Helena Strand']}/statements",
            ),
            (f"/speakers/{old}", f"/speakers/{before['Helena Strand']}"),
        ):
            r = client.get(path)
            assert r.status_code == 307 and r.headers["location"] == where, path
            assert client.get(where).status_code == 200
        assert client.get("/api/speakers/999999").status_code == 404

    unmerge = Aliases(digest="none")
    assert store.use_aliases(unmerge) is True  # the merge undone: Kari gets her id back
    assert ids_by_name(store) == before
    assert find_speaker(store, "Kari Nygaard") == before["Kari Nygaard"]
    store.add_analysis(said("Nikolai Sedov", 9))  # a new person after it: a new id
    after = ids_by_name(store)
    assert after["Nikolai Sedov"] not in before.values()
    store.close()

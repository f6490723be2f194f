"""The one ingest loop (``saidwhat.ingest.core``) and its one failure policy, seen from
each door that uses it: a bad article is recorded and the run goes on; a lost database
connection stops the run, whoever called."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import store_support as sup
from saidwhat.ingest import Failure, IngestLoop, connection_lost, ingest
from saidwhat.ingest.upload import article_from_fields, store_articles
from saidwhat.reading.records import ReadError
from saidwhat.store import AddResult

store, store_url, pg_url = sup.store, sup.store_url, sup.pg_url  # fixtures

ARTICLE = (
    "Moscow, Dec 11 (Tass) Kremlin spokesman Dmitry Peskov said on Wednesday that the talks "
    'would resume next week. "We are ready to discuss every detail," Peskov told reporters.'
)


def lost_connection() -> sa.exc.DBAPIError:
    return sa.exc.DBAPIError(
        "INSERT ...", {}, ConnectionError("server closed"), connection_invalidated=True
    )


def refusing(store, bad_id: str, exc: Exception):  # type: ignore[no-untyped-def]
    """``store.add_analysis`` that raises ``exc`` for the article ``bad_id``."""
    real = store.add_analysis

    def add(analysis):  # type: ignore[no-untyped-def]
        if analysis.article.id == bad_id:
            raise exc
        return real(analysis)

    return add


def test_connection_lost_tells_a_dead_database_from_a_refused_row() -> None:
    assert connection_lost(lost_connection())
    assert not connection_lost(sa.exc.IntegrityError("INSERT ...", {}, ValueError("dup")))
    assert not connection_lost(ValueError("bad row"))


def test_loop_records_a_refused_article_and_goes_on(store, monkeypatch) -> None:
    good, bad = sup.wire_story("Tass"), sup.wire_story("AP", extra="A different ending here.")
    monkeypatch.setattr(
        store, "add_analysis", refusing(store, bad.article.id, ValueError("no\n room"))
    )
    stored: list[AddResult] = []
    failed: list[Failure] = []
    loop = IngestLoop(store, on_stored=lambda _a, r: stored.append(r), on_failed=failed.append)
    for analysis in (bad, good):
        loop.put(analysis)
    loop.put(Failure.of_read(ReadError("gone.txt", "no such file")))
    assert [r.status for r in stored] == ["added"]
    assert [str(f) for f in failed] == [
        f"{bad.article.path}: cannot store: no room",
        "gone.txt: no such file",
    ]
    recorded = {(e.path, e.stage, e.reason) for e in store.errors()}
    assert recorded == {
        (bad.article.path, "store", "cannot store: no room"),
        ("gone.txt", "read", "no such file"),
    }
    # Already stored: skipped before analysis, and said so.
    seen: list[str] = []
    fresh = list(loop.unknown([good.article, bad.article], lambda a: a.id, on_known=seen.append))
    assert fresh == [bad.article] and [a.id for a in seen] == [good.article.id]


def test_loop_stops_on_a_lost_connection(store, monkeypatch) -> None:
    bad = sup.wire_story("Tass")
    monkeypatch.setattr(store, "add_analysis", refusing(store, bad.article.id, lost_connection()))
    failed: list[Failure] = []
    with pytest.raises(sa.exc.DBAPIError):
        IngestLoop(store, on_failed=failed.append).add(bad)
    assert failed == [] and store.errors() == []


def test_upload_records_a_refused_article_and_stops_on_a_lost_connection(
    tmp_path, nlp, monkeypatch
) -> None:
    """The web door used to keep going when the database went away, and to keep analysis
    failures out of the errors table; now it follows the loop's policy."""
    from saidwhat.store import open_store

    store = open_store(tmp_path / "upload.db")
    article = article_from_fields(ARTICLE, title="Peskov", where="POST /api/articles")
    monkeypatch.setattr(store, "add_analysis", refusing(store, article.id, ValueError("full")))
    outcome = store_articles(store, [article], nlp)
    assert outcome.stored == [] and outcome.errors == ["POST /api/articles: cannot store: full"]
    assert [(e.stage, e.reason) for e in store.errors()] == [("store", "cannot store: full")]
    monkeypatch.setattr(store, "add_analysis", refusing(store, article.id, lost_connection()))
    with pytest.raises(sa.exc.DBAPIError):
        store_articles(store, [article], nlp)
    store.close()


def test_files_stop_on_a_lost_connection(tmp_path, nlp, monkeypatch) -> None:
    from saidwhat.store import open_store

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    store = open_store(tmp_path / "files.db")

    def gone(_analysis):  # type: ignore[no-untyped-def]
        raise lost_connection()

    monkeypatch.setattr(store, "add_analysis", gone)
    with pytest.raises(sa.exc.DBAPIError):
        ingest([str(tmp_path / "a.txt")], store, nlp, progress=False)
    store.close()

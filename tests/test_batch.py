"""Batch on a real dask.distributed LocalCluster (two workers), then load: the store must
equal what ``ingest`` builds from the same articles, on SQLite and PostgreSQL.

The cluster runs its two workers in this process (``processes=False``) so that it starts
in a second and failures can be injected with monkeypatch; one test uses worker processes
to prove that articles and results cross process boundaries.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

import store_support as sup
from saidwhat.batch import MANIFEST, dask_client, iter_partitions, run_batch
from saidwhat.batch import worker as batch_worker
from saidwhat.batch.partition import iter_corpus, partition_id
from saidwhat.cli import main
from saidwhat.ingest import NotABatchFolder, ingest, load_batch
from saidwhat.store import open_store
from saidwhat.store.tables import (
    articles,
    claims,
    entities,
    entity_roles,
    mentions,
    statements,
)

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
SIZE = 5  # 36 example articles -> 8 partitions, spread over both workers


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """The example corpus, one unreadable file and one article read twice."""
    extra = tmp_path_factory.mktemp("extra")
    (extra / "broken.txt").write_bytes(b"\xff\xfe\x00 not text")
    shutil.copy(EXAMPLES / "006_geneva-talks-open.txt", extra / "again.txt")
    return [str(EXAMPLES), str(extra / "broken.txt"), str(extra / "again.txt")]


@pytest.fixture(scope="module")
def batch_out(client, corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("batch")
    report = run_batch(corpus, out, client, partition_size=SIZE)
    assert report.failed == 0 and report.done == report.partitions == 8
    assert report.duplicates == 1 and len(report.read_errors) == 1
    return out


def snapshot(store) -> dict[str, object]:
    """The store's content by natural keys (database ids depend on write history)."""
    counts = store.counts()
    errors = sorted((e.path, e.stage, e.reason) for e in store.errors())
    with store.engine.connect() as conn:
        live = entities.c.merged_into.is_(None)
        name = {r.id: (r.name, r.type) for r in conn.execute(sa.select(entities).where(live))}
        return {
            "counts": counts,
            "articles": sorted(
                (r.id, r.story_id, r.path, r.title, r.date, r.reported_by, r.statement_count)
                for r in conn.execute(sa.select(articles))
            ),
            "entities": sorted(
                (r.name, r.type, tuple(sorted(r.aliases or [])), r.article_count, r.first_seen)
                for r in conn.execute(sa.select(entities).where(live))
            ),
            "roles": sorted(
                (name[r.entity_id], r.role, r.count) for r in conn.execute(sa.select(entity_roles))
            ),
            "statements": sorted(
                (
                    r.article_id,
                    r.local_id,
                    r.type,
                    r.act,
                    r.content_text,
                    name.get(r.speaker_entity_id),
                    name.get(r.target_entity_id),
                    r.via_text,
                    r.date,
                    r.story_id,
                    r.fingerprint,
                )
                for r in conn.execute(sa.select(statements))
            ),
            "mentions": sorted(
                (r.article_id, r.start, r.end, name[r.entity_id])
                for r in conn.execute(sa.select(mentions))
            ),
            "claims": sorted(
                (r.fingerprint, r.report_count, r.outlet_count, name.get(r.speaker_entity_id))
                for r in conn.execute(sa.select(claims))
            ),
            "errors": errors,
        }


@pytest.fixture(scope="module")
def ingested(corpus, nlp, tmp_path_factory) -> dict[str, object]:
    """What plain ``ingest`` of the same inputs stores (compared by natural keys, so one
    SQLite reference serves both backends)."""
    store = open_store(tmp_path_factory.mktemp("ingest") / "ingest.db")
    ingest(corpus, store, nlp, progress=False)
    want = snapshot(store)
    store.remerge()
    want["remerged"] = snapshot(store)
    store.close()
    return want


def test_batch_then_load_gives_the_store_ingest_gives(batch_out, ingested, store_url):
    markers = [json.loads(p.read_text()) for p in (batch_out / "_partitions").glob("*.json")]
    assert len({m["worker"] for m in markers}) == 2  # articles really split across workers
    loaded = open_store(store_url)
    report = load_batch(batch_out, loaded)
    got = snapshot(loaded)
    loaded.close()
    want = ingested
    assert report.stored == want["counts"]["articles"] == 36
    assert want["counts"]["statements"] > 300 and want["counts"]["entities"] > 40
    for key in got:
        assert got[key] == want[key], key
    # The merged corpus entities, not per-article ones: one Velikov across many articles.
    velikov = [e for e in got["entities"] if e[0] == "Anton Velikov"]
    assert len(velikov) == 1 and velikov[0][3] >= 8


def test_load_with_remerge_equals_ingest_then_remerge(batch_out, ingested, tmp_path):
    store = open_store(tmp_path / "remerged.db")
    load_batch(batch_out, store, remerge=True)
    got = snapshot(store)
    store.close()
    for key in got:
        assert got[key] == ingested["remerged"][key], key


def test_load_twice_adds_nothing(batch_out, tmp_path):
    store = open_store(tmp_path / "twice.db")
    first = load_batch(batch_out, store)
    before = snapshot(store)
    again = load_batch(batch_out, store)
    assert (again.stored, again.duplicates, again.errors_recorded) == (0, first.stored, 0)
    assert snapshot(store) == before
    store.close()


def test_parquet_tables_match_the_analyses(batch_out):
    manifest = json.loads((batch_out / MANIFEST).read_text())
    tables = {t: pd.read_parquet(batch_out / t) for t in ("articles", "statements", "mentions")}
    arts = tables["articles"]
    assert len(arts) == manifest["totals"]["articles"] == 36
    assert (
        len(tables["statements"]) == manifest["totals"]["statements"] == arts.statement_count.sum()
    )
    assert len(tables["mentions"]) == manifest["totals"]["mentions"]
    # Hive partitions by article date; every article sits under its own date.
    assert (arts.article_date.astype(str) == arts.date.fillna("unknown")).all()
    assert "2026-03-20" in set(arts.article_date.astype(str))
    # The analysis column round-trips, and statements point into their article's text.
    text = dict(zip(arts.id, arts.text, strict=True))
    for row in tables["statements"].head(50).itertuples():
        assert row.content_text.split(" … ")[0] in text[row.article_id]
    doc = json.loads(arts.analysis.iloc[0])
    assert doc["article"]["id"] == arts.id.iloc[0] and doc["schema_version"]


def test_rerun_skips_done_partitions(batch_out, client, corpus, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(batch_out, out)
    markers = sorted((out / "_partitions").glob("*.json"))
    lost = json.loads(markers[3].read_text())
    markers[3].unlink()  # as if the run died before this partition finished
    report = run_batch(corpus, out, client, partition_size=SIZE)
    assert (report.done, report.skipped, report.failed) == (1, 7, 0)
    assert report.articles == lost["articles"]
    assert json.loads(markers[3].read_text())["files"] == lost["files"]
    again = run_batch(corpus, out, client, partition_size=SIZE)
    assert (again.done, again.skipped) == (0, 8)


def test_failed_partition_is_reported_and_others_kept(client, tmp_path, monkeypatch):
    """Retried, then recorded with its reason; the re-run redoes only that partition."""
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(EXAMPLES.glob("*.txt"))[:6]:
        shutil.copy(f, src / f.name)
    doomed = "003_kyiv-proposes-energy-moratorium.txt"
    attempts = []
    real = batch_worker.tables_by_date

    def flaky(analysed, pid):
        if any(a.article.path.endswith(doomed) for a, _ in analysed):
            attempts.append(pid)
            raise MemoryError("simulated worker trouble")
        return real(analysed, pid)

    monkeypatch.setattr(batch_worker, "tables_by_date", flaky)
    out = tmp_path / "out"
    report = run_batch([str(src)], out, client, partition_size=2, retries=1)
    assert (report.partitions, report.done, report.failed) == (3, 2, 1)
    assert len(attempts) == 2  # first try + one retry
    pid, reason = report.failures[0]
    assert "MemoryError" in reason and "simulated" in reason
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["totals"]["partitions_failed"] == 1
    assert any(p.endswith(doomed) for p in manifest["failures"][0]["paths"])
    assert manifest["totals"]["articles"] == 4
    # load stores the four good articles and records the two lost ones as errors
    store = open_store(tmp_path / "partial.db")
    loaded = load_batch(out, store)
    assert loaded.stored == 4
    assert sum(doomed in e.path for e in store.errors()) == 1
    store.close()
    monkeypatch.setattr(batch_worker, "tables_by_date", real)
    again = run_batch([str(src)], out, client, partition_size=2)
    assert (again.done, again.skipped, again.failed) == (1, 2, 0)
    assert json.loads((out / MANIFEST).read_text())["totals"]["articles"] == 6


def test_one_failing_article_does_not_lose_its_partition(client, tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(EXAMPLES.glob("*.txt"))[:3]:
        shutil.copy(f, src / f.name)
    real = batch_worker.analyse

    def picky(article, nlp, options=None):
        if article.path.endswith("002_velikov-rejects-energy-truce.txt"):
            raise ValueError("cannot parse this one")
        return real(article, nlp, options)

    monkeypatch.setattr(batch_worker, "analyse", picky)
    report = run_batch([str(src)], tmp_path / "out", client, partition_size=8)
    assert (report.done, report.failed, report.articles) == (1, 0, 2)
    assert len(report.article_failures) == 1
    assert "002_velikov" in report.article_failures[0]
    assert "ValueError: cannot parse this one" in report.article_failures[0]


def test_partitions_are_stable_and_parquet_input_is_read(tmp_path):
    rows = [
        {"text": f"OSLO (Reuters) - Minister Kari Nygaard said talk number {i} went well.",
         "title": f"Talk {i}", "date": "2026-03-0" + str(i % 9 + 1)}
        for i in range(7)
    ]  # fmt: skip
    rows.append({"title": "no text here"})
    path = tmp_path / "articles.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    errors: list[str] = []
    parts = list(iter_partitions(iter_corpus([str(path)]), 3, on_error=errors.append))
    assert [len(p.articles) for p in parts] == [3, 3, 1]
    assert [p.seqs for p in parts] == [[1, 2, 3], [4, 5, 6], [7]]
    assert parts[0].articles[0].title == "Talk 0" and parts[0].articles[0].date == "2026-03-01"
    assert len(errors) == 1 and "row 8" in str(errors[0])
    again = list(iter_partitions(iter_corpus([str(path)]), 3))
    assert [p.pid for p in again] == [p.pid for p in parts]
    assert parts[0].pid == partition_id(reversed([a.id for a in parts[0].articles]))
    assert len({p.pid for p in parts}) == 3


def test_worker_processes_round_trip(tmp_path):
    """Real worker processes: articles and Arrow results are pickled across processes."""
    files = [str(p) for p in sorted(EXAMPLES.glob("*.txt"))[:2]]
    with dask_client(workers=1) as c:
        report = run_batch(files, tmp_path / "out", c, partition_size=1)
    assert (report.done, report.failed, report.articles) == (2, 0, 2)
    arts = pd.read_parquet(tmp_path / "out" / "articles")
    assert sorted(Path(p).name for p in arts.path) == [Path(f).name for f in files]


def test_cli_batch_and_load(client, tmp_path):
    files = [str(p) for p in sorted(EXAMPLES.glob("*.txt"))[:3]]
    runner = CliRunner()
    out, db = tmp_path / "out", tmp_path / "cli.db"
    args = ["batch", *files, str(tmp_path / "nope.txt"), "--out", str(out), "-q"]
    result = runner.invoke(main, [*args, "--scheduler", client.scheduler.address])
    said = " ".join(result.output.split())  # rich wraps lines at the terminal width
    assert result.exit_code == 1, said  # one unreadable input
    assert "nope.txt: no such file" in said and "3 articles analysed" in said
    loaded = runner.invoke(main, ["load", str(out), "--db", str(db), "-q"])
    said = " ".join(loaded.output.split())
    assert loaded.exit_code == 0, said
    assert "3 added" in said and "1 batch error recorded" in said
    store = open_store(db)
    assert store.counts()["articles"] == 3
    assert [e.stage for e in store.errors()] == ["read"]
    store.close()
    bad = runner.invoke(main, ["load", str(tmp_path), "--db", str(db)])
    assert bad.exit_code != 0 and "not a saidwhat batch output" in " ".join(bad.output.split())
    with pytest.raises(NotABatchFolder):
        load_batch(tmp_path / "missing", open_store(tmp_path / "x.db"))


def test_load_into_postgresql_goes_by_copy(batch_out, ingested, pg_url, monkeypatch):
    """`saidwhat load` bulk-loads with COPY on PostgreSQL, and the store is still the one
    ingest gives."""
    import saidwhat.store.bulk as bulk

    sup.truncate_all(pg_url)
    copied: list[str] = []
    real = bulk.copy_rows

    def spy(conn, table, rows):  # type: ignore[no-untyped-def]
        copied.append(table.name)
        real(conn, table, rows)

    monkeypatch.setattr(bulk, "copy_rows", spy)
    store = open_store(pg_url)
    load_batch(batch_out, store)
    got = snapshot(store)
    store.close()
    assert {"mentions", "article_entities", "minhash_bands"} <= set(copied)
    for key in got:
        assert got[key] == ingested[key], key


def test_load_records_a_refused_article_and_stops_on_a_lost_connection(
    batch_out, tmp_path, monkeypatch
):
    """The load door follows the one ingest loop's policy (``saidwhat.ingest.core``)."""
    store = open_store(tmp_path / "refused.db")
    real = store.add_analysis
    victim = "006_geneva-talks-open.txt"

    def refuse(analysis):
        if analysis.article.path.endswith(victim):
            raise ValueError("disk full")
        return real(analysis)

    monkeypatch.setattr(store, "add_analysis", refuse)
    report = load_batch(batch_out, store)
    assert report.stored == 35 and len(report.failures) == 1
    assert report.failures[0].endswith(f"{victim}: cannot store: disk full")
    assert [e.reason for e in store.errors() if e.stage == "store"] == ["cannot store: disk full"]

    def gone(analysis):
        raise sa.exc.DBAPIError(
            "INSERT", {}, ConnectionError("closed"), connection_invalidated=True
        )

    monkeypatch.setattr(store, "add_analysis", gone)
    with pytest.raises(sa.exc.DBAPIError):
        load_batch(batch_out, store)  # the refused article is tried again, and the database is gone
    store.close()

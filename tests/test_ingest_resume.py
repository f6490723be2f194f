"""A real ``saidwhat ingest`` killed with SIGKILL mid-run leaves a consistent store, and
re-running it completes the corpus without duplicates."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

import store_support as sup
from saidwhat.reading.readers import iter_inputs
from saidwhat.reading.records import ReadError
from saidwhat.store import open_store, resolve_url
from saidwhat.store.tables import (
    article_entities,
    articles,
    claims,
    mentions,
    statements,
)

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures: SQLite file, PostgreSQL database

FIRST = ["Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas"]
LAST = ["Petrov", "Lindqvist", "Moreau", "Kowalski", "Haddad", "Brennan", "Sato", "Okafor"]
TOPICS = ["the harbour tax", "the rail strike", "grain exports", "the school budget", "wind farms"]


def generated_article(i: int, rng: random.Random) -> str:
    """A small original wire-style article with two quoted speakers."""
    a, b = rng.sample(range(len(FIRST)), 2)
    s1 = f"{FIRST[a]} {LAST[rng.randrange(len(LAST))]}"
    s2 = f"{FIRST[b]} {LAST[rng.randrange(len(LAST))]}"
    topic = rng.choice(TOPICS)
    return (
        f" date 2026-01-{1 + i % 28:02d} OSLO (Reuters) - Officials met on Tuesday to discuss {topic}, "
        f"meeting number {i} of the series.\n\n"
        f'"We will not accept this plan for {topic}," {s1} told reporters after meeting {i}.\n\n'
        f"{s2}, the deputy minister, said the government would publish its proposal on item {i} "
        f'next week. "The numbers speak for themselves," {s2.split()[1]} added.\n'
    )


def consistency_problems(db: str) -> list[str]:
    """Everything a half-written article would break; [] when the store is consistent."""
    store = open_store(db)
    problems = []
    with store.engine.connect() as conn:
        n_st = Counter(conn.scalars(sa.select(statements.c.article_id)))
        n_ae = Counter(conn.scalars(sa.select(article_entities.c.article_id)))
        n_me = Counter(conn.scalars(sa.select(mentions.c.article_id)))
        for row in conn.execute(
            sa.select(articles.c.id, articles.c.statement_count, articles.c.analysis)
        ):
            doc = row.analysis
            want_mentions = sum(len(e["mentions"]) for e in doc["entities"])
            if n_st[row.id] != row.statement_count or row.statement_count != len(doc["statements"]):
                problems.append(f"{row.id}: {n_st[row.id]} of {row.statement_count} statements")
            if n_ae[row.id] != len(doc["entities"]):
                problems.append(f"{row.id}: {n_ae[row.id]} of {len(doc['entities'])} entities")
            if n_me[row.id] != want_mentions:
                problems.append(f"{row.id}: {n_me[row.id]} of {want_mentions} mentions")
        fps = Counter(conn.scalars(sa.select(statements.c.fingerprint)))
        claim_counts = dict(
            conn.execute(sa.select(claims.c.fingerprint, claims.c.report_count)).all()
        )
        if claim_counts != dict(fps):
            problems.append("claims do not match statements")
    store.close()
    return problems


def stored_count(db: str) -> int:
    if "://" not in db and not Path(db).exists():
        return 0
    engine = sa.create_engine(resolve_url(db))
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text("SELECT count(*) FROM articles")) or 0
    except sa.exc.DBAPIError:  # table not created yet, or locked for a moment
        return 0
    finally:
        engine.dispose()


def test_killed_ingest_leaves_consistent_store_and_resumes(tmp_path, store_url):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rng = random.Random(42)
    n = 60
    for i in range(n):
        (corpus / f"{i:03d}.txt").write_text(generated_article(i, rng), encoding="utf-8")
    db = store_url
    cmd = [sys.executable, "-m", "saidwhat.cli", "ingest", str(corpus), "--db", db, "-q"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while stored_count(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if proc.poll() is not None:
        pytest.fail(f"ingest ended before it could be killed: {proc.stderr.read().decode()[-500:]}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()

    partial = stored_count(db)
    assert 0 < partial < n, partial
    assert consistency_problems(db) == []

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-800:]
    assert f"{partial} already stored" in done.stderr
    expected = {a.id for a in iter_inputs([str(corpus)]) if not isinstance(a, ReadError)}
    store = open_store(db)
    with store.engine.connect() as conn:
        ids = list(conn.scalars(sa.select(articles.c.id)))
    store.close()
    assert sorted(ids) == sorted(expected)  # all present, none twice
    assert consistency_problems(db) == []

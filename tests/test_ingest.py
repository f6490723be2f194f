"""Ingest end to end: read -> analyse -> store, errors, idempotence, the example corpus,
and the CLI (including an ingest killed with SIGKILL and resumed)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
import yaml
from click.testing import CliRunner

import store_support as sup
from saidwhat.analyse import analyse
from saidwhat.cli import main
from saidwhat.ingest import ingest
from saidwhat.linking.names import parse_person
from saidwhat.reading.readers import iter_inputs
from saidwhat.reading.records import ReadError
from saidwhat.store import open_store
from saidwhat.store.fts import search_clause
from saidwhat.store.tables import articles, entities, statements

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


def example_files() -> list[str]:
    return sorted(str(p) for p in EXAMPLES.glob("*.txt"))


def test_ingest_examples_then_rerun_adds_nothing(store_url, nlp, tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00 not text")
    store = open_store(store_url)
    report = ingest(
        [str(EXAMPLES), str(bad), str(tmp_path / "missing.txt")], store, nlp, progress=False
    )
    readable = [a for a in iter_inputs([str(EXAMPLES)]) if not isinstance(a, ReadError)]
    assert report.added + report.copies == len(readable)
    assert report.errors == 2 and report.statements > 0
    assert {e.path for e in store.errors()} == {str(bad), str(tmp_path / "missing.txt")}
    with store.engine.connect() as conn:
        story_of = {
            Path(p).name: s
            for p, s in conn.execute(sa.select(articles.c.path, articles.c.story_id))
            if p
        }
        # The three versions of the Geneva opening story are one syndicated story...
        geneva = {story_of[n] for n in story_of if n.startswith(("006_", "007_", "008_"))}
        assert len(geneva) == 1
        # ...and unrelated stories are not merged with it.
        assert story_of["002_velikov-rejects-energy-truce.txt"] not in geneva
        assert conn.scalar(sa.select(sa.func.sum(articles.c.statement_count))) == report.statements
        q = sa.select(statements.c.speaker_name).where(search_clause(store.dialect, "truce"))
        assert conn.execute(q).first() is not None
        names = set(
            conn.scalars(sa.select(entities.c.name).where(entities.c.merged_into.is_(None)))
        )
    assert {"Anton Velikov", "Helena Strand", "Pavel Orlov"} <= names
    assert "Velikov" not in names  # the bare surname merged into the full name
    assert merging_errors(store) == []
    before = store.counts()
    again = ingest([str(EXAMPLES)], store, nlp, progress=False)
    assert (again.added, again.copies, again.statements) == (0, 0, 0)
    assert again.duplicates == len(readable)
    assert store.counts() == before
    store.close()


def merging_errors(store) -> list[str]:
    """Compare live PERSON entities with examples/truth.yaml: no true person split over
    two entities, no entity holding two true people (judged on full names only, since
    a bare "Orlov" belongs to either Orlov)."""
    truth = yaml.safe_load((EXAMPLES.parent / "truth.yaml").read_text(encoding="utf-8"))
    owner = {}
    for ent in truth["entities"]:
        if ent["type"] == "PERSON":
            for name in ent["mentions"]["names"]:
                if not parse_person(name).is_bare:
                    owner[parse_person(name).full_key] = ent["id"]
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(entities.c.id, entities.c.aliases).where(
                entities.c.type == "PERSON", entities.c.merged_into.is_(None)
            )
        ).all()
    holders: dict[str, set[int]] = {}
    problems = []
    for row in rows:
        people = {owner[k] for k in (parse_person(a).full_key for a in row.aliases) if k in owner}
        if len(people) > 1:
            problems.append(f"entity {row.id} holds {sorted(people)}")
        for person in people:
            holders.setdefault(person, set()).add(row.id)
    problems += [f"{p} split over {sorted(ids)}" for p, ids in holders.items() if len(ids) > 1]
    return problems


def test_store_cost_is_small_next_to_extraction(store_url, nlp):
    """The write side stays cheap: well under the extraction time of the same articles."""
    import time

    arts = [a for a in iter_inputs(example_files()[:12]) if not isinstance(a, ReadError)]
    t0 = time.perf_counter()
    done = [analyse(a, nlp) for a in arts]
    extract = time.perf_counter() - t0
    store = open_store(store_url)
    t0 = time.perf_counter()
    for a in done:
        store.add_analysis(a)
    write = time.perf_counter() - t0
    store.close()
    assert write < 0.6 * extract, (write, extract)  # generous: CI machines are noisy


def test_cli_ingest_and_errors(tmp_path):
    db = tmp_path / "cli.db"
    good = tmp_path / "a.txt"
    good.write_text(
        " date 2026-03-02 OSLO (Reuters) - Norway will host talks on the energy truce next "
        'week, the foreign ministry said. "We are ready," minister Kari Nygaard told reporters.',
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(
        main, ["ingest", str(good), str(tmp_path / "nope.txt"), "--db", str(db), "-q"]
    )
    assert result.exit_code == 1, result.output
    ok = runner.invoke(main, ["ingest", str(good), "--db", str(db), "-q"])
    assert ok.exit_code == 0, ok.output
    listed = runner.invoke(main, ["errors", "--db", str(db), "--format", "json"])
    assert listed.exit_code == 0
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [(r["path"], r["stage"]) for r in rows] == [(str(tmp_path / "nope.txt"), "read")]
    assert "no such file" in rows[0]["reason"]


def test_cli_rejects_bad_alias_file(tmp_path):
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("merge: [{aliases: [x]}]\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "ingest",
            str(EXAMPLES / "001_norway-to-host-talks.txt"),
            "--db",
            str(tmp_path / "x.db"),
            "--aliases",
            str(aliases),
        ],
    )
    assert result.exit_code != 0
    assert "canonical" in result.output


def test_cli_aliases_apply_and_a_changed_file_remerges(tmp_path):
    """--aliases reaches the store: a (deliberately odd) merge takes effect, and the next
    ingest without the file undoes it for what is already stored."""
    db = str(tmp_path / "aliases.db")
    files = [
        str(EXAMPLES / n)
        for n in ("001_norway-to-host-talks.txt", "004_opposition-mp-questions-norway-role.txt")
    ]
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text(
        "merge:\n  - canonical: Helena Strand\n    aliases: [Kari Nygaard]\n", encoding="utf-8"
    )

    def people() -> dict[str, list[str]]:
        store = open_store(db)
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(entities.c.name, entities.c.aliases).where(
                    entities.c.type == "PERSON", entities.c.merged_into.is_(None)
                )
            ).all()
        store.close()
        return {r.name: r.aliases for r in rows}

    runner = CliRunner()
    first = runner.invoke(main, ["ingest", *files, "--db", db, "-q", "--aliases", str(aliases)])
    assert first.exit_code == 0, first.output
    assert "re-merged" not in first.output  # nothing was stored yet
    merged = people()
    assert "Kari Nygaard" not in merged and "Kari Nygaard" in merged["Helena Strand"]
    second = runner.invoke(main, ["ingest", *files, "--db", db, "-q"])
    assert second.exit_code == 0 and "re-merged" in second.output
    apart = people()
    assert "Kari Nygaard" in apart
    assert not any(
        "Kari Nygaard" in names for name, names in apart.items() if name != "Kari Nygaard"
    )

"""Speaker merging and attribution measured: the store against examples/truth.yaml.

    .venv/bin/python bench/merge_accuracy.py [--articles examples/articles]
        [--truth examples/truth.yaml] [--outlets examples/outlets.csv] [-v]

Ingests every input under ``--articles`` (the .txt files and feed_batch.jsonl) into a
temporary SQLite store with ``saidwhat.ingest.ingest``, exactly as ``saidwhat ingest``
does, then compares the live entities with the true ones.

How store entities are tied to true ones: every stored observation (one entity of one
article, table ``article_entities``) is matched by name against the true entities'
mention forms (case-insensitive, ’ = ', a leading "the" ignored; for people also the name
without titles, "Mr Velikov" -> "Velikov"). A form that several true entities share (the
bare "Orlov") is narrowed to those listed for that article; an observation that still
fits several, or none, is left out of the comparison and counted. Then, per class
(PERSON; organisations = store types ORG and MEDIA):

* true: entities of that class in truth.yaml; found: those with a matched observation;
* store: live store entities of that class (all, and those holding a matched observation);
* split: true entities whose observations sit in two or more store entities (of any
  type: a person half-typed as an organisation is split too);
  "in-class" counts only splits among entities of the class itself (merging misses,
  as opposed to NER typing one mention differently);
* mixed: store entities holding observations of two or more true entities;
* extra: store entities of that class with no matched observation (unlisted names,
  NER noise).

Statements (bench/statement_truth.py has the details): each of truth.yaml's
``statements`` is looked up among the stored statements of its article by its phrase,
and the script prints statements found / in truth; of those whose speaker the article
names, the share stored with that true entity as speaker (tied as observations are
above; the people issue asks >= 95 %); the share of described / anonymous ones stored
with that ``speaker_kind``; via right where the truth has one; the stored statements
whose speaker is a GPE/LOC entity not speaking as a government ("place as location
speaks", listed); and the commonest misses by what was stored. ``-v`` lists every miss
with article, phrase, expected and got.

It runs twice: after the incremental ingest, and after ``Store.remerge()`` (the
deterministic full re-merge the batch loader ends with). Nothing is written into the
repository.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
import yaml

from saidwhat.attribution.options import AttributionOptions
from saidwhat.ingest import ingest
from saidwhat.linking.names import clean_person_name
from saidwhat.store import Store, open_store
from saidwhat.store.tables import article_entities, articles, entities

sys.path.insert(0, str(Path(__file__).resolve().parent))
import statement_truth  # noqa: E402  (bench/statement_truth.py, beside this script)

REPO = Path(__file__).resolve().parents[1]
CLASSES = {"PERSON": {"PERSON"}, "ORG": {"ORG", "MEDIA"}}


def form(name: str) -> str:
    """A mention form as compared: case-folded, ’ as ', no leading "the", single spaces."""
    s = " ".join(name.replace("’", "'").split()).casefold()
    return re.sub(r"^the\s+", "", s)


def article_key(path: str) -> str:
    """``.../feed_batch.jsonl:line 2`` -> ``feed_batch.jsonl#2`` (truth.yaml's naming)."""
    base = Path(path).name
    m = re.match(r"(.*):line (\d+)$", base)
    return f"{m.group(1)}#{m.group(2)}" if m else base


@dataclass
class Truth:
    id: str
    name: str
    type: str
    forms: set[str]
    articles: set[str]
    speaks: bool = False


@dataclass
class Tally:
    true: int = 0
    found: int = 0
    store: int = 0
    store_matched: int = 0
    split: dict[str, list[str]] = field(default_factory=dict)  # true id -> store entities
    split_in_class: int = 0  # of those, split among entities of the class itself
    mixed: dict[str, list[str]] = field(default_factory=dict)  # store name -> true ids
    extra: list[str] = field(default_factory=list)


def load_truth(path: Path) -> list[Truth]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Truth(
            e["id"],
            e["name"],
            e["type"],
            {form(n) for n in [e["name"], *e.get("mentions", {}).get("names", [])]},
            set(e.get("articles", [])),
            bool(e.get("speaks")),
        )
        for e in doc["entities"]
    ]


def match(name: str, type_: str, article: str, truth: list[Truth]) -> list[Truth]:
    """True entities this observation can be (narrowed by the article when ambiguous)."""
    forms = {form(name)}
    if type_ == "PERSON":
        forms.add(form(clean_person_name(name)))
    fits = [t for t in truth if t.forms & forms]
    if len(fits) > 1:
        fits = [t for t in fits if article in t.articles] or fits
    return fits


@dataclass
class ObservationMap:
    """Store entities tied to true ones through their observations (see the module doc)."""

    true_to_store: dict[str, set[int]]
    store_to_true: dict[int, set[str]]
    live: list
    ambiguous: int
    unmatched: int


def observation_map(store: Store, truth: list[Truth]) -> ObservationMap:
    """Tie every stored observation to the one true entity its name fits, if any."""
    with store.engine.connect() as conn:
        obs = conn.execute(
            sa.select(
                article_entities.c.entity_id,
                article_entities.c.name,
                article_entities.c.type,
                articles.c.path,
            ).join(articles, articles.c.id == article_entities.c.article_id)
        ).all()
        live = conn.execute(
            sa.select(
                entities.c.id, entities.c.type, entities.c.name, entities.c.article_count
            ).where(entities.c.merged_into.is_(None))
        ).all()
    true_to_store: dict[str, set[int]] = defaultdict(set)
    store_to_true: dict[int, set[str]] = defaultdict(set)
    ambiguous = unmatched = 0
    for o in obs:
        fits = match(o.name, o.type, article_key(o.path or ""), truth)
        if len(fits) == 1:
            true_to_store[fits[0].id].add(o.entity_id)
            store_to_true[o.entity_id].add(fits[0].id)
        elif fits:
            ambiguous += 1
        else:
            unmatched += 1
    return ObservationMap(true_to_store, store_to_true, live, ambiguous, unmatched)


def compare(store: Store, truth: list[Truth]) -> tuple[dict[str, Tally], int, int]:
    """Per-class tallies, plus observations fitting several / no true entity."""
    by_id = {t.id: t for t in truth}
    om = observation_map(store, truth)
    true_to_store, store_to_true, live = om.true_to_store, om.store_to_true, om.live
    label = {e.id: f"{e.name} ({e.type}, {e.article_count} art.)" for e in live}
    tallies: dict[str, Tally] = {}
    for cls, store_types in CLASSES.items():
        t = Tally()
        mine = [x for x in truth if x.type == cls]
        t.true = len(mine)
        t.found = sum(1 for x in mine if true_to_store.get(x.id))
        t.split = {
            x.id: sorted(label.get(i, f"#{i}") for i in true_to_store[x.id])
            for x in mine
            if len(true_to_store[x.id]) > 1
        }
        types = {e.id: e.type for e in live}
        t.split_in_class = sum(
            1
            for x in mine
            if len({i for i in true_to_store[x.id] if types.get(i) in store_types}) > 1
        )
        for e in live:
            if e.type not in store_types:
                continue
            t.store += 1
            ids = store_to_true.get(e.id, set())
            if ids:
                t.store_matched += 1
            else:
                t.extra.append(e.name)
            if len(ids) > 1:
                t.mixed[f"{e.name} (#{e.id})"] = sorted(by_id[i].name for i in ids)
        tallies[cls] = t
    return tallies, om.ambiguous, om.unmatched


def report(title: str, tallies: dict[str, Tally], ambiguous: int, unmatched: int, verbose: bool):
    print(f"\n{title}")
    head = f"{'class':<7} {'true':>5} {'found':>6} {'store':>6} {'matched':>8}"
    print(head + f" {'split':>6} {'in-class':>9} {'mixed':>6} {'extra':>6}")
    for cls, t in tallies.items():
        print(
            f"{cls:<7} {t.true:>5} {t.found:>6} {t.store:>6} {t.store_matched:>8}"
            f" {len(t.split):>6} {t.split_in_class:>9} {len(t.mixed):>6} {len(t.extra):>6}"
        )
    print(f"observations fitting several true entities: {ambiguous}; none: {unmatched}")
    for cls, t in tallies.items():
        for tid, pieces in sorted(t.split.items()):
            print(f"  {cls} split: {tid} over {len(pieces)}: {'; '.join(pieces)}")
        for name, ids in sorted(t.mixed.items()):
            print(f"  {cls} mixed: {name} holds {', '.join(ids)}")
        if verbose and t.extra:
            print(f"  {cls} extra: {'; '.join(sorted(t.extra))}")


def score_statements(
    title: str, store: Store, truth: list[Truth], said: list, verbose: bool
) -> None:
    """The statement figures of bench/statement_truth.py for the store as it is now."""
    om = observation_map(store, truth)
    stored = statement_truth.read_store(store.engine, article_key)
    sc = statement_truth.score(
        said,
        stored,
        om.store_to_true,
        {t.id: t.forms for t in truth},
        {t.id for t in truth if t.type == "GPE" and t.speaks},
    )
    statement_truth.report(title, sc, verbose)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", default=str(REPO / "examples" / "articles"))
    ap.add_argument("--truth", default=str(REPO / "examples" / "truth.yaml"))
    ap.add_argument(
        "-v", "--verbose", action="store_true", help="list the extra entities and statement misses"
    )
    ap.add_argument("--outlets", default=None, help="an outlets file, as saidwhat --outlets")
    args = ap.parse_args()
    truth = load_truth(Path(args.truth))
    said = statement_truth.load_statements(
        yaml.safe_load(Path(args.truth).read_text(encoding="utf-8"))
    )
    with tempfile.TemporaryDirectory(prefix="saidwhat-merge-") as tmp:
        store = open_store(Path(tmp) / "merge.db")
        try:
            options = AttributionOptions(outlets=args.outlets) if args.outlets else None
            done = ingest([args.articles], store, progress=False, options=options)
            print(f"ingested {done.stored} articles ({done.errors} errors) from {args.articles}")
            report("after ingest (incremental merging)", *compare(store, truth), args.verbose)
            score_statements("after ingest", store, truth, said, verbose=False)
            store.remerge()
            report("after Store.remerge()", *compare(store, truth), args.verbose)
            score_statements("after Store.remerge()", store, truth, said, args.verbose)
        finally:
            store.close()


if __name__ == "__main__":
    main()

"""Build a large synthetic store (default 50,000 articles) for the query benchmark.

Articles are generated directly as ``Analysis`` objects from templates -- varied
speakers, roles, outlets, intermediaries, speech acts, topics and dates over two years,
with ~10% syndicated copies -- so no spaCy run is needed. Every name, quote and outlet is
invented; offsets are real (each span points at its words in the generated text).

Two ways to store them:

* default: ``Store.add_analysis`` for every article (the real write path: entity merging,
  MinHash copy detection, claims), a few hundred articles a second;
* ``--fast``: one ``Store.add_analysis`` per speaker first (so entities exist and are
  merged by the real code), then the remaining rows are bulk-inserted with ``executemany``
  through the same row mapping (``store.rows``), with story ids and claims computed here
  from the generator's own knowledge of which articles are copies. Several thousand
  articles a second; the tables hold the same kinds of rows the writer produces.

    .venv/bin/python bench/generate_corpus.py --db /tmp/bench.db --articles 50000 --fast
    .venv/bin/python bench/generate_corpus.py --fast \
        --db postgresql://postgres@127.0.0.1:5432/saidwhat_bench   # database re-created
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from saidwhat.schema import (  # noqa: E402
    Analysis,
    Article,
    Entity,
    Mention,
    Span,
    Statement,
    ViaLink,
)


def _items(text: str, sep: str | None = None) -> list[str]:
    return [t.strip() for t in text.split(sep) if t.strip()]


FIRST = _items(
    "Anna Boris Clara Dmitri Elena Farid Greta Hugo Irina Jonas Karin Lev Maria Nikolai Olga "
    "Pavel Rita Stefan Tamara Uwe Vera Wiktor Yana Zoran Aino Bruno Celia Darius Edith Filip"
)
LAST = _items(
    "Abramov Berg Castell Dragan Eklund Fedorov Galan Hallberg Ivanko Jansen Kovac Lindqvist "
    "Morozan Novak Ostrova Petrenko Quist Rasmussen Sorokin Tamm Ulric Varga Weston Yurenko "
    "Zeller Antal Borovik Cerny Dunaj Esterhaz"
)
ROLES = _items(
    "foreign minister|defence minister|energy minister|presidential spokeswoman|Kremlin spokesman|"
    "special envoy|deputy prime minister|opposition leader|army spokesman|central bank governor|"
    "mayor|senior analyst|union leader|interior minister|chief negotiator",
    "|",
)
OUTLETS = _items(
    "IANS|Reuters|AFP|AP|TASS|Meridian Wire|The Northern Ledger|Daily Example|Harbour Times|"
    "Valley Courier|Capital Post|Evening Star|Baltic Herald|Steppe News|Coastal Gazette|"
    "Lakeside Record|Mountain Echo|River Journal|Plains Observer|Island Dispatch",
    "|",
)
VIAS = [
    "local media",
    "Interfax",
    "state television",
    "a government statement",
    "RIA",
    "Ukrinform",
    "the ministry",
    "a Telegram post",
]
CUES = {
    "assert": "said",
    "deny": "denied",
    "reject": "rejected",
    "propose": "proposed",
    "promise": "promised",
    "warn": "warned",
    "threaten": "threatened",
    "appeal": "urged",
    "thank": "thanked",
    "praise": "praised",
    "accuse": "accused",
    "confirm": "confirmed",
    "ask": "asked",
    "report": "reported",
    "believe": "believed",
}
ACT_WEIGHTS = [40, 6, 5, 6, 3, 6, 2, 4, 1, 2, 4, 5, 3, 4, 2]
SUBJECTS = _items(
    "the energy truce|the grain corridor|the gas pipeline|the prisoner exchange|the ceasefire|"
    "the refinery strike|the power grid|the sanctions package|the border crossing|"
    "the nuclear plant|the peace talks|the water supply|the wheat harvest|the port blockade|"
    "the drone attacks|the election law|the budget deficit|the bridge repairs|"
    "the railway link|the fuel prices",
    "|",
)
PREDICATES = _items(
    "would hold through the winter|had collapsed overnight|must be renewed before spring|"
    "was a matter for the negotiators|could be signed within days|was being violated daily|"
    "needed international monitors|would not survive another month|had been agreed in principle|"
    "was never on the table|should include the southern regions|depended on guarantees from "
    "Washington|was a provocation by the other side|would be discussed in Geneva next week|"
    "had cost the economy billions",
    "|",
)


@dataclass(frozen=True)
class Person:
    local: str
    name: str
    role: str


def people(n: int, rng: random.Random) -> list[Person]:
    names: set[str] = set()
    out = []
    while len(out) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in names:
            continue
        names.add(name)
        out.append(Person(f"e{len(out)}", name, rng.choice(ROLES)))
    return out


def _span(text: str, start: int, piece: str) -> Span:
    assert text[start : start + len(piece)] == piece
    return Span(start, start + len(piece), piece)


def article(
    i: int, rng: random.Random, pool: list[Person], day0: date, days: int
) -> tuple[str, Analysis]:
    """One synthetic article; returns (its story text without outlet, the Analysis)."""
    day = day0 + timedelta(days=rng.randrange(days))
    outlet = rng.choice(OUTLETS)
    speakers = rng.sample(pool, k=rng.randint(1, 3))
    parts: list[str] = []
    pieces: list[tuple[Person, str, str, str, list[str], int]] = []
    for j in range(rng.randint(1, 6)):
        who = rng.choice(speakers)
        act = rng.choices(list(CUES), ACT_WEIGHTS)[0]
        content = f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)} (item {i}.{j})"
        via = [rng.choice(VIAS)] if rng.random() < 0.2 else []
        pieces.append((who, act, CUES[act], content, via, when(rng, day)))
        tail = f", {via[0]} reported." if via else "."
        parts.append(f"{who.role.capitalize()} {who.name} {CUES[act]} that {content}{tail}")
    story = " ".join(parts)
    text = f"{day.isoformat()} ({outlet}) {story} --{outlet}"
    return story, build(text, day.isoformat(), outlet, pieces, speakers)


def when(rng: random.Random, day: date) -> tuple[str | None, tuple[str, str] | None]:
    """When a statement was said, as extraction finds it in real news: mostly not stated
    (the article date applies: ``date`` None), sometimes a day shortly before
    ("on Tuesday"), sometimes only a range ("last week")."""
    r = rng.random()
    if r < 0.25:
        return (day - timedelta(days=rng.randint(0, 3))).isoformat(), None
    if r < 0.29:
        end = day - timedelta(days=rng.randint(1, 3))
        return None, ((end - timedelta(days=6)).isoformat(), end.isoformat())
    return None, None


def build(text: str, day: str, outlet: str, pieces, speakers) -> Analysis:  # type: ignore[no-untyped-def]
    art = Article(text=text, date=day, source=outlet, title=None)
    ents: dict[str, Entity] = {}
    stmts = []
    pos = text.index(") ") + 2
    for n, (who, act, cue, content, via, (said, said_range)) in enumerate(pieces, 1):
        prefix = f"{who.role.capitalize()} "
        name_start = text.index(prefix + who.name, pos) + len(prefix)
        name = _span(text, name_start, who.name)
        cue_span = _span(text, name.end + 1, cue)
        content_span = _span(text, cue_span.end + len(" that "), content)
        ent = ents.setdefault(
            who.local, Entity(who.local, who.name, "PERSON", [who.name], [who.role], [])
        )
        ent.mentions.append(Mention(name.start, name.end, name.text))
        stmts.append(
            Statement(
                id=f"s{n}",
                type="indirect",
                act=act,
                content=[content_span],
                cue=cue_span,
                speaker_mention=name,
                speaker=who.local,
                speaker_name=who.name,
                via=[ViaLink(name=v) for v in via],
                reported_by=outlet,
                date=said,
                date_range=said_range,
            )
        )
        pos = content_span.end
    return Analysis(article=art, entities=list(ents.values()), statements=stmts, model="synthetic")


def generate(
    n: int, seed: int = 7, speakers: int = 600, copy_rate: float = 0.1
) -> Iterator[Analysis]:
    """``n`` analyses; about ``copy_rate`` of them re-print an earlier story elsewhere."""
    rng = random.Random(seed)
    pool = people(speakers, rng)
    day0, days = date(2024, 1, 1), 730
    recent: list[Analysis] = []
    for i in range(n):
        if recent and rng.random() < copy_rate:
            orig = rng.choice(recent)
            outlet = rng.choice([o for o in OUTLETS if o != orig.article.source])
            yield reprint(orig, outlet)
            continue
        _, a = article(i, rng, pool, day0, days)
        recent.append(a)
        if len(recent) > 200:
            recent.pop(0)
        yield a


def reprint(orig: Analysis, outlet: str) -> Analysis:
    """The same story under another outlet's tag (a syndicated copy, same offsets shift)."""
    old = orig.article
    body = old.text[old.text.index(") ") + 2 : old.text.rindex(" --")]
    text = f"{old.date} ({outlet}) {body} --{outlet}"
    shift = len(f"{old.date} ({outlet}) ") - len(f"{old.date} ({old.source}) ")

    def mv(s: Span | None) -> Span | None:
        return None if s is None else Span(s.start + shift, s.end + shift, s.text)

    ents = [
        Entity(
            e.id,
            e.name,
            e.type,
            list(e.aliases),
            list(e.roles),
            [Mention(m.start + shift, m.end + shift, m.text) for m in e.mentions],
        )
        for e in orig.entities
    ]
    stmts = [
        Statement(
            id=s.id,
            type=s.type,
            act=s.act,
            content=[mv(c) for c in s.content],  # type: ignore[misc]
            cue=mv(s.cue),
            speaker_mention=mv(s.speaker_mention),
            speaker=s.speaker,
            speaker_name=s.speaker_name,
            via=list(s.via),
            reported_by=outlet,
            date=s.date,
            date_range=s.date_range,
        )
        for s in orig.statements
    ]
    art = Article(text=text, date=old.date, source=outlet)
    return Analysis(article=art, entities=ents, statements=stmts, model="synthetic")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", required=True, help="SQLite path or postgresql:// URL (emptied first)")
    ap.add_argument("--articles", type=int, default=50_000)
    ap.add_argument("--speakers", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--fast", action="store_true", help="bulk insert (see module docstring)")
    args = ap.parse_args(argv)

    from bulk_load import bulk_load, reset_store  # noqa: E402 (bench/ sibling)

    from saidwhat.store import open_store

    reset_store(args.db)
    store = open_store(args.db)
    started = time.perf_counter()

    def make():  # type: ignore[no-untyped-def]
        return generate(args.articles, args.seed, args.speakers)

    if args.fast:
        n = bulk_load(store, make)
    else:
        n = 0
        for a in make():
            store.add_analysis(a)
            n += 1
            if n % 1000 == 0:
                print(
                    f"  {n} articles, {n / (time.perf_counter() - started):.0f}/s", file=sys.stderr
                )
    if store.dialect == "postgresql":
        # What autovacuum does shortly after a bulk load anyway (statistics, and the
        # visibility map that index-only scans need); measured before it, the first
        # query_latency run read 2-4x slower. SQLite stores are left without
        # statistics, as `saidwhat ingest` leaves them.
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(f"{n} articles stored in {seconds:.1f}s ({n / seconds:.0f}/s): {store.counts()}")
    store.close()


if __name__ == "__main__":
    main()

"""People across articles: name rules (pure) and merging in the store (SQLite + PostgreSQL)."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

import store_support as sup
from saidwhat.linking.aliases import parse_aliases
from saidwhat.linking.names import (
    KnownPerson,
    choose_person,
    clean_person_name,
    parse_person,
    surname_key,
    within_one_edit,
)
from saidwhat.store import open_store
from saidwhat.store.tables import entities, entity_roles, mentions, statements
from store_support import make_analysis

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov"),
        ("Russian President Vladimir Putin", "Vladimir Putin"),
        ("Ursula von der Leyen", "Ursula von der Leyen"),
        ("Peskov", "Peskov"),
        ("Martin Luther King Jr.", "Martin Luther King"),
    ],
)
def test_clean_person_name(raw, clean):
    assert clean_person_name(raw) == clean


def test_parse_person_and_spelling_keys():
    p = parse_person("Ursula von der Leyen")
    assert (p.first, p.surname) == ("ursula", "von der leyen")
    assert parse_person("Peskov").is_bare
    assert surname_key("Zelenskyy") == surname_key("Zelensky") == surname_key("Zelenskiy")
    assert surname_key("Orlov") != surname_key("Orlova")
    # Particles: "de Gaulle" alone is a surname; "al-Assad" and "Assad" share a key.
    assert parse_person("de Gaulle").is_bare
    assert parse_person("de Gaulle").key == parse_person("Charles de Gaulle").key
    assert parse_person("Bashar al-Assad").key == parse_person("Assad").key
    assert within_one_edit("zelenski", "zelensky")
    assert not within_one_edit("zelensky", "zelinskiy")


def cand(i, name, roles=()):
    p = parse_person(name)
    return KnownPerson(i, p.first, p.key, frozenset({p.full_key}), frozenset(roles))


def test_choose_person_rules():
    orlovs = [cand(1, "Pavel Orlov", ["governor"]), cand(2, "Irina Orlov", ["mayor"])]
    assert choose_person(parse_person("Irina Orlov"), [], orlovs) == (2, "name")
    assert choose_person(parse_person("Anna Orlov"), [], orlovs) == (None, "new")
    assert choose_person(parse_person("Orlov"), [], orlovs) == (None, "ambiguous")
    assert choose_person(parse_person("Orlov"), ["Mayor"], orlovs) == (2, "role")
    assert choose_person(parse_person("Orlov"), [], orlovs[:1]) == (1, "unique-surname")
    zel = [cand(5, "Volodymyr Zelensky")]
    assert choose_person(parse_person("Zelenskyy"), [], zel) == (5, "unique-surname")
    assert choose_person(parse_person("V. Zelenskiy"), [], zel) == (5, "name")
    assert choose_person(parse_person("Volodymyr Zelenski"), [], zel) == (5, "name")
    # Short surnames get no edit-distance slack: Orlova is not Orlov.
    assert choose_person(parse_person("Orlova"), [], orlovs[:1]) == (None, "surname")


def text_with(*names: str) -> str:
    body = " ".join(
        f"{n} spoke at the meeting number {i} about the regional budget."
        for i, n in enumerate(names)
    )
    return body + " The session ended late in the evening after several other reports were read."


def person_article(name: str, roles=(), date="2025-12-11", source="Example Times", extra=""):
    return make_analysis(
        text_with(name) + extra, date=date, source=source, people=[("e1", name, list(roles))]
    )


def live_people(store) -> dict[str, list[str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(entities).where(entities.c.type == "PERSON", entities.c.merged_into.is_(None))
        ).all()
    return {r.name: sorted(r.name_counts) for r in rows}


def test_peskov_variants_are_one_person_in_any_order(store_url):
    variants = [
        person_article("Peskov", ["Kremlin spokesman"], "2025-12-01", extra=" First."),
        person_article("Dmitry Peskov", [], "2025-12-05", extra=" Second."),
        person_article(
            "Kremlin spokesman Dmitry Peskov", ["spokesman"], "2025-12-09", extra=" Third."
        ),
    ]
    outcomes = []
    for order in itertools.permutations(variants):
        if store_url.startswith("postgresql"):
            sup.truncate_all(store_url)
        else:
            store_url = store_url + "x"
        s = open_store(store_url)
        for a in order:
            s.add_analysis(a)
        outcomes.append(live_people(s))
        s.close()
    assert outcomes[0] == {"Dmitry Peskov": ["Dmitry Peskov", "Peskov"]}
    assert all(o == outcomes[0] for o in outcomes)


def test_zelensky_spellings_merge(store):
    for i, name in enumerate(
        ["Volodymyr Zelensky", "Zelenskyy", "Zelensky", "Volodymyr Zelenskiy", "Volodymyr Zelensky"]
    ):
        store.add_analysis(person_article(name, extra=f" Report {i}."))
    people = live_people(store)
    assert list(people) == ["Volodymyr Zelensky"]  # the most frequent full name
    assert set(people["Volodymyr Zelensky"]) == {
        "Volodymyr Zelensky",
        "Zelenskyy",
        "Zelensky",
        "Volodymyr Zelenskiy",
    }


def test_two_orlovs_stay_apart_and_bare_surname_waits_for_evidence(store):
    store.add_analysis(person_article("Pavel Orlov", ["governor"], extra=" A."))
    store.add_analysis(person_article("Orlov", [], extra=" B."))
    # While Pavel is the only Orlov, the bare surname joins him...
    assert live_people(store) == {"Pavel Orlov": ["Orlov", "Pavel Orlov"]}
    store.add_analysis(person_article("Irina Orlov", ["mayor"], extra=" C."))
    # ...a second Orlov makes it ambiguous again: it leaves Pavel.
    people = live_people(store)
    assert people["Pavel Orlov"] == ["Pavel Orlov"]
    assert people["Irina Orlov"] == ["Irina Orlov"]
    assert people["Orlov"] == ["Orlov"]
    # A role settles it.
    store.add_analysis(person_article("Orlov", ["Mayor"], extra=" D."))
    assert live_people(store)["Irina Orlov"] == ["Irina Orlov", "Orlov"]


def test_merge_repoints_mentions_and_statements(store):
    bare = make_analysis(
        text_with("Peskov") + ' "Nothing is agreed," Peskov said.',
        people=[("e1", "Peskov", [])],
        quotes=[("e1", "Nothing is agreed,", "said")],
    )
    store.add_analysis(bare)
    store.add_analysis(person_article("Dmitry Peskov", extra=" Later."))
    with store.engine.connect() as conn:
        [live] = conn.execute(
            sa.select(entities.c.id).where(entities.c.merged_into.is_(None))
        ).scalars()
        assert set(conn.scalars(sa.select(mentions.c.entity_id))) == {live}
        assert set(conn.scalars(sa.select(statements.c.speaker_entity_id))) == {live}
        merged = conn.execute(sa.select(entities).where(entities.c.merged_into.is_not(None))).all()
        assert [m.merged_into for m in merged] == [live]


def test_roles_are_dated_from_article_dates(store):
    store.add_analysis(person_article("Pavel Orlov", ["governor"], "2024-03-01", extra=" 1."))
    store.add_analysis(person_article("Pavel Orlov", ["governor"], "2025-06-01", extra=" 2."))
    store.add_analysis(person_article("Pavel Orlov", ["minister"], "2025-09-01", extra=" 3."))
    store.add_analysis(person_article("Pavel Orlov", ["governor"], "2024-01-15", extra=" 4."))
    with store.engine.connect() as conn:
        roles = {
            r.role: (r.first_seen, r.last_seen, r.count)
            for r in conn.execute(sa.select(entity_roles))
        }
        ent = conn.execute(sa.select(entities)).one()
    assert roles == {
        "governor": ("2024-01-15", "2025-06-01", 3),
        "minister": ("2025-09-01", "2025-09-01", 1),
    }
    assert (ent.first_seen, ent.last_seen, ent.article_count) == ("2024-01-15", "2025-09-01", 4)


def test_orgs_merge_by_normalised_name(store):
    for i, name in enumerate(["TASS", "Tass", "The Tass"]):
        store.add_analysis(
            make_analysis(
                text_with("Someone") + f" {name} reported it. Copy {i}.", orgs=[("e1", name)]
            )
        )
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(entities).where(entities.c.merged_into.is_(None))).all()
    assert len(rows) == 1 and rows[0].article_count == 3


def test_aliases_merge_and_split(store_url):
    aliases = parse_aliases(
        {
            "merge": [{"canonical": "Volodymyr Zelensky", "aliases": ["Ze", "V. Z."]}],
            "split": [{"name": "Orlov"}],
        }
    )
    aliases.digest = "test"
    s = open_store(store_url)
    s.add_analysis(person_article("Volodymyr Zelensky", extra=" 1."))
    s.add_analysis(person_article("Ze", extra=" 2."))
    s.add_analysis(person_article("Pavel Orlov", extra=" 3."))
    s.add_analysis(person_article("Orlov", extra=" 4."))
    before = live_people(s)
    assert "Ze" in before and before["Pavel Orlov"] == ["Orlov", "Pavel Orlov"]
    assert s.use_aliases(aliases) is True  # a new alias file re-merges what is stored
    after = live_people(s)
    assert after["Volodymyr Zelensky"] == ["Volodymyr Zelensky", "Ze"]
    assert after["Pavel Orlov"] == ["Pavel Orlov"] and after["Orlov"] == ["Orlov"]
    s.add_analysis(person_article("Ze", extra=" 5."))  # and the next ingest honours it
    assert set(live_people(s)) == {"Volodymyr Zelensky", "Pavel Orlov", "Orlov"}
    assert s.use_aliases(aliases) is False
    s.close()


def test_remerge_gives_same_entities_for_any_load_order(store_url):
    arts = [
        person_article("Pavel Orlov", ["governor"], extra=" 1."),
        person_article("Orlov", ["mayor"], extra=" 2."),
        person_article("Irina Orlov", ["mayor"], extra=" 3."),
        person_article("Orlov", [], extra=" 4."),
        person_article("Zelenskyy", [], extra=" 5."),
        person_article("Volodymyr Zelensky", [], extra=" 6."),
    ]
    results = []
    for order in (arts, arts[::-1], arts[2:] + arts[:2]):
        if store_url.startswith("postgresql"):
            sup.truncate_all(store_url)
        else:
            store_url = store_url + "y"
        s = open_store(store_url)
        s.add_analyses(order)
        results.append(live_people(s))
        # New entities after a re-merge get fresh ids (PostgreSQL's serial was advanced).
        s.add_analysis(person_article("Nikolai Sedov", extra=" 7."))
        assert "Nikolai Sedov" in live_people(s)
        s.close()
    assert results[0] == results[1] == results[2]
    assert results[0]["Irina Orlov"] == ["Irina Orlov", "Orlov"]
    assert results[0]["Volodymyr Zelensky"] == ["Volodymyr Zelensky", "Zelenskyy"]


def namesake_corpus(n: int, seed: int = 3):
    """Articles full of namesakes: few surnames, two or three people per surname, each
    with a usual role (sometimes another), and bare surnames: the hard case for merging."""
    import random

    rng = random.Random(seed)
    firsts = ["Anna", "Boris", "Clara"]
    lasts = ["Petrov", "Lindqvist", "Moreau", "Haddad", "Okafor", "Sato"]
    roles = ["minister", "mayor", "spokesman", "governor"]
    usual = {
        (f, last): roles[(i + j) % 4] for i, f in enumerate(firsts) for j, last in enumerate(lasts)
    }
    out = []
    for i in range(n):
        people, seen = [], set()
        for j in range(3):
            first, last = rng.choice(firsts), rng.choice(lasts)
            if last in seen:
                continue
            seen.add(last)
            role = usual[(first, last)] if rng.random() < 0.85 else rng.choice(roles)
            name = f"{first} {last}" if rng.random() < 0.6 else last
            people.append((f"e{j}", name, [role] if rng.random() < 0.9 else []))
        text = f"Report {i}. " + " ".join(f"{p[1]} spoke." for p in people) + " Nothing else."
        out.append(
            make_analysis(text, people=people, date=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}")
        )
    return out


def partition(store) -> set[tuple[str, frozenset[tuple[str, str]]]]:
    """Entities as (canonical name, the observations in it): comparable across stores."""
    from saidwhat.store.tables import article_entities

    with store.engine.connect() as conn:
        names = dict(conn.execute(sa.select(entities.c.id, entities.c.name)).all())
        groups: dict[int, set[tuple[str, str]]] = {}
        for a, loc, e in conn.execute(
            sa.select(
                article_entities.c.article_id,
                article_entities.c.local_id,
                article_entities.c.entity_id,
            )
        ):
            groups.setdefault(e, set()).add((a, loc))
    return {(names[e], frozenset(obs)) for e, obs in groups.items()}


def test_incremental_merging_matches_remerge_and_load_order_on_namesakes(tmp_path):
    corpus = namesake_corpus(90)
    forward = open_store(tmp_path / "fwd.db")
    for a in corpus:
        forward.add_analysis(a)
    incremental = partition(forward)
    with forward.engine.connect() as conn:
        reasons = set(conn.execute(sa.text("SELECT match FROM article_entities")).scalars())
    assert {"name", "role", "ambiguous"} <= reasons  # the corpus exercises every rule
    forward.remerge()
    assert partition(forward) == incremental
    backward = open_store(tmp_path / "bwd.db")
    for a in reversed(corpus):
        backward.add_analysis(a)
    assert partition(backward) == incremental
    forward.close()
    backward.close()


def test_entity_stats_adding_an_article_equals_recomputing_from_all() -> None:
    """One entity_stats: the incremental writer (stored columns + one article) and the
    re-merge (every observation) cannot disagree."""
    from types import SimpleNamespace

    from saidwhat.linking.aliases import NO_ALIASES
    from saidwhat.linking.entity_stats import entity_stats, role_stats
    from saidwhat.linking.resolver import observe

    days = ["2025-12-09", "2025-12-11", "2025-12-10"]
    analyses = [
        make_analysis(
            f"Foreign Minister Anton Velikov spoke on day {i}. Velikov left.",
            date=day,
            people=[("e1", "Anton Velikov", ["Foreign Minister"]), ("e2", "Velikov", [])],
        )
        for i, day in enumerate(days)
    ]
    obs = [o for a in analyses for o in observe(a, NO_ALIASES)]
    everything = entity_stats(obs, NO_ALIASES)
    stored = entity_stats([o for o in obs if o.article_id != analyses[-1].article.id], NO_ALIASES)
    last = [o for o in obs if o.article_id == analyses[-1].article.id]
    assert entity_stats(last, NO_ALIASES, stored=SimpleNamespace(**stored)) == everything
    assert everything["article_count"] == 3 and everything["name"] == "Anton Velikov"
    assert (everything["first_seen"], everything["last_seen"]) == ("2025-12-09", "2025-12-11")
    assert role_stats(obs) == [
        {
            "role": "Foreign Minister",
            "first_seen": "2025-12-09",
            "last_seen": "2025-12-11",
            "count": 3,
            "named_count": 3,
        }
    ]

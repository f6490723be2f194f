"""Types that agree (people issue, item 2): one person is a PERSON wherever the small
model typed her, within an article and across the corpus; places in their place and
namesakes stay apart. Pure votes, the extractor's own clustering, and the store on
SQLite and PostgreSQL (incremental writer and full re-merge)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import store_support as sup
from saidwhat.analyse import analyse
from saidwhat.linking.names import entity_key
from saidwhat.linking.resolver import Observation
from saidwhat.linking.types import vote_across, vote_against_stored, vote_in_article
from saidwhat.schema import Article, Entity, Mention
from saidwhat.store.tables import entities
from store_support import make_analysis

pg_url, store_url, store = sup.pg_url, sup.store_url, sup.store  # fixtures


def obs(article: str, name: str, type_: str, roles=(), pinned=False) -> Observation:
    return Observation(
        article_id=article,
        local_id=name,
        name=name,
        type=type_,
        roles=list(roles),
        aliases=[],
        date=None,
        match_name=name,
        pinned=pinned,
    )


def test_a_surname_typed_as_a_place_beside_its_person_is_the_person() -> None:
    group = [
        obs("a", "Helena Strand", "PERSON"),
        obs("a", "Strand", "GPE"),
        obs("a", "Oslo", "GPE"),
    ]
    vote_in_article(group)
    assert [o.type for o in group] == ["PERSON", "PERSON", "GPE"]


def test_a_surname_two_people_share_stays_what_it_was() -> None:
    group = [obs("a", "Pavel Orlov", "PERSON"), obs("a", "Irina Orlov", "PERSON")]
    group.append(obs("a", "Orlov", "ORG"))
    vote_in_article(group)
    assert group[-1].type == "ORG"


def test_outlets_and_alias_rules_are_never_retyped() -> None:
    group = [obs("a", "Helena Strand", "PERSON"), obs("a", "Strand", "MEDIA")]
    group.append(obs("a", "Helena Strand", "ORG", pinned=True))
    vote_in_article(group)
    assert [o.type for o in group[1:]] == ["MEDIA", "ORG"]


def test_the_corpus_majority_types_a_full_name_and_its_bare_surname_follows() -> None:
    every = [obs(f"p{i}", "Helena Strand", "PERSON") for i in range(3)]
    odd = [obs("x", "Helena Strand", "ORG"), obs("x", "Strand", "GPE"), obs("x", "Geneva", "GPE")]
    vote_across(every + odd)
    assert [o.type for o in odd] == ["PERSON", "PERSON", "GPE"]


def test_a_tie_goes_to_the_person_only_with_a_role() -> None:
    tie = [obs("a", "Irina Orlov", "PERSON"), obs("b", "Irina Orlov", "ORG")]
    vote_across(tie)
    assert tie[1].type == "ORG"
    tie = [obs("a", "Irina Orlov", "PERSON", ["lawmaker"]), obs("b", "Irina Orlov", "ORG")]
    vote_across(tie)
    assert tie[1].type == "PERSON"


def test_an_organisation_most_articles_call_one_stays_one() -> None:
    group = [obs(f"o{i}", "Morgan Stanley", "ORG") for i in range(3)]
    group.append(obs("p", "Morgan Stanley", "PERSON"))
    vote_across(group)
    assert [o.type for o in group] == ["ORG", "ORG", "ORG", "PERSON"]


def test_bare_surnames_are_never_voted_across_articles() -> None:
    group = [obs(f"p{i}", "Orlov", "PERSON") for i in range(3)] + [obs("x", "Orlov", "ORG")]
    vote_across(group)
    assert group[-1].type == "ORG"


def test_the_writer_votes_against_what_the_store_holds() -> None:
    o = obs("new", "Helena Strand", "ORG")
    vote_against_stored([o], {("PERSON", "helena strand"): 4, ("ORG", "helena strand"): 1})
    assert o.type == "PERSON"
    o = obs("new", "Helena Strand", "ORG")
    vote_against_stored([o], {("PERSON", "helena strand"): 1})
    assert o.type == "ORG"  # one article against one: no role, no vote


def test_american_and_british_spellings_are_one_institution() -> None:
    assert entity_key("ORG", "Defense Ministry") == entity_key("ORG", "the Defence Ministry")
    assert entity_key("PERSON", "Jane Defense") != entity_key("PERSON", "Jane Defence")


def test_the_extractor_clusters_a_surname_typed_org_with_its_titled_person(nlp) -> None:
    text = (
        "OSLO — Opposition lawmaker Irina Orlov on Tuesday demanded that the government "
        "publish the terms of the talks. Orlov said the public had a right to know what "
        "was being agreed in its name."
    )
    a = analyse(Article(text=text, date="2026-03-03"), nlp)
    orlovs = [e for e in a.entities if "Orlov" in e.name]
    assert [(e.name, e.type) for e in orlovs] == [("Irina Orlov", "PERSON")]


# -- in the store ---------------------------------------------------------------------


def typed_article(name: str, type_: str, n: int, roles=(), extra: str = ""):
    text = f"{name} spoke at meeting number {n} about the regional budget.{extra} It ran late."
    a = make_analysis(text, source=f"Paper {n}")
    s = text.index(name)
    a.entities.append(
        Entity(
            id="e1",
            name=name,
            type=type_,
            roles=list(roles),
            mentions=[Mention(s, s + len(name), name, "name")],
        )
    )
    return a


def live(store) -> list[tuple[str, str, int]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(entities.c.name, entities.c.type, entities.c.article_count).where(
                entities.c.merged_into.is_(None)
            )
        ).all()
    return sorted((r.name, r.type, r.article_count) for r in rows)


def test_a_person_the_model_typed_otherwise_once_is_one_person_in_the_store(store) -> None:
    for n in range(3):
        store.add_analysis(typed_article("Helena Strand", "PERSON", n))
    store.add_analysis(typed_article("Helena Strand", "ORG", 3))  # incremental: voted
    assert live(store) == [("Helena Strand", "PERSON", 4)]


@pytest.mark.parametrize("odd_first", [True, False])
def test_the_remerge_types_by_the_majority_whatever_came_first(store, odd_first) -> None:
    batch = [typed_article("Irina Orlov", "PERSON", n, ["lawmaker"]) for n in range(2)]
    odd = typed_article("Irina Orlov", "ORG", 9)
    store.add_analyses([odd, *batch] if odd_first else [*batch, odd])  # ends with remerge
    assert live(store) == [("Irina Orlov", "PERSON", 3)]

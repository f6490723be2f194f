"""Types that agree: one person is a PERSON wherever the small model typed her.

The small spaCy model types a name from its context, one mention cluster at a time, so
"Helena Strand" comes out a PERSON in nineteen articles and an ORG in one, and the bare
"Strand" of her second paragraph a GPE. Merging by (type, name) then splits her across
four entities, and a query for her misses what the odd ones said. Here the type of an
observation is voted before merging:

* within an article, a non-person whose name is a PERSON's name in the same article, or
  the surname of exactly one PERSON there ("Strand" beside "Helena Strand"), is that
  person;
* across the corpus (the re-merge sees every observation; the incremental writer sees
  the stored entities), a full name (given name and surname) typed otherwise is a
  PERSON when more of its observations are PERSON than any other type, ties going to the
  person when any observation gives the name a role ("the envoy"). Surname-only names
  are never voted across articles: two Orlovs stay two.

Only the types the model confuses with people are retyped (organisations, places,
nationalities, facilities); an outlet (MEDIA) or an alias rule's pinned type never is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from saidwhat.linking.names import normalise, parse_person

if TYPE_CHECKING:  # the resolver votes with these functions before it resolves
    from saidwhat.linking.resolver import Observation

CONFUSABLE = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP"})


def _retypable(o: Observation) -> bool:
    return o.type in CONFUSABLE and not o.pinned


def vote_in_article(observations: list[Observation]) -> list[Observation]:
    """Retype, in place, the non-persons of one article that are one of its people."""
    people = [o for o in observations if o.type == "PERSON"]
    if not people:
        return observations
    names = {normalise(o.match_name) for o in people}
    by_surname: dict[str, set[str]] = defaultdict(set)
    for o in people:
        p = o.person
        if p.surname:
            by_surname[p.surname].add(p.full_key)
    for o in observations:
        if not _retypable(o):
            continue
        name = normalise(o.match_name)
        words = name.split()
        if name in names or (len(words) == 1 and len(by_surname.get(name, ())) == 1):
            o.type = "PERSON"
    return observations


def person_like(name: str) -> bool:
    """A given name and a surname (not a bare surname, not one word)."""
    p = parse_person(name)
    return bool(p.first) and len(p.first) > 1 and len(normalise(name).split()) >= 2


def vote_across(observations: Iterable[Observation]) -> None:
    """Retype, in place, full names typed otherwise that the corpus mostly calls a
    PERSON (ties: a PERSON when any observation gives the name a role), then vote again
    within each article where one was retyped."""
    observations = list(observations)
    groups: dict[str, list[Observation]] = defaultdict(list)
    retyped: set[str] = set()
    for o in observations:
        if (o.type == "PERSON" or _retypable(o)) and person_like(o.match_name):
            groups[normalise(o.match_name)].append(o)
    for group in groups.values():
        types = Counter(o.type for o in group)
        if len(types) < 2 or "PERSON" not in types:
            continue
        people = types.pop("PERSON")
        rival = max(types.values())
        roles = any(o.roles for o in group)
        if people > rival or (people == rival and roles):
            for o in group:
                if _retypable(o):
                    o.type = "PERSON"
                    retyped.add(o.article_id)
    _revote_articles(observations, retyped)


def _revote_articles(observations: Iterable[Observation], article_ids: set[str]) -> None:
    """Vote again within the articles where a full name became a PERSON, so the bare
    "Strand" of an article whose "Helena Strand" the model typed an ORG follows her."""
    if not article_ids:
        return
    by_article: dict[str, list[Observation]] = defaultdict(list)
    for o in observations:
        if o.article_id in article_ids:
            by_article[o.article_id].append(o)
    for group in by_article.values():
        vote_in_article(group)


def vote_against_stored(
    observations: Iterable[Observation], stored: dict[tuple[str, str], int]
) -> None:
    """The incremental writer's form of ``vote_across``: retype, in place, a full name
    typed otherwise when the store already holds it as a PERSON seen in more articles
    than under the observation's own type (``stored``: (type, normalised name) -> the
    number of articles), then vote again within the article. The article's own observation counts for its type; a tie goes
    to the person when the observation gives the name a role. The full re-merge decides
    again over every observation, so arrival order cannot leave a split behind."""
    observations = list(observations)
    retyped: set[str] = set()
    for o in observations:
        if not _retypable(o) or not person_like(o.match_name):
            continue
        name = normalise(o.match_name)
        people = stored.get(("PERSON", name), 0)
        rival = stored.get((o.type, name), 0) + 1
        if people > rival or (people == rival and o.roles):
            o.type = "PERSON"
            retyped.add(o.article_id)
    _revote_articles(observations, retyped)


def person_like_names(observations: Iterable[Observation]) -> set[str]:
    """The normalised names ``vote_against_stored`` may need counts for."""
    return {
        normalise(o.match_name) for o in observations if _retypable(o) and person_like(o.match_name)
    }

"""Cross-article entity resolution over the ``entities`` table, in memory.

``Resolver`` holds the candidate entities (loaded by the writer with one indexed query
per article, or all of them for a full re-merge) and decides with ``names.choose_person``
which entity an observation joins. Creating an entity goes through a callback so the
same logic serves the incremental writer (INSERT ... RETURNING) and the deterministic
re-merge (ids handed out in sorted order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from saidwhat.linking.aliases import Aliases
from saidwhat.linking.names import (
    KnownPerson,
    PersonName,
    choose_person,
    clean_person_name,
    entity_key,
    parse_person,
    surnames_match,
)
from saidwhat.linking.types import vote_in_article
from saidwhat.schema import Analysis


@dataclass
class Observation:
    """One article's entity, as entity merging sees it."""

    article_id: str
    local_id: str
    name: str  # as the article names it
    type: str
    roles: list[str]
    aliases: list[str]
    date: str | None
    match_name: str = ""  # the name compared: an alias rule's canonical, else the cleaned name
    split: bool = False
    pinned: bool = False  # an alias rule applies

    @property
    def display(self) -> str:
        return clean_person_name(self.name) if self.type == "PERSON" else self.name.strip()

    @property
    def person(self) -> PersonName:
        return parse_person(self.match_name)

    @property
    def key(self) -> str:
        return entity_key(self.type, self.match_name)

    @property
    def names_in_full(self) -> bool:
        """Does this observation name the entity in full? Only then are its roles
        evidence that tells namesakes apart (a bare surname's would feed back on itself)."""
        return self.type != "PERSON" or not self.person.is_bare

    def sort_key(self) -> tuple[object, ...]:
        """Full names before initials before bare surnames, then by name, date, article:
        the order of the deterministic re-merge."""
        p = self.person if self.type == "PERSON" else None
        rank = 0 if p is None or len(p.first) > 1 else 1 if p.first else 2
        return (self.type, rank, self.key, self.date or "", self.article_id, self.local_id)


def observe(analysis: Analysis, aliases: Aliases) -> list[Observation]:
    """The article's entities as observations, their types voted within the article
    (``linking.types``: "Strand" the GPE beside "Helena Strand" the PERSON is her)."""
    out = []
    for e in analysis.entities:
        obs = Observation(
            article_id=analysis.article.id,
            local_id=e.id,
            name=e.name,
            type=e.type,
            roles=[r for r in e.roles if r and r.strip()],
            aliases=list(e.aliases),
            date=analysis.article.date,
        )
        prepare(obs, aliases)
        out.append(obs)
    return vote_in_article(out)


def prepare(obs: Observation, aliases: Aliases) -> Observation:
    rule = aliases.rule_for(obs.display, obs.type) or aliases.rule_for(obs.name, obs.type)
    obs.pinned = rule is not None
    obs.match_name = rule.canonical if rule else obs.display
    obs.split = rule is None and aliases.is_split(obs.display)
    return obs


@dataclass
class Known:
    """An entity as the resolver tracks it (a KnownPerson for people)."""

    id: int
    type: str
    key: str
    name: str
    candidate: KnownPerson | None = None
    split: bool = False
    extra: dict[str, object] = field(default_factory=dict)


class Resolver:
    """Decide the entity of each observation; ``create(obs)`` makes a new entity id."""

    def __init__(self, known: Iterable[Known], create: Callable[[Observation], int]) -> None:
        self.people: list[Known] = []
        self.others: dict[tuple[str, str], Known] = {}
        self.create = create
        for k in known:
            self.add(k)

    def add(self, k: Known) -> None:
        if k.type == "PERSON":
            self.people.append(k)
        else:
            self.others.setdefault((k.type, k.key), k)

    def known_from(self, obs: Observation, entity_id: int) -> Known:
        p = obs.person
        k = Known(entity_id, obs.type, obs.key, obs.match_name, split=obs.split)
        if obs.type == "PERSON":
            k.candidate = KnownPerson(
                id=entity_id,
                first=p.first,
                key=p.key,
                names=frozenset({p.full_key}),
                roles=frozenset(obs.roles) if not p.is_bare else frozenset(),
                split=obs.split,
            )
        return k

    def resolve(self, obs: Observation) -> tuple[int, str, bool]:
        """(entity id, match reason, created?)."""
        if obs.type != "PERSON":
            found = self.others.get((obs.type, obs.key))
            if found is not None:
                return found.id, "alias" if obs.pinned else "key", False
            return self._new(obs, "alias" if obs.pinned else "new")
        p = obs.person
        if obs.split or not p.key:
            found = next(
                (k for k in self.people if k.split and k.key == obs.key),
                None,
            )
            if found is None and not p.key:
                found = next((k for k in self.people if k.key == obs.key), None)
            if found is not None:
                return found.id, "split", False
            return self._new(obs, "split")
        cands = [k.candidate for k in self.people if k.candidate is not None]
        entity_id, reason = choose_person(p, obs.roles, cands)
        if obs.pinned:
            reason = "alias"
        if entity_id is None:
            return self._new(obs, reason)
        for k in self.people:  # remember the new spelling and roles for later observations
            if k.id == entity_id and k.candidate is not None:
                c = k.candidate
                c.names = c.names | {p.full_key}
                if not p.is_bare:  # only full names are evidence of a person's roles
                    c.roles = c.roles | frozenset(obs.roles)
        return entity_id, reason, False

    def _new(self, obs: Observation, reason: str) -> tuple[int, str, bool]:
        entity_id = self.create(obs)
        self.add(self.known_from(obs, entity_id))
        return entity_id, reason, True

    def renumber(self, real: dict[int, int]) -> None:
        """Give entities created with provisional ids (``real``: provisional -> final)
        their final ids, so decisions made after the INSERT name the stored entities."""
        for k in [*self.people, *self.others.values()]:
            if k.id in real:
                k.id = real[k.id]
                if k.candidate is not None:
                    k.candidate.id = k.id

    def compatible_keys(self, key: str) -> set[str]:
        """Surname keys of the known people a name with surname ``key`` could join."""
        keys = {key}
        for k in self.people:
            if k.candidate is not None and surnames_match(k.candidate.key, key):
                keys.add(k.candidate.key)
        return keys


def person_candidate(
    entity_id: int,
    name: str,
    first: str,
    key: str,
    names: Iterable[str],
    roles: Iterable[str],
    split: bool,
) -> KnownPerson:
    return KnownPerson(
        id=entity_id,
        first=first,
        key=key,
        names=frozenset(parse_person(n).full_key for n in names),
        roles=frozenset(roles),
        split=split,
    )

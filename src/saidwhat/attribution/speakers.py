"""Speaker resolution: from a source mention to an entity of the article.

No English coreference model installs offline, so resolution is rule-based and keeps the
discourse state a reader keeps: who spoke last, who was the subject of the last sentences,
and which titles belong to whom. ``he responded`` after ``Asked about Zelensky's
statement`` therefore resolves to the previous speaker, not to the nearest name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from saidwhat.attribution.entities import PERSON_TITLES, ArticleEntities
from saidwhat.attribution.gender import pronoun_gender
from saidwhat.attribution.roles import (
    appositive_person,
    by_role,
    by_surname,
    former_or_latter,
    last_named_outlet_or_group,
)
from saidwhat.attribution.spans import IntervalIndex, doc_text
from saidwhat.schema import Mention

PERSON_PRONOUNS = {"he", "she", "him", "her", "i"}
GROUP_PRONOUNS = {"they", "them", "we"}
THING_PRONOUNS = {"it"}
# Heads that point at a person or group without naming one: `sources`, `officials`.
ANONYMOUS_HEADS = {
    "source",
    "sources",
    "official",
    "officials",
    "diplomat",
    "diplomats",
    "aide",
    "aides",
    "person",
    "people",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "observer",
    "observers",
    "insider",
    "insiders",
    "authorities",
    "outlets",
    "media",
    "negotiators",
    "mediators",
    "investigators",
}


# Common nouns for people known by what they are or whom they belong to, not by an
# office: `a resident of Izium`, `the father of Andriy Melnyk`, `one nurse at the
# hospital`. A name inside such a phrase describes the speaker; it is not the speaker.
# (An office, `a spokesman for the ministry`, speaks for the institution it names.)
PERSON_NOUNS = frozenset(
    """resident residents local locals villager villagers citizen citizens neighbour
    neighbor neighbours neighbors witness witnesses survivor survivors victim victims
    relative relatives family friend friends colleague colleagues classmate acquaintance
    father mother parent parents son daughter child children brother sister sibling
    husband wife partner widow widower uncle aunt cousin grandmother grandfather
    grandson granddaughter fiance fiancee man woman men women boy girl teenager student
    students pupil teacher nurse nurses doctor doctors medic medics paramedic surgeon
    patient patients worker workers employee employees farmer farmers driver drivers
    soldier soldiers volunteer volunteers refugee refugees passenger passengers owner
    shopkeeper customer voter voters protester protesters activist activists fan fans
    member members supporter supporters mourner mourners guard priest lawyer""".split()
)
# Things an organisation issues, which speak for it: `a statement from the Kremlin`, `a
# report by Amnesty`. Any other common noun with a name only beside it (`US-backed
# fighters`, `agencies in Syria`) is a group the name describes, not the name's bearer.
ISSUING_NOUNS = frozenset(
    """statement communique communiqué release readout report letter document note
    announcement declaration message post tweet video transcript study survey poll
    bulletin notice memo memorandum filing website account""".split()
)
# A state's government speaking: `the UK government`, `the US administration` are the
# state as a speaker (`Moscow said`), not a group it describes.
GOVERNMENT_NOUNS = frozenset("government administration cabinet leadership presidency".split())
# Dependents of a source's head whose words say something about the speaker without
# being the speaker: `Klymenko, speaking on national television`, `a woman who fled`.
CLAUSE_DEPS = ("relcl", "acl", "advcl")


@dataclass
class Resolution:
    entity: str | None
    name: str
    kind: str  # name | pronoun | nominal | anonymous | described | none
    described_by: str | None = None  # the entity a described speaker's phrase names

    @property
    def speaker_kind(self) -> str:
        """The statement's ``schema.SPEAKER_KINDS`` value for this resolution."""
        if self.entity is not None:
            return "named"
        if self.kind in ("described", "anonymous"):
            return self.kind
        return "unresolved"


@dataclass
class Discourse:
    """What a reader remembers while reading: recent speakers and sentence subjects."""

    speakers: list[tuple[int, str]] = field(default_factory=list)  # (char offset, entity id)
    subjects: list[tuple[int, str]] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)  # entity id -> f | m (gender.py)
    # offsets of the subjects of sentences' main clauses (`Hussein was one of the exiles`),
    # not of a clause inside one (`saying that Trump did not sign`)
    main_subjects: set[int] = field(default_factory=set)

    def fits(self, entity: str, gender: str | None) -> bool:
        """Whether a pronoun of ``gender`` may stand for ``entity`` (unknown: any)."""
        known = self.genders.get(entity)
        return gender is None or known is None or known == gender

    def note_speaker(self, offset: int, entity: str | None) -> None:
        if entity:
            self.speakers.append((offset, entity))

    def last_speaker(
        self, before: int, types: set[str], ents: ArticleEntities, gender: str | None = None
    ) -> str | None:
        found = self.latest(self.speakers, before, types, ents, gender)
        return found[1] if found else None

    def latest(
        self,
        seen: list[tuple[int, str]],
        before: int,
        types: set[str],
        ents: ArticleEntities,
        gender: str | None,
    ) -> tuple[int, str] | None:
        """The last (offset, entity) of ``seen`` (speakers or subjects) before ``before``
        whose entity has one of ``types`` and may take a pronoun of ``gender``."""
        for offset, entity in reversed(seen):
            ent = ents.get(entity)
            fitting = ent is not None and ent.type in types and self.fits(entity, gender)
            if offset < before and fitting:
                return offset, entity
        return None


def collect_subjects(
    doc: Doc, ents: ArticleEntities, quoted: IntervalIndex | None = None
) -> list[tuple[int, str]]:
    """(offset, entity) for every named subject of a clause outside quotes, in text
    order: a person a speaker talks about inside a quote (`"Trump has no plan," Sawers
    said. He added ...`) is no antecedent of the narrator's `he`."""
    out = []
    for tok in doc:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.i in ents.token_entity:
            if quoted is not None and quoted.overlapping(tok.idx, tok.idx + 1):
                continue
            out.append((tok.idx, ents.token_entity[tok.i]))
    return out


def main_subject_offsets(doc: Doc, subjects: list[tuple[int, str]]) -> set[int]:
    """The offsets among ``subjects`` whose token is the subject of its sentence's root."""
    by_offset = {t.idx: t for t in doc if t.dep_ in ("nsubj", "nsubjpass")}
    return {o for o, _ in subjects if o in by_offset and by_offset[o].head.dep_ == "ROOT"}


def resolve_speaker(
    doc: Doc,
    head: Token,
    span: tuple[int, int],
    ents: ArticleEntities,
    discourse: Discourse,
) -> Resolution:
    """Resolve the source noun phrase headed by ``head`` (character extent ``span``)."""
    text = doc_text(doc)[span[0] : span[1]]
    phrase = doc.char_span(span[0], span[1], alignment_mode="expand")
    sub_start, sub_end = (phrase.start, phrase.end) if phrase is not None else (head.i, head.i + 1)
    # 1. A name inside the phrase: the head's own entity first, then any person in it.
    if head.i in ents.token_entity:
        return _named(ents, ents.token_entity[head.i], text)
    # `the envoy, Helena Strand` / `envoy Helena Strand`: the name in apposition or compound.
    # A possessive owner is not the speaker (`Norway's envoy` is not Norway).
    named_parts = [c for c in head.children if c.dep_ == "appos"]
    named_parts += [c for c in head.children if c.dep_ == "compound"]
    for c in named_parts:
        if c.i in ents.token_entity:
            entity = ents.token_entity[c.i]
            ent = ents.get(entity)
            if c.dep_ == "compound" and head.pos_ == "NOUN" and ent and ent.type != "PERSON":
                continue  # `the Kremlin spokesman`, `US officials`: not the Kremlin, the US
            return _named(ents, entity, text)
    # `Nygaard said`, the surname the small model did not tag: the one person of the
    # article with that surname (two Orlovs: nobody).
    entity = by_surname(head, ents)
    if entity:
        ents.add_mention(entity, Mention(head.idx, head.idx + len(head), head.text, "name"))
        return _named(ents, entity, text)
    lower = head.lower_
    # `Peskov, who said ...`: a relative pronoun stands for the noun its clause modifies.
    if lower in ("who", "which", "that") and head.head.dep_ == "relcl":
        noun = head.head.head
        if noun.i in ents.token_entity:
            return _named(ents, ents.token_entity[noun.i], text)
        entity = by_role(noun, ents) if noun.pos_ == "NOUN" else None
        if entity:  # `a Russian foreign minister who had called ...`
            return Resolution(entity, ents.get(entity).name, "nominal")  # type: ignore[union-attr]
        phrase = doc[noun.left_edge.i : noun.i + 1].text
        if noun.lower_ in PERSON_TITLES | PERSON_NOUNS:  # `a Russian foreign minister who`
            return Resolution(None, phrase, "described")
        return Resolution(None, phrase, "nominal")
    # 2. Pronouns: the last compatible speaker, else the last compatible subject.
    if lower in PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS:
        types = {"PERSON"} if lower in PERSON_PRONOUNS else {"ORG", "GPE", "MEDIA", "PERSON"}
        if lower in THING_PRONOUNS:
            types = {"ORG", "GPE", "MEDIA"}
        entity = _pronoun_antecedent(head, ents, discourse, types)
        if entity:
            ents.add_mention(entity, Mention(head.idx, head.idx + len(head), head.text, "pronoun"))
            return Resolution(entity, ents.get(entity).name, "pronoun")  # type: ignore[union-attr]
        return Resolution(None, text, "pronoun")
    # 3. `the former`, `the latter`; a title or role noun: `the spokesman`, `the agency`.
    entity = former_or_latter(head, ents)
    if entity:
        ents.add_mention(entity, Mention(span[0], span[1], text, "nominal"))
        return Resolution(entity, ents.get(entity).name, "nominal")  # type: ignore[union-attr]
    if head.pos_ in ("NOUN", "PROPN") and lower not in ANONYMOUS_HEADS:
        entity = by_role(head, ents) or last_named_outlet_or_group(head, ents)
        if entity:
            ents.add_mention(entity, Mention(span[0], span[1], text, "nominal"))
            return Resolution(entity, ents.get(entity).name, "nominal")  # type: ignore[union-attr]
    poss = {t.i for c in head.children if c.dep_ == "poss" for t in c.subtree}
    clauses = {t.i for c in head.children if c.dep_ in CLAUSE_DEPS for t in c.subtree}
    named = ents.entity_at(sub_start, sub_end, exclude=poss | clauses)
    if lower in ANONYMOUS_HEADS:  # `a source close to the Kremlin`: described by it
        return Resolution(None, text, "anonymous", described_by=named)
    if head.pos_ == "NOUN" and (lower in PERSON_NOUNS or head.lemma_.lower() in PERSON_NOUNS):
        # `a resident of Izium`: spoken by the resident, described by Izium
        return Resolution(None, text, "described", described_by=named)
    if head.pos_ == "NOUN" and lower in PERSON_TITLES:
        # `The U.S. special envoy for Ukraine, Daniel Reyes`: the name in apposition to
        # the title's complement is the holder's
        holder = appositive_person(head, ents, clauses)
        if holder:
            return _named(ents, holder, text)
        # `the defence minister` with no defence minister named: a person described by
        # a title, never the last minister the article named; `a Kremlin spokesman`:
        # described by the Kremlin, not the Kremlin itself
        return Resolution(None, text, "described", described_by=named)
    ent = ents.get(named) if named else None
    if ent is not None and ent.type == "GPE" and head.lemma_.lower() in GOVERNMENT_NOUNS:
        return _named(ents, named, text)  # `the UK government` speaks as the UK does
    if named and head.pos_ == "NOUN" and head.lemma_.lower() not in ISSUING_NOUNS:
        # `US-backed fighters`, `the US-led coalition`, `agencies in Syria`: a group the
        # name only describes; the name is not who spoke
        return Resolution(None, text, "described", described_by=named)
    if named:
        return _named(ents, named, text)
    return Resolution(None, text, "none")


def _named(ents: ArticleEntities, entity: str, text: str) -> Resolution:
    ent = ents.get(entity)
    return Resolution(entity, ent.name if ent else text, "name")


def _pronoun_antecedent(
    head: Token, ents: ArticleEntities, discourse: Discourse, types: set[str]
) -> str | None:
    """The last speaker, when they spoke recently (within ~2 paragraphs of text), unless
    a person of the pronoun's gender became the subject of a sentence since (`Hamada
    Hussein was one of the exiles. ... she said`: Hussein, not the commander quoted
    before her); otherwise the subject of the closest earlier sentence."""
    sent_start = head.sent.start_char
    gender = pronoun_gender(head.text)  # `she` is never the man quoted before
    found = discourse.latest(discourse.subjects, sent_start, types, ents, gender)
    subject_offset, subject = found if found else (-1, None)
    last = discourse.last_speaker(head.idx, types, ents, gender)
    if last is not None:
        last_offset = max(o for o, e in discourse.speakers if e == last and o < head.idx)
        newer = (
            subject is not None
            and subject != last
            and subject_offset > last_offset
            and subject_offset in discourse.main_subjects
            and gender is not None
            and discourse.genders.get(subject) == gender
        )
        if head.idx - last_offset < 1200 and not newer:
            return last
    return subject if subject is not None else last

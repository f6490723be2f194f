"""Entities of one article: mention clustering, roles and titles, canonical names.

Named mentions come from spaCy's NER (with the gazetteer fix). ``Dmitry Peskov`` and a
later ``Peskov`` are clustered by surname; titles written before a name (``Kremlin
spokesman Dmitry Peskov``) or beside it in apposition (``Peskov, the Kremlin spokesman``)
become the entity's roles, which later let ``the spokesman`` resolve to Peskov.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from saidwhat.attribution.lexicon import MEDIA_HEADS
from saidwhat.reading.outlets import Outlet, Outlets, load_outlets
from saidwhat.schema import Entity, Mention

ENTITY_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "NORP": "NORP", "FAC": "ORG"}
HONORIFICS = {
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "sen",
    "sen.",
    "rep",
    "rep.",
    "gov",
    "gov.",
    "gen",
    "gen.",
    "prof",
    "prof.",
    "sir",
    "dame",
    "lord",
}
ROLE_STOP_POS = {"DET", "ADP", "VERB", "AUX", "CCONJ", "SCONJ", "PRON", "NUM", "X", "SPACE"}
ROLE_LEFT_LIMIT = 7  # titles longer than this are sentences, not titles
# Head nouns of titles and roles (lower case): what `the spokesman` can refer back to.
TITLE_NOUNS = set(
    """minister president spokesman spokeswoman spokesperson envoy negotiator aide adviser
    advisor secretary chief commander general ambassador lawmaker senator governor mayor
    official director chairman chairwoman chair head leader fellow analyst agency newspaper
    daily editor correspondent representative deputy mp premier chancellor king queen
    diplomat officer prosecutor judge ceo founder researcher professor expert economist
    mediator monitor candidate nominee rep congressman congresswoman speaker whip member
    attorney lawyer administrator commissioner coordinator strategist pollster broadcaster
    outlet channel network service ministry department office council committee""".split()
)
PERSON_TITLES = TITLE_NOUNS - {
    "agency",
    "newspaper",
    "daily",
    "outlet",
    "channel",
    "network",
    "service",
    "ministry",
    "department",
    "office",
    "council",
    "committee",
    "broadcaster",
}


@dataclass
class ArticleEntities:
    """The article's entities and a map from token index to entity id for named mentions."""

    entities: list[Entity] = field(default_factory=list)
    token_entity: dict[int, str] = field(default_factory=dict)
    role_heads: dict[str, list[str]] = field(default_factory=dict)  # `spokesman` -> entity ids
    # the outlets table the entities were typed with: chains ask it whether a phrase
    # (`the Associated Press`) names a medium
    outlets: Outlets = field(default_factory=load_outlets, repr=False)

    def is_medium(self, i: int) -> bool:
        """Whether token ``i`` is part of a mention of a MEDIA entity (an outlet)."""
        entity = self.get(self.token_entity.get(i))
        return entity is not None and entity.type == "MEDIA"

    def get(self, entity_id: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def entity_at(self, start: int, end: int, exclude: set[int] | None = None) -> str | None:
        """Entity of a named mention inside token range ``start:end`` (PERSON first)."""
        exclude = exclude or set()
        found = [
            self.token_entity[i]
            for i in range(start, end)
            if i in self.token_entity and i not in exclude
        ]
        if not found:
            return None
        persons = [e for e in found if (ent := self.get(e)) is not None and ent.type == "PERSON"]
        return (persons or found)[-1]

    def entity_at_char(self, span: tuple[int, int] | None) -> str | None:
        """Entity of the last named mention inside a character span."""
        if span is None:
            return None
        for ent in reversed(self.entities):
            if any(
                span[0] <= m.start and m.end <= span[1] and m.kind == "name" for m in ent.mentions
            ):
                return ent.id
        return None

    def add_mention(self, entity_id: str, mention: Mention) -> None:
        ent = self.get(entity_id)
        if ent is None:
            return
        if all((m.start, m.end) != (mention.start, mention.end) for m in ent.mentions):
            ent.mentions.append(mention)
            ent.mentions.sort(key=lambda m: m.start)


def _clean_name(span: Span) -> tuple[str, int]:
    """Name text without honorifics or a trailing possessive; and the first kept token."""
    toks = list(span)
    while toks and toks[0].lower_ in HONORIFICS:
        toks = toks[1:]
    while toks and toks[-1].lower_ in ("'s", "’s", "'", "’"):
        toks = toks[:-1]
    if not toks:
        return span.text, span.start
    text = span.doc[toks[0].i : toks[-1].i + 1].text
    return text, toks[0].i


def _org_key(name: str) -> str:
    return re.sub(r"^the\s+", "", name.lower()).replace("’", "'").strip()


def _is_media(name: str, roles: list[str]) -> bool:
    """An organisation whose title says it is a medium (`the daily Kommersant`)."""
    return any(role.split()[-1].lower() in MEDIA_HEADS for role in roles if role.split())


def outlet_spans(
    doc: Doc, outlets: Outlets, persons: set[str], ner: list[Span]
) -> list[tuple[Span, Outlet]]:
    """The outlets named in ``doc`` by the table, as token spans: `The Kenya News
    Agency` whole (the model tags only `Kenya`, a place), `Tass` and `TASS` alike. A
    name that is part of a person's name (`Michael Bloomberg`), or that the article uses
    as a person's name, is the person's."""
    found: list[tuple[Span, Outlet]] = []
    for start, end, outlet in outlets.find_in_text(doc.text):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or span.text in persons:
            continue
        if any(
            e.label_ == "PERSON"
            and e.start < span.end
            and span.start < e.end
            and len(e) > len(span)
            for e in ner
        ):
            continue
        found.append((span, outlet))
    return found


def harvest_role(doc: Doc, ent: Span, boundary: int = 0) -> str | None:
    """The title written just before a name: ``Kremlin spokesman`` in ``Kremlin spokesman
    Dmitry Peskov``; ``Russia's state-run news agency`` before ``Tass``."""
    i = ent.start - 1
    left = ent.start
    while i >= max(boundary, ent.start - ROLE_LEFT_LIMIT):
        tok = doc[i]
        modifier = tok.dep_ in ("amod", "compound", "npadvmod") and tok.tag_ in ("VBN", "VBD")
        if tok.pos_ in ROLE_STOP_POS and tok.lower_ not in ("'s", "’s") and not modifier:
            break
        if tok.is_punct and tok.text not in ("-",) or tok.is_quote or tok.like_num:
            break
        if tok.text == "-" and tok.whitespace_ and i > 0 and doc[i - 1].whitespace_:
            break  # a spaced dash (`GENEVA (Reuters) - Norway's envoy`), not a hyphen
        if tok.lower_ in HONORIFICS or "\n" in tok.text or "/" in tok.text:
            break  # a line break or a `/TASS/` marker ends the phrase
        left = i
        i -= 1
    # `dismissed the claim Russian Foreign Minister ...`: a leading common noun that is no
    # title belongs to the sentence, not to the title.
    while left < ent.start - 1 and doc[left].pos_ == "NOUN" and doc[left].lower_ not in TITLE_NOUNS:
        left += 1
    while left < ent.start and doc[left].is_punct:
        left += 1  # a title never starts with a hyphen (`21-year-old British`)
    if [t.lower_ for t in doc[left : left + 3]] == ["year", "-", "old"]:
        left += 3  # an age (`the 45-year-old minister`) is no part of the title
        while left < ent.start and doc[left].is_punct:
            left += 1
    if left >= ent.start:
        return None
    role_toks = doc[left : ent.start]
    head = role_toks[-1]
    if head.lower_ not in TITLE_NOUNS and not (head.text[:1].isupper() and head.pos_ == "PROPN"):
        return None  # `midnight Kyiv`, `first test Stepanenko`: not a title
    # A title has a lower-case noun or a capitalised title word, not just place adjectives.
    if not any(
        t.pos_ in ("NOUN", "PROPN") and t.ent_type_ not in ("GPE", "NORP") for t in role_toks
    ):
        return None
    if role_toks[-1].lower_ in ("'s", "’s") or role_toks[-1].pos_ == "ADJ":
        return None
    return role_toks.text.strip()


def harvest_appositive(ent: Span) -> str | None:
    """``Peskov, the Kremlin spokesman,`` or ``the Kremlin spokesman, Dmitry Peskov``."""
    root = ent.root
    for child in root.children:
        if (
            child.dep_ == "appos"
            and child.i > ent.end - 1
            and child.pos_ == "NOUN"
            and child.lower_ in TITLE_NOUNS
        ):
            toks = [t for t in child.subtree if t.dep_ != "det" and not t.is_punct]
            toks = [t for t in toks if t.i <= child.i]
            if toks:
                return root.doc[toks[0].i : child.i + 1].text
    if (
        root.dep_ == "appos"
        and root.head.i < ent.start
        and root.head.pos_ == "NOUN"
        and root.head.lower_ in TITLE_NOUNS
    ):
        head = root.head
        toks = [t for t in head.subtree if t.i <= head.i and t.dep_ != "det" and not t.is_punct]
        if toks:
            return root.doc[toks[0].i : head.i + 1].text
    return None


def _titled_person(doc: Doc, span: Span) -> bool:
    """`Norway's special envoy Helena Strand`, tagged ORG by the small model: a proper-noun
    name under a personal title is a person."""
    if (
        span.label_ not in ("ORG", "GPE")
        or not 2 <= len(span) <= 4
        or not all(t.pos_ == "PROPN" for t in span)
    ):
        return False
    role = harvest_role(doc, span) or harvest_appositive(span)
    return bool(role) and role.split()[-1].lower() in PERSON_TITLES


def _speaking_name(span: Span) -> bool:
    """`"...," Oleg Voronin said`: the small model sometimes labels a speaking name
    WORK_OF_ART or PRODUCT. A run of capitalised proper nouns that is the subject of a
    verb is a person's name whatever the label."""
    return (
        span.label_ in ("WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE")
        and 2 <= len(span) <= 4
        and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in span)
        and span.root.dep_ in ("nsubj", "nsubjpass")
    )


def _surname_of_one(name: str, span: Span, persons_by_surname: dict[str, list[Entity]]) -> bool:
    """`opposition lawmaker Irina Orlov ... Orlov said`: a one-word ORG, or a one-word GPE
    that is the subject of a verb, is the surname of the one person already named with
    it (a person the model typed ORG and the title made a PERSON). A place in its place
    (`in Washington`) is not."""
    if len(name.split()) != 1 or len(persons_by_surname.get(name, ())) != 1:
        return False
    return span.label_ == "ORG" or (
        span.label_ == "GPE" and span.root.dep_ in ("nsubj", "nsubjpass")
    )


def build_entities(
    doc: Doc, skip: list[tuple[int, int]] | None = None, outlets: Outlets | None = None
) -> ArticleEntities:
    """Cluster the named mentions of ``doc`` into entities with roles. ``outlets`` (None:
    the shipped table) names the media: an outlet it knows is one MEDIA entity under its
    canonical name, whatever the model made of the words."""
    skip = skip or []
    result = ArticleEntities(outlets=outlets or load_outlets())
    by_key: dict[tuple[str, str], Entity] = {}
    persons_by_surname: dict[str, list[Entity]] = {}

    ents = [e for e in doc.ents if e.label_ in ENTITY_LABELS or _speaking_name(e)]
    # The small model tags a known person's surname ORG now and then (`to Trump and his ...`).
    person_surnames = {
        _clean_name(e)[0].split()[-1] for e in ents if e.label_ == "PERSON" and len(e) > 1
    }
    # A name the model tags PERSON once is a person everywhere in the article.
    person_names = {_clean_name(e)[0] for e in ents if e.label_ == "PERSON"}
    # a name the table gives is the outlet even where the model calls it a person (`Meridian
    # Wire`, a lone `Tass`), unless it is the surname of a person the article names
    media = outlet_spans(doc, result.outlets, person_surnames, list(doc.ents))
    outlet_of = {span.start: outlet for span, outlet in media}
    ents = [e for e in ents if not any(m.start < e.end and e.start < m.end for m, _ in media)]
    ents += [span for span, _ in media]

    def new_entity(name: str, etype: str) -> Entity:
        ent = Entity(id=f"E{len(result.entities) + 1}", name=name, type=etype)
        result.entities.append(ent)
        return ent

    # Full names first, so that a bare surname finds its owner even before it is introduced.
    ordered = sorted(ents, key=lambda e: (-(len(_clean_name(e)[0].split()) > 1), e.start))
    assignments: list[tuple[Span, Entity]] = []
    for span in ordered:
        outlet = outlet_of.get(span.start)
        if outlet is None and span.label_ in ("ORG", "GPE", "FAC"):
            outlet = result.outlets.canonical(_clean_name(span)[0])  # `Reuters Tuesday`
        if any(s <= span.start_char < e for s, e in skip) and outlet is None:
            continue  # boilerplate: only the outlet of a dateline or sign-off is an entity
        if outlet is not None:  # one entity per outlet, under its canonical name
            key = ("MEDIA", _org_key(outlet.name))
            if key not in by_key:
                by_key[key] = new_entity(outlet.name, "MEDIA")
            by_key[key].mentions.append(Mention(span.start_char, span.end_char, span.text, "name"))
            assignments.append((span, by_key[key]))
            continue
        name, _ = _clean_name(span)
        label = ENTITY_LABELS.get(span.label_, "PERSON")
        known_person = (
            name in person_surnames
            or name in person_names
            or _surname_of_one(name, span, persons_by_surname)
        )
        if label != "PERSON" and (known_person or _titled_person(doc, span)):
            label = "PERSON"
        if label == "NORP":
            continue  # `Russian` is an attribute; plural groups are handled as nominal sources
        if label == "PERSON":
            parts = name.split()
            surname = parts[-1]
            owners = persons_by_surname.get(surname, [])
            if len(parts) > 1:
                owner = next((o for o in owners if o.name == name), None)
                if owner is None:
                    owner = next(
                        (
                            o
                            for o in owners
                            if o.name.split()[0] == parts[0] or len(o.name.split()) == 1
                        ),
                        None,
                    )
                if owner is None:
                    owner = new_entity(name, "PERSON")
                    persons_by_surname.setdefault(surname, []).append(owner)
                elif len(name) > len(owner.name):
                    owner.name = name
            elif owners:
                # A bare surname: the most recently named holder of it before this point.
                before = [
                    (max((m.start for m in o.mentions if m.start < span.start_char), default=-1), o)
                    for o in owners
                ]
                owner = max(before, key=lambda p: p[0])[1]
            else:
                owner = new_entity(name, "PERSON")
                persons_by_surname.setdefault(surname, []).append(owner)
        else:
            key = (label, _org_key(name))
            owner = by_key.get(key)
            if owner is None:
                owner = by_key[key] = new_entity(name, label)
        owner.mentions.append(Mention(span.start_char, span.end_char, span.text, "name"))
        assignments.append((span, owner))

    for span, owner in assignments:
        for i in range(span.start, span.end):
            result.token_entity[i] = owner.id
        if span.text not in owner.aliases and span.text != owner.name:
            owner.aliases.append(_clean_name(span)[0])
        if any(s <= span.start_char < e for s, e in skip):
            continue  # `(IANS)` in a dateline: no titles to harvest there
        for role in (harvest_role(doc, span), harvest_appositive(span)):
            if role and role not in owner.roles:
                owner.roles.append(role)
    for ent in result.entities:
        ent.mentions.sort(key=lambda m: m.start)
        ent.aliases = sorted({a for a in ent.aliases if a != ent.name})
        if ent.type == "ORG" and _is_media(ent.name, ent.roles):
            ent.type = "MEDIA"
        outlet = result.outlets.canonical(ent.name) if ent.type == "MEDIA" else None
        if outlet is not None and outlet.kind == "agency" and "agency" not in " ".join(ent.roles):
            ent.roles.append("news agency")
        for role in ent.roles:
            head = role.split()[-1].lower()
            result.role_heads.setdefault(head, []).append(ent.id)
    return result

"""Role nouns and other descriptions that name someone of the article.

`the spokesman`, `the country's energy minister`, `the French leader`, `the former`,
`the newspaper`, `the group`, a surname the model left untagged, a name in apposition to
a title: each resolves to the one entity of the article the words fit, or to nobody, so
that the speaker resolver (``speakers``) never guesses a name where the text names
none. Split from ``speakers`` because these are the article's lexicon of offices and
descriptions, while ``speakers`` keeps the reader's discourse state.
"""

from __future__ import annotations

from spacy.tokens import Token

from saidwhat.attribution.entities import ArticleEntities

# `the newspaper`, `the agency`: a medium the article has named before (common nouns for
# a medium in general, `media`, `press`, are no one outlet)
MEDIUM_NOUNS = {"newspaper", "paper", "daily", "agency", "channel", "broadcaster", "outlet",
                "network", "station", "tabloid", "magazine", "website", "publication"}  # fmt: skip


def last_named_outlet_or_group(head: Token, ents: ArticleEntities) -> str | None:
    """`Kommersant reported ... The newspaper said`: `the newspaper` is the outlet named
    last before it (the dateline's agency too: `the agency said` in a TASS story);
    `Hamas ... The group said`: `the group` is the organisation named last, within a few
    paragraphs."""
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in head.children):
        return None
    if head.lower_ in MEDIUM_NOUNS:
        types, reach = {"MEDIA"}, len(head.doc.text)
    elif head.lower_ in GROUP_NOUNS:
        types, reach = {"ORG"}, CATAPHORA_CHARS
    else:
        return None
    named = [
        (max(m.start for m in e.mentions if m.start < head.idx and m.kind == "name"), e.id)
        for e in ents.entities
        if e.type in types and any(m.start < head.idx and m.kind == "name" for m in e.mentions)
    ]
    named = [(o, e) for o, e in named if head.idx - o < reach]
    return max(named)[1] if named else None


# `the group said` after an organisation is named: that organisation.
GROUP_NOUNS = frozenset(
    "group organisation organization movement militia party company firm charity".split()
)


def appositive_person(head: Token, ents: ArticleEntities, skip: set[int]) -> str | None:
    """The one PERSON named in apposition inside the phrase a title heads."""
    found = {
        ents.token_entity[t.i]
        for t in head.subtree
        if t.dep_ == "appos" and t.i not in skip and t.i in ents.token_entity
    }
    people = [e for e in found if (ent := ents.get(e)) is not None and ent.type == "PERSON"]
    return people[0] if len(people) == 1 else None


def by_surname(head: Token, ents: ArticleEntities) -> str | None:
    """The article's one PERSON whose name ends in ``head``'s word, when ``head`` is a
    capitalised proper noun outside every entity (a surname NER missed)."""
    if head.pos_ != "PROPN" or not head.text[:1].isupper() or head.i in ents.token_entity:
        return None
    owners = {
        e.id
        for e in ents.entities
        if e.type == "PERSON" and len(e.name.split()) > 1 and e.name.split()[-1] == head.text
    }
    return owners.pop() if len(owners) == 1 else None


# Words before a title noun that say which title it is (`energy` minister, `deputy`
# foreign minister), as opposed to where or whose (`the country's`, `Ukraine's`).
_ROLE_MODIFIER_DEPS = ("compound", "amod")


CATAPHORA_CHARS = 1500  # how far after a title its holder may first be named
# Words that make a title another office: a deputy foreign minister is not "the foreign
# minister", a former president not "the president".
RANK_WORDS = frozenset("deputy vice acting former assistant junior shadow ex".split())


# A title the news uses for another: `the French leader` is France's president.
TITLE_SYNONYMS = {
    "leader": ("president", "premier", "chancellor"),
    "premier": ("prime",),
    "diplomat": ("ambassador", "envoy"),
}


def holds_title(role: str, wanted: set[str], titles: set[str]) -> bool:
    """Whether ``role`` (`Russian Foreign Minister`) is one of ``titles`` narrowed by
    ``wanted`` (`foreign`): every narrowing word in it, and no rank word the title lacks."""
    words = {w.lower().strip(".,'’") for w in role.replace("-", " ").split()}
    return wanted <= words and not (words & RANK_WORDS) - wanted and bool(titles & words)


def _roles_say(ents: ArticleEntities, entity: str, words: set[str]) -> list[bool]:
    ent = ents.get(entity)
    return [bool(words & set(r.lower().split())) for r in (ent.roles if ent else [])]


def role_modifiers(head: Token) -> set[str]:
    """The lower-case words that narrow a title noun: {energy} for `the country's energy
    minister`; place adjectives (`Russian`) and owners (`Ukraine's`) are left out, since
    the article may have named the holder's country otherwise."""
    return {
        c.lower_
        for c in head.children
        if c.dep_ in _ROLE_MODIFIER_DEPS
        and c.i < head.i
        and c.ent_type_ not in ("GPE", "NORP")
        and c.pos_ in ("NOUN", "ADJ", "PROPN")
    }


def by_role(head: Token, ents: ArticleEntities) -> str | None:
    """The named holder of the title ``head`` heads (`the spokeswoman`, `the country's
    energy minister`): among those whose roles have this head noun, the ones whose roles
    also have every word that narrows it (`energy`), the most recently mentioned before
    this point. With narrowing words nobody's role has, nobody: `the defence minister` is
    not the energy minister just because she is the last minister named."""
    titles = {head.lower_, head.lemma_.lower()}
    titles |= {t for name in list(titles) for t in TITLE_SYNONYMS.get(name, ())}
    candidates = [e for t in sorted(titles) for e in ents.role_heads.get(t, ())]
    if not candidates:
        return None
    wanted = role_modifiers(head)
    nation = {
        c.lower_ for c in head.children if c.dep_ == "amod" and c.ent_type_ == "NORP"
    }  # `the French leader`: a holder whose title says French, when one does
    holders = [
        e
        for e in dict.fromkeys(candidates)
        if (ent := ents.get(e)) is not None
        and any(holds_title(r, wanted, titles) for r in ent.roles)
    ]
    national = [e for e in holders if nation and any(_roles_say(ents, e, nation))]
    best, best_offset = None, -1
    later: list[str] = []
    for entity in national or holders:
        ent = ents.get(entity)
        if ent is None:
            continue
        offset = max((m.start for m in ent.mentions if m.start < head.idx), default=-1)
        if offset > best_offset:
            best, best_offset = entity, offset
        elif offset < 0 and any(
            head.idx < m.start < head.idx + CATAPHORA_CHARS for m in ent.mentions
        ):
            later.append(entity)
    # A lede names the role and the next paragraphs the person (`Moscow's foreign minister
    # arrived ... Russian Foreign Minister Anton Velikov said`): the one holder named soon
    # after, when nobody with the title was named before.
    return best if best is not None else later[0] if len(later) == 1 else None


def former_or_latter(head: Token, ents: ArticleEntities) -> str | None:
    """`the former` / `the latter`: the first or second of the last two people named
    before this sentence (`Shvets and Grushko spoke ... The latter said`)."""
    if head.lower_ not in ("former", "latter") or not any(c.lower_ == "the" for c in head.children):
        return None
    before = head.sent.start_char
    last_seen: dict[str, int] = {}
    for ent in ents.entities:
        if ent.type != "PERSON":
            continue
        starts = [m.start for m in ent.mentions if m.start < before and m.kind == "name"]
        if starts:
            last_seen[ent.id] = max(starts)
    if len(last_seen) < 2:
        return None
    pair = sorted(last_seen, key=last_seen.__getitem__)[-2:]
    return pair[0] if head.lower_ == "former" else pair[1]

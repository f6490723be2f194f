"""Deciding when names in different articles are the same person (or organisation).

Pure functions, no database: the store loads the candidate entities for a name with one
indexed query and asks ``choose_person`` which of them (if any) an observed name joins.

The rules, in order of evidence:

* Names are compared after normalisation: titles and role words dropped ("Kremlin
  spokesman Dmitry Peskov" -> "Dmitry Peskov"), accents stripped, case folded. Surnames
  also lose doubled letters and the -iy/-yy/-ij endings of transliteration
  ("Zelenskyy", "Zelenskiy" -> "zelensky"); surnames of 7+ letters also match at edit
  distance 1 ("Zelenski").
* Two full names join when their surnames match and their first names agree (equal, an
  initial of the other, or one edit apart for 5+ letters). Different first names block
  a merge: Pavel Orlov and Irina Orlov stay two people.
* A bare surname ("Peskov") joins the *unique* full-name person with that surname. When
  there are several (the two Orlovs), a shared role decides; otherwise it stays with the
  ambiguous bare-surname entity. An article that names the person in full already gives
  its bare mentions the full name (the article-level entity), so that is the common case.
* Organisations, places and the rest join by normalised name (Tass = TASS).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Words that are titles or roles, never part of a person's name.
_TITLES = """
mr mrs ms miss dr prof professor sir dame lord lady rev father sheikh president vice
prime minister deputy foreign defence defense interior finance secretary general gen
colonel col major maj captain capt lieutenant lt sergeant sgt admiral adm commander
chancellor governor gov mayor senator sen rep representative congressman congresswoman
ambassador envoy spokesman spokeswoman spokesperson chief head chairman chairwoman chair
director judge justice king queen prince princess pope cardinal bishop ayatollah premier
state first lady mp kremlin russian ukrainian us u.s american british french german
chinese israeli indian
"""
TITLE_WORDS = frozenset(_TITLES.split())
_PARTICLES = "von van der den de da di du del della la le bin ibn al el dos das ter"
PARTICLES = frozenset(_PARTICLES.split())
SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])

FUZZY_MIN_SURNAME = 7
FUZZY_MIN_FIRST = 5


@functools.lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Accents stripped, case folded, punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’`]s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def clean_person_name(name: str) -> str:
    """The name without titles and role words: "Kremlin spokesman Dmitry Peskov" -> "Dmitry Peskov"."""
    tokens = [t for t in re.split(r"\s+", name.strip()) if t]
    # The name is the last run of capitalised tokens (particles allowed inside it).
    start = len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        t = tokens[i]
        bare = t.strip(".,").casefold()
        if t[:1].isupper() or (bare in PARTICLES and i < len(tokens) - 1):
            start = i
        else:
            break
    tokens = tokens[start:] or tokens
    while len(tokens) > 1 and tokens[0].strip(".,").casefold() in TITLE_WORDS:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1].strip(".,").casefold() in SUFFIXES:
        tokens = tokens[:-1]
    return " ".join(tokens)


def surname_key(surname: str) -> str:
    """A spelling-tolerant key: "Zelenskyy" / "Zelenskiy" / "Zelensky" -> "zelensky".

    Leading particles are dropped, since usage varies ("al-Assad" / "Assad")."""
    words = normalise(surname).split()
    while len(words) > 1 and words[0] in PARTICLES:
        words = words[1:]
    key = "".join(words)
    key = re.sub(r"(iy|yy|ij|yi|ii)$", "y", key)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key


@dataclass(frozen=True)
class PersonName:
    """A person's name split for matching: ``first`` is '' for a bare surname."""

    display: str  # cleaned, original spelling: "Dmitry Peskov"
    first: str  # normalised first given name or initial: "dmitry", "v"
    surname: str  # normalised surname: "peskov", "von der leyen"
    key: str  # surname_key(surname)

    @property
    def is_bare(self) -> bool:
        return not self.first

    @property
    def full_key(self) -> str:
        return f"{self.first} {self.surname}".strip()


@functools.lru_cache(maxsize=65536)
def parse_person(name: str) -> PersonName:
    display = clean_person_name(name)
    words = normalise(display).split()
    if not words:
        return PersonName(display, "", "", "")
    if words[0] in PARTICLES:  # "de Gaulle", "al-Assad": a surname alone
        surname = " ".join(words)
        return PersonName(display, "", surname, surname_key(surname))
    # The surname starts at the first particle after the first word, else is the last word.
    cut = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i] in PARTICLES:
            cut = i
            break
    surname = " ".join(words[cut:])
    first = words[0] if cut > 0 else ""
    return PersonName(display, first, surname, surname_key(surname))


def within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance <= 1, without building the matrix."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def surnames_match(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or (min(len(a), len(b)) >= FUZZY_MIN_SURNAME and within_one_edit(a, b))


def first_names_match(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return min(len(a), len(b)) >= FUZZY_MIN_FIRST and within_one_edit(a, b)


def spelling_variants(key: str) -> set[str]:
    """``key`` and every string one deletion away, for surname keys of 7+ letters.

    Two such keys are within one edit exactly when their variant sets meet (the
    symmetric-delete trick), so an indexed ``variant IN (...)`` query finds fuzzy
    matches without scanning; shorter keys only ever match exactly.
    """
    if len(key) < FUZZY_MIN_SURNAME:
        return {key}
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


def entity_key(type_: str, name: str) -> str:
    """The merge key of a non-person entity: "The Kremlin" = "Kremlin", "TASS" = "Tass"."""
    key = normalise(name)
    if key.startswith("the "):
        key = key[4:]
    return " ".join(_SPELLING.get(w, w) for w in key.split()) if type_ != "PERSON" else key


# American and British spellings of the words institutions' names share: "Defense
# Ministry" and "the Defence Ministry" are one ministry.
_SPELLING = {
    "defense": "defence",
    "labor": "labour",
    "center": "centre",
    "organization": "organisation",
}


def roles_overlap(a: Iterable[str], b: Iterable[str]) -> bool:
    """Do two role lists share a role ("spokesman" is within "Kremlin spokesman")?"""
    na = {f" {normalise(r)} " for r in a if r.strip()}
    nb = {f" {normalise(r)} " for r in b if r.strip()}
    return any(x in y or y in x for x in na for y in nb)


@dataclass
class KnownPerson:
    """An existing live PERSON entity as matching sees it."""

    id: int
    first: str
    key: str
    names: frozenset[str] = frozenset()  # normalised full names seen
    roles: frozenset[str] = frozenset()
    split: bool = False  # a bare entity of a `split` name: only joins its own name
    extra: dict[str, object] = field(default_factory=dict)


def choose_person(
    name: PersonName, roles: Sequence[str], candidates: Sequence[KnownPerson]
) -> tuple[int | None, str]:
    """Which candidate ``name`` joins, and why; ``(None, reason)`` means a new entity.

    Reasons: ``name`` (full names agree), ``unique-surname``, ``role``, ``surname`` (bare
    surname, no full-name holder), ``ambiguous`` (bare surname, several holders), ``new``.
    Ties are broken by the smallest id so that the result does not depend on list order.
    """
    compatible = [c for c in candidates if not c.split and surnames_match(c.key, name.key)]
    exact = [c for c in compatible if c.key == name.key]
    if not name.is_bare:
        matches = [c for c in compatible if first_names_match(c.first, name.first)]
        if len(name.first) == 1 and len({c.first for c in matches}) > 1:
            return None, "new"  # "V. Orlov" with a Vadim and a Viktor: don't guess
        if not matches:
            return None, "new"
        same = [c for c in matches if name.full_key in c.names] or [
            c for c in matches if c.key == name.key
        ]
        best = same or matches
        return min(best, key=lambda c: c.id).id, "name"
    full = [c for c in (exact or compatible) if c.first]
    if len(full) == 1:
        return full[0].id, "unique-surname"
    reason = "surname"
    if len(full) > 1:
        by_role = [c for c in full if roles and roles_overlap(roles, c.roles)]
        if len(by_role) == 1:
            return by_role[0].id, "role"
        reason = "ambiguous"
    bare = [c for c in (exact or compatible) if not c.first]
    if bare:
        return min(bare, key=lambda c: c.id).id, reason
    return None, reason


REEVALUATE = ("surname", "unique-surname", "ambiguous", "role")
"""Matches that a later full-name person (or a new role of one) with the same surname
can overturn; only `split`, `alias` and full-name matches are final."""


def canonical_name(name_counts: dict[str, int], type_: str) -> str:
    """The entity's display name: for people the most frequent full name, then the
    longest; a deterministic function of the counts, so merge order does not matter."""

    def rank(item: tuple[str, int]) -> tuple[int, int, int, str]:
        name, count = item
        full = type_ == "PERSON" and not parse_person(name).is_bare
        return (-int(full), -count, -len(name), name)

    return min(name_counts.items(), key=rank)[0]

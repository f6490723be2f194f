"""Which pronoun a person of the article takes, from the article's own words.

No coreference model installs offline, and the pronoun resolver keeps a reader's
discourse state (the last speaker, the last subject). What it lacked was the one thing a
reader never gets wrong: `she` is not the man quoted just before. The evidence here is
the article's: a title or a word of kinship (`spokeswoman`, `his mother`, `Mr`, `Mrs`),
and the pronoun that opens the clause right after a sentence the person is the subject
of (`Merkel said ... She added`). A person with no evidence, or evidence both ways,
stays unknown, and any pronoun may still point at them.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from saidwhat.attribution.entities import ArticleEntities

FEMININE = frozenset(
    """spokeswoman chairwoman congresswoman businesswoman councilwoman actress queen
    princess duchess countess empress mother wife daughter sister grandmother
    granddaughter widow aunt niece girlfriend lady mrs ms miss madam dame baroness""".split()
)
MASCULINE = frozenset(
    """spokesman chairman congressman businessman councilman king prince duke count
    emperor father husband son brother grandfather grandson widower uncle nephew
    boyfriend lord mr sir baron""".split()
)
SHE = frozenset({"she", "her", "hers", "herself"})
HE = frozenset({"he", "him", "his", "himself"})


def pronoun_gender(word: str) -> str | None:
    """``f`` for she/her, ``m`` for he/him/his, None for any other word."""
    w = word.lower()
    return "f" if w in SHE else "m" if w in HE else None


def person_genders(doc: Doc, ents: ArticleEntities) -> dict[str, str]:
    """Entity id -> ``f`` or ``m`` for the people the article gives evidence for."""
    votes: dict[str, Counter[str]] = {}
    for ent in ents.entities:
        if ent.type != "PERSON":
            continue
        words = {w.lower().strip(".,'’") for r in ent.roles for w in r.split()}
        words |= {a.split()[0].lower().strip(".") for a in ent.aliases if a.split()}
        text = doc.text
        words |= {  # `Mr Velikov`, `Ms. Orlov`: the honorific before a mention
            text[max(0, m.start - 5) : m.start].split()[-1].lower().strip(".")
            for m in ent.mentions
            if text[max(0, m.start - 5) : m.start].split()
        }
        c = votes.setdefault(ent.id, Counter())
        c["f"] += 2 * len(words & FEMININE)
        c["m"] += 2 * len(words & MASCULINE)
    # the pronoun subject of the sentence after one whose subject is the person
    sents = list(doc.sents)
    for k, sent in enumerate(sents[:-1]):
        subjects = {
            ents.token_entity[t.i]
            for t in sent
            if t.dep_ in ("nsubj", "nsubjpass") and t.i in ents.token_entity
        }
        if len(subjects) != 1:
            continue
        (entity,) = subjects
        if entity not in votes:
            continue
        nxt = sents[k + 1]
        pronoun = next(
            (t for t in nxt if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PRON"), None
        )
        gender = pronoun_gender(pronoun.text) if pronoun is not None else None
        if gender:
            votes[entity][gender] += 1
    out = {}
    for entity, c in votes.items():
        if c["f"] > c["m"]:
            out[entity] = "f"
        elif c["m"] > c["f"]:
            out[entity] = "m"
    return out

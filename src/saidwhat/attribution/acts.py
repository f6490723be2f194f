"""Speech acts: what kind of statement each attribution is.

The cue gives the act (``denied`` -> deny, ``expressed gratitude`` -> thank). Neutral cues
(``said``, ``responded``, ``quoted as saying``) take it from the content instead: a reply
that opens with "No," denies; ``We are working on peace, not a ceasefire`` in answer to a
question rejects; a statement about a proposal proposes.
"""

from __future__ import annotations

import re

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.lexicon import DENIED_THINGS, EXPRESS_NOUNS, NOUN_ACTS, VERB_ACTS

NEUTRAL = {"assert", "report"}
DENIAL_OPENING = re.compile(r"^\W*(no|not true|not so|nonsense|false)\b", re.I)
DENIAL_PHRASE = re.compile(
    r"\b(would ?n[o']t|is ?n[o']t|was ?n[o']t|are ?n[o']t|not)\s+(be\s+)?"
    r"(correct|true|accurate|the case)\b",
    re.I,
)
CONTRAST_NEGATION = re.compile(r"\b(not|never|no)\b", re.I)
PROPOSAL = re.compile(
    r"\b(propos(e|al|ed|es|ing)|offer(ed)?|suggest(ion|ed)?|(ready|willing|prepared) to)\b", re.I
)
RESPONSE_LEMMAS = {"respond", "reply", "answer", "retort"}


def speech_act(cand: Candidate, content: str, sentence: str) -> str:
    """The act of a candidate, from its cue and, for neutral cues, its content."""
    act = base_act(cand)
    if act not in NEUTRAL:
        return act
    if DENIAL_OPENING.match(content) or DENIAL_PHRASE.search(content):
        return "deny"
    answering = cand.lemma in RESPONSE_LEMMAS or re.match(
        r"^\W*(asked|responding|replying)\b", sentence, re.I
    )
    if answering and CONTRAST_NEGATION.search(content):
        return "reject"
    if PROPOSAL.search(content) and cand.type != "direct":
        return "propose"
    return act


def base_act(cand: Candidate) -> str:
    if cand.pattern == "express" and cand.noun is not None:
        return EXPRESS_NOUNS.get(cand.noun.lemma_.lower(), "assert")
    if cand.pattern.startswith("noun"):
        return NOUN_ACTS.get(cand.lemma, "assert")
    if cand.pattern in ("according_to", "quote_as", "continuation"):
        return "assert"
    if cand.noun is not None and cand.noun.lower_ in DENIED_THINGS:
        act = VERB_ACTS.get(cand.lemma)
        if act in ("deny", "reject"):
            return "deny"
    act = VERB_ACTS.get(cand.lemma, "assert")
    if cand.lemma == "call":
        # `called for talks`, `called on Kyiv to ...` appeal; `called the deal a test`
        # and `called it incorrect` describe.
        if any(c.dep_ == "oprd" for c in cand.cue.children):
            return "assert"
        if any(c.lower_ in ("for", "on") for c in cand.cue.children):
            return "appeal"
    if cand.lemma == "suggest" and cand.pattern == "dobj":
        return "propose"
    if cand.lemma == "rule" and not any(c.lower_ == "out" for c in cand.cue.children):
        return "assert"  # a court `ruled that ...` decides; only `ruled out` rejects
    return act

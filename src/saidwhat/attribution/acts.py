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
# An offer in the speaker's words (`we propose`, `ready to talk`), not a statement that
# mentions someone's proposal (`opposing a proposal`, `the proposed wall`).
PROPOSAL = re.compile(
    r"\b(propose[sd]?|proposing|proposal|offer(s|ed)?|suggest(s|ed)?|(ready|willing|prepared) to)\b"
    r"(?!\s+(wall|law|bill|plan|deal|budget|changes?)\b)",
    re.I,
)
# ... but someone else's proposal, or one opposed, is no offer of the speaker's.
OTHERS_PROPOSAL = re.compile(
    r"\b(oppos\w*|reject\w*|against|criticis\w*|criticiz\w*|dismiss\w*|expected)\s+"
    r"(\w+\s+){0,2}proposal|proposal\s+(by|from)\b|\w+['’]s\s+proposal",
    re.I,
)
# What a vow of harm promises: `vowed vengeance` threatens.
HARM = re.compile(
    r"\b(vengeance|revenge|retaliat\w*|punish\w*|destroy\w*|wipe out|exterminat\w*|crush\w*)",
    re.I,
)
RESPONSE_LEMMAS = {"respond", "reply", "answer", "retort"}


def speech_act(cand: Candidate, content: str, sentence: str) -> str:
    """The act of a candidate, from its cue and, for neutral cues, its content."""
    act = base_act(cand)
    if any(c.dep_ == "neg" for c in cand.cue.children):
        # `did not rule out` rejects nothing; `does not acknowledge` denies
        if act in ("deny", "reject"):
            return "assert"
        if act == "confirm":
            return "deny"
    if act == "promise" and HARM.search(content):
        return "threaten"
    if act not in NEUTRAL:
        return act
    if DENIAL_OPENING.match(content) or DENIAL_PHRASE.search(content):
        return "deny"
    answering = cand.lemma in RESPONSE_LEMMAS or re.match(
        r"^\W*(asked|responding|replying)\b", sentence, re.I
    )
    if answering and CONTRAST_NEGATION.search(content):
        return "reject"
    if PROPOSAL.search(content) and not OTHERS_PROPOSAL.search(content) and cand.type != "direct":
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
    if cand.lemma == "agree":  # `agreed to work together` commits; `agreed that` asserts
        return "promise" if cand.pattern == "xcomp" else "assert"
    if cand.lemma == "rule" and not any(c.lower_ == "out" for c in cand.cue.children):
        return "assert"  # a court `ruled that ...` decides; only `ruled out` rejects
    return act

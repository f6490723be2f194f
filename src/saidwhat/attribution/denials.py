"""Denials: what claim a denial denies.

``Peskov had dismissed claims that Putin rejected the plan`` denies the claim
``Putin rejected the plan``; ``denied that talks had stalled`` denies its own complement.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.lexicon import DENIED_THINGS, VERB_ACTS
from saidwhat.attribution.spans import token_range_chars


def denied_claim(doc: Doc, cand: Candidate) -> tuple[int, int] | None:
    """Character span of the denied claim, or None when the statement denies nothing."""
    if VERB_ACTS.get(cand.lemma) not in ("deny", "reject") or cand.pattern.startswith("noun"):
        return None
    if cand.noun is not None and cand.noun.lower_ in DENIED_THINGS:
        for child in cand.noun.children:
            if child.dep_ in ("acl", "ccomp", "relcl"):
                return _without_mark(doc, child)
        return None
    if cand.lemma == "deny" and cand.pattern == "ccomp":
        comp = next((c for c in cand.cue.children if c.dep_ == "ccomp"), None)
        if comp is not None:
            return _without_mark(doc, comp)
    return None


def _without_mark(doc: Doc, clause: Token) -> tuple[int, int] | None:
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    if doc[start].dep_ == "mark":
        start += 1
    # Stop before a trailing participial comment (`, calling them "incorrect"`).
    for child in clause.rights:
        if child.dep_ == "advcl" and child.i > clause.i:
            end = min(end, child.left_edge.i)
    return token_range_chars(doc, start, end)

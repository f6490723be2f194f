"""The cue decision by the hand-written lexicon: is this candidate an attribution?

Used where the lexicon decides (``AttributionOptions(decision="lexicon")``) and for
candidates the learned model cannot weigh (no content yet). The word lists it reads are
in ``lexicon``.
"""

from __future__ import annotations

from saidwhat.attribution.lexicon import DENIED_THINGS, NOUN_ACTS, OBJECT_ACTS, VERB_ACTS


def is_cue(lemma: str, pattern: str, obj: str | None = None) -> bool:
    """Decide whether a candidate built on ``lemma`` with ``pattern`` is an attribution.

    ``obj`` is the object noun of a ``dobj`` construction (`dismissed claims`).
    """
    lemma = lemma.lower()
    if pattern == "dobj" and obj is not None and obj.lower() in DENIED_THINGS:
        return VERB_ACTS.get(lemma) in ("deny", "reject", "assert")
    if pattern == "dobj":
        return VERB_ACTS.get(lemma) in OBJECT_ACTS
    if pattern in ("ccomp", "quote", "parenthetical", "colon", "quote_as", "according_to"):
        return lemma in VERB_ACTS or pattern in ("quote_as", "according_to")
    if pattern in ("noun_that", "noun_prep", "noun_quote"):
        return lemma in NOUN_ACTS
    return pattern == "express"

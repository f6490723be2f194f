"""The cue decision: is this candidate an attribution?

``accepted`` asks the learned cue model (``features``, weights in ``AttributionModels``)
when the options choose it, and the hand-written rule ``is_cue`` when they choose the
lexicon, or when a candidate has no content for the model to weigh. The word lists the
rule reads are in ``lexicon``.
"""

from __future__ import annotations

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.features import candidate_features, score
from saidwhat.attribution.lexicon import DENIED_THINGS, NOUN_ACTS, OBJECT_ACTS, VERB_ACTS
from saidwhat.attribution.options import AttributionModels
from saidwhat.attribution.quotes import Quote, quoted_fraction


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


def accepted(cand: Candidate, quotes: list[Quote], models: AttributionModels) -> bool:
    """The learned model decides where the options say so; the hand-written lexicon
    otherwise, and for a candidate with no content yet (nothing for the model to weigh)."""
    if cand.pattern in ("quote_as", "in_document"):
        return True  # `X quoted Y as saying`, `In a CBS poll, ...` are always attributions
    if not models.learned or not cand.content:
        obj = cand.noun.lower_ if cand.noun is not None else None
        return is_cue(cand.lemma, cand.pattern, obj)
    frac = max(quoted_fraction(quotes, s, e) for s, e in cand.content)
    return score(candidate_features(cand, frac), models.cue_weights) >= models.threshold

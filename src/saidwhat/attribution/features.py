"""Features of an attribution candidate, and the small linear model that weighs them.

Whether ``X supports Y`` or ``X has Y`` is an attribution depends on more than the verb:
who the subject is (a person, a pronoun, nothing), the construction, the tense, how long
the complement is. ``bench/learn_models.py`` fits a logistic regression over these
features on PolNeAR's train split and writes the weights to ``data/cue_model.json``
(feature name -> weight: words and numbers, no corpus text). ``score`` applies it; the
weights are loaded once by ``options.AttributionModels`` and passed in.
"""

from __future__ import annotations

import math

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.lexicon import EXPRESS_NOUNS, NOUN_ACTS, VERB_ACTS

ANONYMOUS = {
    "source",
    "official",
    "aide",
    "person",
    "analyst",
    "expert",
    "people",
    "poll",
    "survey",
    "report",
    "study",
    "statement",
    "campaign",
}


def source_kind(cand: Candidate) -> str:
    src = cand.source
    if src is None:
        return "none"
    if src.pos_ == "PRON":
        return "pron"
    if src.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return src.ent_type_.lower()
    if src.lemma_.lower() in ANONYMOUS:
        return "anon"
    return "noun" if src.pos_ in ("NOUN", "PROPN") else "other"


def _bucket(n: int) -> str:
    for limit, name in ((1, "1"), (3, "2-3"), (8, "4-8"), (20, "9-20")):
        if n <= limit:
            return name
    return "21+"


def candidate_features(cand: Candidate, quoted: float = 0.0) -> list[str]:
    """Names of the features present for ``cand`` (``quoted``: share of content in quotes)."""
    lemma, pattern, cue = cand.lemma, cand.pattern, cand.cue
    act = VERB_ACTS.get(lemma) or NOUN_ACTS.get(lemma) or "none"
    if cand.pattern == "express" and cand.noun is not None:
        act = EXPRESS_NOUNS.get(cand.noun.lemma_.lower(), act)
    src = source_kind(cand)
    doc = cue.doc
    n_tokens = sum(len(doc.char_span(s, e, alignment_mode="expand") or ()) for s, e in cand.content)
    feats = [
        "bias",
        f"p={pattern}",
        f"l={lemma}",
        f"lp={lemma}|{pattern}",
        f"act={act}|{pattern}",
        f"src={src}",
        f"src={src}|{pattern}",
        f"lsrc={lemma}|{src}",
        f"tag={cue.tag_}|{pattern}",
        f"dep={cue.dep_}|{pattern}",
        f"len={_bucket(n_tokens)}|{pattern}",
        f"quoted={'all' if quoted >= 0.8 else 'some' if quoted > 0 else 'none'}|{pattern}",
    ]
    if any(c.dep_ == "neg" for c in cue.children):
        feats.append(f"neg|{pattern}")
    if cand.noun is not None:
        kind = cand.noun.ent_type_ or cand.noun.pos_
        feats.append(f"obj={kind}|{pattern}")
    if pattern in ("ccomp", "noun_that"):
        first = doc.char_span(cand.start, cand.start + 1, alignment_mode="expand")
        if first is not None and len(first) and first[0].lower_ in ("that", "whether", "if"):
            feats.append(f"mark={first[0].lower_}")
    return feats


def score(features: list[str], weights: dict[str, float]) -> float:
    """Probability that a candidate with these features is a gold attribution."""
    z = sum(weights.get(f, 0.0) for f in features)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

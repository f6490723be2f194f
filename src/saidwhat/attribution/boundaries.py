"""Where a reported clause ends: choose among a few candidate ends with a learned model.

The parse gives a clause's subtree, but what a source said often runs on past it (`, and
that included regional managers`) or stops short of it (`, which the police have not
done` is the reporter's). Each candidate end is described by the tokens around it, and a
logistic regression fitted on PolNeAR train (``bench/learn_models.py``, weights in
``data/boundary_model.json``, loaded by ``options.AttributionModels``) picks the end a
careful annotator would.
"""

from __future__ import annotations

import math

from spacy.tokens import Doc

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.spans import token_range_chars, trim_trailing_comment

# Constructions whose content follows the cue and ends where the clause ends.
CHOOSABLE = {"ccomp", "dobj", "xcomp", "prep", "about", "noun_prep", "noun_that", "noun_to"}
BREAK_DEPS = {"relcl", "advcl", "appos", "conj", "prep", "cc", "npadvmod", "parataxis", "acl"}


def sentence_end(doc: Doc, cand: Candidate, last: int, other_cues: set[int]) -> int:
    """Extend to the end of the sentence, stopping at the cue verb's own modifiers
    (`said ... on Monday`) and at another statement's cue."""
    sent = cand.cue.sent
    stop = last
    for tok in doc[last : sent.end]:
        if tok.i in other_cues or tok.head == cand.cue or tok.is_ancestor(cand.cue):
            break
        if cand.cue.is_ancestor(tok) and not any(
            c.dep_ == "ccomp" and c.is_ancestor(tok) for c in cand.cue.children
        ):
            break
        stop = tok.i + 1
    return stop


def _first_break(doc: Doc, start: int, end: int) -> int:
    """End before the first comma that opens a modifier of the clause."""
    for tok in doc[start + 1 : end - 1]:
        nxt = doc[tok.i + 1]
        if tok.text == "," and (nxt.dep_ in BREAK_DEPS or nxt.head.dep_ in BREAK_DEPS):
            return tok.i
    return end


def end_variants(doc: Doc, cand: Candidate, other_cues: set[int]) -> dict[int, str]:
    """Token ends to choose from, each with the rule that proposed it."""
    span = doc.char_span(cand.content[0][0], cand.content[0][1], alignment_mode="expand")
    if span is None:
        return {}
    a, b = span.start, span.end
    ends = {b: "parse"}
    sentence = sentence_end(doc, cand, b, other_cues)
    ends.setdefault(sentence, "sentence")
    ends.setdefault(trim_trailing_comment(doc, a, b), "trimmed")
    ends.setdefault(_first_break(doc, a, b), "first_comma")
    # Every comma or dash up to the end of the sentence (not past another cue).
    limit = cand.cue.sent.end
    for tok in doc[a + 1 : limit]:
        if tok.i in other_cues:
            break
        if tok.text in (",", ";", "—", "–", "--"):
            ends.setdefault(tok.i, "comma_before" if tok.i < b else "comma_after")
    full = limit
    while full > a and (doc[full - 1].is_punct or doc[full - 1].is_space):
        full -= 1
    if not any(a <= i < full for i in other_cues):
        ends.setdefault(full, "full_sentence")
    cap = _clause_cap(cand)
    return {e: kind for e, kind in ends.items() if a < e <= max(cap, b)}


def _clause_cap(cand: Candidate) -> int:
    """`Voronin, who said the talks were over, left early`: a cue inside a relative clause
    speaks only to the end of that clause."""
    tok = cand.cue
    for _ in range(6):
        if tok.dep_ == "relcl":
            return tok.right_edge.i + 1
        if tok.head is tok or tok.dep_ not in ("conj", "xcomp", "ccomp", "advcl"):
            break
        tok = tok.head
    return len(tok.doc)


def _bucket(n: int) -> str:
    for limit, name in ((0, "0"), (2, "1-2"), (6, "3-6"), (15, "7-15")):
        if n <= limit:
            return name
    return "16+"


def end_features(
    doc: Doc, cand: Candidate, start: int, end: int, parse_end: int, kind: str
) -> list[str]:
    """What a candidate end looks like: the rule, the tokens on both sides, what is cut off."""
    p = cand.pattern
    sent_end = cand.cue.sent.end
    feats = [f"kind={kind}|{p}", f"kind={kind}", "bias", f"lemma={cand.lemma}|{kind}"]
    quoted_content = any(t.is_quote for t in doc[start:end])
    feats.append(f"hasquote={quoted_content}|{kind}")
    last = doc[end - 1]
    feats.append(f"last={last.pos_}|{kind}")
    if end < sent_end:
        nxt = doc[end]
        label = nxt.text if nxt.is_punct else nxt.pos_
        feats.append(f"next={label}|{kind}")
        after = doc[end + 1] if nxt.is_punct and end + 1 < sent_end else nxt
        feats.append(f"nextdep={after.dep_}|{kind}")
        feats.append(f"nexthead={after.head.dep_}|{kind}")
        if after.tag_ in ("VBG", "VBN"):
            feats.append(f"nexttag={after.tag_}|{kind}")
        if after.lower_ in ("which", "who", "whom", "whose", "where", "when", "as", "but", "and"):
            feats.append(f"nextword={after.lower_}|{kind}")
    else:
        feats.append(f"atend|{kind}")
    feats.append(f"cut={_bucket(max(0, parse_end - end))}|{kind}")
    feats.append(f"added={_bucket(max(0, end - parse_end))}|{kind}")
    if any(t.is_quote for t in doc[min(end, parse_end) : max(end, parse_end)]):
        feats.append(f"quote_in_change|{kind}")
    return feats


def _score(feats: list[str], weights: dict[str, float]) -> float:
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def choose_ends(doc: Doc, cands: list[Candidate], weights: dict[str, float]) -> None:
    """Set each choosable candidate's content end to the best-scoring variant."""
    if not weights:
        return
    other_cues = {t.i for c in cands for t in c.cue_tokens}
    for cand in cands:
        if cand.pattern not in CHOOSABLE or len(cand.content) != 1 or cand.start < cand.cue.idx:
            continue
        own = {t.i for t in cand.cue_tokens}
        variants = end_variants(doc, cand, other_cues - own)
        if len(variants) < 2:
            continue
        span = doc.char_span(cand.content[0][0], cand.content[0][1], alignment_mode="expand")
        a, parse_end = span.start, span.end
        best = max(
            variants,
            key=lambda e: _score(end_features(doc, cand, a, e, parse_end, variants[e]), weights),
        )
        chars = token_range_chars(doc, a, best)
        if chars is not None:
            cand.content = [chars]

"""The neural engine's pass: the tagger's spans and scores combined with the rules'
candidates, before statements are built.

Combine, don't replace: the rules still propose candidates and keep what they do well
(speakers resolved to entities, chains, acts, dates, denials, labels: every pass after
this one). The tagger decides three things, each measured on PolNeAR dev against the rules
alone (README, "Two engines"):

* **whether** a candidate is an attribution: one whose cue and content the tagger gives
  little weight is dropped (``options.TaggerChoices``);
* **where** its content runs, when ``reshape`` is on: an indirect candidate takes the
  content span the tagger read beside the same cue (quotes keep their marks' span: the
  rules join quotes across sentences and paragraphs, which a window of 254 pieces cannot
  always see whole). Off by default: the shipped tagger's ends cost 4.7 points of exact
  content F1 on dev against the boundary model's;
* **what the rules missed**: a tagged content, cue and source the rules proposed nothing
  for become a candidate of pattern ``tagged`` when the tagger is sure of them.
"""

from __future__ import annotations

from spacy.tokens import Doc

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.lexicon import TELLING_LEMMAS
from saidwhat.attribution.options import TaggerChoices
from saidwhat.attribution.spans import IntervalIndex
from saidwhat.tagger.assemble import TaggedAttribution, assemble
from saidwhat.tagger.model import TaggedText


def evidence(tagged: TaggedText, cand: Candidate) -> float:
    """How much the tagger believes in a candidate: the larger of its mean content
    probability and its best cue-piece probability."""
    cue = tagged.inside("cue", *cand.cue_span)
    content = [p for s, e in cand.content for p in tagged.inside("content", s, e)]
    best_cue = float(cue.max()) if len(cue) else 0.0
    mean_content = float(sum(content) / len(content)) if content else 0.0
    return max(best_cue, mean_content)


def _touches(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def combine(
    doc: Doc,
    cands: list[Candidate],
    tagged: TaggedText,
    boiler: list[tuple[int, int]],
    choices: TaggerChoices | None = None,
) -> list[Candidate]:
    """The candidates the tagger keeps, reshaped, plus the ones it adds (in text order)."""
    choices = choices or TaggerChoices()
    found = assemble(tagged.spans)
    by_cue = IntervalIndex((a.cue.start, a.cue.end, a) for a in found if a.cue is not None)
    used: set[int] = set()
    kept: list[Candidate] = []
    for cand in cands:
        if cand.pattern in ("headline", "transcript", "continuation"):
            kept.append(cand)  # labelled lines and bare quote paragraphs: layout, not words
            continue
        mine = [a for _, _, a in by_cue.overlapping(*cand.cue_span)]
        if not mine and evidence(tagged, cand) < choices.drop_below:
            continue
        for a in mine:
            used.add(id(a))
        if choices.reshape and mine and cand.type != "direct" and len(cand.content) == 1:
            best = max(mine, key=lambda a: a.content.end - a.content.start)
            span = (best.content.start, best.content.end)
            if _touches(span, cand.content[0]):
                cand.content = [span]
        kept.append(cand)
    taken = IntervalIndex((s, e, c) for c in kept for s, e in c.content)
    for a in found:
        if id(a) in used or a.score < choices.add_above or a.cue is None:
            continue
        if taken.overlapping(a.content.start, a.content.end):
            continue
        if any(_touches((a.content.start, a.content.end), b) for b in boiler):
            continue
        cand = tagged_candidate(doc, a)
        if cand is not None and plausible(doc, cand):
            kept.append(cand)
    kept.sort(key=lambda c: c.start)
    return kept


MIN_ADDED_WORDS = 3


def plausible(doc: Doc, cand: Candidate) -> bool:
    """Whether a tagger-only attribution reads as one: a content of at least three words
    that cuts no name in two (`... remarks by Presidential Aide Yuri Ushakov` tagged as
    `Aide Yuri`), on a cue that is not a participle aside of another statement (`citing`,
    `calling`: the rules fold those into the statement they hang from)."""
    span = doc.char_span(*cand.content[0], alignment_mode="expand")
    if span is None or sum(not t.is_punct for t in span) < MIN_ADDED_WORDS:
        return False
    for ent in doc.ents:
        inside = span.start < ent.end and ent.start < span.end
        if inside and (ent.start < span.start or ent.end > span.end):
            return False
    return not (cand.cue.tag_ == "VBG" and cand.lemma in TELLING_LEMMAS)


def tagged_candidate(doc: Doc, found: TaggedAttribution) -> Candidate | None:
    """A candidate from the tagger alone: its cue's head token, its source's head token."""
    assert found.cue is not None
    cue = doc.char_span(found.cue.start, found.cue.end, alignment_mode="expand")
    if cue is None or not len(cue):
        return None
    source = source_span = None
    if found.source is not None:
        src = doc.char_span(found.source.start, found.source.end, alignment_mode="expand")
        if src is not None and len(src):
            source, source_span = src.root, (src.start_char, src.end_char)
    return Candidate(
        cue=cue.root,
        lemma=cue.root.lemma_.lower(),
        pattern="tagged",
        content=[(found.content.start, found.content.end)],
        cue_tokens=list(cue),
        source=source,
        source_span=source_span,
    )

"""Who speaks: the source of a candidate from the parse (subject, agent, owner, neighbour).

Kept apart from the proposals (``candidates``) because the direct-quote and chain passes
look for speakers with the same rules: a subject through conjoined clauses, the noun
before a verb the parser left without one, the noun phrase without its dates.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.lexicon import HOLDER_VERBS
from saidwhat.attribution.spans import token_range_chars

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# Clauses that inherit the subject of the verb they hang from.
SUBJECT_SHARING_DEPS = {"conj", "xcomp", "advcl", "acl", "pcomp", "prep", "acomp"}


def subject_of(verb: Token) -> Token | None:
    """The subject of ``verb``, climbing through conjoined and participial clauses."""
    seen = 0
    tok = verb
    while tok is not None and seen < 6:
        subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            # `news agency Tass quoted`: a mis-parse gives two subjects; the head is nearest.
            before = [c for c in subjects if c.i < tok.i]
            return before[-1] if before else subjects[0]
        if tok.dep_ == "relcl" or (tok.dep_ == "acl" and tok.tag_ in ("VBG", "VBN")):
            return tok.head  # `Peskov, who said ...`; `reports suggesting that ...`
        if tok.dep_ in SUBJECT_SHARING_DEPS and tok.head is not tok:
            tok = tok.head
            seen += 1
            continue
        return None
    return None


FINITE_TAGS = {"VBD", "VBZ", "VBP"}


def adjacent_subject(verb: Token) -> Token | None:
    """The noun right before a finite verb the parser gave no subject: in `In a meeting
    with the Post Trump said that ...` and `..., Obama and Clinton call them ...` the small
    model hangs the subject on the phrase before it. Only a finite verb (or one with an
    auxiliary) has a subject to lose; participles and imperatives do not."""
    finite = verb.tag_ in FINITE_TAGS or any(c.dep_ == "aux" for c in verb.children)
    if not finite or verb.dep_ in ("relcl", "acl", "amod", "xcomp", "pcomp"):
        return None
    j = verb.i - 1
    while j >= 0 and verb.doc[j].head is verb and verb.doc[j].dep_ in ("aux", "neg", "advmod"):
        j -= 1
    if j < 0:
        return None
    tok = verb.doc[j]
    if tok.text == "," and j > 0 and verb.doc[j - 1].dep_ == "appos":
        # `Flynn, a top Trump surrogate, said`: the name the apposition describes
        tok = verb.doc[j - 1]
        if tok.head.i < tok.i:  # one step: the name, not what the name is in apposition to
            tok = tok.head
    if tok.pos_ not in ("PROPN", "NOUN", "PRON") or tok.dep_ in ("poss", "compound"):
        return None
    if tok.lower_ in ("who", "which", "that", "what", "it") or tok.is_stop and tok.pos_ != "PRON":
        return None
    # `Obama and Clinton call`: the parser made `Clinton` a conjunct; the source is the pair.
    while tok.dep_ == "conj" and tok.head.i < tok.i and tok.head.pos_ in ("PROPN", "NOUN"):
        tok = tok.head
    return tok


def adjacent_extent(doc: Doc, tok: Token) -> tuple[int, int] | None:
    """The name an adjacent subject belongs to (`Voronin`, not `the Gazette Voronin` that
    the parse makes one phrase), else the token with its conjuncts (`Obama and Clinton`)."""
    ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
    if ent is not None and not any(c.dep_ == "conj" for c in tok.children):
        return ent.start_char, ent.end_char
    last = max([tok] + [c for c in tok.subtree if c.dep_ == "conj"], key=lambda t: t.i)
    return token_range_chars(doc, tok.i, last.i + 1)


def source_extent(doc: Doc, head: Token) -> tuple[int, int] | None:
    """The source noun phrase: the head's subtree minus trailing relative clauses and
    dates the parser hung on it (`Kremlin spokesman Yevgeny Markin on Sunday`)."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:
        if child.dep_ in ("relcl", "acl") and child.left_edge.i > head.i:
            end = min(end, child.left_edge.i)
        dated = child.ent_type_ == "DATE" or any(c.ent_type_ == "DATE" for c in child.children)
        if child.dep_ in ("prep", "npadvmod") and dated and child.i > head.i:
            end = min(end, child.left_edge.i)
    return token_range_chars(doc, start, end)


def assign_sources(doc: Doc, cands: list[Candidate]) -> None:
    """Give each proposed candidate its source token and source span, in place."""
    for cand in cands:
        if cand.source is None and cand.pattern not in ("quote_as", "raising"):
            if cand.pattern.startswith("noun"):
                # `But Trump claims that ...` with `claims` tagged a noun: the parse still
                # gives it a subject, and that is the speaker.
                subject = next((c for c in cand.cue.children if c.dep_ == "nsubj"), None)
                if subject is not None:
                    cand.source = subject
                    cand.source_span = source_extent(doc, subject)
                    continue
                # `advocates have expressed deep concern about X`: the noun's owner is the
                # subject of the verb that has it as object.
                if cand.cue.dep_ in ("dobj", "attr") and cand.cue.head.pos_ in ("VERB", "AUX"):
                    cand.source = subject_of(cand.cue.head)
                    holds = cand.cue.head.lemma_.lower() in HOLDER_VERBS
                    if cand.source is not None and holds:
                        cand.source_span = source_extent(doc, cand.source)
                continue
            cand.source = subject_of(cand.cue)
            if cand.source is None and (adjacent := adjacent_subject(cand.cue)) is not None:
                cand.source, cand.source_span = adjacent, adjacent_extent(doc, adjacent)
                continue
            own_subject = any(c.dep_ in ("nsubj", "aux") for c in cand.cue.children)
            if cand.cue.dep_ == "advcl" and cand.cue.tag_ == "VBN" and not own_subject:
                cand.source = None  # `Asked about X, he said`: he was asked; who asked is unsaid
        if cand.source is not None and cand.source.dep_ == "nsubjpass" and cand.lemma != "quote":
            # `Trump was asked whether ...`: the passive subject is not the speaker; the
            # agent is (`was criticized by X`), or no one.
            agent = next((c for c in cand.cue.children if c.dep_ == "agent"), None)
            cand.source = (
                next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            )
        if cand.source is not None:
            cand.source_span = source_extent(doc, cand.source)

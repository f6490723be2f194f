"""Attribution candidates from the dependency parse: cue, content and source tokens.

Every construction that can carry an attribution proposes a ``Candidate``; whether it is
one is decided later (``cues.accepted``: the learned model, or the hand-written lexicon).
Keeping proposal and decision apart lets ``bench/learn_models.py`` measure each (lemma,
construction) on gold data. This module holds the proposals only: the span helpers are in
``spans``, the source finding in ``sources``, the word lists in ``lexicon``.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.lexicon import (
    ASKING_LEMMAS,
    ATTITUDE_NOUNS,
    ATTITUDE_PREPS,
    AUDIENCE_HEADS,
    DOCUMENT_NOUNS,
    EXPRESS_NOUNS,
    EXPRESS_VERBS,
    NOUN_PREPS,
    RAISING_LEMMAS,
    SETTING_PREPS,
    VERB_ACTS,
    VERB_PREPS,
)
from saidwhat.attribution.sources import SUBJECT_DEPS, assign_sources, subject_of
from saidwhat.attribution.spans import subtree_range, token_range_chars, trim_trailing_comment


def _content(doc: Doc, tok: Token, exclude: Token | None = None) -> tuple[int, int] | None:
    start, end = subtree_range(tok, exclude)
    return token_range_chars(doc, start, trim_trailing_comment(doc, start, end))


def verb_candidates(doc: Doc, verb: Token) -> list[Candidate]:
    """Constructions headed by a verb: said that .., wants to .., opposes X, talked about X."""
    out: list[Candidate] = []
    children = list(verb.children)
    deps = {c.dep_ for c in children}
    cue_tokens = [verb] + [c for c in children if c.dep_ in ("aux", "auxpass", "neg", "prt")]
    lemma = verb.lemma_.lower()
    audience = [c for c in children if c.dep_ in ("dobj", "dative") and c.lower_ in AUDIENCE_HEADS]

    def add(
        pattern: str,
        span: tuple[int, int] | None,
        extra: list[Token] | None = None,
        noun: Token | None = None,
    ) -> bool:
        if span is None:
            return False
        out.append(
            Candidate(
                cue=verb,
                lemma=lemma,
                pattern=pattern,
                content=[span],
                cue_tokens=cue_tokens + (extra or []),
                noun=noun,
            )
        )
        return True

    def make(pattern: str, content_tok: Token, extra: list[Token] | None = None) -> None:
        noun = content_tok if pattern == "dobj" else None
        add(pattern, _content(doc, content_tok), extra, noun)

    quoted_as = _quote_as(doc, verb, lemma, children, cue_tokens)
    if quoted_as is not None:
        return [quoted_as]  # the object speaks; no other reading of this verb
    if lemma in ASKING_LEMMAS:
        # `The host asked Voronin if he had been bullied`: the parser hangs the question on
        # the verb as an adverbial clause; the question, not who was asked, is the content.
        question = next(
            (
                c
                for c in children
                if c.dep_ == "advcl"
                and c.i > verb.i
                and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)
            ),
            None,
        )
        if question is not None:
            make("ccomp", question, audience)
            return out
    for child in children:
        if child.dep_ == "ccomp":
            subj = subject_of(verb)
            if subj is not None and child.right_edge.i < subj.left_edge.i < verb.i:
                # `The test was its biggest yet, officials said.`: the parser often takes
                # only the last clause as the complement; what was said is all of the
                # sentence before the source.
                start = _clause_start(doc, verb.sent.start, child.left_edge.i)
                add("ccomp", token_range_chars(doc, start, subj.left_edge.i), audience)
                continue
            make("ccomp", child, audience)
        elif child.dep_ == "xcomp" and "ccomp" not in deps:
            inner = next((c for c in child.children if c.dep_ == "ccomp"), None)
            subj = next((c for c in children if c.dep_ in SUBJECT_DEPS), None)
            if inner is not None:  # `seemed to think that ...`
                make("xcomp", inner, [child])
            elif lemma in RAISING_LEMMAS and subj is not None and subj.i < verb.i:
                # `Melania seems to have vanished`: the subject and the infinitive are what
                # is attributed, the raising verb between them is the cue.
                subject = token_range_chars(doc, subj.left_edge.i, subj.right_edge.i + 1)
                if add("raising", subject):
                    rest = _content(doc, child)
                    if rest is not None and subject is not None and rest[0] > subject[1]:
                        out[-1].content.append(rest)
            else:
                obj = next((c for c in children if c.dep_ == "dobj" and c.i < child.i), None)
                if obj is not None:
                    # `urged Congress to leave the program intact`: who is urged is part
                    # of the appeal
                    end = trim_trailing_comment(doc, obj.left_edge.i, child.right_edge.i + 1)
                    add("xcomp", token_range_chars(doc, obj.left_edge.i, end))
                else:
                    make("xcomp", child)
        elif child.dep_ == "dobj" and "ccomp" not in deps and child not in audience:
            _object_candidate(doc, verb, lemma, child, children, add, make)
        elif child.dep_ == "prep" and not {"ccomp", "dobj", "xcomp"} & deps and child.i > verb.i:
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is None:
                continue
            # what is talked about / voted against / called for, without the preposition
            if child.lower_ in ("about", "on"):
                make("about", pobj, [child])
            elif child.lower_ in VERB_PREPS:
                make("prep", pobj, [child])
    # `The plan, he said, is dead.`: a parenthetical cue attached as parataxis.
    parenthetical = verb.dep_ == "parataxis" and not {"ccomp", "xcomp", "dobj"} & deps
    if parenthetical and add("parenthetical", _content(doc, verb.head, exclude=verb)):
        _add_rest_of_sentence(doc, verb, out[-1])
    return out


def _clause_start(doc: Doc, sent_start: int, clause_start: int) -> int:
    """Where a fronted report begins: the sentence start, unless the parser ran two
    sentences together (`... said the party was "committed." "Both campaigns will be
    represented," he said.`): then just after the last full stop before the clause."""
    for i in range(clause_start - 1, sent_start - 1, -1):
        if doc[i].text in (".", "?", "!") or "\n" in doc[i].text:
            return i + 1
    return sent_start


def _add_rest_of_sentence(doc: Doc, verb: Token, cand: Candidate) -> None:
    """`The benefit, it says, would be $300.` / `Though the move was smooth, he said,
    replacing her would be harder`: what was said goes on after an inserted cue, so the
    content gets a second piece from after the cue phrase to the end of the sentence."""
    own = [verb] + [
        t
        for c in verb.children
        if c.dep_ not in ("conj", "cc", "punct", "ccomp", "parataxis") and c.i > verb.i
        for t in c.subtree
    ]
    after = max(t.i for t in own) + 1
    end = verb.sent.end
    while after < end and (doc[after].is_punct or doc[after].dep_ == "cc" or doc[after].is_space):
        after += 1
    if after >= end or doc[after - 1].text != "," and doc[after - 1].dep_ != "cc":
        return
    rest = token_range_chars(doc, after, trim_trailing_comment(doc, after, end))
    if rest is not None and rest[0] > cand.content[-1][1]:
        cand.content.append(rest)


def _quote_as(
    doc: Doc, verb: Token, lemma: str, children: list[Token], cue_tokens: list[Token]
) -> Candidate | None:
    """`Tass quoted Lavrov as saying ...`: the object speaks, the subject is a medium."""
    if lemma not in ("quote", "cite"):
        return None
    obj = next((c for c in children if c.dep_ == "dobj"), None)
    as_prep = next((c for c in children if c.dep_ == "prep" and c.lower_ == "as"), None)
    if obj is None or as_prep is None:
        return None
    saying = [t for t in as_prep.subtree if t.lemma_ in ("say", "tell", "add", "state")]
    cand = Candidate(
        cue=verb,
        lemma=lemma,
        pattern="quote_as",
        content=[],
        cue_tokens=cue_tokens + [as_prep] + saying[:1],
        source=obj,
    )
    inner = next((c for c in children if c.dep_ == "ccomp"), None)
    for say in saying[:1]:
        inner = inner or next((c for c in say.children if c.dep_ == "ccomp"), None)
    span = _content(doc, inner) if inner is not None else None
    if span:
        cand.content.append(span)
    return cand


def _object_candidate(
    doc: Doc,
    verb: Token,
    lemma: str,
    child: Token,
    children: list[Token],
    add: Callable[..., bool],
    make: Callable[..., None],
) -> None:
    """The readings of a verb's object: `expressed gratitude to X`, `raised questions about
    X`, `accused the GOP of stoking ...`, or the object itself (`rejected the plan`)."""
    if lemma in EXPRESS_VERBS and child.lemma_.lower() in EXPRESS_NOUNS:
        rest = [c for c in child.children if c.dep_ == "prep"]
        rest += [c for c in children if c.dep_ == "prep" and c.i > child.i]
        if rest:
            start = min(r.left_edge.i for r in rest)
            end = max(r.right_edge.i for r in rest) + 1
            add("express", token_range_chars(doc, start, end), [child], child)
        return
    # `raised questions about X`, `voiced support for X`: the object is part of the cue,
    # what it is about is the content.
    about = next(
        (c for c in child.children if c.dep_ == "prep" and c.lower_ in ATTITUDE_PREPS), None
    )
    pobj = next((c for c in about.children if c.dep_ in ("pobj", "pcomp")), None) if about else None
    attitude = pobj is not None and child.lemma_.lower() in ATTITUDE_NOUNS
    if attitude and add("dobj", _content(doc, pobj), [child, about], child):
        return
    # `accused the GOP of stoking ...`: what the verb takes after its object belongs to
    # the content, up to the setting of the act or another predicate.
    tail = []
    for c in children:
        if c.i <= child.i:
            continue
        if c.dep_ in ("punct", "cc", "conj", "advcl", "npadvmod", "parataxis") or (
            c.dep_ == "prep" and c.lower_ in SETTING_PREPS
        ):
            break
        if c.ent_type_ in ("DATE", "TIME"):
            break
        tail.append(c)
    if tail:
        end = trim_trailing_comment(doc, child.left_edge.i, tail[-1].right_edge.i + 1)
        if add("dobj", token_range_chars(doc, child.left_edge.i, end), None, child):
            return
    make("dobj", child)


def noun_candidates(doc: Doc, noun: Token) -> list[Candidate]:
    """`claims that ...`, `Zelensky's statement about ...`."""
    out = []
    lemma = noun.lemma_.lower()
    for child in noun.children:
        pattern = None
        if child.dep_ in ("acl", "ccomp") and any(c.dep_ == "mark" for c in child.children):
            pattern = "noun_that"
        elif child.dep_ == "prep" and child.lower_ in NOUN_PREPS:
            pattern = "noun_prep"
            child = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), child)
        elif child.dep_ in ("acl", "relcl") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in child.children
        ):
            pattern = "noun_to"  # `an idea to create ...`, `a pledge to cut ...`
        if pattern is None:
            continue
        span = _content(doc, child)
        if span is None:
            continue
        cand = Candidate(cue=noun, lemma=lemma, pattern=pattern, content=[span], cue_tokens=[noun])
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
        cand.source = owner
        out.append(cand)
    return out


def _clause_around(tok: Token) -> tuple[Token, int, int]:
    """The clause a source phrase (`according to X`, `in a poll`) hangs in: its head and
    its token range, kept inside the sentence."""
    clause = tok
    while clause.dep_ not in ("ROOT", "ccomp", "conj") and clause.head is not clause:
        clause = clause.head
    sent = tok.sent
    return clause, max(clause.left_edge.i, sent.start), min(clause.right_edge.i + 1, sent.end)


def according_to_candidates(doc: Doc, tok: Token) -> list[Candidate]:
    """`According to X, ...` / `..., according to X.`: content is the clause around it."""
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return []
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return []
    _, c_start, c_end = _clause_around(tok.head if tok.dep_ == "prep" else tok)
    prep_start = tok.i
    prep_end = max(pobj.right_edge.i, to.i) + 1
    # `According to radio host Rush Limbaugh, the move reeks of fear` parsed with the clause
    # in apposition to the name: the source ends at the comma.
    comma = next((t.i for t in doc[pobj.i + 1 : prep_end] if t.text == ","), None)
    if comma is not None and prep_start < pobj.i:
        prep_end = comma
    rest = None
    if prep_start <= c_start + 1:
        span = token_range_chars(doc, prep_end, c_end)
    else:
        span = token_range_chars(doc, c_start, prep_start)
        # `The plan, according to two officials, would cut ...`: the clause goes on after
        after = prep_end
        while after < c_end and (doc[after].is_punct or doc[after].is_space):
            after += 1
        if after < c_end - 1 and doc[prep_end].text == ",":
            rest = token_range_chars(doc, after, c_end)
    if span is None:
        return []
    return [
        Candidate(
            cue=tok,
            lemma="according to",
            pattern="according_to",
            content=[span] + ([rest] if rest is not None and rest[0] > span[1] else []),
            cue_tokens=[tok, to],
            source=pobj,
        )
    ]


def in_document_candidates(doc: Doc, tok: Token) -> list[Candidate]:
    """`In a CBS News poll last month, Clinton led by six points`: a poll or report that
    says what its clause states. Not when the clause has a speaker of its own (`In a
    statement, the ministry said ...`: the ministry speaks, the statement is the setting)."""
    if tok.lower_ != "in" or tok.dep_ != "prep":
        return []
    pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.lemma_.lower() not in DOCUMENT_NOUNS:
        return []
    clause, c_start, c_end = _clause_around(tok.head)
    if clause.pos_ not in ("VERB", "AUX") or clause.lemma_.lower() in VERB_ACTS:
        return []
    prep_start, prep_end = tok.i, pobj.right_edge.i + 1
    if prep_start <= c_start + 1:
        span = token_range_chars(doc, prep_end, c_end)
    elif prep_end >= c_end - 1:
        span = token_range_chars(doc, c_start, prep_start)
    else:
        return []  # in the middle of its clause: a setting, not a source
    if span is None:
        return []
    return [
        Candidate(
            cue=tok,
            lemma="in",
            pattern="in_document",
            content=[span],
            cue_tokens=[tok],
            source=pobj,
        )
    ]


def find_candidates(doc: Doc, sentences: list[Span] | None = None) -> list[Candidate]:
    """All attribution candidates of the document, in text order."""
    cands: list[Candidate] = []
    for tok in doc:
        according = (
            tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"
        )
        if according:
            pass  # tagged VBG at times: `according to` is its own construction, below
        elif tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            cands.extend(verb_candidates(doc, tok))
        elif tok.pos_ in ("NOUN", "PROPN"):
            cands.extend(noun_candidates(doc, tok))
        if tok.lower_ == "according":
            cands.extend(according_to_candidates(doc, tok))
        elif tok.lower_ == "in":
            cands.extend(in_document_candidates(doc, tok))
    assign_sources(doc, cands)
    cands.sort(key=lambda c: (c.cue.i, c.start if c.content else 0))
    return cands

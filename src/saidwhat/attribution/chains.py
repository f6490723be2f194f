"""Source chains and the other links of a statement: via, cites, target, occasion.

``Tass quoted Lavrov as saying`` makes Tass an intermediary (``via``); ``He stated that
..., the local media reported`` wraps a statement in a report frame whose source is a
medium; ``citing earlier remarks by Ushakov`` records a cited statement.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.entities import ArticleEntities
from saidwhat.attribution.lexicon import MEDIA_HEADS
from saidwhat.attribution.sources import source_extent, subject_of
from saidwhat.schema import Statement, ViaLink

REPORT_LEMMAS = {"report", "quote", "cite", "say", "write", "publish", "carry", "tell", "state"}
DETERMINERS = re.compile(r"^(the|a|an)\s+", re.I)


def phrase_name(text: str) -> str:
    """`the local media` -> `local media`: how a chain link is named."""
    return DETERMINERS.sub("", text.strip())


def is_media(tok: Token | None, ents: ArticleEntities) -> bool:
    """Whether a source phrase names a medium: an outlet of the table (typed MEDIA by
    ``entities``, or its phrase a name the table gives), or a common noun for one (`the
    newspaper`, `local media`)."""
    if tok is None:
        return False
    if tok.lower_ in MEDIA_HEADS or tok.lemma_.lower() in MEDIA_HEADS or ents.is_medium(tok.i):
        return True
    phrase = " ".join(t.text for t in tok.subtree if not t.is_punct)
    return (
        ents.outlets.canonical(phrase) is not None or ents.outlets.canonical(tok.text) is not None
    )


def quote_as_via(doc: Doc, cand: Candidate) -> list[tuple[int, int] | None]:
    """`Tass quoted Lavrov as saying`: the subject of `quoted` is the intermediary."""
    if cand.pattern != "quote_as":
        return []
    medium = subject_of(cand.cue)
    if medium is None:
        return []
    return [source_extent(doc, medium)]


# `in an interview with X`, `in remarks to X`, `in comments to X`, `on X's programme`
INTERVIEW_NOUNS = {
    "interview",
    "remarks",
    "comments",
    "conversation",
    "programme",
    "program",
    "show",
    "podcast",
    "broadcast",
    "transcript",
    "statement",
}
BROADCAST_VERBS = {"speak", "talk", "appear", "write"}


def _medium_in(tok: Token, ents: ArticleEntities) -> Token | None:
    """The medium a phrase names: the token itself, or one of its compound parts
    (`BBC One`, `Channel 4 News`)."""
    if is_media(tok, ents):
        return tok
    return next((t for t in tok.children if t.dep_ == "compound" and is_media(t, ents)), None)


def interview_via(doc: Doc, cand: Candidate, ents: ArticleEntities) -> list[tuple[int, int] | None]:
    """The medium a statement was made to: `told the BBC`, `in an interview with the
    Associated Press`, `speaking on BBC One`, `in a transcript published by Interfax`,
    `said on CNN`. The medium is the chain's first link; the speaker stays the person."""
    found: list[Token] = []
    cue = cand.cue
    if cand.lemma == "tell":
        found += [c for c in cue.children if c.dep_ in ("dobj", "dative", "iobj")]
    heads = [cue] + [c for c in cue.children if c.dep_ == "advcl" and c.lemma_ in BROADCAST_VERBS]
    for head in heads:
        for prep in (c for c in head.children if c.dep_ == "prep"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if prep.lower_ == "on" or (prep.lower_ == "to" and head is not cue):
                found.append(pobj)
            elif pobj.lemma_.lower() in INTERVIEW_NOUNS:
                for inner in pobj.subtree:
                    if inner.dep_ == "pobj" and inner is not pobj:
                        found.append(inner)
                    elif inner.dep_ == "agent":  # `a transcript published by Interfax`
                        found += [c for c in inner.children if c.dep_ == "pobj"]
                found += [c for c in pobj.children if c.dep_ == "poss"]  # `on CNN's show`
    spans: list[tuple[int, int] | None] = []
    for tok in found:
        if _medium_in(tok, ents) is None:
            continue
        extent = _name_extent(tok)
        if extent not in spans:
            spans.append(extent)
    return spans


def _name_extent(tok: Token) -> tuple[int, int]:
    """The characters of a medium's name: its head with the words before it (`the
    Associated Press`, `BBC One`), never an apposition or clause after it (the parser
    hangs `, the interior minister, Rui Sousa,` on `BBC One`)."""
    lefts = [c for c in tok.lefts if c.dep_ in ("compound", "det", "amod", "poss", "nmod")]
    start = min((c.left_edge.idx for c in lefts), default=tok.idx)
    return start, tok.idx + len(tok)


def apply_report_frames(doc: Doc, cands: list[Candidate], ents: ArticleEntities) -> list[Candidate]:
    """Fold report frames into the statements they carry.

    ``He stated that X, the local media reported``: the outer candidate (source a medium,
    content holding the inner cue) is not a statement of its own; the inner one gains the
    medium as ``via``. ``Tass reported, citing a source, that X``: the cited source speaks.
    ``The Kenya News Agency quoted Mwangi as saying X``: `saying` is part of the
    `quoted ... as saying` cue, not a statement of the agency's own.
    """
    quoting = {t.i for c in cands if c.pattern == "quote_as" for t in c.cue_tokens[1:]}
    removed = {id(c) for c in cands if c.pattern != "quote_as" and c.cue.i in quoting}
    for outer in cands:
        if outer.pattern == "according_to" and is_media(outer.source, ents):
            # `"...," he said, according to CNN`: CNN carried his words
            speaking = [
                c
                for c in cands
                if c is not outer
                and c.pattern != "according_to"
                and c.cue.sent == outer.cue.sent
                and c.source is not None
                and not is_media(c.source, ents)
            ]
            if len(speaking) == 1:
                speaking[0].via.insert(0, outer.source_span)
                removed.add(id(outer))
                continue
        if outer.lemma not in REPORT_LEMMAS or not is_media(outer.source, ents):
            continue
        inner = [
            c for c in cands if c is not outer and any(s <= c.cue.idx < e for s, e in outer.content)
        ]
        if inner:
            for c in inner:
                c.via.insert(0, outer.source_span)
            removed.add(id(outer))
            continue
        cited = _citing_object(outer.cue)
        if cited is not None:
            outer.via.insert(0, outer.source_span)
            outer.source = cited
            outer.source_span = source_extent(doc, cited)
    return [c for c in cands if id(c) not in removed]


# `..., the Washington Post reported.` / `..., according to local media.` closing a
# reported clause: who carried it, not part of what was said.
_TRAILING_REPORT = re.compile(
    r",\s+(?:according\s+to\s+(?P<after>[^,.;:“”\"]{2,80}?)"
    r"|(?P<before>[^,.;:“”\"]{2,80}?)\s+(?:reported|reports|said|says))\s*\.?\s*$"
)


def fold_trailing_reports(doc: Doc, cands: list[Candidate], ents: ArticleEntities) -> None:
    """Cut a trailing report frame off each candidate's content and make its medium the
    outermost link of the chain (`Conway said that Trump would consider an extension,
    the Washington Post reported`: Washington Post ← Conway). Only a medium: `..., he
    said` closing a clause is the speaker's own cue, left as it is."""
    text = doc.text
    for cand in cands:
        if not cand.content:
            continue
        start, end = cand.content[-1]
        m = _TRAILING_REPORT.search(text, start, end)
        if m is None or m.start() <= start:
            continue
        group = "after" if m.group("after") else "before"
        name = doc.char_span(m.start(group), m.end(group), alignment_mode="contract")
        if name is None or not len(name) or not is_media(name.root, ents):
            continue
        cand.content[-1] = (start, m.start())
        span = (name.start_char, name.end_char)
        if not any(v and v[0] < span[1] and span[0] < v[1] for v in cand.via):
            cand.via.insert(0, span)


def _citing_object(verb: Token) -> Token | None:
    for child in verb.children:
        if child.lemma_ == "cite" and child.dep_ in ("advcl", "xcomp", "conj", "prep", "pcomp"):
            return next((c for c in child.children if c.dep_ in ("dobj", "pobj")), None)
    return None


def inherit_via(
    cand: Candidate, st: Statement, previous: tuple[Candidate, Statement], pronoun_speaker: bool
) -> list[ViaLink]:
    """`he added` straight after a quote relayed by Tass is relayed by Tass too."""
    prev_cand, prev_st = previous
    if (
        pronoun_speaker
        and st.speaker is not None
        and st.speaker == prev_st.speaker
        and st.type == "direct"
        and prev_st.type == "direct"
    ):
        return list(prev_st.via)
    return []


def cited_names(doc: Doc, cand: Candidate, ents: ArticleEntities) -> list[str]:
    """`citing earlier remarks by Ushakov` -> ["Yuri Ushakov"]."""
    names: list[str] = []
    for child in cand.cue.children:
        if child.lemma_ != "cite" or child.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep"):
            continue
        for tok in child.subtree:
            entity = ents.get(ents.token_entity.get(tok.i))
            if entity is not None and entity.type == "PERSON" and entity.name not in names:
                names.append(entity.name)
    return names


TARGETED_ACTS = {"thank", "praise", "accuse", "appeal", "warn", "threaten", "reject"}


def target_of(doc: Doc, cand: Candidate, act: str, ents: ArticleEntities) -> str | None:
    """Who is thanked, praised, accused or urged: the object, or `gratitude to X`."""
    if act not in TARGETED_ACTS:
        return None
    tokens: list[Token] = []
    if cand.pattern == "express":
        for span_start, span_end in cand.content:
            sub = doc.char_span(span_start, span_end, alignment_mode="contract")
            if sub is not None and len(sub) and sub[0].lower_ == "to":
                tokens = [t for t in sub[0].subtree]
    else:
        tokens = [c for c in cand.cue.children if c.dep_ in ("dobj", "dative")]
    for tok in tokens:
        entity = ents.token_entity.get(tok.i)
        if entity is not None:
            return entity
    return None


def occasion_of(doc: Doc, cand: Candidate) -> str | None:
    """`during an Embassy roundtable on ...`, `while addressing a regular media briefing`."""
    heads = [cand.cue] + [t for t in cand.cue_tokens if t.lemma_ in ("say", "tell")]
    for head in heads:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("during", "at"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.ent_type_ != "DATE" and pobj.pos_ == "NOUN":
                    return _phrase_before_date(doc, pobj)
            if child.dep_ == "advcl" and child.lemma_ in ("address", "brief", "speak", "attend"):
                obj = next((c for c in child.children if c.dep_ in ("dobj", "pobj")), None)
                if obj is not None:
                    return _phrase_before_date(doc, obj)
    return None


def _phrase_before_date(doc: Doc, head: Token) -> str:
    """The phrase of ``head`` without a trailing date (`roundtable ... on Thursday`)."""
    end = head.right_edge.i + 1
    for tok in doc[head.i + 1 : end]:
        if tok.ent_type_ == "DATE":
            end = tok.i - 1 if tok.i - 1 > head.i and doc[tok.i - 1].pos_ == "ADP" else tok.i
            break
    return phrase_name(doc[head.left_edge.i : end].text)

"""Candidates -> Statements: speakers resolved, chains, acts, denials, targets and dates.

The last stage of ``pipeline.extract``: each kept candidate becomes one ``Statement`` in
text order, with the discourse state (the last speaker, the subjects seen) carried from
one to the next, so a pronoun or a bare quote paragraph goes on with the right speaker.
Then two passes over the statements add speaker mentions found inside what was said.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from saidwhat.attribution.acts import speech_act
from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.chains import (
    cited_names,
    inherit_via,
    interview_via,
    occasion_of,
    phrase_name,
    quote_as_via,
    target_of,
)
from saidwhat.attribution.dating import StatementDater
from saidwhat.attribution.denials import denied_claim
from saidwhat.attribution.entities import ArticleEntities
from saidwhat.attribution.gender import person_genders
from saidwhat.attribution.labels import label_entity
from saidwhat.attribution.lexicon import ATTITUDE_PATTERNS, BELIEF_LEMMAS, HEDGE_LEMMAS, VERB_ACTS
from saidwhat.attribution.quotes import Quote
from saidwhat.attribution.spans import IntervalIndex, doc_text
from saidwhat.attribution.speakers import (
    Discourse,
    collect_subjects,
    main_subject_offsets,
    resolve_speaker,
)
from saidwhat.schema import Article, Mention, Span, Statement, ViaLink


def build_statements(
    doc: Doc,
    article: Article,
    cands: list[Candidate],
    ents: ArticleEntities,
    boiler: list[tuple[int, int]],
    quotes: list[Quote],
) -> list[Statement]:
    """One statement per candidate, in order; ``ents`` gains the speakers' mentions."""
    text = doc_text(doc)
    quoted = IntervalIndex((q.start, q.end, q) for q in quotes)
    subjects = collect_subjects(doc, ents, quoted)
    discourse = Discourse(
        subjects=subjects,
        genders=person_genders(doc, ents),
        main_subjects=main_subject_offsets(doc, subjects),
    )
    dater = StatementDater(doc, article, boiler)
    statements: list[Statement] = []
    previous: tuple[Candidate, Statement] | None = None
    for cand in cands:
        st = Statement(
            id=f"S{len(statements) + 1}",
            type=cand.type,
            act="assert",
            content=[Span.of(text, s, e) for s, e in cand.content],
            cue=Span.of(text, *cand.cue_span) if cand.cue_tokens else None,
            reported_by=article.reported_by,
        )
        if cand.source is not None and cand.source_span is not None:
            clipped = within_line(text, cand.source_span, cand.cue.idx)
            if clipped != cand.source_span:
                phrase = doc.char_span(*clipped, alignment_mode="expand")
                if phrase is not None and len(phrase):
                    cand.source, cand.source_span = phrase.root, clipped
        author = _authors_voice(cand, quoted)
        if author:
            # `I think ...`, `We doubt it` outside any quote: the writer speaks (a column,
            # a leader), never a person the article names
            st.speaker_mention = Span.of(text, *cand.source_span)  # type: ignore[misc]
            st.speaker, st.speaker_name = None, "the author"
            pronoun_speaker = False
        elif cand.source is not None and cand.source_span is not None:
            res = resolve_speaker(doc, cand.source, cand.source_span, ents, discourse)
            st.speaker_mention = Span.of(text, *cand.source_span)
            st.speaker, st.speaker_name = res.entity, res.name
            st.described_by = res.described_by
            pronoun_speaker = res.kind == "pronoun"
            if st.speaker is None and cand.pattern in ("headline", "transcript"):
                st.speaker = label_entity(ents, text[slice(*cand.source_span)])
                if st.speaker is not None:
                    st.speaker_name = ents.get(st.speaker).name
            st.speaker_kind = "named" if st.speaker is not None else res.speaker_kind
        elif cand.pattern == "continuation" and previous is not None:
            # A bare quote paragraph goes on with the last speaker. It names no one itself,
            # so it has no speaker mention: the speaker was named in the statement before.
            st.speaker, st.speaker_name = previous[1].speaker, previous[1].speaker_name
            st.speaker_kind = previous[1].speaker_kind
            pronoun_speaker = True
        else:
            pronoun_speaker = False
        if not cand.pattern.startswith("noun"):  # `X's statement` is no discourse speaker
            discourse.note_speaker(cand.cue.idx, st.speaker)
        via_spans = quote_as_via(doc, cand) + cand.via
        via_spans += [s for s in interview_via(doc, cand, ents) if s not in via_spans]
        st.via = [_via_link(text, span, ents) for span in via_spans]
        if not st.via and previous is not None:
            st.via = inherit_via(cand, st, previous, pronoun_speaker)
        sentence = cand.cue.sent.text
        st.act = speech_act(cand, st.content_text, sentence)
        denied = denied_claim(doc, cand)
        if denied is not None:
            st.act = "deny"
            st.denies = Span.of(text, *denied)
        st.kind = "author" if author else statement_kind(cand)
        if st.kind == "statement" and st.speaker is None and st.speaker_mention is None:
            # `Asked about the strike, ...`, `appeared to`: no source phrase and no speaker
            # carried over, so nobody's words: agentless, as a hedge is
            st.kind = "hedge"
        if (
            st.kind == "statement"
            and cand.lemma in INFERENCE_LEMMAS
            and st.speaker is None
            and st.speaker_kind == "unresolved"
        ):
            # `Evidence on the ground suggests`, `Striking inside the capital suggests`:
            # a thing that indicates is the writer drawing a conclusion, no one's words
            st.kind = "author"
        if st.kind == "hedge":  # `it is understood that`: nobody's words, so nobody's name
            st.speaker = st.speaker_name = st.speaker_mention = None
        if st.kind in ("hedge", "author"):
            st.speaker_kind = st.described_by = None
        elif st.speaker_kind is None:  # no source phrase at all
            st.speaker_kind = "named" if st.speaker is not None else "unresolved"
        st.cites = cited_names(doc, cand, ents)
        st.target = target_of(doc, cand, st.act, ents)
        st.occasion = occasion_of(doc, cand)
        dater.date(cand, st, previous[1] if previous else None)
        statements.append(st)
        if not cand.pattern.startswith("noun") and st.speaker is not None:
            previous = (cand, st)  # speakerless asides (`Asked about X,`) break no chain
    return statements


def within_line(text: str, span: tuple[int, int], at: int) -> tuple[int, int]:
    """The part of ``span`` on the line holding offset ``at`` (the cue): a headline with
    no full stop parses into one sentence with the first paragraph, and a source phrase
    must not run from the title into the body (`a bridge too far\n\nThe transport
    director`). A span that does not reach the cue's line is kept as it is."""
    start, end = span
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    if end <= line_start or start >= line_end:
        return span
    start, end = max(start, line_start), min(end, line_end)
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if end > start else span


FIRST_PERSON = {"i", "we"}


def _authors_voice(cand: Candidate, quoted: IntervalIndex) -> bool:
    """A first-person source outside every quote, in running prose (not a labelled line
    of a transcript, where `I` is the label's speaker)."""
    src = cand.source
    return (
        src is not None
        and cand.source_span is not None
        and src.lower_ in FIRST_PERSON
        and cand.pattern not in ("headline", "transcript", "continuation")
        and not quoted.overlapping(src.idx, src.idx + 1)
        and not _in_open_quote(src.doc.text, src.idx)
    )


def _in_open_quote(text: str, at: int) -> bool:
    """Whether a quote opened earlier in the paragraph is still open at ``at`` (a quote
    that runs on into the next paragraph has no closing mark here, so the quote finder's
    pairs miss it)."""
    start = text.rfind("\n", 0, at) + 1
    before = text[start:at]
    opened = max(before.rfind("“"), before.rfind("«"))
    closed = max(before.rfind("”"), before.rfind("»"))
    if opened > closed:
        return True
    return before.count('"') % 2 == 1


# Verbs whose subject, when it names no one, is evidence the writer reads, not a source.
INFERENCE_LEMMAS = frozenset(
    "suggest show indicate mean prove demonstrate reveal underline underscore signal imply".split()
)


def statement_kind(cand: Candidate) -> str:
    """``hedge`` for a passive report cue with no agent (`it is understood that`, `the
    plan is thought to cost`), ``belief`` for a cue of a private attitude (`fears`,
    `felt`, `wants`), ``statement`` for words said or written."""
    cue = cand.cue
    if cand.pattern.startswith("noun") or cand.pattern in ("headline", "transcript"):
        return "statement"
    passive = any(c.dep_ == "auxpass" for c in cue.children)
    agent = any(c.dep_ == "agent" for c in cue.children)
    if passive and not agent and cand.lemma in HEDGE_LEMMAS:
        return "hedge"
    if cand.lemma in ("seem", "appear"):  # `it seems that`, `appeared to`: no one says it
        return "hedge"
    if cand.lemma in BELIEF_LEMMAS and cand.pattern not in ("quote_as", "according_to"):
        return "belief"
    if cand.pattern in ATTITUDE_PATTERNS and (cand.lemma not in VERB_ACTS or _refused_to_act(cand)):
        return "action"  # `sought a deal`, `imposed a boycott`, `refused to meet`
    return "statement"


def _refused_to_act(cand: Candidate) -> bool:
    """`refused to meet him`: a deed, unlike `refused the offer` (a rejection) or
    `refused to rule out` (words)."""
    if cand.lemma != "refuse" or cand.pattern != "xcomp":
        return False
    verbs = [c for c in cand.cue.children if c.dep_ == "xcomp"]
    return bool(verbs) and all(v.lemma_.lower() not in VERB_ACTS for v in verbs)


def first_person_titles(doc: Doc, statements: list[Statement], ents: ArticleEntities) -> None:
    """`our President` quoted from a Russian minister is the Russian President: the title
    holder whose role shares a qualifier (`Russian`) with the speaker's own roles."""
    for st in statements:
        speaker = ents.get(st.speaker)
        if speaker is None or st.type != "direct":
            continue
        speaker_words = {w.lower() for role in speaker.roles for w in role.split()}
        for span in st.content:
            sub = doc.char_span(span.start, span.end, alignment_mode="contract")
            for tok in sub or []:
                if tok.lower_ != "our" or tok.i + 1 >= len(doc):
                    continue
                title = doc[tok.i + 1]
                holders = [
                    e
                    for e in ents.entities
                    if e.id != speaker.id
                    and e.type == "PERSON"
                    and any(r.split()[-1].lower() == title.lower_ for r in e.roles)
                ]
                shared = [
                    e
                    for e in holders
                    if any(w.lower() in speaker_words for r in e.roles for w in r.split()[:-1])
                ]
                chosen = shared or (holders if len(holders) == 1 else [])
                if len(chosen) == 1:
                    end = title.idx + len(title)
                    ents.add_mention(
                        chosen[0].id, _mention_span(tok.idx, end, doc_text(doc), "nominal")
                    )


def _via_link(text: str, span: tuple[int, int] | None, ents: ArticleEntities) -> ViaLink:
    """A chain link named by its entity (`Tass`) or by its phrase (`local media`); in
    `Russia's RIA Novosti news agency` the outlet, not the place."""
    inside = [
        e
        for e in ents.entities
        if span and any(span[0] <= m.start and m.end <= span[1] for m in e.mentions)
    ]
    media = [e for e in inside if e.type == "MEDIA"]
    entity = media[0] if media else ents.get(ents.entity_at_char(span))
    if entity is not None:
        return ViaLink(entity.name, Span.of(text, *span) if span else None, entity.id)
    name = phrase_name(text[span[0] : span[1]]) if span else "?"
    return ViaLink(name, Span.of(text, *span) if span else None, None)


def content_pronouns(doc: Doc, statements: list[Statement], ents: ArticleEntities) -> None:
    """`Zelensky stated ..., indicating that he expected ...`: a third-person subject pronoun
    in reported speech refers to the speaker; record it as the speaker's mention."""
    for st in statements:
        ent = ents.get(st.speaker)
        if ent is None or ent.type != "PERSON" or st.type == "direct":
            continue
        for span in st.content:
            sub = doc.char_span(span.start, span.end, alignment_mode="contract")
            if sub is None:
                continue
            for tok in sub:
                if tok.lower_ in ("he", "she") and tok.dep_ == "nsubj":
                    ents.add_mention(ent.id, _mention(tok))
                    break


def _mention_span(start: int, end: int, text: str, kind: str) -> Mention:
    return Mention(start, end, text[start:end], kind)


def _mention(tok: Token) -> Mention:
    return Mention(tok.idx, tok.idx + len(tok), tok.text, "pronoun")

"""Attribution: who said what in one parsed article.

``extract(doc, article)`` runs the stages in reading order:
candidates from the parse (``candidates``) -> cue decision (``cues``, ``features``) ->
content ends (``boundaries``) -> speaker labels of headlines and transcripts (``labels``)
-> quotes joined (``direct``) -> nesting and source chains (``chains``) -> speakers
resolved with the discourse state (``speakers``) -> speech acts (``acts``) and dates
(``dating``).
"""

from __future__ import annotations

import functools

from spacy.tokens import Doc

from saidwhat.attribution.acts import speech_act
from saidwhat.attribution.boundaries import boundary_weights, choose_ends, sentence_end
from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.candidates import find_candidates
from saidwhat.attribution.chains import (
    apply_report_frames,
    cited_names,
    inherit_via,
    occasion_of,
    phrase_name,
    quote_as_via,
    target_of,
)
from saidwhat.attribution.cues import is_cue
from saidwhat.attribution.dating import StatementDater
from saidwhat.attribution.denials import denied_claim
from saidwhat.attribution.direct import (
    classify,
    extend_to_quotes,
    join_split_quotes,
    prepend_opening_quotes,
    quote_candidates,
    unquote_sources,
)
from saidwhat.attribution.entities import build_entities
from saidwhat.attribution.features import candidate_features, model_weights, score, threshold
from saidwhat.attribution.labels import label_candidates, label_entity
from saidwhat.attribution.lexicon import OCCASION_VERBS, SPEAKER_NOUNS, TELLING_LEMMAS, VERB_ACTS
from saidwhat.attribution.quotes import find_quotes, quoted_fraction
from saidwhat.attribution.spans import token_range_chars, trim_trailing_comment
from saidwhat.attribution.speakers import Discourse, collect_subjects, resolve_speaker
from saidwhat.schema import Article, Entity, Span, Statement, ViaLink


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def _accepted(cand: Candidate, quotes) -> bool:  # type: ignore[no-untyped-def]
    """The learned model decides where installed; the hand-written lexicon otherwise."""
    if cand.pattern in ("quote_as", "in_document"):
        return True  # `X quoted Y as saying`, `In a CBS poll, ...` are always attributions
    weights = _weights()
    if not weights or not cand.content:
        obj = cand.noun.lower_ if cand.noun is not None else None
        return is_cue(cand.lemma, cand.pattern, obj)
    frac = max(quoted_fraction(quotes, s, e) for s, e in cand.content)
    return score(candidate_features(cand, frac), weights) >= threshold()


@functools.lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    return model_weights()


# Constructions that attribute an attitude rather than words (`X opposes Y`, `X called for
# Y`): only someone who can hold one — a person, a group, an institution — is their source.
ATTITUDE_PATTERNS = {"dobj", "prep", "xcomp", "about"}


def _circumstance(cand: Candidate) -> bool:
    """Words that set the scene, not statements: `while addressing a media briefing`, and
    things that do things (`The agreement covers power plants` is no one's statement)."""
    if cand.lemma in OCCASION_VERBS and cand.pattern == "dobj":
        return True
    src = cand.source
    if cand.pattern in ATTITUDE_PATTERNS and src is not None and src.pos_ == "NOUN":
        speaking_verb = cand.lemma in VERB_ACTS
        return not speaking_verb and not src.ent_type_ and src.lemma_.lower() not in SPEAKER_NOUNS
    return False


def select_candidates(doc: Doc, cands: list[Candidate], quotes, boiler) -> list[Candidate]:
    """Keep accepted candidates; one per cue; none whose cue is inside a quote or boilerplate."""
    quoted = [(q.start, q.end) for q in quotes]
    chosen: list[Candidate] = []
    seen_cues: set[int] = set()
    for cand in cands:
        if cand.cue.i in seen_cues or _circumstance(cand) or not _accepted(cand, quotes):
            continue
        if not cand.content and cand.pattern != "quote_as":  # quote_as gets its quote later
            continue
        if _inside(cand.cue.idx, quoted) or _inside(cand.cue.idx, boiler):
            continue
        chosen.append(cand)
        seen_cues.add(cand.cue.i)
    return chosen


def share_participle_subjects(doc: Doc, cands: list[Candidate]) -> None:
    """`Zelensky stated that X, indicating that Y`: the parser often hangs `indicating`
    inside X; the participle's subject is the speaker of the cue that governs X."""
    by_cue = {c.cue.i: c for c in cands}
    for cand in cands:
        if cand.cue.dep_ != "advcl" or cand.cue.tag_ != "VBG":
            continue
        tok = cand.cue.head
        for _ in range(8):
            outer = by_cue.get(tok.i)
            if outer is not None and outer is not cand and outer.source is not None:
                cand.source, cand.source_span = outer.source, outer.source_span
                break
            if tok.head is tok:
                break
            tok = tok.head


def extend_reported_clauses(doc: Doc, cands: list[Candidate]) -> None:
    """Without the boundary model: a reported clause runs to the end of its sentence (up to
    the cue verb's own modifiers or another cue), less a trailing comment."""
    cue_tokens = {t.i for c in cands for t in c.cue_tokens}
    for cand in cands:
        if cand.pattern != "ccomp" or len(cand.content) != 1 or cand.start < cand.cue.idx:
            continue
        span = doc.char_span(*cand.content[0], alignment_mode="expand")
        if span is None:
            continue
        own = {t.i for t in cand.cue_tokens}
        stop = trim_trailing_comment(
            doc, span.start, sentence_end(doc, cand, span.end, cue_tokens - own)
        )
        chars = token_range_chars(doc, span.start, stop) if stop > span.end else None
        if chars is not None:
            cand.content = [(cand.content[0][0], max(cand.content[0][1], chars[1]))]


def drop_participle_asides(cands: list[Candidate]) -> list[Candidate]:
    """`Peskov told reporters, citing earlier remarks by Ushakov` / `dismissed claims ...,
    calling them "incorrect"` / `while responding to a question`: a participle that takes
    an object (not a clause) and hangs from another statement is part of that statement's
    telling (its `cites`, its occasion), not a statement of its own. A participle with a
    clause (`indicating that ...`), or one that says something of its own (`, accusing
    her of ...`, `, touting their record`), is a statement."""
    cue_ids = {c.cue.i for c in cands}
    kept = []
    for cand in cands:
        aside = (
            cand.cue.dep_ in ("advcl", "conj")
            and cand.cue.tag_ == "VBG"
            and cand.pattern in ("dobj", "prep", "about")
            and any(a.i in cue_ids for a in cand.cue.ancestors)
            and cand.lemma in TELLING_LEMMAS
        )
        if not aside:
            kept.append(cand)
    return kept


def _with_labels(cands: list[Candidate], labelled: list[Candidate]) -> list[Candidate]:
    """Speaker labels own their lines: a cue inside a labelled line (`as the Journal wrote`)
    or a content running over one is part of what the labelled speaker said."""
    if not labelled:
        return cands
    spans = [span for c in labelled for span in c.content]
    kept = [
        c
        for c in cands
        if not _inside(c.cue.idx, spans)
        and not any(s < e2 and s2 < e for s, e in c.content for s2, e2 in spans)
    ]
    return kept + labelled


def split_coordinated(doc: Doc, cands: list[Candidate]) -> None:
    """`said it was "resolutely opposed" to the test and warned North Korea to refrain`:
    when a content runs on into a coordinated clause whose verb is a speech verb of its
    own (`and warned`, `or explain`), that clause is the next statement, not part of this
    one: the content ends where the clause begins. (Measured on PolNeAR dev: splitting at
    adverbial clauses too, or at any verb, costs more than it gains.)"""
    for inner in cands:
        if inner.cue.dep_ != "conj" or inner.lemma not in VERB_ACTS or not inner.cue_tokens:
            continue
        for outer in cands:
            if outer is inner or len(outer.content) != 1:
                continue
            start, end = outer.content[0]
            if not start <= inner.cue.idx < end:
                continue
            stop = inner.cue.left_edge.i
            while stop > 0 and (
                doc[stop - 1].dep_ in ("cc", "mark", "punct") or doc[stop - 1].is_space
            ):
                stop -= 1
            first = doc.char_span(start, start + 1, alignment_mode="expand")
            if first is None or stop <= first[0].i:
                continue
            chars = token_range_chars(doc, first[0].i, stop)
            if chars is not None and chars[1] > start:
                outer.content = [(start, chars[1])]
                own = any(c.dep_ in ("nsubj", "nsubjpass") for c in inner.cue.children)
                if not own:
                    # the parse hung `warned` on the reported verb; its subject is the
                    # speaker's, not the reported clause's
                    inner.source, inner.source_span = outer.source, outer.source_span


def drop_nested(cands: list[Candidate]) -> list[Candidate]:
    """One attribution per stretch of text: a candidate whose cue lies inside another's
    content is the inner one of a nesting (`X said Y thinks Z`); keep the outer."""
    kept = []
    for cand in cands:
        inner = any(
            other is not cand and any(s <= cand.cue.idx < e for s, e in other.content)
            for other in cands
        )
        if not inner:
            kept.append(cand)
    return kept


def extract(doc: Doc, article: Article) -> tuple[list[Entity], list[Statement]]:
    """Entities and statements of ``article`` parsed as ``doc``."""
    text = doc.text
    boiler = [(s.start, s.end) for s in article.boilerplate_spans()]
    ents = build_entities(doc, skip=boiler)
    quotes = find_quotes(text)
    cands = select_candidates(doc, find_candidates(doc), quotes, boiler)
    cands = apply_report_frames(doc, cands)
    share_participle_subjects(doc, cands)
    cands = drop_participle_asides(cands)
    if boundary_weights():
        choose_ends(doc, cands)
    else:
        extend_reported_clauses(doc, cands)
    extend_to_quotes(doc, cands, quotes)
    split_coordinated(doc, cands)
    cands = drop_nested(cands)
    cands = _with_labels(cands, label_candidates(doc, ents, boiler))
    cands += quote_candidates(doc, cands, quotes, boiler)
    unquote_sources(doc, cands, quotes)
    cands = [c for c in cands if c.content]
    cands.sort(key=lambda c: c.start)
    for cand in cands:
        if cand.pattern != "transcript":  # a transcript is verbatim, quote marks or not
            cand.type = classify(cand, quotes)
    cands = prepend_opening_quotes(doc, cands, quotes)
    cands = join_split_quotes(doc, cands)

    discourse = Discourse(subjects=collect_subjects(doc, ents))
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
            res = resolve_speaker(doc, cand.source, cand.source_span, ents, discourse)
            st.speaker_mention = Span.of(text, *cand.source_span)
            st.speaker, st.speaker_name = res.entity, res.name
            pronoun_speaker = res.kind == "pronoun"
            if st.speaker is None and cand.pattern in ("headline", "transcript"):
                st.speaker = label_entity(ents, text[slice(*cand.source_span)])
                if st.speaker is not None:
                    st.speaker_name = ents.get(st.speaker).name
        elif cand.pattern == "continuation" and previous is not None:
            # A bare quote paragraph goes on with the last speaker. It names no one itself,
            # so it has no speaker mention: the speaker was named in the statement before.
            st.speaker, st.speaker_name = previous[1].speaker, previous[1].speaker_name
            pronoun_speaker = True
        else:
            pronoun_speaker = False
        if not cand.pattern.startswith("noun"):  # `X's statement` is no discourse speaker
            discourse.note_speaker(cand.cue.idx, st.speaker)
        st.via = [_via_link(text, span, ents) for span in quote_as_via(doc, cand) + cand.via]
        if not st.via and previous is not None:
            st.via = inherit_via(cand, st, previous, pronoun_speaker)
        sentence = cand.cue.sent.text
        st.act = speech_act(cand, st.content_text, sentence)
        denied = denied_claim(doc, cand)
        if denied is not None:
            st.act = "deny"
            st.denies = Span.of(text, *denied)
        st.cites = cited_names(doc, cand, ents)
        st.target = target_of(doc, cand, st.act, ents)
        st.occasion = occasion_of(doc, cand)
        dater.date(cand, st, previous[1] if previous else None)
        statements.append(st)
        if not cand.pattern.startswith("noun") and st.speaker is not None:
            previous = (cand, st)  # speakerless asides (`Asked about X,`) break no chain
    _content_pronouns(doc, statements, ents)
    _first_person_titles(doc, statements, ents)
    return ents.entities, statements


def _first_person_titles(doc: Doc, statements: list[Statement], ents) -> None:  # type: ignore[no-untyped-def]
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
                    ents.add_mention(chosen[0].id, _mention_span(tok.idx, end, doc.text, "nominal"))


def _via_link(text: str, span: tuple[int, int] | None, ents) -> ViaLink:  # type: ignore[no-untyped-def]
    """A chain link named by its entity (`Tass`) or by its phrase (`local media`)."""
    entity = ents.get(ents.entity_at_char(span))
    if entity is not None:
        return ViaLink(entity.name, Span.of(text, *span) if span else None, entity.id)
    name = phrase_name(text[span[0] : span[1]]) if span else "?"
    return ViaLink(name, Span.of(text, *span) if span else None, None)


def _content_pronouns(doc: Doc, statements: list[Statement], ents) -> None:
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


def _mention_span(start: int, end: int, text: str, kind: str):  # type: ignore[no-untyped-def]
    from saidwhat.schema import Mention

    return Mention(start, end, text[start:end], kind)


def _mention(tok):  # type: ignore[no-untyped-def]
    from saidwhat.schema import Mention

    return Mention(tok.idx, tok.idx + len(tok), tok.text, "pronoun")

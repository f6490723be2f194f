"""The attribution engine's passes, in the order they run over one parsed article.

``extract(doc, article, models)`` reads as the list of passes: candidates proposed from the
parse (``candidates``) -> decided (``cues``: learned model or lexicon) -> report frames and
participle subjects (``chains``) -> content ends (``boundaries``) -> quotes joined
(``direct``) -> speaker labels of headlines and transcripts (``labels``) -> statements
built with their speakers, chains, acts and dates (``statements``). The passes that
shape candidates and are not a module of their own are here, each a named function.
The settings come in ``models`` (``options.AttributionModels``), never from a global.
"""

from __future__ import annotations

from spacy.tokens import Doc

from saidwhat.attribution.boundaries import choose_ends, sentence_end
from saidwhat.attribution.budget import Deadline
from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.candidates import find_candidates
from saidwhat.attribution.chains import apply_report_frames, fold_trailing_reports
from saidwhat.attribution.confidence import rate_statements
from saidwhat.attribution.cues import accepted
from saidwhat.attribution.direct import (
    classify,
    extend_to_quotes,
    join_split_quotes,
    prepend_opening_quotes,
    quote_candidates,
    unquote_sources,
)
from saidwhat.attribution.entities import build_entities
from saidwhat.attribution.labels import label_candidates
from saidwhat.attribution.lexicon import (
    ATTITUDE_PATTERNS,
    OCCASION_VERBS,
    SPEAKER_NOUNS,
    TELLING_LEMMAS,
    VERB_ACTS,
)
from saidwhat.attribution.neural import combine
from saidwhat.attribution.options import AttributionModels
from saidwhat.attribution.quotes import Quote, find_quotes
from saidwhat.attribution.spans import (
    IntervalIndex,
    doc_text,
    forget_doc_text,
    token_range_chars,
    trim_trailing_comment,
)
from saidwhat.attribution.statements import (
    build_statements,
    content_pronouns,
    first_person_titles,
)
from saidwhat.schema import Article, Entity, Statement


def extract(
    doc: Doc, article: Article, models: AttributionModels, deadline: Deadline | None = None
) -> tuple[list[Entity], list[Statement]]:
    """Entities and statements of ``article`` parsed as ``doc``; ``OverBudget`` when
    ``deadline`` (None: no limit) runs out between two passes."""
    try:
        return run_passes(doc, article, models, deadline or Deadline(None))
    finally:
        forget_doc_text(doc)


def run_passes(
    doc: Doc, article: Article, models: AttributionModels, deadline: Deadline
) -> tuple[list[Entity], list[Statement]]:
    """The passes in their order (``extract`` is this plus dropping the doc's text copy).
    The deadline is read after each group of passes (each linear or n log n)."""
    boiler = [(s.start, s.end) for s in article.boilerplate_spans()]
    ents = build_entities(doc, skip=boiler, outlets=models.outlets)
    quotes = find_quotes(doc_text(doc))
    deadline.check("entities and quotes")
    cands = select_candidates(doc, find_candidates(doc), quotes, boiler, models)
    deadline.check("candidates")
    cands = apply_report_frames(doc, cands, ents)
    share_participle_subjects(doc, cands)
    cands = drop_participle_asides(cands)
    choose_content_ends(doc, cands, models)
    deadline.check("content ends")
    extend_to_quotes(doc, cands, quotes)
    split_coordinated(doc, cands)
    cands = drop_nested(cands)
    cands = with_labels(cands, label_candidates(doc, ents, boiler))
    deadline.check("labels")
    cands += quote_candidates(doc, cands, quotes, boiler)
    deadline.check("quotes")
    unquote_sources(doc, cands, quotes)
    cands = in_text_order(cands)
    classify_quotes(cands, quotes)
    cands = prepend_opening_quotes(doc, cands, quotes)
    cands = join_split_quotes(doc, cands)
    fold_trailing_reports(doc, cands, ents)
    deadline.check("quote joins")
    if models.tagger is not None:
        tagged = models.tagger.tag(doc_text(doc), deadline)
        cands = combine(doc, cands, tagged, boiler, models.choices)
        deadline.check("tagger")
    cands = outside_boilerplate(doc, cands, boiler)
    cands = body_apart_from_title(cands, article, quotes)
    statements = build_statements(doc, article, cands, ents, boiler, quotes)
    deadline.check("statements")
    content_pronouns(doc, statements, ents)
    first_person_titles(doc, statements, ents)
    rate_statements(
        doc, statements, ents.entities, models.confidence_weights, models.confidence_platt
    )
    deadline.check("pronouns and confidence")
    return ents.entities, statements


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


# Constructions that attribute an attitude rather than words (`X opposes Y`, `X called for
# Y`): only someone who can hold one — a person, a group, an institution — is their source.
# (``lexicon.ATTITUDE_PATTERNS``)


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


def select_candidates(
    doc: Doc,
    cands: list[Candidate],
    quotes: list[Quote],
    boiler: list[tuple[int, int]],
    models: AttributionModels,
) -> list[Candidate]:
    """Keep accepted candidates; one per cue; none whose cue is inside a quote or boilerplate."""
    quoted = IntervalIndex((q.start, q.end, q) for q in quotes)
    chosen: list[Candidate] = []
    seen_cues: set[int] = set()
    for cand in cands:
        if cand.cue.i in seen_cues or _circumstance(cand) or not accepted(cand, quotes, models):
            continue
        if not cand.content and cand.pattern != "quote_as":  # quote_as gets its quote later
            continue
        if quoted.overlapping(cand.cue.idx, cand.cue.idx + 1) or _inside(cand.cue.idx, boiler):
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


def choose_content_ends(doc: Doc, cands: list[Candidate], models: AttributionModels) -> None:
    """Where each reported clause ends: the boundary model's choice when the options use
    the learned models, the end of the sentence (``extend_reported_clauses``) otherwise."""
    if models.learned:
        choose_ends(doc, cands, models.boundary_weights)
    else:
        extend_reported_clauses(doc, cands)


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


def with_labels(cands: list[Candidate], labelled: list[Candidate]) -> list[Candidate]:
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
    content is the inner one of a nesting (`X said Y thinks Z`); keep the outer. The
    content spans are looked up in an ``IntervalIndex``, so thousands of quoted
    paragraphs cost n log n, not a comparison of every candidate with every other."""
    contents = IntervalIndex((s, e, i) for i, c in enumerate(cands) for s, e in c.content)
    return [
        cand
        for i, cand in enumerate(cands)
        if not any(
            owner != i for _, _, owner in contents.overlapping(cand.cue.idx, cand.cue.idx + 1)
        )
    ]


def outside_boilerplate(
    doc: Doc, cands: list[Candidate], boiler: list[tuple[int, int]]
) -> list[Candidate]:
    """No statement takes words from metadata: a content that a quote or a run to the
    paragraph's end stretched over a dateline, a sign-off or page furniture (`Story
    continues below advertisement`, `READ MORE: ...`) loses those pieces (and the blank
    space around them); a candidate left with no words, or whose cue or source is
    metadata, is dropped."""
    if not boiler:
        return cands
    text = doc_text(doc)
    kept = []
    for cand in cands:
        if _inside(cand.cue.idx, boiler):
            continue
        # ` date 2019-02-04 Iraq's president said`: the source phrase starts in the wire
        # prefix; the speaker is what follows it
        starts_in_metadata = cand.source_span is not None and _inside(cand.source_span[0], boiler)
        if starts_in_metadata and not clip_source(doc, cand, boiler):
            continue
        pieces = []
        for start, end in cand.content:
            for s, e in _subtract((start, end), boiler):
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if e > s:
                    pieces.append((s, e))
        if pieces:
            cand.content = pieces
            kept.append(cand)
    return kept


def body_apart_from_title(
    cands: list[Candidate], article: Article, quotes: list[Quote]
) -> list[Candidate]:
    """A headline with no full stop parses into one sentence with the first paragraph, so
    a statement of the body can reach back into the title (`Harbour bridge reopens` as
    the first piece of the quote below it). Only a statement whose cue is in the title
    may take words from it; the others lose that piece (and are typed again: a quote that
    lost a headline piece is direct, not mixed)."""
    title = article.title_span
    if title is None:
        return cands
    hole = [(title.start, title.end)]
    kept = []
    for cand in cands:
        if title.start <= cand.cue.idx < title.end or cand.pattern == "headline":
            kept.append(cand)
            continue
        pieces = [p for s, e in cand.content for p in _subtract((s, e), hole)]
        if pieces and pieces != cand.content:
            cand.content = pieces
            classify_quotes([cand], quotes)
        if pieces:
            kept.append(cand)
    return kept


def clip_source(doc: Doc, cand: Candidate, boiler: list[tuple[int, int]]) -> bool:
    """Start ``cand``'s source phrase after the metadata it begins in, its head the head
    of what is left; False when nothing of it is left."""
    assert cand.source_span is not None
    start, end = cand.source_span
    text = doc_text(doc)
    for s, e in boiler:
        if s <= start < e:
            start = e
    while start < end and text[start].isspace():
        start += 1
    if start >= end:
        return False
    phrase = doc.char_span(start, end, alignment_mode="contract")
    if phrase is None or not len(phrase):
        return False
    cand.source, cand.source_span = phrase.root, (phrase.start_char, phrase.end_char)
    return True


def _subtract(span: tuple[int, int], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``span`` outside every hole."""
    parts = [span]
    for hs, he in holes:
        parts = (
            [
                piece
                for s, e in parts
                for piece in ((s, min(e, hs)), (max(s, he), e))
                if piece[1] > piece[0]
            ]
            if any(s < he and hs < e for s, e in parts)
            else parts
        )
    return parts


def in_text_order(cands: list[Candidate]) -> list[Candidate]:
    """The candidates that kept a content, by where their content starts."""
    kept = [c for c in cands if c.content]
    kept.sort(key=lambda c: c.start)
    return kept


def classify_quotes(cands: list[Candidate], quotes: list[Quote]) -> None:
    """Direct, indirect or mixed, by how much of each content is quoted."""
    for cand in cands:
        if cand.pattern != "transcript":  # a transcript is verbatim, quote marks or not
            cand.type = classify(cand, quotes)

"""Direct quotes: join quote marks with the cues the parse found, and find the rest.

The parser sees sentences; quotes span several of them, open on one paragraph and close
on the next, or stand alone after ``he responded:``. This module makes each quoted passage
the content of exactly one statement: the cue whose content it overlaps, a cue verb of its
sentence, a colon lead-in, or (for a bare quote paragraph) the speaker of the last quote.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.lexicon import VERB_ACTS
from saidwhat.attribution.quotes import Quote, in_quote, quoted_fraction, touching
from saidwhat.attribution.sources import (
    adjacent_extent,
    adjacent_subject,
    source_extent,
    subject_of,
)
from saidwhat.attribution.spans import GrowingCover, doc_text

MIN_QUOTE_WORDS = 4  # shorter quoted fragments are scare quotes or mixed quotes


def quote_words(doc: Doc, q: Quote) -> int:
    return len(re.findall(r"\w+", doc_text(doc)[q.start : q.end]))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _token_at(doc: Doc, offset: int) -> Token | None:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def extend_to_quotes(doc: Doc, cands: list[Candidate], quotes: list[Quote]) -> None:
    """A content inside a quote becomes the whole quote (multi-sentence quotes).

    The quotes are taken in their order, each against the content as the earlier ones
    left it; only quotes that touch the content can hold it, so each step looks those up
    (``touching``) instead of trying every quote of the article."""
    position = {id(q): i for i, q in enumerate(quotes)}
    for cand in cands:
        new_content = []
        for s, e in cand.content:
            last = -1
            while True:
                holder = next(
                    (
                        q
                        for q in sorted(touching(quotes, s, e), key=lambda q: position[id(q)])
                        if position[id(q)] > last
                        and q.outer_start <= s
                        and e <= q.outer_end + 1
                        and _overlaps((s, e), (q.start, q.end))
                    ),
                    None,
                )
                if holder is None:
                    break
                last = position[id(holder)]
                s, e = holder.start, _trim_end(doc_text(doc), holder.start, holder.end)
            new_content.append((s, e))
        cand.content = new_content


def unquote_sources(doc: Doc, cands: list[Candidate], quotes: list[Quote]) -> None:
    """`"... Full panic mode," said Leslie Wimes`: the parser sometimes takes words of the
    quote for the subject of the cue after it. A speaker is never inside the quote they are
    credited with: take the name after the verb (`said Mulgrew`), else the name before it
    (`Flynn, a top Trump surrogate, said`), else none."""
    for cand in cands:
        src = cand.source
        if in_quote(quotes, cand.cue.idx):
            continue
        if src is None and cand.pattern == "quote":
            pass  # `Said Ellis: "..."`: the subject comes after the verb
        elif src is None or not in_quote(quotes, src.idx):
            continue
        after = cand.cue.i + 1
        while after < len(doc) and doc[after].dep_ in ("aux", "neg", "advmod", "prt"):
            after += 1
        name = doc[after] if after < len(doc) else None
        if name is not None and (name.pos_ not in ("PROPN", "NOUN") or in_quote(quotes, name.idx)):
            name = None
        while (
            name is not None and name.dep_ in ("compound", "flat", "amod") and name.head.i > name.i
        ):
            name = name.head
        if name is not None and (name.dep_ == "npadvmod" or name.ent_type_ in ("DATE", "TIME")):
            name = None  # `said Thursday morning`
        if name is None:
            before = adjacent_subject(cand.cue)
            cand.source = before
            cand.source_span = adjacent_extent(doc, before) if before is not None else None
            continue
        cand.source = name
        span = adjacent_extent(doc, name) if name.ent_type_ else source_extent(doc, name)
        if span is not None:  # `Said Ellis`: the entity recogniser may take the verb in
            span = (max(span[0], doc[after].idx), span[1])
        cand.source_span = span


def _trim_end(text: str, start: int, end: int) -> int:
    """Drop the comma that closes a quote before its attribution (`"...," he said`)."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return end


def _sentence_cue(doc: Doc, q: Quote, taken: set[int], quotes: list[Quote]) -> Token | None:
    """A cue verb in the sentence(s) the quote touches, outside any quote (`the people
    who want` in the next quote is no cue), not yet used."""
    first, last = _token_at(doc, q.start), _token_at(doc, max(q.start, q.end - 1))
    if first is None or last is None:
        return None
    sents = {first.sent.start, last.sent.start}
    after = doc_text(doc)[q.outer_end : q.outer_end + 3]
    inner_end = doc_text(doc)[max(q.start, q.end - 2) : q.end]
    # `"...," he said.` and `"...?" Clinton said.` may be split by the parser after the
    # quote: look at the next sentence when it is a short attribution in the same paragraph.
    if last.sent.end < len(doc):
        nxt = doc[last.sent.end].sent
        same_paragraph = "\n" not in doc_text(doc)[q.outer_end : nxt.start_char]
        continues = re.match(r"\s*[,—–-]", after or "") is not None or (
            re.search(r"[?!]", inner_end) is not None and len(nxt) <= 12
        )
        if same_paragraph and continues:
            sents.add(nxt.start)
    found = []
    for sent_start in sorted(sents):
        for tok in doc[sent_start].sent:
            if in_quote(quotes, tok.idx) or tok.i in taken:
                continue
            if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in VERB_ACTS:
                found.append(tok)
    if not found:
        return None
    # `A group official said X. ''Q,'' said Christine Toretti`: when the parser runs the
    # quote into the sentence before, the cue that follows the quote is its own.
    after_quote = [t for t in found if 0 <= t.idx - q.outer_end <= 60]
    if after_quote and "\n" not in doc_text(doc)[q.outer_end : after_quote[0].idx]:
        return after_quote[0]
    return found[0]


def _colon_cue(doc: Doc, q: Quote, taken: set[int]) -> Token | None:
    """`he responded: "..."`: the cue verb right before a colon that opens the quote."""
    window_start = max(0, q.open_mark - 200)
    before = doc_text(doc)[window_start : q.open_mark].rstrip()
    if not before.endswith(":"):
        return None
    colon = _token_at(doc, window_start + len(before) - 1)
    if colon is None:
        return None
    for tok in reversed(list(doc[colon.sent.start : colon.i])):
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in VERB_ACTS:
            return tok
    return None


def quote_candidates(
    doc: Doc, cands: list[Candidate], quotes: list[Quote], boiler: list[tuple[int, int]]
) -> list[Candidate]:
    """Statements for quotes that no accepted candidate covers yet."""
    new: list[Candidate] = []
    taken = {c.cue.i for c in cands}
    covered = GrowingCover(c.content for c in cands)
    for q in quotes:
        if quote_words(doc, q) < MIN_QUOTE_WORDS:
            continue
        if any(s <= q.start < e for s, e in boiler):
            continue
        if covered.overlaps(q.start, q.end):
            # `"Q1," he said, "Q2."`: a second quote right after a cue in the same sentence
            continue
        whole = (q.start, _trim_end(doc_text(doc), q.start, q.end))
        waiting = _waiting_quote_as(doc, q, cands)
        if waiting is not None:
            waiting.content.append(whole)
            covered.add(q.start, [whole])
            continue
        around = _around(doc, q, cands + new)
        if around is not None:
            around.content.append(whole)
            covered.add(q.start, [whole])
            continue
        signed = _dash_signature(doc, q)
        if signed is not None:
            new.append(signed)
            covered.add(q.start, signed.content)
            continue
        cue = _colon_cue(doc, q, taken) or _sentence_cue(doc, q, taken, quotes)
        if cue is not None:
            cand = Candidate(
                cue=cue,
                lemma=cue.lemma_.lower(),
                pattern="quote",
                content=[(q.start, _trim_end(doc_text(doc), q.start, q.end))],
                cue_tokens=[cue] + [c for c in cue.children if c.dep_ in ("aux", "neg", "prt")],
                type="direct",
            )
            cand.source = subject_of(cue)
            if cand.source is not None:
                cand.source_span = source_extent(doc, cand.source)
            taken.add(cue.i)
            new.append(cand)
            covered.add(q.start, cand.content)
            continue
        first = _token_at(doc, q.start)
        if first is not None and _stands_alone(doc_text(doc), q):
            new.append(
                Candidate(
                    cue=first,
                    lemma="",
                    pattern="continuation",
                    content=[(q.start, _trim_end(doc_text(doc), q.start, q.end))],
                    cue_tokens=[],
                    type="direct",
                )
            )
            covered.add(q.start, new[-1].content)
    return new


def _stands_alone(text: str, q: Quote) -> bool:
    """A quote that opens its paragraph or sentence (`... he said. "We will ..."`) can go
    on with the last speaker; one inside a sentence (`went after Trump as a "leech"`) is
    part of that sentence, whoever it is about."""
    before = text[: q.open_mark].rstrip(" \t\u00a0")
    return not before or before[-1] in ".!?:\n\"”'’)"


def _dash_signature(doc: Doc, q: Quote) -> Candidate | None:
    """`"..." ― Ariana Huichapa, 24`: a quote signed with a dash and a name."""
    after = doc_text(doc)[q.outer_end : q.outer_end + 6]
    m = re.match(r"[ \t\u00a0]*[―—–]{1,2}[ \t\u00a0]*", after)
    if m is None:
        return None
    dash = _token_at(doc, q.outer_end + m.start() + len(m.group(0).rstrip()) - 1)
    name = _token_at(doc, q.outer_end + m.end())
    if dash is None or name is None or name.pos_ != "PROPN":
        return None
    head = name
    while head.dep_ in ("compound", "flat") and head.head.pos_ == "PROPN" and head.head.i > head.i:
        head = head.head
    cand = Candidate(
        cue=dash,
        lemma="―",
        pattern="signature",
        type="direct",
        content=[(q.start, _trim_end(doc_text(doc), q.start, q.end))],
        cue_tokens=[dash],
        source=head,
    )
    last = name
    while last.i + 1 < len(doc) and (
        doc[last.i + 1].pos_ == "PROPN" or re.fullmatch(r"[A-Z]\.", doc[last.i + 1].text)
    ):
        last = doc[last.i + 1]
    cand.source_span = (name.idx, last.idx + len(last))
    return cand


def _waiting_quote_as(doc: Doc, q: Quote, cands: list[Candidate]) -> Candidate | None:
    """`"...," Tass quoted Lavrov as saying`: the quote of a `quote_as` cue in its sentence."""
    for cand in cands:
        if cand.pattern != "quote_as" or cand.content:
            continue
        sent = cand.cue.sent
        near_before = sent.start_char - 3 <= q.outer_end <= cand.cue.idx
        near_after = cand.cue.idx < q.open_mark <= sent.end_char + 3
        if near_before or near_after:
            return cand
    return None


def _around(doc: Doc, q: Quote, cands: list[Candidate]) -> Candidate | None:
    """The candidate of `"Q1," he said, "Q2."` whose cue sits between the two quotes."""
    for cand in cands:
        if not cand.content or cand.cue_tokens == []:
            continue
        cue_end = cand.cue_span[1]
        # the distance first, so that a long article is not sliced once per candidate
        if q.open_mark - cand.end < 80 and cand.end <= cand.cue_span[0] < q.open_mark:
            tail = doc_text(doc)[cue_end : q.open_mark]
            if re.fullmatch(r"[^.!?\"“”]*[,:]\s*", tail):
                return cand
    return None


def classify(cand: Candidate, quotes: list[Quote]) -> str:
    """direct (the content is quoted), mixed (holds a quoted fragment) or indirect."""
    covered = sum(quoted_fraction(quotes, s, e) * (e - s) for s, e in cand.content)
    total = sum(e - s for s, e in cand.content) or 1
    frac = covered / total
    if frac >= 0.8:
        return "direct"
    if frac > 0:
        return "mixed"
    return "indirect"


def _other_statement_between(cands: list[Candidate], start: int, end: int) -> bool:
    return any(start <= c.cue_span[0] < end for c in cands if c.cue_tokens)


def join_split_quotes(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """`"Q1," he said. "Q2."`: a cue-less quote right after a statement (direct, mixed:
    `said the plan was "dead"`, or reported: `said that ... . "Q2."`) continues that statement (one statement, two content
    spans), in the same paragraph or the next, when only the attribution stands between."""
    out: list[Candidate] = []
    for cand in cands:
        prev = out[-1] if out else None
        if cand.pattern == "continuation" and prev is not None:
            gap_start = max(prev.end, prev.cue_span[1] if prev.cue_tokens else prev.end)
            gap = doc_text(doc)[gap_start : cand.start]
            gap_span = doc.char_span(gap_start, cand.start, alignment_mode="contract")
            # A new sentence (a clause root other than the cue) between the quotes breaks
            # the statement; a description of the speaker (`who helmed the DNC`,
            # `speaking of ...`) does not.
            new_clauses = [
                t
                for t in gap_span or []
                if t.dep_ == "ROOT"
                and t.i not in {c.i for c in prev.cue_tokens}
                and not (t.is_punct or t.is_space)  # a quote mark or a blank line is no clause
            ]
            if (
                len(gap) < 300
                and not new_clauses
                and not _other_statement_between(out, gap_start, cand.start)
            ):
                prev.content.extend(cand.content)
                continue
        out.append(cand)
    return out


def prepend_opening_quotes(
    doc: Doc, cands: list[Candidate], quotes: list[Quote]
) -> list[Candidate]:
    """`"On this basis," Zero Hedge said, "unemployment is ..."`: a short quote just before
    the source and cue opens the statement whose quote follows them. A quote that found no
    cue of its own (a `continuation`) is taken over; the candidates left are returned."""
    bare = [c for c in cands if c.pattern == "continuation"]
    used = [span for c in cands if c.pattern != "continuation" for span in c.content]
    for cand in cands:
        if not cand.content or not cand.cue_tokens or cand.start < cand.cue_span[1]:
            continue
        lead = min(cand.cue_span[0], cand.source_span[0] if cand.source_span else cand.cue_span[0])
        for q in quotes:
            if q.close_mark is None or not 0 <= lead - q.outer_end <= 3:
                continue
            if not re.fullmatch(r"[\s,]*", doc_text(doc)[q.outer_end : lead]):
                continue
            if any(_overlaps((q.start, q.end), span) for span in used):
                continue
            before = doc_text(doc)[: q.open_mark].rstrip()
            if before and before[-1] not in ".!?:\n\"“”'’)":
                continue  # `On the broadcast of "Fox News Sunday," Pence said`: a title
            taken = [o for o in bare if any(_overlaps((q.start, q.end), sp) for sp in o.content)]
            if taken and cand.type != "direct":
                continue
            cand.content.insert(0, (q.start, _trim_end(doc_text(doc), q.start, q.end)))
            for other in taken:
                other.content = []
            break
    return [c for c in cands if c.content]

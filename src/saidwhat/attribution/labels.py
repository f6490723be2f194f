"""Speaker labels: `Pence: Flowers won't be at the debate` and `WALLACE: Let's start ...`.

Headlines and interview transcripts attribute with a name and a colon, no verb: the parse
offers no cue, so these are found from the layout. A label is a statement only when it
names someone: a headline label must be a named entity or a speaker noun (`Poll:`,
`Newspaper:`), never a rubric (`The Latest:`, `Breaking:`); a transcript label is an
upper-case name at the start of a paragraph that either names a person of the article
(`PENCE` for Mike Pence) or labels at least two paragraphs (an interview).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from saidwhat.attribution.candidate import Candidate
from saidwhat.attribution.entities import ArticleEntities
from saidwhat.attribution.spans import doc_text

MAX_LABEL_WORDS = 6
MAX_TITLE_CHARS = 200
# Heads of headline labels that speak without being named: `Poll: ...`, `Clinton camp: ...`.
LABEL_NOUNS = {
    "poll",
    "polls",
    "survey",
    "study",
    "report",
    "newspaper",
    "camp",
    "campaign",
    "aide",
    "aides",
    "official",
    "officials",
    "expert",
    "experts",
    "sources",
    "source",
    "insiders",
    "editorial",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "ministry",
    "president",
    "police",
    "court",
    "judge",
}
# Rubrics and page furniture, never speakers, whatever the parser says.
RUBRICS = set(
    """latest breaking update updated exclusive watch video photos photo live analysis
    opinion review correction corrections clarification note editor byline
    previously related read more revealed look wow boom busted bombshell just leaked
    fact check fact-check factcheck explainer transcript email q a
    interview podcast listen nerdcast briefing newsletter""".split()
)
ADDRESSEE_PREPS = {"to", "on", "at", "in", "for", "about"}
ENTITY_TYPES = {"PERSON", "ORG", "GPE", "NORP", "MEDIA"}

_TRANSCRIPT = re.compile(r"^[\"“”']?([A-Z][A-Z.'’\- ]{1,40}?):[ \t\u00a0]+(?=\S)", re.M)
_HEADLINE = re.compile(r"([^:\n]{2,80}?):[ \t\u00a0]+(?=\S)")


def label_candidates(
    doc: Doc, ents: ArticleEntities, boiler: list[tuple[int, int]]
) -> list[Candidate]:
    """Statements introduced by a speaker label: the headline's, then transcript lines."""
    found = []
    headline = _headline_candidate(doc, ents, boiler)
    if headline is not None:
        found.append(headline)
    found += _transcript_candidates(doc, ents, boiler)
    return found


def _first_line(text: str) -> tuple[int, int] | None:
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    if end < 0 or end - start > MAX_TITLE_CHARS:
        return None
    return start, end


def _tokens(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="contract")
    return list(span) if span is not None else []


def _is_rubric(words: list[str]) -> bool:
    return any(w.lower().strip(".'’-") in RUBRICS for w in words)


def _headline_candidate(
    doc: Doc, ents: ArticleEntities, boiler: list[tuple[int, int]]
) -> Candidate | None:
    """`Pat Caddell: Democrat voters worried ...` in the first line of the article; also
    `EXCLUSIVE – Roger Stone: ...` (a rubric before a dash) and `Clinton to Planned
    Parenthood: ...` (the speaker is the part before `to`, `on`, `at`)."""
    text = doc_text(doc)
    line = _first_line(text)
    if line is None or any(s <= line[0] < e for s, e in boiler):
        return None
    m = _HEADLINE.match(text, line[0], line[1])
    if m is None:
        return None
    colon = m.end(1)
    toks = [t for t in _tokens(doc, m.start(1), colon) if not t.is_space]
    dash = next((i for i, t in enumerate(toks) if t.text in ("–", "—", "-", "―")), None)
    if dash is not None and _is_rubric([t.text for t in toks[:dash]]):
        toks = toks[dash + 1 :]  # `EXCLUSIVE – Roger Stone:`
    addressee = next((i for i, t in enumerate(toks) if t.lower_ in ADDRESSEE_PREPS), None)
    if addressee:
        toks = toks[:addressee]  # `CNN President On Trump:`
    words = [t.text for t in toks if not t.is_punct]
    if not words or len(words) > MAX_LABEL_WORDS or _is_rubric(words[:1]):
        return None
    if any(t.pos_ in ("VERB", "AUX", "ADP", "PRON") or t.tag_ == "POS" for t in toks):
        return None
    head = next((t for t in reversed(toks) if not t.is_punct), None)
    if head is None or head.ent_type_ in ("DATE", "TIME") or _is_rubric([head.text]):
        return None
    named = head.ent_type_ in ENTITY_TYPES or (head.ent_type_ == "" and head.pos_ == "PROPN")
    # `Trump:` alone is often tagged a common noun: a name of the article's people counts.
    known = head.text[:1].isupper() and head.lower_ in _entity_words(ents)
    if not (named or known) and head.lower_ not in LABEL_NOUNS:
        return None
    content_end = line[1]
    while content_end > m.end() and text[content_end - 1] in " .\t":
        content_end -= 1
    label_end = head.idx + len(head)
    return _candidate(doc, toks[0].idx, colon, m.end(), content_end, head, label_end)


def _entity_words(ents: ArticleEntities) -> set[str]:
    return {
        w.lower()
        for e in ents.entities
        if e.type in ("PERSON", "ORG", "MEDIA")
        for n in [e.name, *e.aliases]
        for w in n.split()
    }


def _transcript_candidates(
    doc: Doc, ents: ArticleEntities, boiler: list[tuple[int, int]]
) -> list[Candidate]:
    """`PENCE: Well, look, ...`: upper-case speaker labels opening paragraphs."""
    text = doc_text(doc)
    title = _first_line(text)
    matches = []
    for m in _TRANSCRIPT.finditer(text):
        if title is not None and m.start() < title[1]:
            continue  # the headline is `_headline_candidate`'s
        if any(s <= m.start() < e for s, e in boiler):
            continue
        label = m.group(1).strip()
        words = label.split()
        if len(words) > 3 or len(label) < 2 or _is_rubric(words):
            continue
        matches.append((m, label))
    counts: dict[str, int] = {}
    for _, label in matches:
        counts[label] = counts.get(label, 0) + 1
    interview = len(counts) >= 2 and len(matches) >= 3
    out = []
    for m, label in matches:
        if not interview and label_entity(ents, label) is None:
            continue
        label_start = m.start(1)
        head = next(
            (t for t in reversed(_tokens(doc, label_start, m.end(1))) if not t.is_punct), None
        )
        if head is None:
            continue
        pieces = _turn(text, m, [x.start() for x, _ in matches])
        cand = _candidate(doc, label_start, m.end(1), pieces[0][0], pieces[0][1], head)
        if cand is not None:
            cand.pattern, cand.type, cand.content = "transcript", "direct", pieces
            out.append(cand)
    return out


def _paragraph_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _turn(text: str, m: re.Match[str], label_starts: list[int]) -> list[tuple[int, int]]:
    """The paragraphs of one speaker's turn: the labelled one, and where the transcript
    quotes each paragraph (`"PENCE: ...` then `"But the truth is ...`), the unlabelled
    paragraphs after it up to the next label or stage direction (`"(CROSSTALK.)`)."""
    pieces = [(m.end(), _paragraph_end(text, m.end()))]
    quoted = text[m.start()] in "\"“”'"
    nxt = min((s for s in label_starts if s > m.start()), default=len(text))
    while quoted:
        para = pieces[-1][1]
        while para < len(text) and text[para].isspace():
            para += 1
        if para >= nxt or para >= len(text) or text[para] not in "\"“”'":
            break
        body = para + 1
        if body >= len(text) or text[body] in "([" or text[body].isspace():
            break
        pieces.append((body, _paragraph_end(text, body)))
    return pieces


def _candidate(
    doc: Doc,
    label_start: int,
    colon: int,
    content_start: int,
    content_end: int,
    head: Token,
    label_end: int | None = None,
) -> Candidate | None:
    colon_tok = doc.char_span(colon, colon + 1, alignment_mode="expand")
    if colon_tok is None or content_end <= content_start:
        return None
    cand = Candidate(
        cue=colon_tok[0],
        lemma=":",
        pattern="headline",
        content=[(content_start, content_end)],
        cue_tokens=[colon_tok[0]],
        source=head,
        source_span=(label_start, label_end or colon),
    )
    return cand


def label_entity(ents: ArticleEntities, label: str) -> str | None:
    """The person an upper-case label names: `PENCE` is Mike Pence, `JAKE TAPPER` Tapper."""
    words = [w.lower() for w in label.split()]
    matches = []
    for ent in ents.entities:
        if ent.type != "PERSON":
            continue
        names = [ent.name, *ent.aliases]
        parts = {w.lower() for n in names for w in n.split()}
        if " ".join(words) in {n.lower() for n in names} or words[-1] in parts:
            matches.append(ent.id)
    return matches[0] if len(matches) == 1 else None

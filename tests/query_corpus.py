"""A small hand-made corpus for the query tests (built without spaCy).

Five articles: a wire story carried by two outlets (one claim, two reports), a Reuters
piece with a dated-by-range denial, a Herald piece with a two-link source chain and an
unresolved speaker, and a later piece in another month. Every quoted text is made up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from saidwhat.schema import Analysis, Article, Entity, Mention, Span, Statement, ViaLink
from saidwhat.store import Store
from store_support import wire_story


def _span(text: str, piece: str) -> Span:
    start = text.index(piece)
    return Span(start, start + len(piece), piece)


def build(
    text: str,
    *,
    date: str,
    source: str,
    agency: str | None = None,
    title: str | None = None,
    people: Sequence[tuple[str, str, Sequence[str], Sequence[str]]] = (),
    statements: Sequence[dict[str, Any]] = (),
) -> Analysis:
    """people: (local id, name, roles, aliases); statements: dicts with ``words``,
    ``cue``, ``speaker`` (local id or None), optional ``speaker_name``, ``act``, ``type``,
    ``via`` (names), ``date``, ``date_range``."""
    article = Article(text=text, date=date, source=source, agency=agency, title=title)
    ents = []
    for local, name, roles, aliases in people:
        mentions = [Mention(m.start, m.end, m.text) for m in [_span(text, name)]]
        ents.append(Entity(local, name, "PERSON", list(aliases), list(roles), mentions))
    stmts = []
    for i, spec in enumerate(statements, 1):
        ent = next((e for e in ents if e.id == spec.get("speaker")), None)
        stmts.append(
            Statement(
                id=f"s{i}",
                type=spec.get("type", "direct"),
                act=spec.get("act", "assert"),
                content=[_span(text, spec["words"])],
                cue=_span(text, spec["cue"]),
                speaker_mention=_span(text, ent.name) if ent else None,
                speaker=ent.id if ent else None,
                speaker_name=ent.name if ent else spec.get("speaker_name"),
                via=[ViaLink(name=v) for v in spec.get("via", ())],
                reported_by=article.reported_by,
                date=spec.get("date", date if "date_range" not in spec else None),
                date_range=spec.get("date_range"),
            )
        )
    return Analysis(article=article, entities=ents, statements=stmts, model="hand")


PESKOV = ("p", "Dmitry Peskov", ["Kremlin spokesman"], ["Peskov"])
ORLOV = ("o", "Irina Orlov", ["mayor"], ["Orlov"])

REUTERS = build(
    "Kyiv, Dec 12 (Reuters) Mayor Irina Orlov warned on Friday that the city bridges were "
    'failing. "The bridges will not survive another winter without repairs," Irina Orlov '
    "said. Separately, Kremlin spokesman Dmitry Peskov denied that Russia had struck the "
    "power plant earlier in the week, calling the reports a provocation.",
    date="2025-12-12",
    source="Reuters",
    title="Mayor warns on bridges",
    people=[ORLOV, PESKOV],
    statements=[
        {
            "speaker": "o",
            "words": "The bridges will not survive another winter without repairs,",
            "cue": "said",
            "act": "warn",
        },
        {
            "speaker": "p",
            "words": "that Russia had struck the power plant earlier in the week",
            "cue": "denied",
            "act": "deny",
            "type": "indirect",
            "date_range": ("2025-12-08", "2025-12-10"),
        },
    ],
)

HERALD = build(
    "Geneva, Dec 20 The mayor, Irina Orlov, proposed a moratorium on strikes against energy "
    "infrastructure, local media reported, citing Interfax. A Western diplomat said the "
    "proposal had little chance of support in the coming weeks.",
    date="2025-12-20",
    source="Herald",
    title="Orlov proposes energy moratorium",
    people=[ORLOV],
    statements=[
        {
            "speaker": "o",
            "words": "a moratorium on strikes against energy infrastructure",
            "cue": "proposed",
            "act": "propose",
            "type": "indirect",
            "via": ["local media", "Interfax"],
        },
        {
            "speaker": None,
            "speaker_name": "A Western diplomat",
            "words": "the proposal had little chance of support in the coming weeks",
            "cue": "said",
            "type": "indirect",
        },
    ],
)

JANUARY = build(
    "Moscow, Jan 5 (Tass) Dmitry Peskov said the corridor talks would resume after the "
    "holidays and promised that the delegation would travel to Geneva.",
    date="2026-01-05",
    source="Tass",
    title="Talks to resume",
    people=[PESKOV],
    statements=[
        {
            "speaker": "p",
            "words": "the corridor talks would resume after the holidays",
            "cue": "said",
            "type": "indirect",
        },
        {
            "speaker": "p",
            "words": "that the delegation would travel to Geneva",
            "cue": "promised",
            "act": "promise",
            "type": "indirect",
        },
    ],
)


def wire(outlet: str) -> Analysis:
    """The shared wire story as ``outlet`` prints it, with the speaker reached via Tass."""
    a = wire_story(outlet, extra=f"{outlet} contributed to this report.")
    for st in a.statements:
        st.via = [ViaLink(name="Tass")]
    a.entities[0].aliases = ["Peskov"]
    a.article.title = f"Grain corridor talks ({outlet})"
    return a


def load(store: Store) -> dict[str, Analysis]:
    """Add the corpus; returns the analyses by short name."""
    corpus = {
        "ians": wire("IANS"),
        "tribune": wire("Tribune"),
        "reuters": REUTERS,
        "herald": HERALD,
        "january": JANUARY,
    }
    for analysis in corpus.values():
        store.add_analysis(analysis)
    return corpus

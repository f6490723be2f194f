"""Confidence: the engine's estimate that a statement is right, in [0, 1].

"Right" is what a reader checks first: the words are an attribution and the speaker is
the one named (on PolNeAR: the statement's content matches a gold attribution and its
speaker mention overlaps that attribution's source). A logistic regression over what the
finished statement shows (its type, kind and act, how its speaker was found, its cue word,
where the cue sits, how long the content is) is fitted on PolNeAR *train* by
``bench/learn_confidence.py``, then rescaled on *dev* (two numbers, ``platt``) so that
the figure reads as a probability there: of the statements at 0.9 and above, at least
90 % are right (README, "Confidence"). Features are computed from the Statement and the
parse only, so the fitting script and the engine cannot disagree about them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from spacy.tokens import Doc

from saidwhat.schema import Entity, Statement

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}


def _length(chars: int) -> str:
    for limit, name in ((20, "xs"), (60, "s"), (150, "m"), (400, "l")):
        if chars <= limit:
            return name
    return "xl"


def statement_features(doc: Doc, st: Statement, types: Mapping[str, str]) -> list[str]:
    """The names of the features a statement shows (``types``: entity id -> type)."""
    feats = ["bias", f"type={st.type}", f"kind={st.kind}", f"act={st.act}"]
    mention = (st.speaker_mention.text.strip().lower() if st.speaker_mention else "") or None
    if st.speaker is not None:
        speaker = f"entity:{types.get(st.speaker, '?')}"
    elif mention is not None:
        speaker = "unresolved"
    else:
        speaker = "none"
    if mention in PRONOUNS:
        speaker += ":pronoun"
    feats += [f"speaker={speaker}", f"speaker={speaker}|type={st.type}"]
    if st.cue is not None:
        tokens = doc.char_span(st.cue.start, st.cue.end, alignment_mode="expand")
        lemma = tokens.root.lemma_.lower() if tokens is not None and len(tokens) else "?"
        words = len(tokens) if tokens is not None else 0
        where = (
            "before" if st.cue.end <= st.start else "after" if st.cue.start >= st.end else "inside"
        )
        feats += [
            f"cue={lemma}",
            f"cue={lemma}|type={st.type}",
            f"cue_words={min(words, 4)}",
            f"cue_at={where}|type={st.type}",
        ]
    else:
        feats.append("cue=none")
    chars = sum(s.end - s.start for s in st.content)
    feats += [f"len={_length(chars)}|type={st.type}", f"pieces={min(len(st.content), 3)}"]
    if st.via:
        feats.append("via")
    if st.date is None and st.date_range is None:
        feats.append("undated")
    return feats


def raw_score(features: Iterable[str], weights: Mapping[str, float]) -> float:
    """The model's log-odds for these features."""
    return sum(weights.get(f, 0.0) for f in features)


def probability(z: float, platt: tuple[float, float] = (1.0, 0.0)) -> float:
    """Log-odds to a probability, rescaled by the dev calibration ``platt`` = (a, b)."""
    a, b = platt
    z = a * z + b
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def rate_statements(
    doc: Doc,
    statements: list[Statement],
    entities: list[Entity],
    weights: Mapping[str, float],
    platt: tuple[float, float],
) -> None:
    """Set each statement's ``confidence`` (left None when no model is loaded)."""
    if not weights:
        return
    types = {e.id: e.type for e in entities}
    for st in statements:
        z = raw_score(statement_features(doc, st, types), weights)
        st.confidence = round(probability(z, platt), 3)

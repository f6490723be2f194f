"""Scoring predicted attributions against gold: content, source and cue P/R/F1.

The definitions (fixed by the evaluation issue, so figures stay comparable over time):

* **Matching.** Within a document, predicted and gold attributions are paired one-to-one
  by their content. Candidate pairs are those whose content spans share at least one
  character. Pairs whose normalised content texts are equal are matched first, then the
  rest; within each group the pair with the larger character overlap goes first, then the
  pair whose source and cue agree (so a content two gold attributions share, "X and Y
  said", goes to the one with the predicted speaker), then document order. This greedy matching is not a maximum-weight bipartite matching, but
  it never pairs one prediction with two gold attributions (or the reverse), and taking
  exact pairs first lets a prediction that overlaps two gold contents pick the one it
  reproduces exactly.
* **Content (overlap).** TP = matched pairs; P = TP / predictions, R = TP / gold.
* **Content (exact).** TP = matched pairs whose normalised texts are equal; same
  denominators. Normalising trims whitespace, quote marks (straight and curly, single and
  double, guillemets) and edge punctuation (``. , ; : ! ? …`` and dashes) from both ends and
  collapses internal whitespace, so ``“We will win,”`` equals ``We will win``. Discontinuous
  content (``"Q1," he said. "Q2."``) is normalised piece by piece, then the pieces are
  joined by a space, so the quote marks around each piece do not count either.
* **Source** and **cue.** TP = matched pairs whose predicted span overlaps the gold span
  (by one character or more). P = TP / predictions that have one (``speaker_mention`` or
  ``cue`` not None), R = TP / gold attributions that have one.

Counts are summed over documents before dividing (micro-average). A ratio with a zero
denominator is 0. Everything here is plain Python: no spaCy, so it is unit-tested with
hand-made predictions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from saidwhat.evaluation.gold import Attribution, GoldDoc, Offsets
from saidwhat.schema import Span, Statement

METRICS = ("content_overlap", "content_exact", "source", "cue")

_QUOTES = "\"'`´‘’‚‛“”„‟«»‹›′″"
_PUNCT = ".,;:!?…—–-‐‑‒―"
_EDGE = _QUOTES + _PUNCT + " \t\n\r\f\v\u00a0\u2009\u200a\u202f"


def normalise(text: str) -> str:
    """Content text as compared for exact matches (see the module docstring)."""
    return " ".join(text.strip(_EDGE).split())


def normalise_pieces(text: str, pieces: Offsets | None) -> str:
    """Normalised content of discontinuous pieces: each piece trimmed, then joined."""
    parts = [normalise(text[s:e]) for s, e in sorted(pieces or ())]
    return " ".join(p for p in parts if p)


def overlap(a: Offsets, b: Offsets) -> int:
    """Characters shared by two sets of (start, end) pieces."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in _merged(a) for s2, e2 in _merged(b))


def _merged(pieces: Offsets) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(pieces):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def span_text(text: str, pieces: Offsets | None) -> str | None:
    """The document text of ``pieces``, discontinuous pieces joined by a space."""
    if not pieces:
        return None
    return " ".join(text[s:e] for s, e in sorted(pieces))


def from_statement(st: Statement | Attribution) -> Attribution:
    """A predicted Statement as offsets (Attributions pass through)."""
    if isinstance(st, Attribution):
        return st

    def offs(span: Span | None) -> Offsets | None:
        return None if span is None else ((span.start, span.end),)

    content = tuple(sorted((s.start, s.end) for s in st.content if s.end > s.start))
    return Attribution(content=content, source=offs(st.speaker_mention), cue=offs(st.cue), id=st.id)


@dataclass
class Counts:
    """True positives and the two denominators of one metric."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "pred": self.n_pred,
            "gold": self.n_gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Scores:
    """Micro-averaged counts per metric, plus one row per miss or false alarm."""

    docs: int = 0
    metrics: dict[str, Counts] = field(default_factory=lambda: {m: Counts() for m in METRICS})
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        self.docs += other.docs
        for name, counts in other.metrics.items():
            self.metrics[name].add(counts)
        self.errors.extend(other.errors)

    def to_dict(self) -> dict[str, Any]:
        return {"docs": self.docs, **{m: c.to_dict() for m, c in self.metrics.items()}}


def match(
    text: str, preds: Sequence[Attribution], golds: Sequence[Attribution]
) -> list[tuple[int, int, bool]]:
    """One-to-one (pred index, gold index, exact) pairs, by the rule of the module docstring."""
    pred_norm = [normalise_pieces(text, p.content) for p in preds]
    gold_norm = [normalise_pieces(text, g.content) for g in golds]
    candidates = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            ov = overlap(p.content, g.content)
            if ov > 0:
                exact = pred_norm[i] == gold_norm[j]
                agree = _agrees(p.source, g.source) + _agrees(p.cue, g.cue)
                candidates.append((not exact, -ov, -agree, i, j))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for inexact, _, _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j, not inexact))
    return pairs


def _agrees(pred: Offsets | None, gold: Offsets | None) -> int:
    return int(bool(pred and gold and overlap(pred, gold) > 0))


def score_document(gold: GoldDoc, predicted: Iterable[Statement | Attribution]) -> Scores:
    """Counts and error rows for one document."""
    preds = [p for p in map(from_statement, predicted) if p.content]
    golds = gold.attributions
    pairs = match(gold.text, preds, golds)
    m = {name: Counts(n_pred=len(preds), n_gold=len(golds)) for name in METRICS}
    m["source"] = Counts(
        n_pred=sum(p.source is not None for p in preds),
        n_gold=sum(g.source is not None for g in golds),
    )
    m["cue"] = Counts(
        n_pred=sum(p.cue is not None for p in preds), n_gold=sum(g.cue is not None for g in golds)
    )
    errors = _Errors(gold)
    for i, j, exact in pairs:
        p, g = preds[i], golds[j]
        m["content_overlap"].tp += 1
        m["content_exact"].tp += exact
        if not exact:
            errors.add("inexact", g, p)
        for role in ("source", "cue"):
            ps, gs = getattr(p, role), getattr(g, role)
            if ps and gs and overlap(ps, gs) > 0:
                m[role].tp += 1
            elif ps and gs:
                errors.add(f"{role}_wrong", g, p)
            elif gs:
                errors.add(f"{role}_missed", g, p)
            elif ps:
                errors.add(f"{role}_spurious", g, p)
    matched_p = {i for i, _, _ in pairs}
    matched_g = {j for _, j, _ in pairs}
    for j, g in enumerate(golds):
        if j not in matched_g:
            errors.add("missed", g, None)
    for i, p in enumerate(preds):
        if i not in matched_p:
            errors.add("false_alarm", None, p)
    return Scores(docs=1, metrics=m, errors=errors.rows)


class _Errors:
    """Rows for the ``--errors`` JSONL: what was missed, invented or got wrong, with texts."""

    def __init__(self, doc: GoldDoc) -> None:
        self.doc = doc
        self.rows: list[dict[str, Any]] = []

    def add(self, kind: str, gold: Attribution | None, pred: Attribution | None) -> None:
        row: dict[str, Any] = {"doc": self.doc.id, "kind": kind}
        for side, att in (("gold", gold), ("pred", pred)):
            row[side] = span_text(self.doc.text, att.content) if att else None
            row[f"{side}_content_spans"] = [list(x) for x in att.content] if att else None
            row[f"{side}_source"] = span_text(self.doc.text, att.source) if att else None
            row[f"{side}_cue"] = span_text(self.doc.text, att.cue) if att else None
        self.rows.append(row)


def evaluate(
    gold_docs: Iterable[GoldDoc],
    predictions: Mapping[str, Iterable[Statement | Attribution]],
) -> Scores:
    """Score ``predictions`` (doc id -> statements) against ``gold_docs``.

    A gold document without an entry in ``predictions`` counts as predicting nothing;
    predictions for documents not in the gold are ignored.
    """
    total = Scores()
    for doc in gold_docs:
        total.add(score_document(doc, predictions.get(doc.id, ())))
    return total

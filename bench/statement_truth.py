"""Statement-level truth for the examples: who said what, scored against a store.

``examples/truth.yaml`` lists under ``statements`` every attribution in the example
articles (its ``statements_about`` says how they were chosen). Each has an ``article``
(file name or ``feed_batch.jsonl#N``), a verbatim ``phrase`` of the content, and one of
``speaker`` (a true entity id), ``described`` or ``anonymous`` (the phrase as written),
with ``via`` (intermediaries, outermost first) where the text names them.

A truth statement is *found* when a stored statement of the same article has content
containing the phrase, both normalised by :func:`norm` (curly quotes as straight, double
quotes dropped, whitespace folded, case-folded), so a quote mark the engine kept or cut
at a span edge never decides a match. When several stored statements contain the phrase,
the one with the expected speaker is taken, so a duplicate never costs a hit.

Speaker entities are compared through the map ``merge_accuracy.observation_map`` builds
(a live store entity stands for a true entity when its observations' names all fit that
one): a named statement is right when its stored speaker entity, followed through
``merged_into``, stands for exactly the true speaker. The functions here take plain rows,
so the scoring is tested without spaCy or a store (tests/test_examples_truth.py).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

PLACE_TYPES = {"GPE", "LOC"}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def norm(text: str) -> str:
    """Text as phrases are compared: straight quotes, no double quotes, folded case/space."""
    return " ".join(text.translate(_QUOTES).replace('"', "").split()).casefold()


def via_form(name: str) -> str:
    """An intermediary's name as compared: folded, no leading article ("a local TV channel")."""
    s = " ".join(name.replace("’", "'").split()).casefold()
    return re.sub(r"^(the|an|a)\s+", "", s)


@dataclass(frozen=True)
class TruthStatement:
    article: str
    phrase: str
    speaker: str | None = None  # a true entity id
    described: str | None = None
    anonymous: str | None = None
    via: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """named | described | anonymous: what the article tells of who spoke."""
        if self.speaker:
            return "named"
        return "described" if self.described is not None else "anonymous"

    @property
    def expected(self) -> str:
        return self.speaker or f"{self.kind} {self.described or self.anonymous!r}"


def load_statements(doc: dict) -> list[TruthStatement]:
    """The ``statements`` of a loaded truth.yaml; an entry with no or two speaker keys fails."""
    out = []
    for i, e in enumerate(doc.get("statements") or [], 1):
        keys = [k for k in ("speaker", "described", "anonymous") if k in e]
        if len(keys) != 1:
            raise ValueError(f"statements[{i}] ({e.get('phrase')!r}): needs one of {keys}")
        out.append(
            TruthStatement(
                e["article"],
                e["phrase"],
                e.get("speaker"),
                e.get("described"),
                e.get("anonymous"),
                tuple(e.get("via") or ()),
            )
        )
    return out


def article_texts(articles_dir: Path) -> dict[str, str]:
    """Every example input's text under its truth name (file name, feed_batch.jsonl#N)."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(articles_dir.glob("*.txt"))}
    for path in sorted(articles_dir.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines, 1):
            if line.strip():
                item = json.loads(line)
                texts[f"{path.name}#{n}"] = item.get("text", "")
    return texts


@dataclass
class StoredStatement:
    """One stored statement as scored: speaker entity already followed to its live root."""

    article: str
    content: str  # normalised
    speaker_kind: str | None
    speaker_text: str | None
    entity_id: int | None
    entity_name: str | None
    entity_type: str | None
    via: tuple[str, ...]


def read_store(engine: sa.Engine, article_key) -> dict[str, list[StoredStatement]]:
    """Stored statements by truth article name, speaker entities resolved through merges."""
    from saidwhat.store.tables import articles, entities, statements

    with engine.connect() as conn:
        ents = {e.id: e for e in conn.execute(sa.select(entities)).all()}
        rows = conn.execute(
            sa.select(
                articles.c.path,
                statements.c.content_text,
                statements.c.speaker_kind,
                statements.c.speaker_text,
                statements.c.speaker_entity_id,
                statements.c.via,
            ).join(articles, articles.c.id == statements.c.article_id)
        ).all()
    out: dict[str, list[StoredStatement]] = {}
    for r in rows:
        eid = r.speaker_entity_id
        seen = set()
        while eid is not None and ents[eid].merged_into is not None and eid not in seen:
            seen.add(eid)
            eid = ents[eid].merged_into
        ent = ents.get(eid) if eid is not None else None
        via = r.via if isinstance(r.via, list) else json.loads(r.via or "[]")
        key = article_key(r.path or "")
        out.setdefault(key, []).append(
            StoredStatement(
                key,
                norm(r.content_text),
                r.speaker_kind,
                r.speaker_text,
                eid,
                ent.name if ent else None,
                ent.type if ent else None,
                tuple(v.get("name", "") for v in via),
            )
        )
    return out


@dataclass
class Miss:
    what: str  # found | speaker | kind | via
    truth: TruthStatement
    got: str
    got_class: str = ""  # what was stored, without the speaker phrase (to count errors)


@dataclass
class StatementScore:
    true: int = 0
    found: int = 0
    named: int = 0
    named_found: int = 0
    named_right: int = 0
    unnamed: int = 0  # described + anonymous in truth
    unnamed_kind_right: int = 0
    unnamed_as_unnamed: int = 0  # stored described or anonymous, either one
    via: int = 0
    via_right: int = 0
    misses: list[Miss] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # place-as-location speakers
    place_speakers: int = 0  # stored statements with a GPE/LOC speaker


def _stands_for(s: StoredStatement, store_to_true: dict[int, set[str]]) -> set[str]:
    return store_to_true.get(s.entity_id, set()) if s.entity_id is not None else set()


def _got(s: StoredStatement, store_to_true: dict[int, set[str]]) -> tuple[str, str]:
    """What was stored, in full and as a class (kind and entity, no phrase) for counting."""
    if s.entity_id is None:
        return f"{s.speaker_kind} {s.speaker_text!r}", f"{s.speaker_kind}"
    ids = ",".join(sorted(_stands_for(s, store_to_true))) or "no true entity"
    cls = f"{s.speaker_kind} -> {s.entity_name} ({s.entity_type}) [{ids}]"
    return f"{s.speaker_kind} {s.speaker_text!r} -> {s.entity_name} ({s.entity_type}) [{ids}]", cls


def _via_right(t: TruthStatement, s: StoredStatement, forms: dict[str, set[str]]) -> bool:
    if len(t.via) != len(s.via):
        return False
    for want, got in zip(t.via, s.via, strict=True):
        ok = {via_form(f) for f in forms.get(want, {want})}
        if via_form(got) not in ok:
            return False
    return True


def score(
    truth: list[TruthStatement],
    stored: dict[str, list[StoredStatement]],
    store_to_true: dict[int, set[str]],
    forms: dict[str, set[str]],
    states: set[str],
) -> StatementScore:
    """Score the stored statements against the truth (see the module doc).

    ``forms`` gives each true entity id its compared name forms (for via); ``states`` the
    true GPE entities that speak (as governments: "Ukraine said", "Moscow has denied"). A
    stored statement with a GPE/LOC speaker speaks as a government when its entity stands
    for such a state and its speaker phrase is nothing but their names ("Russia and
    Ukraine"); any other (a city in "a resident of ...", "The Russian embassy in
    Washington" credited to Washington) is a place speaking as a location, and is listed.
    """
    sc = StatementScore(true=len(truth))
    state_forms = {via_form(f) for i in states for f in forms.get(i, ())}
    for t in truth:
        cands = [s for s in stored.get(t.article, []) if norm(t.phrase) in s.content]
        if t.kind == "named":
            sc.named += 1
            right = [s for s in cands if _stands_for(s, store_to_true) == {t.speaker}]
            pick = right[0] if right else (cands[0] if cands else None)
        else:
            sc.unnamed += 1
            right = [s for s in cands if s.speaker_kind == t.kind]
            pick = right[0] if right else (cands[0] if cands else None)
        if t.via:
            sc.via += 1
        if pick is None:
            sc.misses.append(Miss("found", t, "no stored statement contains the phrase"))
            continue
        sc.found += 1
        if t.kind == "named":
            sc.named_found += 1
            if right:
                sc.named_right += 1
            else:
                sc.misses.append(Miss("speaker", t, *_got(pick, store_to_true)))
        else:
            sc.unnamed_as_unnamed += pick.speaker_kind in ("described", "anonymous")
            if right:
                sc.unnamed_kind_right += 1
            else:
                sc.misses.append(Miss("kind", t, *_got(pick, store_to_true)))
        if t.via:
            if _via_right(t, pick, forms):
                sc.via_right += 1
            else:
                sc.misses.append(Miss("via", t, f"via {list(pick.via)}"))
    for art, rows in sorted(stored.items()):
        for s in rows:
            if s.entity_type in PLACE_TYPES:
                sc.place_speakers += 1
                stands = _stands_for(s, store_to_true)
                parts = re.split(r",\s*|\s+and\s+", s.speaker_text or "")
                government = bool(stands) and stands <= states
                if not (government and all(via_form(x) in state_forms for x in parts)):
                    sc.places.append(
                        f"{art}: {s.speaker_text!r} -> {s.entity_name}: {s.content[:70]}"
                    )
    return sc


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} = {100 * a / b:.1f} %" if b else f"{a}/0"


def report(title: str, sc: StatementScore, verbose: bool) -> None:
    """Print the figures; with verbose every miss (article, phrase, expected, got)."""
    print(f"\nstatements, {title}")
    print(f"  found (a stored statement contains the phrase): {_pct(sc.found, sc.true)}")
    print(f"  named speaker -> that true entity: {_pct(sc.named_right, sc.named)} of named")
    print(f"    (of those found: {_pct(sc.named_right, sc.named_found)})")
    print(
        f"  described/anonymous stored with that speaker_kind: {_pct(sc.unnamed_kind_right, sc.unnamed)}"
        f" (stored as described or anonymous at all: {sc.unnamed_as_unnamed})"
    )
    print(f"  via right where truth has a via: {_pct(sc.via_right, sc.via)}")
    print(
        f"  place as location speaks: {len(sc.places)}"
        f" (of {sc.place_speakers} stored statements with a GPE/LOC speaker)"
    )
    for line in sc.places:
        print(f"    {line}")
    errors = Counter(m.got_class for m in sc.misses if m.what in ("speaker", "kind"))
    errors["not found"] = sum(1 for m in sc.misses if m.what == "found")
    print("  speaker misses by what was stored (count):")
    for got, n in errors.most_common(10):
        print(f"    {n:>3}  {got}")
    if verbose:
        for m in sc.misses:
            print(f"  miss [{m.what}] {m.truth.article}: {m.truth.phrase!r}")
            print(
                f"      expected {m.truth.expected}{' via ' + str(list(m.truth.via)) if m.truth.via else ''}"
            )
            print(f"      got {m.got}")

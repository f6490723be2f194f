"""Gold attributions: the reference an extraction is scored against.

Two forms are read into the same ``GoldDoc``:

* **brat standoff**, as PolNeAR ships it: a split folder holding ``text/<doc>.txt`` and
  ``attributions/<doc>_<annotator>.ann``. ``T`` lines are spans
  (``T3<TAB>Content 115 290<TAB>text``, possibly discontinuous ``115 200;210 290``) of kind
  Source, Cue, Content or Attribution (or Discard, Discuss: annotators' notes).
  ``E`` lines bind them into one attribution
  (``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``; ``Attribution-no-source`` has no
  Source; ``Content2`` is a second content piece, so content is the union of Content and
  Content2). A span serves as the role the ``E`` line gives it, whatever its kind (a few
  cues are spans of kind Discuss); spans no ``E`` line uses play no part. Where several
  annotators annotated a document, the first ``.ann`` file in alphabetical order is used,
  so scores do not depend on directory order.
* **JSONL**, for hand-made or converted gold: one document per line,
  ``{"id": "...", "text": "...", "attributions": [{"content": [[s, e], ...],
  "source": [[s, e], ...] | null, "cue": [[s, e], ...] | null}]}`` with character offsets
  into ``text`` (end exclusive).

Offsets, not the span texts stored in the .ann, are trusted: the text of a span is always
``doc.text[start:end]`` (brat writes discontinuous pieces joined by a space, and span texts
may even run over several lines of the .ann file). Problems are reported as one-line
messages naming the file; a bad attribution is dropped, a bad document skipped, and the
rest is still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

Offsets = tuple[tuple[int, int], ...]

_ID_LINE = re.compile(r"^([TERANM#*]\d*)\t")


@dataclass(frozen=True)
class Attribution:
    """One attribution as character offsets: content pieces, and source and cue if any.

    Gold and predictions take the same form, so scoring compares like with like.
    """

    content: Offsets
    source: Offsets | None = None
    cue: Offsets | None = None
    id: str = ""


@dataclass
class GoldDoc:
    """One gold document: its text exactly as annotated and its attributions."""

    id: str
    text: str
    attributions: list[Attribution] = field(default_factory=list)
    path: str | None = None


class GoldError(ValueError):
    """A gold file or line that cannot be used; the message names the file."""


def read_gold(path: str | Path, problems: list[str] | None = None) -> dict[str, list[GoldDoc]]:
    """Read gold from a split folder, a folder of splits, or a JSONL file.

    Returns ``{split name: documents}``: one entry for a split folder or JSONL file (named
    after it), one per sub-folder for a corpus folder such as ``polnear/`` holding
    ``train/`` and ``dev/``. Problems go to ``problems`` (a list of one-line messages).
    """
    path = Path(path)
    problems = problems if problems is not None else []
    if path.is_file():
        return {path.stem: list(read_jsonl(path, problems))}
    if not path.is_dir():
        raise GoldError(f"{path}: no such file or folder")
    if _is_split(path):
        return {path.name: list(read_brat_split(path, problems))}
    splits = {p.name: p for p in sorted(path.iterdir()) if p.is_dir() and _is_split(p)}
    if not splits:
        raise GoldError(
            f"{path}: neither a split folder (text/ and attributions/) nor a folder of splits"
        )
    return {name: list(read_brat_split(p, problems)) for name, p in splits.items()}


def _is_split(path: Path) -> bool:
    return (path / "text").is_dir() and (path / "attributions").is_dir()


def read_brat_split(split: Path, problems: list[str]) -> Iterator[GoldDoc]:
    """Documents of one brat split, in document-name order."""
    anns: dict[str, Path] = {}
    for ann in sorted((split / "attributions").glob("*.ann")):
        doc_id = ann.stem.rsplit("_", 1)[0] if "_" in ann.stem else ann.stem
        anns.setdefault(doc_id, ann)  # first annotator in alphabetical order wins
    for txt in sorted((split / "text").glob("*.txt")):
        ann = anns.get(txt.stem)
        if ann is None:
            problems.append(f"{txt}: no .ann file for this text; skipped")
            continue
        try:
            with txt.open(encoding="utf-8", newline="") as fh:  # keep offsets: no CRLF rewrite
                text = fh.read()
            yield read_brat(ann, text, doc_id=txt.stem, problems=problems, path=str(txt))
        except (OSError, UnicodeDecodeError, GoldError) as exc:
            problems.append(f"{ann}: {exc}; skipped")


def read_brat(
    ann: Path, text: str, doc_id: str, problems: list[str], path: str | None = None
) -> GoldDoc:
    """One brat .ann file over ``text``; bad lines are reported and dropped.

    Each span's stored text is checked against ``text`` at its offsets, so offsets that do
    not line up (a different text version, a newline rewrite) are reported, not scored.
    """
    spans: dict[str, tuple[str, Offsets]] = {}
    events: list[tuple[int, str, list[tuple[str, str]]]] = []
    for lineno, tag, fields_ in _records(ann.read_text(encoding="utf-8")):
        if tag.startswith("T"):
            kind, _, offsets = fields_[1].partition(" ")
            try:
                pieces = _parse_offsets(offsets, len(text))
            except GoldError as exc:
                problems.append(f"{ann}:{lineno}: {tag}: {exc}")
                continue
            stored = fields_[2] if len(fields_) > 2 else None
            actual = " ".join(text[s:e] for s, e in pieces)
            if stored is not None and stored.split() != actual.split():
                problems.append(
                    f"{ann}:{lineno}: {tag} text differs from the document at {offsets}"
                )
            spans[tag] = (kind, tuple(sorted(pieces)))
        elif tag.startswith("E"):
            args = [tuple(a.split(":", 1)) for a in fields_[1].split() if ":" in a]
            events.append((lineno, tag, args))  # type: ignore[arg-type]
    attributions = []
    for lineno, tag, args in events:
        try:
            attributions.append(_attribution(tag, args, spans))
        except GoldError as exc:
            problems.append(f"{ann}:{lineno}: {exc}")
    return GoldDoc(id=doc_id, text=text, attributions=attributions, path=path)


def _records(ann_text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, tag, tab-separated fields) per annotation; a span text that runs
    over several lines (it held newlines) is joined back onto its ``T`` line."""
    record: tuple[int, str, list[str]] | None = None
    for lineno, line in enumerate(ann_text.split("\n"), 1):
        m = _ID_LINE.match(line)
        if m is None:
            if record is not None and len(record[2]) > 2:
                record[2][2] += "\n" + line
            continue
        if record is not None:
            yield record
        record = (lineno, m.group(1), line.split("\t", 2))
    if record is not None:
        yield record


def _parse_offsets(offsets: str, limit: int) -> Offsets:
    pieces = []
    for piece in offsets.split(";"):
        try:
            start, end = (int(x) for x in piece.split())
        except ValueError:
            raise GoldError(f"bad offsets {offsets!r}") from None
        if not 0 <= start < end <= limit:
            raise GoldError(f"offsets {start}-{end} outside the text (length {limit})")
        pieces.append((start, end))
    return tuple(pieces)


def _attribution(
    tag: str, args: list[tuple[str, str]], spans: dict[str, tuple[str, Offsets]]
) -> Attribution:
    roles: dict[str, list[tuple[int, int]]] = {}
    for role, ref in args:
        if ref not in spans:
            raise GoldError(f"{tag} refers to unknown span {ref}")
        base = "Content" if role.startswith("Content") else role
        roles.setdefault(base, []).extend(spans[ref][1])
    if not roles.get("Content"):
        raise GoldError(f"{tag} has no Content; attribution dropped")

    def pieces(role: str) -> Offsets | None:
        return tuple(sorted(set(roles[role]))) if roles.get(role) else None

    return Attribution(
        content=pieces("Content") or (), source=pieces("Source"), cue=pieces("Cue"), id=tag
    )


def read_jsonl(path: Path, problems: list[str]) -> Iterator[GoldDoc]:
    """Documents of a JSONL gold file (format in the module docstring)."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield _jsonl_doc(json.loads(line), lineno)
            except (json.JSONDecodeError, GoldError, KeyError, TypeError) as exc:
                problems.append(f"{path}:{lineno}: {type(exc).__name__}: {exc}; skipped")


def _jsonl_doc(obj: dict, lineno: int) -> GoldDoc:
    text = obj["text"]
    if not isinstance(text, str):
        raise GoldError("'text' is not a string")
    doc_id = str(obj.get("id") or f"line{lineno}")
    attributions = []
    for i, a in enumerate(obj.get("attributions", [])):
        content = _json_offsets(a.get("content"), len(text), "content")
        if not content:
            raise GoldError(f"attribution {i} has no content")
        attributions.append(
            Attribution(
                content=content,
                source=_json_offsets(a.get("source"), len(text), "source"),
                cue=_json_offsets(a.get("cue"), len(text), "cue"),
                id=str(a.get("id", i)),
            )
        )
    return GoldDoc(id=doc_id, text=text, attributions=attributions, path=obj.get("path"))


def _json_offsets(value: object, limit: int, name: str) -> Offsets | None:
    if value is None or value == []:
        return None
    if not isinstance(value, list):
        raise GoldError(f"{name} must be a list of [start, end] pairs")
    pieces = []
    for pair in value:
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise GoldError(f"{name}: {pair!r} is not a [start, end] pair")
        start, end = pair
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= limit):
            raise GoldError(f"{name}: offsets {start}-{end} outside the text (length {limit})")
        pieces.append((start, end))
    return tuple(sorted(pieces))

"""Reading-audit figures for the rows an engine emits now, from judgements kept as data.

    .venv/bin/python bench/audit_rows.py --sample 30 --seed 17 --engine rules --out /tmp/audit/now
    .venv/bin/python bench/audit_score.py --rows /tmp/audit/now \
        --kept bench/audits/guardian-2026-12-08.json \
        [--judged /tmp/audit/judged3 --judged-rows /tmp/audit/seen3] \
        [--keep bench/audits/guardian-2026-12-08.json]

A row takes the label judged for the same article, offsets, speaker and act (``--judged``:
the judges' files, ``<article>.json`` or ``<article>-<part>.json``, written beside the
rows ``audit_rows.py`` wrote; ``--kept``: earlier judgements kept in the repo). The kept
file holds no article text: offsets, labels and a short hash of the speaker's normalised
name, so a row whose speaker changed since is unjudged, never given a stale label.
Unjudged rows are counted and listed, never guessed. Only rows a default listing shows
(kind ``statement``) are judged.

Recall is computed, not copied: judges list every attribution a careful reader expects
(offsets of its content and the speaker's name); one is *found* when an emitted row's
content overlaps it, *found with the right speaker* when such a row's speaker is that
person (same normalised name, or same surname).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

LABELS = ("real", "speaker", "content", "act", "via", "usable")


def norm(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’`]s\b", "", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def sha(name: str | None) -> str:
    return hashlib.sha1(norm(name).encode()).hexdigest()[:12]


def surname_sha(name: str | None) -> str:
    words = norm(name).split()
    return sha(words[-1] if words else "")


def rows_of(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r.get("kind", "statement") == "statement"]


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def load_judged(folder: Path, rows_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """Per article: labelled rows (by offsets and speaker hash, and the act shown when
    ``rows_dir``, the rows the judges saw, is given) and expected attributions, from the
    judges' files (parts of a long article joined)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        name = str(doc["article"])
        art = out.setdefault(name, {"rows": [], "expected": []})
        seen = {r["row"]: r for r in rows_of(rows_dir / f"{name}.rows.jsonl")} if rows_dir else {}
        for j in doc["rows"]:
            shown = seen.get(j["row"], {})
            art["rows"].append(
                {"start": j["start"], "end": j["end"], "speaker_sha": sha(j["speaker_shown"])}
                | ({"act_shown": shown["act"]} if "act" in shown else {})
                | {k: j[k] for k in LABELS}
                | {"why": j.get("why", "")}
            )
        for e in doc.get("expected", []):
            art["expected"].append(
                {
                    "start": e["start"],
                    "end": e["end"],
                    "speaker_sha": sha(e["speaker"]),
                    "surname_sha": surname_sha(e["speaker"]),
                }
            )
    return out


def figures(
    labelled: list[dict[str, Any]], expected: int, found: int, right: int
) -> dict[str, Any]:
    real = [j for j in labelled if j["real"]]
    via_needed = [j for j in real if j["via"] in ("right", "missing", "wrong")]
    return {
        "judged_rows": len(labelled),
        "precision": share(len(real), len(labelled)),
        "speaker_right": share(sum(j["speaker"] == "right" for j in real), len(real)),
        "unresolved": share(sum(j["speaker"] == "unresolved" for j in real), len(real)),
        "content_right": share(sum(j["content"] == "right" for j in real), len(real)),
        "act_ok": share(sum(j["act"] == "ok" for j in real), len(real)),
        "via_right": share(sum(j["via"] == "right" for j in via_needed), len(via_needed)),
        "via_needed": len(via_needed),
        "fully_usable": share(sum(bool(j["usable"]) for j in labelled), len(labelled)),
        "recall": share(found, expected),
        "recall_right_speaker": share(right, expected),
        "expected": expected,
    }


def score(rows_dir: Path, sources: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    labelled: list[dict[str, Any]] = []
    unjudged: list[str] = []
    expected = found = right = 0
    for art, source in sorted(sources.items()):
        rows = rows_of(rows_dir / f"{art}.rows.jsonl")
        labels = {(j["start"], j["end"], j["speaker_sha"]): j for j in source["rows"]}
        for r in rows:
            label = labels.get((r["start"], r["end"], sha(r["speaker"])))
            if label is not None and label.get("act_shown", r["act"]) != r["act"]:
                label = None  # judged with another act: its act label would be stale
            if label is None:
                unjudged.append(f"{art} row {r['row']} ({r['start']}-{r['end']})")
            else:
                labelled.append(label)
        for e in source["expected"]:
            over = [r for r in rows if r["start"] < e["end"] and e["start"] < r["end"]]
            expected += 1
            found += bool(over)
            right += any(
                sha(r["speaker"]) == e["speaker_sha"]
                or surname_sha(r["speaker"]) == e["surname_sha"]
                for r in over
            )
    return figures(labelled, expected, found, right) | {"_labelled": labelled}, unjudged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", required=True, help="audit_rows.py output of the engine now")
    ap.add_argument("--judged", action="append", default=[], help="the judges' files")
    ap.add_argument(
        "--judged-rows",
        action="append",
        default=[],
        help="the rows each --judged folder's judges saw (same order): their acts are kept",
    )
    ap.add_argument("--kept", action="append", default=[], help="judgements kept in the repo")
    ap.add_argument("--keep", default=None, help="write every judgement used here, as data")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the unjudged rows")
    args = ap.parse_args()
    sources: dict[str, dict[str, Any]] = {}
    for kept in args.kept:
        for doc in json.loads(Path(kept).read_text(encoding="utf-8")):
            sources[str(doc["article"])] = {"rows": doc["rows"], "expected": doc["expected"]}
    for k, judged in enumerate(args.judged):
        seen_rows = Path(args.judged_rows[k]) if k < len(args.judged_rows) else None
        for art, doc in load_judged(Path(judged), seen_rows).items():
            old = sources.get(art, {"rows": [], "expected": []})
            keys = {(j["start"], j["end"], j["speaker_sha"]) for j in doc["rows"]}
            rows = doc["rows"] + [
                j for j in old["rows"] if (j["start"], j["end"], j["speaker_sha"]) not in keys
            ]
            sources[art] = {"rows": rows, "expected": doc["expected"] or old["expected"]}
    result, unjudged = score(Path(args.rows), sources)
    print(f"{len(sources)} articles, {len(unjudged)} rows unjudged")
    print(json.dumps({k: v for k, v in result.items() if k != "_labelled"}, indent=1))
    reasons = Counter(j["why"] for j in result.pop("_labelled") if not j["usable"] and j.get("why"))
    if reasons:
        print("why rows are not usable (judges' categories):")
        for why, n in reasons.most_common():
            print(f"  {n:4d}  {why}")
    if args.verbose:
        print("\n".join(unjudged))
    if args.keep:
        kept = [
            {"article": art, "rows": s["rows"], "expected": s["expected"]}
            for art, s in sorted(sources.items())
        ]
        Path(args.keep).write_text(json.dumps(kept, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

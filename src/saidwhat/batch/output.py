"""The output folder: Parquet part files, per-partition markers and ``manifest.json``.

Layout::

    DIR/articles/article_date=2026-03-02/part-<pid>.parquet   (also statements, entities,
    DIR/_partitions/<pid>.json                                  mentions; article_date=unknown)
    DIR/manifest.json

Every file is written to a temporary name and renamed into place, so a reader (or a
re-run after a crash) never sees half a file. A partition counts as done only when its
marker exists, and the marker is written after all of its part files: a crash between
the two leaves parts that the re-run overwrites (same pid, same names) and that
``load`` ignores because no marker lists them. ``manifest.json`` is a summary rebuilt
from the markers, so it never disagrees with them for long.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .tables import PARTITION_KEY
from .worker import PartitionResult

MANIFEST = "manifest.json"
MARKERS = "_partitions"
MANIFEST_VERSION = 1


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_json(path: Path, doc: Any) -> None:
    _atomic_write_bytes(path, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode())


def write_partition(out: Path, result: PartitionResult) -> dict[str, Any]:
    """Write the part files of one partition, then its done marker; returns the marker."""
    files: dict[str, list[str]] = {}
    for day, tables in result.tables.items():
        for name, table in tables.items():
            rel = f"{name}/{PARTITION_KEY}={day}/part-{result.pid}.parquet"
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
            pq.write_table(table, tmp, compression="zstd")
            os.replace(tmp, path)
            files.setdefault(name, []).append(rel)
    marker = {
        "pid": result.pid,
        "status": "done",
        "articles": result.articles,
        "statements": result.statements,
        "entities": result.entities,
        "mentions": result.mentions,
        "first_seq": result.first_seq,
        "failed_articles": [asdict(f) for f in result.failures],
        "files": files,
        "seconds": round(result.seconds, 3),
        "cpu_seconds": round(result.cpu_seconds, 3),
        "worker": result.worker,
        "finished_at": _now(),
    }
    write_json(out / MARKERS / f"{result.pid}.json", marker)
    return marker


def write_failure(out: Path, pid: str, articles: list[str], reason: str) -> dict[str, Any]:
    """Record a partition whose task failed after its retries (the re-run tries it again)."""
    marker = {
        "pid": pid,
        "status": "failed",
        "reason": reason,
        "articles": len(articles),
        "paths": articles,
        "finished_at": _now(),
    }
    write_json(out / MARKERS / f"{pid}.json", marker)
    return marker


def read_markers(out: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Every partition marker in ``out``, by pid (unreadable markers count as not done)."""
    found: dict[str, dict[str, Any]] = {}
    folder = Path(out) / MARKERS
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and "pid" in doc:
            found[doc["pid"]] = doc
    return found


def done_partitions(out: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Done markers whose part files all exist, ordered by their first input position."""
    out = Path(out)
    done = {
        pid: m
        for pid, m in read_markers(out).items()
        if m.get("status") == "done"
        and all((out / f).is_file() for fs in m.get("files", {}).values() for f in fs)
    }
    return dict(sorted(done.items(), key=lambda kv: (kv[1].get("first_seq", 0), kv[0])))


def write_manifest(out: Path, run: dict[str, Any]) -> dict[str, Any]:
    """Rebuild ``manifest.json`` from the markers plus this run's facts (``run``)."""
    markers = read_markers(out)
    done = done_partitions(out)
    failed = {pid: m for pid, m in markers.items() if pid not in done}
    totals = {
        key: sum(m.get(key, 0) for m in done.values())
        for key in ("articles", "statements", "entities", "mentions")
    }
    doc = {
        "version": MANIFEST_VERSION,
        "updated_at": _now(),
        "layout": f"<table>/{PARTITION_KEY}=<YYYY-MM-DD|unknown>/part-<pid>.parquet",
        **run,
        "totals": {
            **totals,
            "partitions_done": len(done),
            "partitions_failed": len(failed),
            "failed_articles": sum(len(m.get("failed_articles", [])) for m in done.values()),
        },
        "partitions": {
            pid: {k: m[k] for k in ("articles", "statements", "first_seq", "files") if k in m}
            for pid, m in done.items()
        },
        "failures": [
            {"pid": pid, "reason": m.get("reason", "incomplete"), "paths": m.get("paths", [])}
            for pid, m in failed.items()
        ],
        "failed_articles": [f for m in done.values() for f in m.get("failed_articles", [])],
    }
    write_json(out / MANIFEST, doc)
    return doc


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

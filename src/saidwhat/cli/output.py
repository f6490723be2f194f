"""Where the command line writes: the consoles, and records in the ``--format`` chosen.

One place decides what ``json``, ``jsonl`` and ``csv`` look like, so every command that
prints records prints them the same way:

- ``json``: one JSON document on one line (an array of the records, or one object);
- ``jsonl``: one JSON object per line, nothing else on stdout;
- ``csv``: a header row, then a row per record (lists of words joined with ``"; "``,
  other structures as JSON text, None as empty).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console

err_console = Console(stderr=True, soft_wrap=True)  # one line per error, never wrapped


def wide_console(width: int | None = None) -> Console:
    """Standard output; piped output is not squeezed into 80 columns (it is read in pagers
    and logs, where wrapped table cells are unreadable). ``width``: columns as asked
    (``--width``), else the terminal's, else 160."""
    if width:
        return Console(width=width)
    return Console(width=None if sys.stdout.isatty() else 160)


def show(parts: Iterable[Any]) -> None:
    """Print renderables one below the other (``print(*parts)`` would join texts)."""
    console = wide_console()
    for part in parts:
        console.print(part)


def write_json(doc: Any) -> None:
    """One JSON document on one line."""
    sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")


def emit_records(records: Iterable[dict[str, Any]], fmt: str) -> bool:
    """Write the records as ``fmt``; False for ``table`` (the caller renders one)."""
    if fmt == "json":
        write_json(list(records))
    elif fmt == "jsonl":
        for r in records:
            write_json(r)
    elif fmt == "csv":
        writer: csv.DictWriter[str] | None = None
        for r in records:
            flat = {k: flat_value(v) for k, v in r.items()}
            if writer is None:
                writer = csv.DictWriter(sys.stdout, fieldnames=list(flat))
                writer.writeheader()
            writer.writerow(flat)
    else:
        return False
    return True


def flat_value(v: Any) -> Any:
    """A CSV cell: words joined, structures as JSON, None as empty."""
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return "; ".join(v)
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, ensure_ascii=False)
    return "" if v is None else v

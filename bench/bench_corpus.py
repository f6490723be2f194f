"""The articles a benchmark runs on: the BBC corpus from ../shared, else the examples.

Shared by the benchmark scripts (run as ``python bench/<script>.py``, so this folder is on
``sys.path``) so that each measures the same articles chosen the same way.
"""

from __future__ import annotations

from pathlib import Path

from saidwhat.reading.readers import iter_inputs
from saidwhat.reading.records import ReadError
from saidwhat.schema import Article

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus" / "bbc"


def corpus_articles(corpus: str | Path, limit: int) -> tuple[list[Article], Path]:
    """The first ``limit`` readable articles (0: all) of ``corpus``, or of the bundled
    examples when it is absent; and the folder they came from."""
    path = Path(corpus)
    if not path.exists():
        print(f"{corpus} absent: using the bundled examples")
        path = REPO / "examples" / "articles"
    arts = [a for a in iter_inputs([str(path)]) if not isinstance(a, ReadError)]
    return (arts[:limit] if limit else arts), path

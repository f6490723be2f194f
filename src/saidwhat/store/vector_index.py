"""Nearest statement vectors: an HNSW index (usearch) built from ``statement_vectors``.

Why an index outside the database: PostgreSQL here has no pgvector, and this Python's
``sqlite3`` is built without ``enable_load_extension``, so sqlite-vec cannot load either;
both backends keep the vectors in ``statement_vectors`` and serve neighbours from the
same in-process index. Why usearch: hnswlib and faiss-cpu find the same neighbours
(recall@10 of 0.998 to 1.000 against exact search on 20,000 real sentence embeddings;
``bench/vector_index.py``, README "Search by meaning") and all answer in under a
millisecond, so the choice is on keeping the index: usearch takes the statement ids as
its keys, grows without a resize and saves and loads one file, where faiss's HNSW
needs an id map around it and hnswlib a capacity fixed ahead.

The index is kept in a file (beside a SQLite store, ``<db>.vectors``; for PostgreSQL in
the user's cache folder, one per database URL) with the highest statement id it holds,
and caught up incrementally: each search first adds the vectors stored since (ingest,
``reindex``), so it never misses a new statement and is never rebuilt whole. A file that
does not match the store (a store rebuilt under the same name) is rebuilt. Candidates
are re-scored from the stored vectors by the caller, so a similarity shown is exact.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from saidwhat.encoder.sentences import DIMENSIONS, to_bytes
from saidwhat.store.tables import statement_vectors
from saidwhat.store.vectors import newest_vector_id, vectors_after

# HNSW settings: 16 links per node, 128 candidates while adding, 256 while searching:
# recall@10 against exact search 1.000 on 20,000 real sentence embeddings
# (bench/vector_index.py), under a millisecond per search.
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 256


@dataclass(frozen=True)
class IndexOptions:
    """Where index files live: ``directory`` None is beside a SQLite file, and
    ``$XDG_CACHE_HOME/saidwhat`` (``~/.cache/saidwhat``) for other stores; ``persist``
    False keeps the index in memory only (tests, in-memory stores)."""

    directory: Path | None = None
    persist: bool = True


def index_path(engine: sa.Engine, options: IndexOptions) -> Path | None:
    """The index file of the store behind ``engine`` (None: not kept in a file)."""
    if not options.persist:
        return None
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        base = Path(url.database)
        folder = options.directory or base.parent
        return folder / (base.name + ".vectors")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "saidwhat"
    folder = options.directory or cache
    key = hashlib.sha1(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return folder / f"vectors-{key}.usearch"


def _digest(blob: bytes | None) -> str:
    return hashlib.sha1(blob or b"").hexdigest()


def _new_index():  # type: ignore[no-untyped-def]
    from usearch.index import Index

    return Index(
        ndim=DIMENSIONS,
        metric="cos",
        dtype="f32",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )


class VectorIndex:
    """The ANN index of one store, caught up with it on each search."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.index = _new_index()
        self.high_water = 0  # the highest statement id added
        self._lock = threading.Lock()
        self._checked = False  # compared with the store once, on the first catch-up
        self._last_digest = ""  # of the vector at the high-water mark, as saved
        if path is not None and path.exists():
            self._load(path)

    def _sidecar(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".json")

    def _load(self, path: Path) -> None:
        try:
            state = json.loads(self._sidecar().read_text(encoding="utf-8"))
            self.index.load(str(path))
            self.high_water = int(state["high_water"])
            self._last_digest = str(state["last"])
        except (OSError, ValueError, KeyError, RuntimeError):
            self.index = _new_index()
            self.high_water = 0

    def _matches_store(self, conn: sa.Connection) -> bool:
        """The file holds this store's vectors up to its high-water mark: as many, and
        the last one the same (a store rebuilt under the same name differs in one)."""
        if not self.high_water:
            return True
        v = statement_vectors.c
        stored = conn.scalar(sa.select(sa.func.count()).where(v.statement_id <= self.high_water))
        last = conn.scalar(sa.select(v.vector).where(v.statement_id == self.high_water))
        return int(stored or 0) == len(self.index) and _digest(last) == self._last_digest

    def catch_up(self, conn: sa.Connection, save: bool = True) -> int:
        """Add the vectors stored since the last call; how many were added."""
        with self._lock:
            if not self._checked:
                newest = newest_vector_id(conn)
                if newest < self.high_water or not self._matches_store(conn):
                    self._reset()  # the file is another (rebuilt) store's
                self._checked = True
            added = 0
            for ids, matrix in vectors_after(conn, self.high_water):
                self.index.add(ids, matrix)
                self.high_water = int(ids[-1])
                self._last_digest = _digest(to_bytes(matrix[-1]))
                added += len(ids)
            if added and save and self.path is not None:
                try:
                    self._save()
                except OSError:  # a folder we may not write: the index stays in memory
                    self.path = None
            return added

    def _reset(self) -> None:
        self.index = _new_index()
        self.high_water = 0
        self._last_digest = ""

    def _save(self) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        self.index.save(str(tmp))
        os.replace(tmp, self.path)
        state = {"high_water": self.high_water, "last": self._last_digest}
        self._sidecar().write_text(json.dumps(state), encoding="utf-8")

    def search(self, vector: np.ndarray, k: int) -> list[int]:
        """The ids of the ``k`` nearest stored vectors, nearest first."""
        if len(self.index) == 0 or k <= 0:
            return []
        matches = self.index.search(np.asarray(vector, dtype=np.float32), min(k, len(self.index)))
        return [int(key) for key in matches.keys]

    def __len__(self) -> int:
        return len(self.index)


# One index per open engine (a web server keeps it in memory between requests); gone
# with the engine.
_OPEN: weakref.WeakKeyDictionary[sa.Engine, VectorIndex] = weakref.WeakKeyDictionary()
_OPEN_LOCK = threading.Lock()


def vector_index(engine: sa.Engine, options: IndexOptions | None = None) -> VectorIndex:
    """The index of the store behind ``engine``, opened once per engine; the caller
    catches it up (``catch_up``) before searching."""
    with _OPEN_LOCK:
        if engine not in _OPEN:
            _OPEN[engine] = VectorIndex(index_path(engine, options or IndexOptions()))
        return _OPEN[engine]


def refresh_kept_index(engine: sa.Engine, options: IndexOptions | None = None) -> int:
    """After an ingest: add the new vectors to the store's index file, when there is one
    (a store never searched by meaning gets none built here); how many were added."""
    path = index_path(engine, options or IndexOptions())
    if path is None or not path.exists():
        return 0
    with engine.connect() as conn:
        return vector_index(engine, options).catch_up(conn)

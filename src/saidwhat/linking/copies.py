"""Syndicated copies: the same wire story in several outlets, with small edits.

Each article gets a MinHash signature of its prose (word 5-shingles, boilerplate spans
such as the dateline and sign-off left out, since those are what outlets change). The
signature is cut into LSH bands; the band keys go into an indexed table, so finding
candidate copies of a new article is one ``band_key IN (...)`` query that works across
runs and processes (an in-memory LSH index would be lost between runs). Candidates are
then confirmed on the exact shingle sets: enough overlap of the smaller article
(containment) makes a copy, which also catches an outlet that cut the story short.

Before any of that, ``text_hash`` catches the same text read twice with different
whitespace (CRLF line ends, a trailing newline, a reflowed paragraph): such a twin is the
article already stored, a duplicate, not a copy to store again.

Statements get a fingerprint (normalised content + speaker) so a quote carried by ten
outlets counts once, with ten reports.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterable

import numpy as np

from saidwhat.linking.names import normalise, parse_person
from saidwhat.schema import Span, Statement

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: a pair at Jaccard 0.5 collides with p ~ 0.87
ROWS = NUM_PERM // BANDS
SHINGLE = 5
MIN_SHINGLES = 8  # shorter texts are too small to call copies (exact duplicates still are)
COPY_CONTAINMENT = 0.6
MIN_ESTIMATE = 0.2  # candidates below this estimated Jaccard are not worth a text check
SEED = 7

_WORD = re.compile(r"\w+", re.UNICODE)


def normalised_text(text: str) -> str:
    """The words of ``text`` with every run of whitespace (line ends of any kind, tabs,
    no-break spaces, blank lines, leading and trailing space) made one space.

    Why all whitespace and not only line ends: a whitespace-only difference is how the
    same file arrives twice (saved on Windows, re-wrapped by a mail client, a newline
    added by an editor); what is said, by whom, in which words, is the same, and the
    stored original keeps its offsets into its own text. Only the hash uses this form.
    """
    return " ".join(text.split())


def text_hash(text: str) -> str:
    """32 hex chars of sha256 over ``normalised_text``: equal for whitespace twins.

    Stored as ``articles.text_hash`` (migration 0005 filled it in for older stores), so
    changing the normalisation needs a migration that recomputes the column."""
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()[:32]


def prose(text: str, boilerplate: Iterable[Span]) -> str:
    """The text with boilerplate spans (dateline, sign-off...) blanked out."""
    for span in sorted(boilerplate, key=lambda s: s.start, reverse=True):
        text = text[: span.start] + " " + text[span.end :]
    return text


def shingles(text: str) -> set[str]:
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def warm_up() -> None:
    """Import datasketch ahead of the first article (the writer thread does this while
    the first batch is being parsed, so the import does not hold up storing)."""
    import datasketch  # noqa: F401


def signature(shingle_set: Iterable[str]) -> np.ndarray:
    # Imported here: datasketch pulls in scipy (~2 s), which read-only commands never need.
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch([s.encode("utf-8") for s in shingle_set])
    return mh.hashvalues.astype(np.uint32)


def signature_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4")


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 63-bit key per band (fits BIGINT), mixing in the band number."""
    keys = []
    for b in range(BANDS):
        rows = sig[b * ROWS : (b + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(struct.pack("<H", b) + rows, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller shingle set found in the larger one."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def is_copy(a: set[str], b: set[str]) -> bool:
    return min(len(a), len(b)) >= MIN_SHINGLES and containment(a, b) >= COPY_CONTAINMENT


def normalise_content(text: str) -> str:
    return normalise(text.replace("…", " "))


def speaker_key(statement: Statement) -> str:
    """Stable across copies and merges: a person's surname key, else the normalised name."""
    name = statement.speaker_name or (
        statement.speaker_mention.text if statement.speaker_mention else ""
    )
    if not name:
        return ""
    person = parse_person(name)
    return person.key or normalise(name)


def statement_fingerprint(statement: Statement) -> str:
    """sha1 of normalised content + speaker: equal for the same quote in every copy."""
    basis = normalise_content(statement.content_text) + "\x1f" + speaker_key(statement)
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()

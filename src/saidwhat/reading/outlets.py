"""Outlets and agencies as data: the shipped ``data/outlets.csv`` plus the user's own file.

Datelines (``MOSCOW, Dec 11 (IANS)``), sign-offs (``--IANS``), ``Tass quoted Lavrov as
saying`` and entity typing all ask one question: is this name a news outlet, and under
which name is it known? The answer is one table, read from a documented CSV (README,
"Outlets and agencies") that a user extends with their own rows instead of editing code:
a paper of their own storyline, a local agency, a spelling the shipped file lacks.

The file: a header ``name,aliases,kind,country``; ``aliases`` separated by ``|``;
``kind`` one of ``KINDS``; ``country`` an ISO 3166-1 alpha-2 code or empty; lines that
start with ``#`` are comments. A bad row is an ``OutletFileError`` naming file and line.

``load_outlets(path)`` reads the shipped file and then ``path`` (rows of the user's file
replace a shipped outlet of the same name and take over any alias they share), once per
process and path: the table is immutable, and the regular expressions built from it are
cached on it. The path itself comes from the options of the layer that reads
(``AttributionOptions.outlets``), never from a module global.
"""

from __future__ import annotations

import csv
import functools
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

KINDS = ("agency", "broadcaster", "newspaper", "magazine", "online")
COLUMNS = ("name", "aliases", "kind", "country")
OUTLETS_ENV = "SAIDWHAT_OUTLETS"
_COUNTRY = re.compile(r"[A-Z]{2}")
_LEADING_THE = re.compile(r"^the\s+", re.I)


class OutletFileError(ValueError):
    """An outlets file that cannot be used; ``str()`` names the file and the line."""


@dataclass(frozen=True)
class Outlet:
    """One outlet: its canonical name, the other names it goes by, what it is, where."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "agency"
    country: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name and every alias, as written in the file."""
        return (self.name, *self.aliases)


def name_key(name: str) -> str:
    """How names are compared: case and spacing ignored, a leading "The" optional."""
    return _LEADING_THE.sub("", " ".join(name.split())).casefold()


class Outlets:
    """The outlets table: names looked up case-insensitively, patterns built once."""

    def __init__(self, outlets: list[Outlet], source: str = "") -> None:
        self.source = source
        self._by_key: dict[str, Outlet] = {}
        for outlet in outlets:  # later rows win: the user's file comes last
            for name in outlet.names:
                self._by_key[name_key(name)] = outlet
        self.outlets = tuple(dict.fromkeys(self._by_key.values()))

    def __len__(self) -> int:
        return len(self.outlets)

    def canonical(self, name: str | None) -> Outlet | None:
        """``"Tass"``, ``"ITAR-TASS"`` -> the TASS row; ``"the Associated Press"`` -> AP;
        None for a name no row gives."""
        if not name or not name.strip():
            return None
        return self._by_key.get(name_key(name))

    def canonical_name(self, name: str | None) -> str | None:
        outlet = self.canonical(name)
        return outlet.name if outlet else None

    @functools.cached_property
    def alternation(self) -> str:
        """Every name (with and without a leading "The"), longest first so that "Agence
        France-Presse" wins over a prefix of it; spaces match any run of blanks. Used
        case-insensitively by the wire readers (``(Tass)``, ``--IANS``)."""
        forms: set[str] = set()
        for outlet in self.outlets:
            for name in outlet.names:
                forms.add(" ".join(name.split()))
                forms.add(_LEADING_THE.sub("", " ".join(name.split())))
        ordered = sorted(forms, key=lambda f: (-len(f), f))
        return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered if f)

    @functools.cached_property
    def _prose(self) -> re.Pattern[str]:
        """Names in running text, as written in the file (case matters: "AP" is the
        agency, "ap" is not), with "The"/"the" optional before a name that starts with
        it; never the start of a longer name (``The Atlantic Council``, ``Reuters Trust``)."""
        forms: set[str] = set()
        for outlet in self.outlets:
            for name in outlet.names:
                name = " ".join(name.split())
                bare = _LEADING_THE.sub("", name)
                forms.update({name, bare} if bare == name else {bare, "The " + bare})
        alt = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
        return re.compile(
            rf"(?<![\w\-&/])(?:(?P<the>[Tt]he)\s+)?(?P<name>{alt})(?![\w\-&]|[ \t]+[A-Z0-9])"
        )

    def find_in_text(self, text: str) -> list[tuple[int, int, Outlet]]:
        """(start, end, outlet) of every outlet named in ``text``, leftmost-longest, a
        lower-case "the" before it not included in the span."""
        found = []
        for m in self._prose.finditer(text):
            outlet = self.canonical(m.group("name"))
            if outlet is None:
                continue
            # a capital "The" is part of a title (`The Northern Ledger`), "the" is not
            start = m.start("the") if m.group("the") == "The" else m.start("name")
            found.append((start, m.end("name"), outlet))
        return found


def _shipped_path() -> Path:
    return Path(str(resources.files("saidwhat") / "data" / "outlets.csv"))


def read_outlet_file(path: str | os.PathLike[str]) -> list[Outlet]:
    """The rows of one outlets file, checked; an ``OutletFileError`` names the file and
    line of the first bad row (a missing column, an unknown kind, a duplicate name)."""
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OutletFileError(f"{where}: no such outlets file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OutletFileError(f"{where}: cannot read outlets file: {exc}") from None
    numbered = [
        (n, line)
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise OutletFileError(
            f"{where}: empty outlets file (a header {','.join(COLUMNS)} is needed)"
        )
    header_line, header = numbered[0]
    fields = [f.strip().lower() for f in next(csv.reader([header]))]
    missing = [c for c in COLUMNS if c not in fields]
    if missing:
        raise OutletFileError(
            f"{where}:{header_line}: the header lacks {', '.join(missing)} "
            f"(expected {','.join(COLUMNS)})"
        )
    rows: list[Outlet] = []
    seen: dict[str, int] = {}
    for number, line in numbered[1:]:
        values = next(csv.reader([line]))
        if len(values) != len(fields):
            raise OutletFileError(
                f"{where}:{number}: {len(values)} fields, the header has {len(fields)}"
            )
        row = {f: v.strip() for f, v in zip(fields, values, strict=True)}
        outlet = _outlet(row, f"{where}:{number}")
        for key in {name_key(name): name for name in outlet.names}:
            if key in seen:
                raise OutletFileError(
                    f"{where}:{number}: {key!r} is already a name on line {seen[key]}"
                )
            seen[key] = number
        rows.append(outlet)
    return rows


def _outlet(row: dict[str, str], where: str) -> Outlet:
    name = " ".join(row["name"].split())
    if not name:
        raise OutletFileError(f"{where}: empty name")
    kind = row["kind"].lower()
    if kind not in KINDS:
        raise OutletFileError(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}")
    country = row["country"].upper()
    if country and not _COUNTRY.fullmatch(country):
        raise OutletFileError(
            f"{where}: country {row['country']!r} is not an ISO 3166-1 alpha-2 code (or empty)"
        )
    aliases = tuple(
        dict.fromkeys(a for a in (" ".join(a.split()) for a in row["aliases"].split("|")) if a)
    )
    return Outlet(
        name=name, aliases=tuple(a for a in aliases if a != name), kind=kind, country=country
    )


@functools.lru_cache(maxsize=8)
def load_outlets(path: str | None = None) -> Outlets:
    """The shipped table, extended by the file at ``path`` (None: shipped alone); read
    once per process and path. A user's row replaces a shipped outlet of the same name,
    and a name it shares with another shipped outlet is the user's from then on."""
    rows = read_outlet_file(_shipped_path())
    source = "shipped"
    if path:
        own = read_outlet_file(path)
        replaced = {name_key(o.name) for o in own}
        rows = [o for o in rows if name_key(o.name) not in replaced] + own
        source = str(path)
    return Outlets(rows, source=source)

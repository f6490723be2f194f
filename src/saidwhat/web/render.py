"""Jinja2 set-up shared by the page modules: templates, filters and small view helpers.

Autoescaping is on for every template (``Jinja2Templates`` enables it for .html), and no
helper here returns ``Markup``: article text, names and quotes reach the page only as
escaped text. URLs for links are built with ``urlencode`` so user input in a query string
cannot break out of an attribute.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi.templating import Jinja2Templates

from saidwhat.schema import SPEAKER_KINDS, SPEECH_ACTS, STATEMENT_KINDS
from saidwhat.web.colours import act_colour, speaker_colour
from saidwhat.web.marks import marked_pieces
from saidwhat.wording import counted

HERE = Path(__file__).resolve().parent

templates = Jinja2Templates(directory=str(HERE / "templates"))
env = templates.env
env.autoescape = True
env.trim_blocks = True
env.lstrip_blocks = True


def chain(statement: Mapping[str, Any]) -> list[str]:
    """The source chain as the reader sees it: outlet ← intermediaries ← speaker.

    ``via`` lists intermediaries outermost first (the one the outlet heard it from), so
    ``IANS ← Tass ← Markin`` reads from the page back to the person who spoke.
    """
    links: list[str] = []
    if statement.get("reported_by"):
        links.append(str(statement["reported_by"]))
    for v in statement.get("via") or []:
        name = v.get("name") if isinstance(v, Mapping) else str(v)
        if name and (not links or links[-1] != name):
            links.append(str(name))
    speaker = statement.get("speaker_name") or "?"
    links.append(str(speaker))
    return links


def query_string(params: Mapping[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from the current filters with some changed (paging links)."""
    merged = {**params, **changes}
    clean = {k: v for k, v in merged.items() if v not in (None, "", [])}
    return "?" + urlencode(clean, doseq=True) if clean else ""


def web_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None: an article's stored URL must not
    become a ``javascript:`` or ``data:`` link on the page."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


# Explicit bidi embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO; LRI, RLI,
# FSI, PDI). In element content CSS ``unicode-bidi: isolate`` keeps them inside their
# element, but a tooltip (``title=``) or the window title has no element to isolate.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolated(text: object) -> str:
    """Untrusted text for a tooltip or ``<title>``: its explicit bidi controls dropped (an
    RLO in a name must not reverse the rest of the line) and the whole wrapped in an
    FSI…PDI isolate, so right-to-left words reorder only among themselves."""
    plain = str(text or "").translate(_BIDI_CONTROLS)
    return f"{FIRST_STRONG_ISOLATE}{plain}{POP_DIRECTIONAL_ISOLATE}" if plain else ""


def short(text: str | None, limit: int = 240) -> str:
    if not text:
        return ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


env.globals.update(
    speaker_colour=speaker_colour,
    act_colour=act_colour,
    chain=chain,
    query_string=query_string,
    speech_acts=SPEECH_ACTS,
    statement_kinds=STATEMENT_KINDS,
    speaker_kinds=SPEAKER_KINDS,
)
env.filters["short"] = short
env.filters["isolated"] = isolated
env.filters["counted"] = counted
env.filters["web_url"] = web_url
env.filters["marked"] = marked_pieces

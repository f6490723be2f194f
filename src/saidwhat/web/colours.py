"""Colours the pages use: one per speaker (stable across pages and runs) and one per act.

Why a fixed palette and a hash rather than random colours: the same speaker must have the
same colour on the search page, the speaker page and inside an article, and a reader
comparing two screenshots should see the same colours too.
"""

from __future__ import annotations

import hashlib

# Twelve colours that stay apart on white and carry dark text when lightened.
SPEAKER_PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#6b8e23",
    "#b8860b",
    "#4169e1",
    "#c71585",
)
UNKNOWN_SPEAKER = "#7f7f7f"

# One colour per act, chosen so that no two are alike (CIE76 distance at least 18 in Lab:
# deny and reject, propose and promise, appeal and ask used to be 9 to 12 apart) and the
# badge's white text stays readable on every one (WCAG contrast at least 4.5); both are
# checked by tests/test_web_colours.py.
ACT_COLOURS = {
    "assert": "#475569",
    "deny": "#b91c1c",
    "reject": "#9d174d",
    "propose": "#15803d",
    "promise": "#0f766e",
    "warn": "#a16207",
    "threaten": "#292524",
    "appeal": "#1d4ed8",
    "thank": "#7e22ce",
    "praise": "#c026d3",
    "accuse": "#c8450a",
    "confirm": "#1e3a8a",
    "ask": "#0e7490",
    "report": "#78350f",
    "believe": "#4d7c0f",
}
OTHER_ACT = "#999999"


def speaker_colour(key: object) -> str:
    """A palette colour for a speaker key (entity id or name); grey when unknown."""
    if key is None or key == "":
        return UNKNOWN_SPEAKER
    digest = hashlib.sha1(str(key).encode("utf-8")).digest()
    return SPEAKER_PALETTE[digest[0] % len(SPEAKER_PALETTE)]


def act_colour(act: str | None) -> str:
    return ACT_COLOURS.get(act or "", OTHER_ACT)


def distinct_colours(keys: list[object]) -> dict[object, str]:
    """Colours for the speakers of one article, all different while the palette lasts.

    Each speaker keeps its usual colour (``speaker_colour``) unless an earlier speaker of
    the same article already has it; then it takes the first free palette colour, so two
    speakers side by side in one text are never painted alike.
    """
    out: dict[object, str] = {}
    used: set[str] = set()
    for key in keys:
        if key in out:
            continue
        colour = speaker_colour(key)
        if colour in used or colour == UNKNOWN_SPEAKER:
            free = [c for c in SPEAKER_PALETTE if c not in used]
            colour = free[0] if free else colour
        out[key] = colour
        used.add(colour)
    return out

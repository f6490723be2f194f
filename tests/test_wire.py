"""Wire furniture: date prefix, datelines, sign-offs and slugs (no spaCy needed)."""

from __future__ import annotations

import pytest

from saidwhat.reading import titles, wire
from saidwhat.schema import Span

SEED = "seed/000_cb571a2e6f574d89.txt"


def assert_span_of(text: str, span: Span) -> None:
    assert span.text == text[span.start : span.end]


def test_seed_wire_furniture(shared_dir):
    text = (shared_dir / SEED).read_text(encoding="utf-8")
    span, iso = wire.date_prefix(text)
    assert iso == "2025-12-11"
    assert span.start == 0 and span.text.strip() == "date 2025-12-11"
    dl = wire.find_dateline(text, span.end)
    assert (dl.place, dl.date_text, dl.agency) == ("Moscow", "Dec 11", "IANS")
    assert dl.span.text == "Moscow, Dec 11 (IANS)"
    signoff, agency = wire.find_signoff(text)
    assert (signoff.text, agency) == ("--IANS", "IANS")
    slug = wire.find_slug(text)
    assert slug.text == "akl/as"
    for s in (span, dl.span, signoff, slug):
        assert_span_of(text, s)


@pytest.mark.parametrize(
    ("text", "dateline", "place", "date_text", "agency"),
    [
        (
            "Moscow, Dec 11 (IANS) The minister said",
            "Moscow, Dec 11 (IANS)",
            "Moscow",
            "Dec 11",
            "IANS",
        ),
        (
            "WASHINGTON (Reuters) - The senator said",
            "WASHINGTON (Reuters) -",
            "WASHINGTON",
            None,
            "Reuters",
        ),
        ("KYIV, Ukraine (AP) — Air raid sirens", "KYIV, Ukraine (AP) —", "KYIV", None, "AP"),
        ("Washington (AFP) – Donald Trump", "Washington (AFP) –", "Washington", None, "AFP"),
        (
            "MOSCOW, December 11. /TASS/. Russia",
            "MOSCOW, December 11. /TASS/.",
            "MOSCOW",
            "December 11",
            "TASS",
        ),
        (
            "LONDON, Jan. 5 (Reuters) - Shares",
            "LONDON, Jan. 5 (Reuters) -",
            "LONDON",
            "Jan. 5",
            "Reuters",
        ),
        ("NEW DELHI: The government", "NEW DELHI:", "NEW DELHI", None, None),
        ("SHIMLA: Snow fell", "SHIMLA:", "SHIMLA", None, None),
        (
            "BEIJING, Dec. 11 (Xinhua) -- China",
            "BEIJING, Dec. 11 (Xinhua) --",
            "BEIJING",
            "Dec. 11",
            "Xinhua",
        ),
        (
            "New Delhi [India], December 11 (ANI): The",
            "New Delhi [India], December 11 (ANI):",
            "New Delhi",
            "December 11",
            "ANI",
        ),
        (
            "HEMPSTEAD, N.Y., Sept. 26 (UPI) — Green",
            "HEMPSTEAD, N.Y., Sept. 26 (UPI) —",
            "HEMPSTEAD",
            "Sept. 26",
            "UPI",
        ),
        ("ST. LOUIS — The nominee", "ST. LOUIS —", "ST. LOUIS", None, None),
        ("FARGO, N.D. — Ted Cruz", "FARGO, N.D. —", "FARGO", None, None),
        ("Mexico City (AFP) – It featured", "Mexico City (AFP) –", "Mexico City", None, "AFP"),
        ("(CNN) — The president", "(CNN) —", None, None, "CNN"),
        (
            "Kyiv, Dec 11 (Ukrinform) Ukraine",
            "Kyiv, Dec 11 (Ukrinform)",
            "Kyiv",
            "Dec 11",
            "Ukrinform",
        ),
    ],
)
def test_dateline_formats(text, dateline, place, date_text, agency):
    dl = wire.find_dateline(text)
    assert dl is not None
    assert dl.span.text == dateline
    assert_span_of(text, dl.span)
    assert (dl.place, dl.date_text, dl.agency) == (place, date_text, agency)


@pytest.mark.parametrize(
    "text",
    [
        "Russian Foreign Minister Sergei Lavrov said on Thursday that Moscow will continue.",
        "Sen. Jeff Sessions (R-AL) and former Mayor Rudy Giuliani wore hats.",
        "Rep. Trey Gowdy (R-S.C.): the figure is wrong.",
        "UPDATE: 5/12 — The website that listed the weapon",
        "SIEGEL--Jerome Arthur, 98, of Mamaroneck",
        "Donald Trump — the nominee — said",
        "The Kremlin (Russia's presidency) said",
        "FIX IS IN: PBS Moderators Ignore Scandals.",
        "HUFFPOLLSTER: A Shift Among Voters",
        "BYLINE: Jane Roe",
        "AP: the wire reported",
    ],
)
def test_ordinary_first_sentences_are_not_datelines(text):
    assert wire.find_dateline(text) is None


def test_dateline_after_start_skips_whitespace():
    text = "Headline here\n\n  PARIS (AFP) - Body."
    dl = wire.find_dateline(text, text.index("\n"))
    assert dl.span.text == "PARIS (AFP) -" and dl.span.start == text.index("PARIS")


@pytest.mark.parametrize(
    ("tail", "signoff", "agency"),
    [
        ("\n\n--IANS\n\nsd/ksk\n", "--IANS", "IANS"),
        ("\n\n-- Reuters\n", "-- Reuters", "Reuters"),
        (
            "\n\n(Reporting by Jane Roe in Moscow; Editing by John Doe)\n",
            "(Reporting by Jane Roe in Moscow; Editing by John Doe)",
            "Reuters",
        ),
        ("\n\n/TASS/\n", "/TASS/", "TASS"),
        ("\n\n© AFP 2025\n", "© AFP 2025", "AFP"),
        ("\n\n(PTI)\n\npgh/rad", "(PTI)", "PTI"),
        (" --IANS", "--IANS", "IANS"),
    ],
)
def test_signoffs(tail, signoff, agency):
    text = "MOSCOW (X) - Lavrov said peace was near.\n\nHe added nothing." + tail
    span, found = wire.find_signoff(text)
    assert (span.text, found) == (signoff, agency)
    assert_span_of(text, span)


def test_reuters_credit_lines_are_one_signoff():
    text = "Body text.\n\n(Reporting by A; Additional reporting by B)\n(Editing by C)\n"
    span, agency = wire.find_signoff(text)
    assert span.text == "(Reporting by A; Additional reporting by B)\n(Editing by C)"
    assert agency == "Reuters"


def test_no_signoff_in_ordinary_ending():
    assert wire.find_signoff('He said: "We will see."\n\nThe talks resume on Monday.') is None


def test_slugs():
    assert wire.find_slug("text\n\n--IANS\n\npgh/rad\n").text == "pgh/rad"
    assert wire.find_slug("text\n\n--IANS\nsd/ksk").text == "sd/ksk"
    assert wire.find_slug("The talks resume on Monday.") is None
    assert wire.find_slug("Price is 3/4 of it\n\nmore text") is None


def test_date_prefix_only_at_start():
    assert wire.date_prefix("Moscow said the date 2025-12-11 was set") is None
    assert wire.date_prefix(" date 2025-13-40 text") is None
    span, iso = wire.date_prefix("date 2024-02-29 Body")
    assert iso == "2024-02-29" and span.text == "date 2024-02-29"


def test_canonical_agency():
    assert wire.canonical_agency("Tass") == "TASS"
    assert wire.canonical_agency("Associated  Press") == "AP"
    assert wire.canonical_agency("Agence France-Presse") == "AFP"
    assert wire.canonical_agency("reuters") == "Reuters"
    assert wire.canonical_agency("Kremlin") is None


def test_find_title():
    text = "Talks resume in Geneva\n\nGENEVA (Reuters) - Talks resumed."
    assert titles.find_title(text).text == "Talks resume in Geneva"
    assert titles.find_title(text, given="Talks  resume in Geneva").text == "Talks resume in Geneva"
    assert titles.find_title(text, given="Another headline") is None
    wrapped = "Russian Foreign Minister Sergei Lavrov said on Thursday that Moscow\nwill go on.\n"
    assert titles.find_title(wrapped) is None
    assert titles.find_title("WASHINGTON (AP) — The Latest on the race\n\n7 p.m.") is None

"""Page furniture is metadata: found as spans, kept out of every statement."""

from __future__ import annotations

import pytest

from saidwhat.analyse import analyse
from saidwhat.reading.furniture import find_furniture
from saidwhat.reading.records import article_from_text

SCRAPED = """Harbour bridge to reopen on Monday

The city's transport director, Mara Lind, said the bridge would reopen on Monday after repairs.
Story continues below advertisement
READ MORE: Bridge closures cost the city millions, report says
"We have checked every cable," Lind said.
WATCH: Drone footage shows the repaired bridge
Related: Ferry operators say demand has doubled
Photograph: Tomas Berg/Northern Ledger
Don't forget, you can sign up to our morning briefing, the editors say.
Advertisement
• This article was amended on 4 March to correct the director's name, officials said.
"""


def test_each_kind_of_furniture_is_a_span():
    found = [s.text for s in find_furniture(SCRAPED)]
    assert found == [
        "Story continues below advertisement",
        "READ MORE: Bridge closures cost the city millions, report says",
        "WATCH: Drone footage shows the repaired bridge",
        "Related: Ferry operators say demand has doubled",
        "Photograph: Tomas Berg/Northern Ledger",
        "Don't forget, you can sign up to our morning briefing, the editors say.",
        "Advertisement",
        "• This article was amended on 4 March to correct the director's name, officials said.",
    ]


@pytest.mark.parametrize(
    "prose",
    [
        "She said she would read more about it before the vote.",
        "Residents gathered to watch: the fireworks were late.",
        "The related report said advertisement revenue fell.",
        "He signed up to the scheme in May.",
    ],
)
def test_prose_that_only_mentions_the_words_is_left_alone(prose):
    assert find_furniture(prose) == []


def test_furniture_spans_are_boilerplate_and_survive_the_json_round_trip():
    from saidwhat.schema import Analysis

    article = article_from_text(SCRAPED)
    assert len(article.furniture) == 8
    boiler = article.boilerplate_spans()
    assert all(f in boiler for f in article.furniture)
    back = Analysis.from_dict(Analysis(article=article).to_dict()).article
    assert back.furniture == article.furniture


@pytest.mark.parametrize("engine", ["rules", "neural"])
def test_furniture_never_yields_a_statement(nlp, engine):
    import dataclasses

    from saidwhat.analyse import with_settings

    article = article_from_text(SCRAPED)
    analysis = analyse(article, nlp, dataclasses.replace(with_settings(nlp, None), engine=engine))
    spans = [(f.start, f.end) for f in article.furniture]
    for st in analysis.statements:
        for part in [*st.content, st.cue, st.speaker_mention]:
            if part is None:
                continue
            assert not any(s < part.end and part.start < e for s, e in spans), st.content_text
    speakers = {st.speaker_name for st in analysis.statements}
    assert "Story" not in speakers
    assert any("cable" in st.content_text for st in analysis.statements)


def test_the_article_page_lists_furniture_as_metadata_not_text(nlp, tmp_path):
    """On the article page READ MORE, WATCH:, captions and the rest are not in the
    article's text (where a reader would take them for its words) but listed, labelled,
    with its metadata; the offsets of every statement still point into the text."""
    from fastapi.testclient import TestClient

    from saidwhat.store import open_store
    from saidwhat.web import create_app

    article = article_from_text(SCRAPED + "\n-- Reuters\n", path="scraped.txt")
    db = tmp_path / "f.db"
    with open_store(db) as store:
        store.add_analysis(analyse(article, nlp))
    with TestClient(create_app(db)) as client:
        article_id = client.get("/api/statements").json()["items"][0]["article"]["id"]
        html = client.get(f"/articles/{article_id}").text
    head, text = html.split('id="article-text"', 1)
    listed = head[head.index('class="boilerplate"') :]
    for piece in ("READ MORE: Bridge closures", "Photograph: Tomas Berg", "-- Reuters"):
        assert piece in listed
        assert f'<span class="m-aside ">{piece}' in text  # kept for offsets, hidden by CSS
    assert "page furniture" in listed and "sign-off" in listed
    assert "We have checked every cable" in text

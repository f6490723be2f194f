"""Syndicated copy detection (MinHash LSH persisted in the store) and statement fingerprints."""

from __future__ import annotations

import sqlalchemy as sa

import store_support as sup
from saidwhat.linking.copies import (
    band_keys,
    containment,
    is_copy,
    prose,
    shingles,
    signature,
    statement_fingerprint,
)
from saidwhat.schema import Span, Statement
from saidwhat.store import open_store
from saidwhat.store.tables import articles, minhash_bands
from store_support import make_analysis, wire_story

pg_url, store_url = sup.pg_url, sup.store_url  # fixtures

STORY = wire_story("IANS").article.text


def test_prose_drops_boilerplate_spans():
    text = "MOSCOW (IANS) The talks resume. --IANS"
    spans = [sup.span(text, "MOSCOW (IANS)"), sup.span(text, "--IANS")]
    assert prose(text, spans).split() == ["The", "talks", "resume."]


def test_small_edits_and_truncation_are_copies_but_other_stories_are_not():
    own = shingles(STORY)
    edited = shingles(STORY.replace("next week", "on Monday").replace("Wednesday", "Tuesday"))
    truncated = shingles(STORY[: len(STORY) // 2])
    other = shingles(
        "The city council approved a new budget for road repairs on Thursday after a long "
        "debate about the cost of winter maintenance and public transport in the region."
    )
    assert is_copy(own, edited) and is_copy(own, truncated)
    assert not is_copy(own, other)
    assert containment(own, truncated) > 0.9  # all but the shingle cut mid-word


def test_band_keys_are_deterministic_and_shared_by_near_copies():
    a = band_keys(signature(shingles(STORY)))
    b = band_keys(signature(shingles(STORY.replace("Geneva", "Geneva, Switzerland"))))
    assert a == band_keys(signature(shingles(STORY)))
    assert len(a) == 32 and all(0 <= k < 2**63 for k in a)
    assert set(a) & set(b)  # near copies collide in at least one band


def statement(content: str, speaker: str | None) -> Statement:
    return Statement(
        id="s1",
        type="direct",
        act="assert",
        content=[Span(0, len(content), content)],
        speaker_name=speaker,
    )


def test_fingerprint_ignores_case_punctuation_and_name_form():
    a = statement_fingerprint(statement('"We are ready to talk,"', "Dmitry Peskov"))
    b = statement_fingerprint(statement("we are ready to talk", "Peskov"))
    c = statement_fingerprint(statement("we are ready to talk", "Anton Velikov"))
    d = statement_fingerprint(statement("we are ready to fight", "Peskov"))
    assert a == b
    assert len({a, c, d}) == 3


def test_copies_found_across_processes_and_story_id_is_order_free(store_url):
    stories = []
    for order in (("IANS", "Tribune", "Herald"), ("Herald", "IANS", "Tribune")):
        if store_url.startswith("postgresql"):
            sup.truncate_all(store_url)
        else:
            store_url += "z"
        for outlet in order:  # a new Store each time: nothing is kept in memory
            s = open_store(store_url)
            s.add_analysis(wire_story(outlet, extra=f"Reporting by {outlet} staff."))
            s.close()
        s = open_store(store_url)
        with s.engine.connect() as conn:
            stories.append(set(conn.scalars(sa.select(articles.c.story_id))))
            assert conn.scalar(sa.select(sa.func.count()).select_from(minhash_bands)) == 3 * 32
        s.close()
    assert len(stories[0]) == 1 and stories[0] == stories[1]


def test_truncated_copy_joins_the_story(store_url):
    s = open_store(store_url)
    full = wire_story("IANS")
    s.add_analysis(full)
    cut = full.article.text[: full.article.text.index("He added")]
    short = make_analysis(
        cut,
        source="Tribune",
        people=[("e1", "Dmitry Peskov", ["Kremlin spokesman"])],
        quotes=[("e1", "We are ready to discuss every detail of the corridor,", "told")],
    )
    result = s.add_analysis(short)
    assert result.status == "copy"
    assert result.story_id == min(full.article.id, short.article.id)
    assert s.counts()["claims"] == 1
    s.close()

"""Role nouns (people issue, item 3): a title, `the former`, `the latter` resolve to the
person of the article who holds that role or was named so; a title whose holder the
article never names is a described speaker, never the last person with a similar
title. One construct per test, on an article written for the purpose."""

from __future__ import annotations

import pytest

from saidwhat.analyse import analyse
from saidwhat.reading.records import article_from_text
from saidwhat.schema import Analysis, Statement

TEXT = """ date 2026-03-05 KYIV (Reuters) - Ukraine's energy minister Olena Shvets said on Thursday that the grid had survived the night. Russia's deputy foreign minister Pavel Grushko said Moscow was not targeting civilians.

"We will rebuild every station," the country's energy minister told reporters.

The defence minister said more air defence was on its way.

Shvets and Grushko both gave interviews on Thursday. The former said the grid was stable. The latter said the strikes were legitimate.

Judge Maria Kovac said the hearing would resume in April. "The court will not be rushed," the judge said.
"""


@pytest.fixture(scope="module")
def roles(nlp) -> Analysis:  # type: ignore[no-untyped-def]
    return analyse(article_from_text(TEXT), nlp)


def said(a: Analysis, words: str) -> Statement:
    return next(s for s in a.statements if words in s.content_text)


def speaker(a: Analysis, words: str) -> tuple[str | None, str | None]:
    st = said(a, words)
    e = a.entity(st.speaker)
    return (e.name if e else st.speaker_name), st.speaker_kind


def test_a_title_with_its_narrowing_words_finds_its_holder_not_the_last_minister(roles) -> None:
    assert speaker(roles, "rebuild every station") == ("Olena Shvets", "named")


def test_a_title_nobody_named_holds_is_a_described_speaker(roles) -> None:
    assert speaker(roles, "air defence was on its way") == ("The defence minister", "described")


def test_the_former_and_the_latter(roles) -> None:
    assert speaker(roles, "the grid was stable") == ("Olena Shvets", "named")
    assert speaker(roles, "the strikes were legitimate") == ("Pavel Grushko", "named")


def test_the_judge_is_the_judge_the_article_named(roles) -> None:
    assert speaker(roles, "will not be rushed") == ("Maria Kovac", "named")
    people = [e for e in roles.entities if e.type == "PERSON" and "Kovac" in e.name]
    assert len(people) == 1  # the judge and her name are one speaker


def test_a_surname_the_model_did_not_tag_is_the_one_person_of_that_name(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        " date 2026-03-04 OSLO (Reuters) - Foreign Minister Kari Nygaard said on Wednesday "
        "that Norway would not take sides.\n\n"
        '"Norway is a facilitator, not a judge," Nygaard said.\n'
    )
    a = analyse(article_from_text(text), nlp)
    assert speaker(a, "a facilitator") == ("Kari Nygaard", "named")


def test_unnamed_groups_are_anonymous_and_an_unnamed_minister_described(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        " date 2026-03-04 KYIV (Reuters) - Regional authorities said a fuel depot had burned "
        "overnight. The strike was condemned by a former foreign minister who said such "
        "attacks broke the law.\n"
    )
    a = analyse(article_from_text(text), nlp)
    assert speaker(a, "fuel depot") == ("Regional authorities", "anonymous")
    assert speaker(a, "broke the law") == ("a former foreign minister", "described")


LEDE = """ date 2026-03-05 GENEVA (Reuters) - Talks opened in Geneva on Thursday, with Moscow's foreign minister saying that Russia saw no value in a stand-alone truce.

Deputy Foreign Minister Yulia Stepanenko led the Ukrainian team. Russian Foreign Minister Anton Velikov, speaking on arrival, said the meeting was not a formality.

The U.S. special envoy for Ukraine, Daniel Reyes, said a deal could come within days. US-backed fighters said they had withdrawn from the town. US officials said the convoy was safe.
"""


@pytest.fixture(scope="module")
def lede(nlp) -> Analysis:  # type: ignore[no-untyped-def]
    return analyse(article_from_text(LEDE), nlp)


def test_a_lede_title_is_the_holder_named_soon_after_not_the_deputy(lede) -> None:
    assert speaker(lede, "no value in a stand-alone truce") == ("Anton Velikov", "named")


def test_a_name_in_apposition_to_the_title_is_the_holder(lede) -> None:
    assert speaker(lede, "within days") == ("Daniel Reyes", "named")


def test_a_group_a_country_only_describes_is_not_the_country(lede) -> None:
    assert speaker(lede, "withdrawn from the town") == ("US-backed fighters", "described")
    assert speaker(lede, "the convoy was safe") == ("US officials", "anonymous")


def test_pronouns_agree_with_the_persons_the_article_calls_she_and_he(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        " date 2026-03-05 BERLIN (Reuters) - Chancellor Greta Lindqvist said on Thursday "
        "that Germany would send more generators. She said the first would arrive within "
        'days.\n\n"We will not stop," Economy Minister Jonas Weber said. "Not this winter," he '
        "added.\n\n"
        "She told reporters the cost would be shared with France.\n"
    )
    a = analyse(article_from_text(text), nlp)
    assert speaker(a, "shared with France") == ("Greta Lindqvist", "named")


def test_a_government_speaks_as_its_state(nlp) -> None:  # type: ignore[no-untyped-def]
    text = " date 2026-03-05 LONDON (Reuters) - The UK government said the embassy would reopen.\n"
    a = analyse(article_from_text(text), nlp)
    st = said(a, "the embassy would reopen")
    assert a.entity(st.speaker).name == "UK" and st.speaker_kind == "named"


def test_she_is_the_woman_just_introduced_not_the_man_quoted_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        ' date 2026-03-05 BAGHUZ, Syria (Reuters) - "There are more families inside than we '
        'expected," said Adnan Afrini, a commander.\n\n'
        "Hamada Hussein, 50, was one of the new exiles. She said she had walked for four "
        "hours. She told reporters that nothing was left of the town.\n"
    )
    a = analyse(article_from_text(text), nlp)
    assert speaker(a, "nothing was left of the town") == ("Hamada Hussein", "named")


def test_the_french_leader_is_the_french_president_named_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        " date 2026-04-12 PARIS (Reuters) - French President Emmanuel Macron said France had "
        "proof of the attack. Turkish President Recep Tayyip Erdogan urged restraint.\n\n"
        '"We will not let this stand," the French leader told reporters. The Turkish leader '
        "said Ankara would not take part.\n"
    )
    a = analyse(article_from_text(text), nlp)
    assert speaker(a, "We will not let this stand") == ("Emmanuel Macron", "named")
    assert speaker(a, "Ankara would not take part") == ("Recep Tayyip Erdogan", "named")


def test_the_group_is_the_organisation_named_just_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        " date 2026-04-12 BEIRUT (Reuters) - Hezbollah denied any role in the attack on "
        "Tuesday.\n\nThe group said its fighters had not left their positions.\n"
    )
    a = analyse(article_from_text(text), nlp)
    assert speaker(a, "had not left their positions") == ("Hezbollah", "named")

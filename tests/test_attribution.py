"""The attribution engine, one construct at a time, on short articles written for the tests."""

from __future__ import annotations

import pytest

from saidwhat.analyse import analyse
from saidwhat.reading.records import article_from_text
from saidwhat.schema import Analysis

DATE = "2026-03-05"  # a Thursday


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str, date: str | None = DATE) -> Analysis:
        return analyse(article_from_text(text, date=date), nlp)

    return _run


def speaker(analysis: Analysis, st) -> str | None:
    ent = analysis.entity(st.speaker)
    return ent.name if ent else None


def only(analysis: Analysis, contains: str):
    found = [s for s in analysis.statements if contains in s.content_text]
    assert found, (
        f"no statement containing {contains!r}: {[s.content_text for s in analysis.statements]}"
    )
    return found[0]


def test_quote_before_attribution(run):
    a = run('"We will not sign this document," Foreign Minister Oleg Voronin said on Monday.')
    st = only(a, "We will not sign this document")
    assert speaker(a, st) == "Oleg Voronin"
    assert st.type == "direct"
    assert st.cue.text == "said"
    assert st.content_text == "We will not sign this document"
    assert "Foreign Minister" in a.entity(st.speaker).roles


def test_curly_quotes_around_attribution(run):
    a = run("“The talks are over,” Oleg Voronin said, “and the delegation is going home.”")
    assert len(a.statements) == 1
    st = a.statements[0]
    assert speaker(a, st) == "Oleg Voronin"
    assert [c.text for c in st.content] == [
        "The talks are over",
        "and the delegation is going home.",
    ]


def test_colon_lead_in(run):
    a = run(
        "Oleg Voronin met reporters in Geneva.\n\n"
        'Asked about the offer, he responded: "We are working on peace, not on a pause."'
    )
    st = only(a, "We are working on peace")
    assert speaker(a, st) == "Oleg Voronin"
    assert st.cue.text == "responded"
    assert st.type == "direct"
    assert st.act == "reject"


def test_multi_paragraph_quote(run):
    text = (
        'Maria Lindqvist said: "The first paragraph of the quote runs here and does not close.\n\n'
        '"The second paragraph carries on the same quotation until it ends."\n\n'
        "The meeting ended at noon."
    )
    a = run(text)
    st = only(a, "The first paragraph")
    assert "carries on the same quotation" in st.content_text
    assert speaker(a, st) == "Maria Lindqvist"
    assert st.type == "direct"


@pytest.mark.parametrize(
    "text",
    ['"', '""""', "“”“", 'He said "', 'Unbalanced " marks " all " over', "“Never closed"],
)
def test_stray_quote_marks_never_crash(run, text):
    a = run(text)
    for st in a.statements:
        for span in st.content:
            assert a.article.text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Oleg Voronin said that the convoy had crossed the border.", "said"),
        ("Oleg Voronin stated that the convoy had crossed the border.", "stated"),
        ("Oleg Voronin stressed that the convoy had crossed the border.", "stressed"),
        ("Oleg Voronin told reporters the convoy had crossed the border.", "told reporters"),
    ],
)
def test_indirect_speech(run, sentence, cue):
    a = run(sentence)
    st = only(a, "the convoy had crossed the border")
    assert st.type == "indirect"
    assert speaker(a, st) == "Oleg Voronin"
    assert st.cue.text == cue


def test_according_to(run):
    a = run("According to Maria Lindqvist, the pipeline will reopen in April.")
    st = only(a, "the pipeline will reopen in April")
    assert speaker(a, st) == "Maria Lindqvist"
    assert st.cue.text == "According to"


def test_mixed_quote(run):
    a = run('Oleg Voronin said the two sides would establish "an energy truce" within a week.')
    st = only(a, "would establish")
    assert st.type == "mixed"


def test_quoted_as_saying_makes_a_chain(run):
    a = run(
        "Russia's state news agency Tass quoted Oleg Voronin as saying: \"The offer stands until "
        'Friday and not a day longer."'
    )
    st = only(a, "The offer stands")
    assert speaker(a, st) == "Oleg Voronin"
    assert [v.name for v in st.via] == ["TASS"]  # the outlets table's canonical name
    assert st.type == "direct"


def test_report_frame_is_a_via_link(run):
    a = run(
        "Oleg Voronin spoke in Moscow. He stated that the grid would be repaired by May, "
        "the local media reported."
    )
    st = only(a, "the grid would be repaired")
    assert speaker(a, st) == "Oleg Voronin"
    assert [v.name for v in st.via] == ["local media"]
    assert len([s for s in a.statements if "the grid" in s.content_text]) == 1


def test_citing_earlier_remarks(run):
    a = run(
        '"A call is possible at any time," Oleg Voronin told reporters, citing earlier remarks '
        "by presidential aide Pavel Sorokin."
    )
    st = only(a, "A call is possible")
    assert speaker(a, st) == "Oleg Voronin"
    assert "Pavel Sorokin" in st.cites


def test_denial_carries_the_denied_claim(run):
    a = run("Oleg Voronin dismissed claims that the president had rejected the peace plan.")
    st = only(a, "claims that")
    assert st.act == "deny"
    assert st.denies is not None
    assert st.denies.text == "the president had rejected the peace plan"


@pytest.mark.parametrize(
    ("sentence", "act"),
    [
        ("Oleg Voronin denied that the troops had moved.", "deny"),
        ("Oleg Voronin warned that the talks could collapse.", "warn"),
        ("Oleg Voronin promised that the gas would flow again.", "promise"),
        ("Oleg Voronin confirmed that the talks would resume.", "confirm"),
        ("Oleg Voronin threatened to cut off the supply.", "threaten"),
        ("Oleg Voronin urged the mediators to act quickly.", "appeal"),
        ("Oleg Voronin thanked Maria Lindqvist for her patience.", "thank"),
        ("Oleg Voronin accused Maria Lindqvist of stalling the talks.", "accuse"),
        ("Oleg Voronin proposed a thirty-day moratorium on strikes.", "propose"),
        ("Oleg Voronin rejected the proposal for a ceasefire.", "reject"),
        ("Oleg Voronin asked whether the monitors would be armed.", "ask"),
        ('"No, that is not true," Oleg Voronin said.', "deny"),
    ],
)
def test_speech_acts(run, sentence, act):
    a = run(sentence)
    assert a.statements, f"nothing extracted from {sentence!r}"
    st = a.statements[0]
    assert st.act == act
    assert speaker(a, st) == "Oleg Voronin"


def test_thanks_has_a_target(run):
    a = run("Oleg Voronin expressed gratitude to Maria Lindqvist for her work in the talks.")
    st = a.statements[0]
    assert st.act == "thank"
    assert a.entity(st.target).name == "Maria Lindqvist"


@pytest.mark.parametrize(
    ("phrase", "day", "span"),
    [
        ("on Thursday", "2026-03-05", None),
        ("on Wednesday", "2026-03-04", None),
        ("yesterday", "2026-03-04", None),
        ("earlier this month", None, ("2026-03-01", "2026-03-04")),
    ],
)
def test_relative_dates(run, phrase, day, span):
    a = run(f"Oleg Voronin said {phrase} that the pipeline was damaged.")
    st = only(a, "the pipeline was damaged")
    assert st.date == day
    assert st.date_range == span


def test_pronoun_goes_to_the_previous_speaker_not_the_nearest_name(run):
    a = run(
        "Kremlin spokesman Dmitry Peskov said on Wednesday that talks would continue.\n\n"
        "Asked about Maria Lindqvist's proposal for a truce, he said the Kremlin would study it."
    )
    st = only(a, "the Kremlin would study it")
    assert speaker(a, st) == "Dmitry Peskov"
    assert st.speaker_mention.text == "he"


def test_role_noun_resolves_through_roles(run):
    a = run(
        "Kremlin spokesman Dmitry Peskov met the press on Wednesday.\n\n"
        "The spokesman said the delegation would travel to Geneva."
    )
    st = only(a, "the delegation would travel")
    assert speaker(a, st) == "Dmitry Peskov"


def test_capital_speaks_for_its_government(run):
    a = run("Moscow said the shipment had been delayed by the weather.")
    st = only(a, "the shipment had been delayed")
    ent = a.entity(st.speaker)
    assert ent is not None and ent.name == "Moscow" and ent.type == "GPE"


def test_kyiv_is_a_place_not_a_person(run):
    a = run("Officials in Kyiv said the offer was serious.")
    kyiv = [e for e in a.entities if e.name == "Kyiv"]
    assert kyiv and kyiv[0].type == "GPE"


def test_boilerplate_is_not_a_statement(run):
    text = (
        " date 2026-03-05 Geneva, Mar 5 (IANS) Maria Lindqvist said the talks would resume.\n\n"
        "--IANS\n\nakl/as"
    )
    a = run(text, date=None)
    assert a.article.date == "2026-03-05"
    assert a.article.agency == "IANS"
    assert all(s.reported_by == "IANS" for s in a.statements)
    st = only(a, "the talks would resume")
    assert st.start > a.article.dateline.span.end


def test_every_span_points_into_the_text(run):
    a = run("“We go,” she said. Oleg Voronin said that the plan “was dead” and “buried.”")
    text = a.article.text
    for st in a.statements:
        for span in st.content + [s for s in (st.cue, st.speaker_mention) if s]:
            assert text[span.start : span.end] == span.text
    for ent in a.entities:
        for m in ent.mentions:
            assert text[m.start : m.end] == m.text


def test_json_round_trip(run):
    a = run('"We will wait," Oleg Voronin said on Wednesday.')
    doc = a.to_dict()
    again = Analysis.from_dict(doc).to_dict()
    assert again == doc
    assert doc["schema_version"]
    assert doc["statements"][0]["speaker_name"] == "Oleg Voronin"


def test_role_is_a_title_not_the_word_before_a_name(run):
    a = run(
        "Officials dismissed the claim Russian Foreign Minister Anton Velikov made on Monday. "
        "At midnight Kyiv time, the talks ended."
    )
    velikov = next(e for e in a.entities if e.name == "Anton Velikov")
    assert velikov.roles == ["Russian Foreign Minister"]
    kyiv = [e for e in a.entities if e.name == "Kyiv"]
    assert all(not e.roles for e in kyiv)


def test_a_role_stops_at_a_dateline_dash_and_drops_an_age(run):
    """`GENEVA (Reuters) - Norway's special envoy Helena Strand`: the spaced dash ends the
    dateline, so the title is "Norway's special envoy", not "- Norway's special envoy";
    an age before a description (`a 21-year-old British Kurd`) is no title at all."""
    a = run(
        "GENEVA (Reuters) - Norway's special envoy Helena Strand said the talks would "
        "resume on Monday. A 21-year-old British Kurd was among those detained."
    )
    strand = next(e for e in a.entities if e.name == "Helena Strand")
    assert strand.roles == ["Norway's special envoy"]
    assert all(not r.startswith(("-", "year")) for e in a.entities for r in e.roles)


def test_a_titled_name_is_a_person_whatever_the_ner_label(run):
    a = run("Norway's special envoy Helena Strand said the talks would resume on Monday.")
    st = only(a, "the talks would resume")
    ent = a.entity(st.speaker)
    assert ent.name == "Helena Strand" and ent.type == "PERSON"
    assert "Norway's special envoy" in ent.roles


def test_a_date_hung_on_the_speaker_is_the_statement_date(run):
    a = run(
        "Kremlin spokesman Yevgeny Markin on Sunday dismissed reports that the truce had failed."
    )
    st = only(a, "the truce had failed")
    assert st.speaker_mention.text == "Kremlin spokesman Yevgeny Markin"
    assert st.date == "2026-03-01"  # the Sunday before Thursday 2026-03-05


def test_relative_pronoun_speaks_for_its_noun(run):
    a = run("Maria Lindqvist, who said the plan was dead, left Geneva on Friday.")
    st = only(a, "the plan was dead")
    assert speaker(a, st) == "Maria Lindqvist"


def test_calling_something_something_describes_it(run):
    a = run('Oleg Voronin called the deal "a first test of good faith".')
    assert a.statements and a.statements[0].act == "assert"


def test_things_make_no_statements(run):
    a = run("The agreement covers power plants and the lines that supply them.")
    assert a.statements == []


def test_subject_the_parser_hung_on_a_preposition(run):
    # The small model makes `Oleg Voronin` the object of `on`; `said` is left without one.
    a = run(
        "In a meeting with editors at the newspaper on Monday Oleg Voronin said that the "
        "border talks may need to be postponed."
    )
    [st] = a.statements
    assert st.speaker_mention.text == "Oleg Voronin"
    assert speaker(a, st) == "Oleg Voronin"


def test_perfect_tense_clause_keeps_its_subject(run):
    a = run("Although Oleg Voronin has admitted breaking the rules, he does not apologise for it.")
    st = only(a, "breaking the rules")
    assert st.speaker_mention.text == "Oleg Voronin"


def test_noun_tagged_cue_with_a_subject(run):
    a = run("Oleg Voronin spoke first. But Voronin claims that he should be the exception.")
    st = only(a, "he should be the exception")
    assert st.speaker_mention.text == "Voronin"


def test_quoted_phrase_inside_a_sentence_is_no_continuation(run):
    a = run(
        "The talks stalled, Oleg Voronin said on Monday.\n\n"
        'In recent weeks, Anna Berg has gone after Voronin as a "stubborn old man who '
        'blocks every deal."'
    )
    assert all(s.speaker_mention.text != "Oleg Voronin" for s in a.statements[1:])
    assert not any(
        "stubborn old man" in s.content_text and speaker(a, s) == "Oleg Voronin"
        for s in a.statements
    )


def test_quote_paragraph_after_reported_speech_continues_it(run):
    a = run(
        "Oleg Voronin said on Monday that the talks were over. "
        '"We will not come back to Geneva this year, and nobody should expect us to."'
    )
    [st] = a.statements
    assert [c.text for c in st.content] == [
        "that the talks were over",
        "We will not come back to Geneva this year, and nobody should expect us to.",
    ]


def test_accusing_participle_is_a_statement_citing_is_not(run):
    a = run(
        "Oleg Voronin attacked the plan on Monday, accusing Anna Berg of hiding the costs.\n\n"
        "Berg told reporters the plan was sound, citing earlier remarks by the auditor."
    )
    assert only(a, "of hiding the costs").act == "accuse"
    assert not any(s.cue and s.cue.text == "citing" for s in a.statements)


def test_coordinated_speech_verb_is_a_statement_of_its_own(run):
    a = run("Oleg Voronin said the border would stay closed and warned smugglers to stay away.")
    said, warned = a.statements
    assert said.content_text == "the border would stay closed"
    assert (warned.cue.text, warned.act, warned.content_text) == (
        "warned",
        "warn",
        "smugglers to stay away",
    )
    assert speaker(a, warned) == "Oleg Voronin"


@pytest.mark.parametrize(
    "text, pieces",
    [
        (
            "The average weekly benefit, the ministry says, would be 300 euros.",
            ["The average weekly benefit", "would be 300 euros"],
        ),
        (
            "Though the first transition was smooth, Oleg Voronin said, replacing the "
            "governor would be much harder.",
            [
                "Though the first transition was smooth",
                "replacing the governor would be much harder",
            ],
        ),
    ],
)
def test_inserted_cue_splits_the_content_around_it(run, text, pieces):
    [st] = run(text).statements
    assert [c.text for c in st.content] == pieces


def test_appeal_includes_who_is_appealed_to(run):
    [st] = run("Oleg Voronin has urged parliament to leave the program intact.").statements
    assert st.content_text == "parliament to leave the program intact"
    assert st.act == "appeal"


def test_quote_split_by_an_aside_is_one_statement(run):
    a = run(
        "Lawmakers pressed the minister on Tuesday.\n\n"
        "“Every time you say that,” Tester said, referring to the excuse, “you give "
        "ammunition to the people who want to break up the banks.”"
    )
    [st] = a.statements
    assert st.speaker_mention.text == "Tester"
    assert [c.text for c in st.content] == [
        "Every time you say that",
        "you give ammunition to the people who want to break up the banks.",
    ]


def test_raising_verb_is_the_cue_between_the_pieces(run):
    [st] = run("The vote is expected to take place before the deadline on Friday.").statements
    assert st.cue.text == "is expected"
    assert [c.text for c in st.content] == [
        "The vote",
        "to take place before the deadline on Friday",
    ]


def test_speaker_is_never_inside_the_quote(run):
    a = run(
        "Voters were asked about the race.\n\n"
        "“The campaign is in panic mode. Full panic mode,” said Leslie Wimes, a local party leader."
    )
    st = only(a, "Full panic mode")
    assert st.speaker_mention.text == "Leslie Wimes"
    assert speaker(a, st) == "Leslie Wimes"


def test_inverted_colon_lead_in(run):
    a = run(
        "Others were less sure.\n\n"
        "Said Ellis: “I don’t get the sense she is the least bit interested in tax reform.”"
    )
    st = only(a, "tax reform")
    assert st.speaker_mention.text == "Ellis"


def test_speaker_with_apposition_before_the_cue(run):
    a = run(
        "Officials met on Monday.\n\n"
        "“There is a severe disconnect between the ministry and the army,” Flynn, a top "
        "party surrogate, said Thursday morning on “Fox and Friends.”"
    )
    st = only(a, "severe disconnect")
    assert speaker(a, st) == "Flynn"
    assert st.speaker_mention.text.startswith("Flynn")


def test_relative_that_speaks_for_its_noun(run):
    [st] = run("The summit drew delegations from nations that oppose the new tariffs.").statements
    assert st.speaker_name == "nations"


def test_statement_in_a_relative_clause_ends_with_it(run):
    a = run("Voronin, who said the talks were over, left the hall early.")
    [st] = a.statements
    assert st.content_text == "the talks were over"
    assert speaker(a, st) == "Voronin"


def test_fronted_report_starts_after_the_last_full_stop(nlp):
    # When the parser runs two sentences together, a report fronted before `he said`
    # starts after the full stop, not at the start of the run-on "sentence".
    from saidwhat.attribution.candidates import _clause_start

    doc = nlp.make_doc('Miranda said the party was open. "Both camps will be there," he said.')
    quote = next(t.i for t in doc if t.text == "Both")
    assert doc[_clause_start(doc, 0, quote)].text == '"'
    assert _clause_start(doc, quote - 1, quote) == quote - 1  # no stop in between


@pytest.mark.parametrize(
    "text, source, content",
    [
        (
            "In a Riverside Gazette poll, Voronin led Berg by six points.",
            "a Riverside Gazette poll",
            "Voronin led Berg by six points",
        ),
        (
            "Voronin led Berg by six points in the latest poll.",
            "the latest poll",
            "Voronin led Berg by six points",
        ),
    ],
)
def test_a_poll_says_what_its_clause_states(run, text, source, content):
    [st] = run(text).statements
    assert (st.speaker_mention.text, st.content_text) == (source, content)


def test_a_statement_someone_makes_is_the_setting_not_the_source(run):
    [st] = run("In a statement, the ministry said the talks were over.").statements
    assert st.speaker_mention.text == "the ministry"


def test_the_question_is_what_was_asked_not_who(run):
    [st] = run("The host asked Voronin if he had ever been bullied.").statements
    assert (st.act, st.content_text) == ("ask", "if he had ever been bullied")
    assert st.speaker_mention.text == "The host"


def test_bare_quote_paragraph_keeps_the_speaker_but_names_no_one(run):
    a = run(
        "Oleg Voronin said on Monday that the talks were over.\n\n"
        "Reporters waited outside the hall for an hour before the delegation left.\n\n"
        '"We will not come back to Geneva this year, and nobody should expect us to."'
    )
    st = only(a, "We will not come back")
    assert speaker(a, st) == "Oleg Voronin"
    assert st.speaker_mention is None and st.cue is None


def test_a_quote_run_into_the_sentence_before_takes_the_cue_after_it(nlp):
    # The parser sometimes glues `''Q,'' said X` to the sentence before; the cue after the
    # quote is the quote's, not the earlier sentence's `said`.
    from spacy.tokens import Doc

    from saidwhat.attribution.direct import _sentence_cue
    from saidwhat.attribution.quotes import find_quotes

    words = ["An", "aide", "said", "no", ".", '"', "We", "will", "win", "this", ",", '"',
             "said", "Toretti", "."]  # fmt: skip
    spaces = [True, True, True, False, True, False, True, True, True, False, False, True,
              True, False, False]  # fmt: skip
    pos = ["DET", "NOUN", "VERB", "INTJ", "PUNCT", "PUNCT", "PRON", "AUX", "VERB", "PRON",
           "PUNCT", "PUNCT", "VERB", "PROPN", "PUNCT"]  # fmt: skip
    lemmas = ["an", "aide", "say", "no", ".", '"', "we", "will", "win", "this", ",", '"',
              "say", "Toretti", "."]  # fmt: skip
    starts = [True] + [False] * 14  # one run-on "sentence"
    doc = Doc(nlp.vocab, words=words, spaces=spaces, pos=pos, lemmas=lemmas, sent_starts=starts)
    [q] = find_quotes(doc.text)
    cue = _sentence_cue(doc, q, set(), [q])
    assert cue is not None and cue.i == 12


def test_according_to_in_the_middle_splits_the_content(run):
    [st] = run(
        "The plan, according to two officials, would cut taxes for most families."
    ).statements
    assert st.speaker_mention.text == "two officials"
    assert [c.text for c in st.content] == ["The plan", "would cut taxes for most families"]

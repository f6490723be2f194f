"""Word differences between wordings, and the kinds of drift that change a quote."""

from __future__ import annotations

from saidwhat.textdiff import Piece, drift, word_diff


def test_case_and_punctuation_are_not_differences():
    assert drift("We are ready, he said.", "we are ready he said") == []
    assert [p.op for p in word_diff("We are ready.", "we ARE ready")] == ["equal"]


def test_added_and_dropped_words_are_marked():
    pieces = word_diff("We are working on peace", "We are working hard on a peace")
    assert pieces == [
        Piece("equal", "We are working"),
        Piece("added", "hard"),
        Piece("equal", "on"),
        Piece("added", "a"),
        Piece("equal", "peace"),
    ]
    assert drift("We are working on peace", "We are working hard on a peace") == ["words"]


def test_a_negation_added_or_dropped_is_named_first():
    assert drift("Russia will withdraw", "Russia will not withdraw") == ["negation"]
    assert drift("Kyiv won't sign", "Kyiv will sign") == ["negation", "words"]


def test_numbers_changed():
    assert drift("2,000 troops will stay", "3,000 troops will stay") == ["number"]
    assert drift("two ships left", "three ships left") == ["number"]
    replaced = word_diff("2,000 troops", "3,000 troops")
    assert replaced[:2] == [Piece("dropped", "2,000"), Piece("added", "3,000")]


def test_a_changed_number_and_other_words_are_both_named():
    assert drift("the talks begin on 12 May", "the talks will begin on 14 May") == [
        "number",
        "words",
    ]

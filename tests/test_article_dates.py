"""Dates on every statement (people issue, item 6): an article with no ` date ` line
takes its day from the metadata it has (a file name that carries the day, a dateline
with a year, a dateline day whose year the corpus gives); a relative date then resolves
against it in every statement; what is still undated says so, and a date filter leaves
it out (documented in the README)."""

from __future__ import annotations

from pathlib import Path

from saidwhat.analyse import analyse
from saidwhat.query import QueryFilters, search_statements
from saidwhat.reading.readers import iter_inputs
from saidwhat.reading.records import article_from_text, date_in_name
from saidwhat.schema import Article
from saidwhat.store import open_store

DATED = (
    " date 2026-03-09 KYIV (Reuters) - Ukraine's energy minister said on Monday the grid held.\n"
)
UNDATED = (
    "BERLIN, March 10 (Reuters) - Kremlin spokesman Dmitry Peskov said on Monday that "
    "Moscow was studying the proposal.\n\nThe envoy said on Tuesday that talks would go on.\n"
)


def test_a_dateline_with_its_year_dates_the_article() -> None:
    a = article_from_text("MOSCOW, Dec 11, 2025 (IANS) - Russia said the talks went well.\n")
    assert a.date == "2025-12-11"


def test_a_dateline_day_without_a_year_is_no_date_on_its_own() -> None:
    assert article_from_text(UNDATED).date is None


def test_a_file_name_that_carries_the_day_dates_the_article() -> None:
    assert article_from_text(UNDATED, path="feeds/2026-03-10_peskov.txt").date == "2026-03-10"
    assert date_in_name("archive/20260310-peskov.txt") == "2026-03-10"
    assert date_in_name("story_12345678.txt") is None  # no year 1234
    assert date_in_name("2026-13-40.txt") is None  # no such day
    # the text's own date line wins over the name
    assert article_from_text(DATED, path="2020-01-01.txt").date == "2026-03-09"


def test_the_corpus_gives_a_dateline_day_its_year(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DATED)
    (tmp_path / "b.txt").write_text(UNDATED)
    (tmp_path / "c.txt").write_text("Nothing here is dated.\n\nThe minister said the grid held.\n")
    read = {Path(a.path).name: a for a in iter_inputs([tmp_path]) if isinstance(a, Article)}
    assert read["b.txt"].date == "2026-03-10"
    assert read["b.txt"].id == article_from_text(UNDATED).id  # same text, same id
    assert read["c.txt"].date is None  # no day anywhere: undated, not guessed


def test_relative_dates_resolve_in_every_statement(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(DATED)
    (tmp_path / "b.txt").write_text(UNDATED)
    b = next(a for a in iter_inputs([tmp_path]) if isinstance(a, Article) and "b.txt" in a.path)
    days = {s.date_text: s.date for s in analyse(b, nlp).statements}
    assert days == {"Monday": "2026-03-09", "Tuesday": "2026-03-10"}


def test_many_statements_all_dated(nlp) -> None:  # type: ignore[no-untyped-def]
    body = "\n\n".join(
        f"Minister Olena Shvets said on Wednesday that repair crew number {i} had restored power to the district."
        for i in range(12)
    )
    a = analyse(article_from_text(f" date 2026-03-12 {body}\n"), nlp)
    assert len(a.statements) == 12
    assert {s.date for s in a.statements} == {"2026-03-11"}


def test_an_undated_statement_says_so_and_date_filters_leave_it_out(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = analyse(Article(text="Nothing here is dated.\n\nThe minister said the grid held.\n"), nlp)
    with open_store(tmp_path / "d.db") as store:
        store.add_analysis(a)
        rows = search_statements(store, QueryFilters()).items
        assert [r.date for r in rows] == [None]
        assert search_statements(store, QueryFilters(since="1900")).total == 0
        assert search_statements(store, QueryFilters(until="2100")).total == 0


HEADLINED = (
    "Ukraine seeks more help for its power grid\n\n"
    " date 2026-03-05 KYIV (Reuters) - Ukraine's energy minister Olena Shvets said on "
    "Thursday that the grid had survived the night.\n"
)


def test_a_date_line_after_the_headline_is_the_date_and_not_text(nlp) -> None:  # type: ignore[no-untyped-def]
    a = article_from_text(HEADLINED)
    assert a.title == "Ukraine seeks more help for its power grid"
    assert a.date == "2026-03-05" and a.date_prefix.text == " date 2026-03-05"
    assert a.dateline is not None and a.dateline.agency == "Reuters"


def test_the_first_statement_of_the_body_survives_the_headline(nlp) -> None:  # type: ignore[no-untyped-def]
    from saidwhat.analyse import analyse_many

    article = article_from_text(HEADLINED)
    for a in (analyse(article, nlp), next(analyse_many([article], nlp))):
        st = next(s for s in a.statements if "survived the night" in s.content_text)
        assert st.speaker_name == "Olena Shvets" and st.date == "2026-03-05"
        assert st.content_text == "that the grid had survived the night"


def test_a_closing_quote_before_a_paragraph_break_does_not_swallow_the_next_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        ' date 2026-03-20 GENEVA (Reuters) - "Diplomacy is still possible," the envoy said, '
        'thanking both sides for "the courage to sign."\n\n'
        "Ukrainian Deputy Foreign Minister Yulia Stepanenko, who signed for Kyiv, called the "
        'deal "a first test of whether the signature means anything."\n'
    )
    a = analyse(article_from_text(text), nlp)
    st = next(s for s in a.statements if "a first test" in s.content_text)
    assert st.speaker_name == "Yulia Stepanenko" and st.kind == "statement"
